package dev.agentmemory.web;

import static dev.agentmemory.testing.Api.assertProblem;
import static dev.agentmemory.testing.Api.sessionPath;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every bad input is a 4xx problem+json that names what is wrong, never a 500. */
@QuarkusTest
class BadInputTest {

    private static final String OK_BODY = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a%7Db", // }
                "a%7Bb", // {
                "a:b",
                "a%20b",
                "a%2Fb", // an encoded slash
                "caf%C3%A9",
                "a*",
                "%5Cx" // backslash
            })
    void invalidUserIdIs400NamingIt(String userId) {
        for (String method : new String[] {"GET", "DELETE"}) {
            assertProblem(
                            given().urlEncodingEnabled(false)
                                    .request(method, sessionPath(userId, "s1"))
                                    .then(),
                            400)
                    .body("field", equalTo("userId"));
        }
        assertProblem(
                        given().urlEncodingEnabled(false)
                                .contentType(ContentType.JSON)
                                .body(OK_BODY)
                                .post(sessionPath(userId, "s1") + "/messages")
                                .then(),
                        400)
                .body("field", equalTo("userId"));
    }

    @Test
    void overlongIdsAre400() {
        String longId = "x".repeat(129);
        assertProblem(given().get(sessionPath(longId, "s1")).then(), 400).body("field", equalTo("userId"));
        assertProblem(given().get(sessionPath("u1", longId)).then(), 400).body("field", equalTo("sessionId"));
        given().get(sessionPath("x".repeat(128), "s1")).then().statusCode(200);
    }

    @Test
    void invalidSessionIdIs400NamingIt() {
        assertProblem(
                        given().urlEncodingEnabled(false)
                                .get(sessionPath("u1", "s%7D1"))
                                .then(),
                        400)
                .body("field", equalTo("sessionId"));
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}", "body"),
                Arguments.of("not json", "body"),
                Arguments.of("{\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}", "messages[0].role"),
                Arguments.of(
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"ok\"},{\"role\":\"USER\",\"content\":\"x\"}]}",
                        "messages[1].role"),
                Arguments.of("{\"messages\":[{\"content\":\"hi\"}]}", "messages[0].role"),
                Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}", "messages[0].content"),
                Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":\"   \"}]}", "messages[0].content"),
                Arguments.of("{\"messages\":[{\"role\":\"user\"}]}", "messages[0].content"),
                Arguments.of("{\"messages\":[]}", "messages"),
                Arguments.of("{}", "messages"),
                Arguments.of("{\"messages\":\"hello\"}", "messages"),
                Arguments.of(
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"at\":\"yesterday\"}]}",
                        "messages[0].at"),
                Arguments.of("[]", "body"));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void badBodyIs400NamingTheField(String body, String field) {
        assertProblem(
                        given().contentType(ContentType.JSON)
                                .body(body)
                                .post(sessionPath("u1", "s1") + "/messages")
                                .then(),
                        400)
                .body("field", equalTo(field));
    }

    static Stream<Arguments> badTimes() {
        return Stream.of(
                Arguments.of("\"+999999999-12-31T23:59:59Z\"", "must be between"),
                Arguments.of("\"-1000000000-01-01T00:00:00Z\"", "must be between"),
                Arguments.of("\"1969-12-31T23:59:59.999Z\"", "must be between"),
                Arguments.of("1e308", "must be an ISO-8601 date-time"),
                Arguments.of("1700000000", "must be an ISO-8601 date-time"),
                Arguments.of("\"yesterday\"", "must be an ISO-8601 date-time"));
    }

    @ParameterizedTest
    @MethodSource("badTimes")
    void aTimeOutsideTheYears1970To9999OrNotIsoTextIs400(String at, String detail) {
        assertProblem(
                        given().contentType(ContentType.JSON)
                                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"at\":" + at + "}]}")
                                .post(sessionPath("u1", "s-times") + "/messages")
                                .then(),
                        400)
                .body("field", equalTo("messages[0].at"))
                .body("errors", hasSize(1))
                .body("errors[0].detail", startsWith(detail));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1970-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z"})
    void theFirstAndLastMomentsOfTheRangeAreKept(String at) {
        String user = "times-" + java.util.UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"at\":\"" + at + "\"}]}")
                .post(sessionPath(user, "s1") + "/messages")
                .then()
                .statusCode(200);
        given().get(sessionPath(user, "s1")).then().statusCode(200).body("messages[0].at", equalTo(at));
    }

    @Test
    void aNullMessageIs400NamingIt() {
        assertProblem(
                        given().contentType(ContentType.JSON)
                                .body("{\"messages\":[null]}")
                                .post(sessionPath("u1", "s1") + "/messages")
                                .then(),
                        400)
                .body("field", equalTo("messages[0]"))
                .body("detail", equalTo("messages[0] must be a message object"));
    }

    @Test
    void everyOffendingFieldIsListedOnceWithItsRule() {
        assertProblem(
                        given().contentType(ContentType.JSON)
                                .body("{\"messages\":[{\"role\":\"bot\",\"content\":\"\"},"
                                        + "{\"role\":\"user\",\"content\":\"ok\"},{\"content\":\"   \"}]}")
                                .post(sessionPath("u1", "s1") + "/messages")
                                .then(),
                        400)
                .body(
                        "errors.field",
                        contains("messages[0].content", "messages[0].role", "messages[2].content", "messages[2].role"))
                .body(
                        "errors.find { it.field == 'messages[0].role' }.detail",
                        equalTo("must be one of user, assistant, system"))
                .body("errors.find { it.field == 'messages[0].content' }.detail", equalTo("must not be blank"));
    }

    @Test
    void unknownFieldsAre400NamingThem() {
        assertProblem(
                        given().contentType(ContentType.JSON)
                                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"sessionTtl\":5}")
                                .post(sessionPath("u1", "s1") + "/messages")
                                .then(),
                        400)
                .body("field", equalTo("sessionTtl"))
                .body("detail", equalTo("sessionTtl is not a known field; known fields: extract, messages"));
        assertProblem(
                        given().contentType(ContentType.JSON)
                                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"Role\":\"system\"}]}")
                                .post(sessionPath("u1", "s1") + "/messages")
                                .then(),
                        400)
                .body("field", equalTo("messages[0].Role"));
    }

    @Test
    void missingBodyIs400() {
        assertProblem(
                        given().contentType(ContentType.JSON)
                                .post(sessionPath("u1", "s1") + "/messages")
                                .then(),
                        400)
                .body("field", equalTo("body"));
    }

    @Test
    void oversizedContentIs400() {
        String content = "y".repeat(32_001);
        assertProblem(
                        given().contentType(ContentType.JSON)
                                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}")
                                .post(sessionPath("u1", "s1") + "/messages")
                                .then(),
                        400)
                .body("field", equalTo("messages[0].content"))
                .body("detail", containsString("32000"));
    }

    @Test
    void tooManyMessagesIs400() {
        String one = "{\"role\":\"user\",\"content\":\"m\"}";
        String body = "{\"messages\":[" + String.join(",", java.util.Collections.nCopies(101, one)) + "]}";
        assertProblem(
                        given().contentType(ContentType.JSON)
                                .body(body)
                                .post(sessionPath("u1", "s1") + "/messages")
                                .then(),
                        400)
                .body("field", equalTo("messages"));
    }

    @Test
    void bodyOverTheLimitIs413() {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "z".repeat(1_100_000) + "\"}]}";
        assertProblem(
                        given().contentType(ContentType.JSON)
                                .body(body)
                                .post(sessionPath("u1", "s1") + "/messages")
                                .then(),
                        413)
                .body("type", equalTo("urn:agent-memory:problem:body-too-large"));
    }

    @Test
    void wrongMediaTypeIs415() {
        assertProblem(
                given().contentType(ContentType.TEXT)
                        .body("hello")
                        .post(sessionPath("u1", "s1") + "/messages")
                        .then(),
                415);
    }

    @Test
    void unknownPathIs404Problem() {
        assertProblem(given().get("/v1/nothing-here").then(), 404);
    }

    @Test
    void wrongMethodIs405Problem() {
        assertProblem(given().put(sessionPath("u1", "s1") + "/messages").then(), 405);
    }
}
