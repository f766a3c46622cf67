package dev.agentmemory.mcp;

import static dev.agentmemory.mcp.McpClients.call;
import static dev.agentmemory.mcp.McpClients.json;
import static dev.agentmemory.mcp.McpToolsTest.ok;
import static dev.agentmemory.mcp.McpToolsTest.problem;
import static dev.agentmemory.testing.Memories.recallTexts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.testing.OpenAiStub;
import dev.agentmemory.testing.OpenAiStubResource;
import io.modelcontextprotocol.client.McpSyncClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The MCP tools with authentication off (dev mode, the test profile): anyone may act for anyone, so every call
 * names its user; and an agent's exchange appended with extract=true becomes long-term memory.
 */
@QuarkusTest
class McpWithoutAuthenticationTest {

    @TestHTTPResource("/")
    URI root;

    McpSyncClient client;
    OpenAiStub llm;
    String user;

    @BeforeEach
    void connect() {
        llm = OpenAiStubResource.stub();
        llm.reset();
        user = "u-" + UUID.randomUUID();
        client = McpClients.client(root, null, null);
        client.initialize();
    }

    @AfterEach
    void close() {
        client.closeGracefully();
    }

    @Test
    void everyCallMustNameItsUser() {
        JsonNode missing = problem(call(client, "recall", Map.of("query", "anything")), 400);

        assertThat(missing.get("field").asText()).isEqualTo("userId");
        assertThat(missing.get("detail").asText())
                .isEqualTo("userId is required: these credentials may act for any user");
        assertThat(problem(call(client, "recall", Map.of("userId", "not a user")), 400)
                        .get("field")
                        .asText())
                .isEqualTo("userId");
        assertThat(json(ok(call(client, "recall", Map.of("userId", user)))).get("memories"))
                .isEmpty();
    }

    @Test
    void addMessagesWithExtractStoresTheFactsThatMemoryPromptThenHolds() {
        llm.replyToExtraction("User's sister is called Ana", "relationship");

        ok(call(
                client,
                "add_messages",
                Map.of(
                        "userId",
                        user,
                        "sessionId",
                        "s1",
                        "extract",
                        true,
                        "messages",
                        List.of(
                                Map.of("role", "user", "content", "My sister Ana visits next week."),
                                Map.of("role", "assistant", "content", "How nice!")))));

        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(
                        () -> assertThat(recallTexts(user, null)).containsExactly("User's sister is called Ana"));
        JsonNode prompt =
                json(ok(call(client, "memory_prompt", Map.of("userId", user, "message", "What is my sister called?"))));
        assertThat(prompt.at("/messages/0/content").asText()).contains("User's sister is called Ana");
        assertThat(prompt.get("messages")).hasSize(2); // no session: the system prompt and the message
    }
}
