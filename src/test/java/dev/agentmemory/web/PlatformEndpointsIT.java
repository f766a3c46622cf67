package dev.agentmemory.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * Readiness and the OpenAPI document through the packaged application (jar or native executable): the document
 * is a resource generated at build time, which the native executable must carry.
 */
@QuarkusIntegrationTest
class PlatformEndpointsIT {

    @Test
    void readyWithRedis() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void theOpenApiDocumentIsServedInBothFormats() {
        given().queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .contentType(startsWith("application/json"))
                .body("info.title", equalTo("Agent Memory API"))
                .body("paths", hasKey("/v1/users/{userId}/memories"));
        given().get("/q/openapi").then().statusCode(200).contentType(startsWith("application/yaml"));
    }
}
