package dev.agentmemory.web;

import static io.restassured.RestAssured.given;

import dev.agentmemory.testing.AdminApiKey;
import dev.agentmemory.testing.TestCredentials;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Health, metrics and the OpenAPI document through the packaged application (jar or native executable), which
 * serves them on the management interface only: the document is a resource generated at build time, which the
 * native executable must carry; the public port answers none of them.
 */
@QuarkusIntegrationTest
@ExtendWith(AdminApiKey.class)
class PlatformEndpointsIT extends PlatformEndpointsTest {

    @Override
    RequestSpecification management() {
        return given().port(TestCredentials.managementPort());
    }

    @Test
    void thePublicPortServesTheApiOnly() {
        for (String path : new String[] {"/q/health/ready", "/q/health/live", "/q/metrics", "/q/openapi"}) {
            given().get(path).then().statusCode(404);
        }
    }
}
