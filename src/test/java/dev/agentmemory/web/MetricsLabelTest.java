package dev.agentmemory.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The HTTP metrics carry route templates, never ids: 200 distinct paths with user ids in them, answered 404, 405,
 * 406, 413 and 415 (none of which any route takes) and 200, leave no id in any label, and the table of URIs stays
 * small enough that a route first used afterwards is still recorded.
 */
@QuarkusTest
class MetricsLabelTest {

    private static final Pattern URI = Pattern.compile("uri=\"([^\"]*)\"");

    @Test
    void noRequestPutsItsPathIntoAMetricLabel() {
        for (int i = 0; i < 200; i++) {
            String user = "rnd" + (20_140 + i);
            String session = "/v1/users/" + user + "/sessions/s" + i;
            switch (i % 7) {
                case 0 -> given().put(session + "/chat").then().statusCode(405);
                case 1 ->
                    given().contentType(ContentType.TEXT)
                            .body("hi")
                            .post(session + "/messages")
                            .then()
                            .statusCode(415);
                case 2 -> given().accept("image/png").get(session).then().statusCode(406);
                case 3 ->
                    given().get("/v1/people/" + user + "/sessions/s" + i).then().statusCode(404);
                case 4 -> given().get(session).then().statusCode(200);
                case 5 ->
                    given().get("/v1/users/" + user + "/memories/m" + i).then().statusCode(404);
                default ->
                    given().delete("/v1/users/" + user + "/memories").then().statusCode(405);
            }
        }
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON)
                    .body("{\"text\":\"" + "z".repeat(1_100_000) + "\"}")
                    .post("/v1/users/rnd3000" + i + "/memories")
                    .then()
                    .statusCode(413);
        }
        // A route used for the first time after all that is still recorded under its template.
        given().get("/v1/users/late-user/memories").then().statusCode(200);

        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        Set<String> uris = new TreeSet<>();
        for (String line : metrics.lines().toList()) {
            assertThat(line).as("a metric line").doesNotContain("rnd").doesNotContain("late-user");
            if (line.startsWith("http_server_requests_seconds_count")) {
                Matcher uri = URI.matcher(line);
                assertThat(uri.find()).as(line).isTrue();
                uris.add(uri.group(1));
            }
        }
        assertThat(uris)
                .contains(
                        "/v1/users/{userId}/sessions/{sessionId}",
                        "/v1/users/{userId}/memories/{id}",
                        "/v1/users/{userId}/memories",
                        UnmatchedRouteLabel.UNMATCHED)
                // "root" is Micrometer's fixed label for "/" (asked for by the console's tests in the same
                // application).
                .allSatisfy(
                        uri -> assertThat(uri).matches("/v1/users/\\{userId}(/.*)?|/q/.*|/UNMATCHED|NOT_FOUND|root"));
    }
}
