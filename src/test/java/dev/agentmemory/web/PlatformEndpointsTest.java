package dev.agentmemory.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Health, OpenAPI and metrics come from the Quarkus extensions and see Redis. */
@QuarkusTest
class PlatformEndpointsTest {

    @Test
    void readinessChecksRedis() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Redis")));
    }

    @Test
    void openApiDescribesTheSessionApi() {
        given().queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/v1/users/{userId}/sessions/{sessionId}/messages"));
    }

    @Test
    void prometheusMetricsAreExposed() {
        given().get("/v1/users/metrics-user/sessions/s1").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests_seconds_count"));
    }
}
