package dev.agentmemory.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/**
 * Health and metrics come from the Quarkus extensions and see Redis; the OpenAPI document is generated at build time.
 * In the test profile they share the main port; {@link PlatformEndpointsIT} finds them on the management port.
 */
@QuarkusTest
class PlatformEndpointsTest {

    /** Requests to where health, metrics and the OpenAPI document are served. */
    RequestSpecification management() {
        return given();
    }

    @Test
    void readinessChecksRedis() {
        management()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Redis")));
    }

    @Test
    void openApiDescribesTheApiInJsonOnRequest() {
        management()
                .queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .contentType(startsWith("application/json"))
                .body("info.title", equalTo("Agent Memory API"))
                .body("paths", hasKey("/v1/users/{userId}/sessions/{sessionId}/messages"))
                .body("paths", not(hasKey("/q/openapi")))
                .body(
                        "paths.'/v1/users/{userId}/memories'.get.responses.'400'.$ref",
                        equalTo("#/components/responses/BadRequest"))
                .body(
                        "paths.'/v1/users/{userId}/memories'.post.requestBody.content.'application/json'.schema.$ref",
                        equalTo("#/components/schemas/RememberRequest"));
        management()
                .accept("application/json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .contentType(startsWith("application/json"))
                .body("openapi", startsWith("3."));
    }

    @Test
    void openApiIsYamlByDefault() {
        String yaml = management()
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .contentType(startsWith("application/yaml"))
                .extract()
                .asString();
        assertThat(yaml).startsWith("---\nopenapi: 3.").contains("  /v1/users/{userId}/memories:");
        management()
                .queryParam("format", "YAML")
                .accept("application/json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .contentType(startsWith("application/yaml"));
    }

    @Test
    void anUnknownOpenApiFormatIsBadInput() {
        management()
                .queryParam("format", "xml")
                .get("/q/openapi")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("format"))
                .body("detail", equalTo("format must be json or yaml"));
    }

    @Test
    void prometheusMetricsAreExposed() {
        given().get("/v1/users/metrics-user/sessions/s1").then().statusCode(200);
        management()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("http_server_requests_seconds_count"));
    }
}
