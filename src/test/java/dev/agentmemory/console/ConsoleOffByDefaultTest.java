package dev.agentmemory.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Without {@code memory.console.enabled} the console is not there: {@code /console} and {@code /} are 404s. */
@QuarkusTest
class ConsoleOffByDefaultTest {

    @Test
    void consoleAndRootAreNotFound() {
        for (String path : new String[] {"/console/", "/console/console.js", "/console", "/"}) {
            given().redirects()
                    .follow(false)
                    .get(path)
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json")
                    .body("status", equalTo(404));
        }
    }
}
