package dev.agentmemory.redis;

import static dev.agentmemory.testing.Api.append;
import static dev.agentmemory.testing.Api.message;
import static dev.agentmemory.testing.Api.session;
import static dev.agentmemory.testing.Memories.recallTexts;
import static dev.agentmemory.testing.Memories.remember;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.matchesPattern;

import dev.agentmemory.testing.OpenAiStub;
import dev.agentmemory.testing.OpenAiStubResource;
import dev.agentmemory.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every operation that runs a Lua script still works once the servers have forgotten their scripts (a restart, a
 * failover, {@code SCRIPT FLUSH}): flushed on every node (of a cluster: each node then learns each script again from
 * the first call that reaches it).
 */
@QuarkusTest
class ScriptsForgottenTest {

    OpenAiStub llm;

    @BeforeEach
    void flushScriptsEverywhere() {
        llm = OpenAiStubResource.stub();
        llm.reset();
        RedisTestResource.nodes().forEach(node -> node.command("SCRIPT", "FLUSH"));
    }

    @Test
    void workingMemoryReadsAndWritesAfterAFlush() {
        for (int i = 0; i < 6; i++) { // users spread over the slots, so over every master of a cluster
            String user = "flushed-" + UUID.randomUUID();
            append(user, "s1", message("user", "Hello " + i)).statusCode(200);
            session(user, "s1").statusCode(200).body("messages.content", contains("Hello " + i));
            given().delete("/v1/users/" + user + "/sessions/s1").then().statusCode(204);
        }
    }

    @Test
    void longTermMemoryRemembersRecallsAndForgetsAfterAFlush() {
        for (int i = 0; i < 6; i++) {
            String user = "flushed-" + UUID.randomUUID();
            remember(user, "User plays the oboe " + i).statusCode(201);
            assertThat(recallTexts(user, "oboe")).containsExactly("User plays the oboe " + i);
            assertThat(recallTexts(user, null)).containsExactly("User plays the oboe " + i);
            given().delete("/v1/users/" + user).then().statusCode(204);
            assertThat(recallTexts(user, null)).isEmpty();
        }
    }

    @Test
    void chatTurnsJsonAndStreamedAfterAFlush() {
        llm.replyToChat("Sure.");
        for (int i = 0; i < 6; i++) {
            String user = "flushed-" + UUID.randomUUID();
            given().contentType(ContentType.JSON)
                    .body(Map.of("message", "Hi " + i))
                    .post("/v1/users/" + user + "/sessions/s1/chat")
                    .then()
                    .statusCode(200);
            given().contentType(ContentType.JSON)
                    .body(Map.of("message", "Again " + i))
                    .post("/v1/users/" + user + "/sessions/s1/chat/stream")
                    .then()
                    .statusCode(200)
                    .body(matchesPattern("(?s).*event:\\s*done.*"));
            session(user, "s1").body("messages.content", contains("Hi " + i, "Sure.", "Again " + i, "Sure."));
        }
    }
}
