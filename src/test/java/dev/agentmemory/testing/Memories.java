package dev.agentmemory.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Request builders for the long-term memory API. */
public final class Memories {

    private Memories() {}

    public static String path(String userId) {
        return "/v1/users/" + userId + "/memories";
    }

    public static ValidatableResponse remember(String userId, String text) {
        return remember(userId, text, null, null);
    }

    public static ValidatableResponse remember(String userId, String text, String kind, String createdAt) {
        Map<String, Object> body = new HashMap<>();
        body.put("text", text);
        if (kind != null) {
            body.put("kind", kind);
        }
        if (createdAt != null) {
            body.put("createdAt", createdAt);
        }
        return given().contentType(ContentType.JSON)
                .body(body)
                .post(path(userId))
                .then();
    }

    /** Stores and returns the id; fails unless it was stored as new (201). */
    public static String store(String userId, String text, String kind, String createdAt) {
        return remember(userId, text, kind, createdAt).statusCode(201).extract().path("id");
    }

    public static ValidatableResponse recall(String userId, String q, String... kinds) {
        RequestSpecification request = given();
        if (q != null) {
            request = request.queryParam("q", q);
        }
        if (kinds.length > 0) {
            request = request.queryParam("kind", List.of(kinds));
        }
        return request.queryParam("limit", 100).get(path(userId)).then();
    }

    public static List<String> recallTexts(String userId, String q, String... kinds) {
        return recall(userId, q, kinds).statusCode(200).extract().jsonPath().getList("memories.text", String.class);
    }
}
