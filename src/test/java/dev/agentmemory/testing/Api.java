package dev.agentmemory.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;

/** Small request builders shared by the HTTP tests. */
public final class Api {

    private Api() {}

    public static String sessionPath(String userId, String sessionId) {
        return "/v1/users/" + userId + "/sessions/" + sessionId;
    }

    public static Map<String, Object> message(String role, String content) {
        return Map.of("role", role, "content", content);
    }

    public static ValidatableResponse append(String userId, String sessionId, Map<?, ?>... messages) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("messages", List.of(messages)))
                .post(sessionPath(userId, sessionId) + "/messages")
                .then();
    }

    /** Asserts an RFC 9457 problem+json response with this status. */
    public static ValidatableResponse assertProblem(ValidatableResponse response, int status) {
        return response.statusCode(status)
                .contentType("application/problem+json")
                .body("status", org.hamcrest.Matchers.equalTo(status))
                .body("type", org.hamcrest.Matchers.startsWith("urn:agent-memory:problem:"))
                .body("title", org.hamcrest.Matchers.notNullValue());
    }

    public static ValidatableResponse session(String userId, String sessionId) {
        return given().get(sessionPath(userId, sessionId)).then();
    }
}
