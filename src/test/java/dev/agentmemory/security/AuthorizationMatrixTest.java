package dev.agentmemory.security;

import static dev.agentmemory.testing.TestCredentials.ADMIN_GROUP;
import static dev.agentmemory.testing.TestCredentials.API_KEY;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.testing.AuthProfile;
import dev.agentmemory.testing.OpenAiStub;
import dev.agentmemory.testing.OpenAiStubResource;
import dev.agentmemory.testing.TestCredentials;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route of the API (as the OpenAPI document lists them, streaming included) against every kind of
 * credentials, with authentication on: the owner and the admins succeed; no credentials, credentials that do not
 * verify (nonsense, expired, another key, another issuer, no subject, an unknown API key) get 401, and another user's token 403,
 * and leave the user's data as it was.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
class AuthorizationMatrixTest {

    /** What each route answers when it is allowed; a route missing here fails {@link #everyRouteIsCovered()}. */
    static final Map<String, Integer> SUCCESS = new TreeMap<>(Map.ofEntries(
            Map.entry("POST /v1/users/{userId}/sessions/{sessionId}/chat", 200),
            Map.entry("POST /v1/users/{userId}/sessions/{sessionId}/chat/stream", 200),
            Map.entry("POST /v1/users/{userId}/sessions/{sessionId}/prompt", 200),
            Map.entry("GET /v1/users/{userId}/sessions/{sessionId}", 200),
            Map.entry("DELETE /v1/users/{userId}/sessions/{sessionId}", 204),
            Map.entry("POST /v1/users/{userId}/sessions/{sessionId}/messages", 200),
            Map.entry("POST /v1/users/{userId}/memories", 201),
            Map.entry("GET /v1/users/{userId}/memories", 200),
            Map.entry("GET /v1/users/{userId}/memories/{id}", 200),
            Map.entry("PATCH /v1/users/{userId}/memories/{id}", 200),
            Map.entry("DELETE /v1/users/{userId}/memories/{id}", 204),
            Map.entry("DELETE /v1/users/{userId}", 204)));

    static final Map<String, String> BODIES = Map.of(
            "POST /v1/users/{userId}/sessions/{sessionId}/chat", "{\"message\":\"Hello\"}",
            "POST /v1/users/{userId}/sessions/{sessionId}/chat/stream", "{\"message\":\"Hello\"}",
            "POST /v1/users/{userId}/sessions/{sessionId}/prompt", "{\"message\":\"Hello\"}",
            "POST /v1/users/{userId}/sessions/{sessionId}/messages",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"I like tea\"}]}",
            "POST /v1/users/{userId}/memories", "{\"text\":\"User likes green tea\"}",
            "PATCH /v1/users/{userId}/memories/{id}", "{\"kind\":\"preference\"}");

    OpenAiStub llm;

    @BeforeEach
    void stubLlm() {
        llm = OpenAiStubResource.stub();
        llm.reset();
        llm.replyToChat("Hello!");
        llm.replyToExtraction();
    }

    /** One kind of credentials, and whom it acts for: the caller's own user, or another one. */
    record Caller(String name, boolean onOwnUser, Map<String, String> headers, int status) {
        @Override
        public String toString() {
            return name + " → " + (status == 0 ? "success" : status);
        }
    }

    static Stream<Arguments> callers() {
        String owner = "owner-" + UUID.randomUUID();
        return Stream.of(
                        new Caller("no credentials", false, Map.of(), 401),
                        new Caller("Bearer nonsense", false, bearer("nonsense"), 401),
                        new Caller(
                                "expired token for the user", false, bearer(TestCredentials.expiredToken(USER)), 401),
                        new Caller(
                                "token for the user signed by another key",
                                false,
                                bearer(TestCredentials.tokenSignedByAnotherKey(USER)),
                                401),
                        new Caller(
                                "token for the user from another issuer",
                                false,
                                bearer(TestCredentials.tokenFromAnotherIssuer(USER)),
                                401),
                        new Caller("unknown API key", false, Map.of("X-API-Key", "not-" + API_KEY), 401),
                        new Caller("token of another user", false, bearer(TestCredentials.token(owner)), 403),
                        new Caller("token without a subject", false, bearer(TestCredentials.tokenWithoutUser()), 401),
                        new Caller("token of the user, on the user", true, null, 0),
                        new Caller(
                                "admin token of another user",
                                false,
                                bearer(TestCredentials.token(owner, ADMIN_GROUP)),
                                0),
                        new Caller("API key", false, Map.of("X-API-Key", API_KEY), 0))
                .map(Arguments::of);
    }

    /** The user the refused callers aim at (fixed so that their tokens can be made in {@link #callers()}). */
    static final String USER = "victim-" + UUID.randomUUID();

