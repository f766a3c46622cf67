package dev.agentmemory.longterm;

import static dev.agentmemory.testing.Memories.path;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.agentmemory.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input to the long-term memory API: 400 naming the field, or 404 for what does not exist. */
@QuarkusTest
class MemoryInputTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{}|text",
                "{\"text\":\"\"}|text",
                "{\"text\":\"   \"}|text",
                "{\"text\":\"ok\",\"kind\":\"Not A Kind\"}|kind",
                "{\"text\":\"ok\",\"kind\":\"x{y}\"}|kind",
                "{\"text\":\"ok\",\"createdAt\":\"last tuesday\"}|createdAt",
                "{\"text\":42}|text",
                "not json|body"
            })
    void badRememberBodyIs400(String body, String field) {
        Api.assertProblem(
                        given().contentType(ContentType.JSON)
                                .body(body)
                                .post(path("u1"))
                                .then(),
                        400)
                .body("field", equalTo(field));
    }

    @Test
    void oversizedTextIs400() {
        Api.assertProblem(
                        given().contentType(ContentType.JSON)
                                .body("{\"text\":\"" + "w".repeat(2_001) + "\"}")
                                .post(path("u1"))
                                .then(),
                        400)
                .body("field", equalTo("text"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "-1", "abc", "1.5", "99999999999999999999"})
    void badLimitIs400WithOneErrorThatStatesTheRule(String limit) {
        Api.assertProblem(given().queryParam("limit", limit).get(path("u1")).then(), 400)
                .body("field", equalTo("limit"))
                .body("errors", hasSize(1))
                .body("detail", equalTo("limit must be a whole number from 1 to 100"));
    }

    @Test
    void badKindFilterIs400() {
        Api.assertProblem(
                        given().queryParam("kind", "fact|event").get(path("u1")).then(), 400)
                .body("field", org.hamcrest.Matchers.startsWith("kind"));
    }

    @Test
    void overlongQueryIs400() {
        Api.assertProblem(
                        given().queryParam("q", "q".repeat(16_001))
                                .get(path("u1"))
                                .then(),
                        400)
                .body("field", equalTo("q"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a%7Db", "a:b", "a%7Bb", "a%20b"})
    void idsWithBracesOrColonsAre400(String id) {
        Api.assertProblem(given().urlEncodingEnabled(false).get(path(id)).then(), 400)
                .body("field", equalTo("userId"));
        Api.assertProblem(
                        given().urlEncodingEnabled(false)
                                .get(path("u1") + "/" + id)
                                .then(),
                        400)
                .body("field", equalTo("id"));
        Api.assertProblem(
                        given().urlEncodingEnabled(false)
                                .delete("/v1/users/" + id)
                                .then(),
                        400)
                .body("field", equalTo("userId"));
    }

    @Test
    void patchNeedsAChange() {
        Api.assertProblem(
                        given().contentType(ContentType.JSON)
                                .body("{}")
                                .patch(path("u1") + "/abc")
                                .then(),
                        400)
                .body("field", equalTo("body"))
                .body("detail", equalTo("body must set text or kind"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"+999999999-12-31T23:59:59Z\"",
                "\"-1000000000-01-01T00:00:00Z\"",
                "1e308",
                "\"1960-01-01T00:00:00Z\""
            })
    void aCreationTimeOutsideTheYears1970To9999Is400(String createdAt) {
        Api.assertProblem(
                        given().contentType(ContentType.JSON)
                                .body("{\"text\":\"ok\",\"createdAt\":" + createdAt + "}")
                                .post(path("u1"))
                                .then(),
                        400)
                .body("field", equalTo("createdAt"))
                .body("errors", hasSize(1));
    }

    @Test
    void everyOffendingFieldIsListedOnce() {
        Api.assertProblem(
                        given().contentType(ContentType.JSON)
                                .body("{\"text\":\"\",\"kind\":\"Not A Kind\",\"createdAt\":\"0001-01-01T00:00:00Z\"}")
                                .post(path("u1"))
                                .then(),
                        400)
                .body("errors.field", contains("createdAt", "kind", "text"));
    }

    @Test
    void aMisspeltFieldIs400RatherThanIgnored() {
        Api.assertProblem(
                        given().contentType(ContentType.JSON)
                                .body("{\"text\":\"User likes tea\",\"Kind\":\"preference\"}")
                                .post(path("u1"))
                                .then(),
                        400)
                .body("field", equalTo("Kind"))
                .body("detail", equalTo("Kind is not a known field; known fields: createdAt, kind, text"));
    }

    @Test
    void unknownMemoryIs404() {
        Api.assertProblem(given().get(path("u1") + "/doesnotexist").then(), 404)
                .body("type", equalTo("urn:agent-memory:problem:memory-not-found"));
    }
}