    @ParameterizedTest(name = "{0}")
    @MethodSource("callers")
    void everyRouteAnswersTheCallerAsExpected(Caller caller) {
        SoftAssertions soft = new SoftAssertions();
        for (String operation : SUCCESS.keySet()) {
            String user = caller.onOwnUser() ? "self-" + UUID.randomUUID() : USER;
            Map<String, String> headers =
                    caller.headers() != null ? caller.headers() : bearer(TestCredentials.token(user));
            Seeded seeded = seed(user);
            Response response = send(operation, user, seeded.memoryId(), headers);
            String label = caller.name() + " × " + operation;
            if (caller.status() == 0) {
                soft.assertThat(response.statusCode())
                        .as(label + ": " + response.asString())
                        .isEqualTo(SUCCESS.get(operation));
                continue;
            }
            soft.assertThat(response.statusCode()).as(label).isEqualTo(caller.status());
            soft.assertThat(response.contentType()).as(label).startsWith("application/problem+json");
            soft.assertThat(response.jsonPath().getString("type"))
                    .as(label)
                    .isEqualTo("urn:agent-memory:problem:" + (caller.status() == 401 ? "unauthorized" : "forbidden"));
            if (caller.status() == 401) {
                soft.assertThat(response.header("WWW-Authenticate")).as(label).startsWith("Bearer");
            }
            // Refused means untouched: the memory and the session message seeded before are still there, alone.
            soft.assertThat(admin().get("/v1/users/" + user + "/memories/" + seeded.memoryId())
                            .statusCode())
                    .as(label + ": memory kept")
                    .isEqualTo(200);
            soft.assertThat(admin().get("/v1/users/" + user + "/sessions/s1")
                            .jsonPath()
                            .getList("messages"))
                    .as(label + ": session kept")
                    .hasSize(1);
        }
        soft.assertAll();
    }

    @Test
    void everyRouteIsCovered() throws IOException {
        assertThat(operations()).containsExactlyInAnyOrderElementsOf(SUCCESS.keySet());
    }

    @Test
    void aRefusalSaysNothingAboutWhetherTheUserExists() {
        String stranger = "stranger-" + UUID.randomUUID();
        seed(USER);
        Map<String, String> someoneElse = bearer(TestCredentials.token("someone-" + UUID.randomUUID()));
        for (String path : List.of("/v1/users/%s/memories", "/v1/users/%s/sessions/s1")) {
            Response existing = send(someoneElse).get(path.formatted(USER));
            Response unknown = send(someoneElse).get(path.formatted(stranger));
            assertThat(existing.statusCode()).isEqualTo(403);
            assertThat(unknown.statusCode()).isEqualTo(403);
            assertThat(existing.asString()).isEqualTo(unknown.asString());
        }
        Response anonymousExisting = given().get("/v1/users/" + USER + "/memories");
        Response anonymousUnknown = given().get("/v1/users/" + stranger + "/memories");
        assertThat(anonymousExisting.statusCode()).isEqualTo(401);
        assertThat(anonymousExisting.asString()).isEqualTo(anonymousUnknown.asString());
    }

    @Test
    void authenticationComesBeforeInputValidation() {
        // An invalid id gets 401 without credentials, 403 for a plain user, and 400 only for an admin.
        given().urlEncodingEnabled(false).get("/v1/users/a%7Db/memories").then().statusCode(401);
        send(bearer(TestCredentials.token("alice")))
                .urlEncodingEnabled(false)
                .get("/v1/users/a%7Db/memories")
                .then()
                .statusCode(403);
        admin().urlEncodingEnabled(false).get("/v1/users/a%7Db/memories").then().statusCode(400);
    }

    record Seeded(String memoryId) {}

    /** A memory and a one-message session of the user, written with the API key. */
    static Seeded seed(String user) {
        String id = admin().contentType(ContentType.JSON)
                // A number of its own, so that dedupe (which merges rewordings of one fact) keeps every seed apart.
                .body(Map.of(
                        "text",
                        "User's locker code is "
                                + java.util.concurrent.ThreadLocalRandom.current()
                                        .nextInt(100_000_000, 999_999_999)))
                .post("/v1/users/" + user + "/memories")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        admin().delete("/v1/users/" + user + "/sessions/s1").then().statusCode(204);
        admin().contentType(ContentType.JSON)
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"seed\"}]}")
                .post("/v1/users/" + user + "/sessions/s1/messages")
                .then()
                .statusCode(200);
        return new Seeded(id);
    }

    static Response send(String operation, String user, String memoryId, Map<String, String> headers) {
        String method = operation.substring(0, operation.indexOf(' '));
        String path = operation
                .substring(operation.indexOf(' ') + 1)
                .replace("{userId}", user)
                .replace("{sessionId}", "s1")
                .replace("{id}", memoryId);
        RequestSpecification request = send(headers);
        String body = BODIES.get(operation);
        if (body != null) {
            request.contentType(ContentType.JSON).body(body);
        }
        if (operation.endsWith("/stream")) {
            request.accept("text/event-stream");
        }
        return request.request(method, path);
    }

    static RequestSpecification send(Map<String, String> headers) {
        RequestSpecification request = given();
        headers.forEach(request::header);
        return request;
    }

    static RequestSpecification admin() {
        return given().header("X-API-Key", API_KEY);
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    /** Every "METHOD path" of the generated OpenAPI document. */
    static List<String> operations() throws IOException {
        JsonNode document;
        try (InputStream in =
                AuthorizationMatrixTest.class.getClassLoader().getResourceAsStream("META-INF/openapi/openapi.json")) {
            document = new ObjectMapper().readTree(in);
        }
        List<String> operations = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue()
                .fieldNames()
                .forEachRemaining(method -> operations.add(method.toUpperCase() + " " + path.getKey())));
        return operations;
    }
}
