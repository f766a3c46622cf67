package dev.agentmemory.mcp;

import static dev.agentmemory.mcp.McpClients.call;
import static dev.agentmemory.mcp.McpClients.json;
import static dev.agentmemory.mcp.McpClients.text;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.testing.AuthProfile;
import dev.agentmemory.testing.OpenAiStubResource;
import dev.agentmemory.testing.TestCredentials;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The MCP tools through a real MCP client (the official Java SDK, Streamable HTTP), with authentication on: what a
 * client sees of the tools, remember → recall → memory_prompt → forget, and who may reach whose memories.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
class McpToolsTest {

    static final List<String> TOOLS = List.of(
            "remember", "recall", "forget", "update_memory", "get_working_memory", "add_messages", "memory_prompt");

    @TestHTTPResource("/")
    URI root;

    final List<McpSyncClient> clients = new ArrayList<>();
    String alice;
    String bob;

    @BeforeEach
    void users() {
        alice = "alice-" + UUID.randomUUID();
        bob = "bob-" + UUID.randomUUID();
        if (OpenAiStubResource.stub() != null) {
            OpenAiStubResource.stub().reset();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(McpSyncClient::closeGracefully);
    }

    McpSyncClient connect(McpSyncClient client) {
        clients.add(client);
        client.initialize();
        return client;
    }

    McpSyncClient userClient(String user) {
        return connect(McpClients.bearer(root, TestCredentials.token(user)));
    }

    McpSyncClient adminClient() {
        return connect(McpClients.apiKey(root, TestCredentials.API_KEY));
    }

    @Test
    void initializeNamesTheServerAndListsEveryToolWithASchema() {
        McpSyncClient client = McpClients.bearer(root, TestCredentials.token(alice));
        clients.add(client);
        McpSchema.InitializeResult init = client.initialize();

        assertThat(init.serverInfo().name()).isEqualTo("agent-memory");
        assertThat(init.capabilities().tools()).isNotNull();
        assertThat(init.instructions()).contains("memory_prompt");

        List<McpSchema.Tool> tools = client.listTools().tools();
        assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyInAnyOrderElementsOf(TOOLS);
        for (McpSchema.Tool tool : tools) {
            assertThat(tool.description()).as(tool.name()).hasSizeGreaterThan(60);
            assertThat(tool.inputSchema().type()).isEqualTo("object");
            assertThat(tool.inputSchema().properties()).as(tool.name()).containsKey("userId");
            assertThat(tool.inputSchema().required()).as(tool.name()).doesNotContain("userId");
            tool.inputSchema().properties().forEach((name, schema) -> assertThat(asMap(schema))
                    .as(tool.name() + "." + name)
                    .containsKey("description"));
        }
        Map<String, McpSchema.Tool> byName =
                tools.stream().collect(Collectors.toMap(McpSchema.Tool::name, tool -> tool));
        assertThat(byName.get("remember").inputSchema().required()).containsExactly("text");
        assertThat(byName.get("recall").inputSchema().required()).isEmpty();
        assertThat(byName.get("forget").inputSchema().required()).containsExactly("id");
        assertThat(byName.get("update_memory").inputSchema().required()).containsExactly("id");
        assertThat(byName.get("get_working_memory").inputSchema().required()).containsExactly("sessionId");
        assertThat(byName.get("add_messages").inputSchema().required())
                .containsExactlyInAnyOrder("sessionId", "messages");
        assertThat(byName.get("memory_prompt").inputSchema().required()).containsExactly("message");
        Map<String, Object> messages =
                asMap(byName.get("add_messages").inputSchema().properties().get("messages"));
        assertThat(messages.get("type")).isEqualTo("array");
        Map<String, Object> message = asMap(asMap(messages.get("items")).get("properties"));
        assertThat(message).containsKeys("role", "content", "at");
        message.values().forEach(field -> assertThat(asMap(field)).containsKey("description"));
        // Argument schemas hold no Java-only regular expression a client could not compile.
        tools.forEach(tool -> assertThat(tool.inputSchema().toString()).doesNotContain("pattern"));
        assertThat(asMap(message.get("role")).get("enum")).isEqualTo(List.of("user", "assistant", "system"));
    }

    @Test
    void rememberedFactIsRecalledPromptedAndForgotten() {
        McpSyncClient client = userClient(alice);

        JsonNode remembered =
                json(ok(call(client, "remember", Map.of("text", "The user is vegetarian", "kind", "preference"))));
        assertThat(remembered.get("created").asBoolean()).isTrue();
        String id = remembered.at("/memory/id").asText();
        assertThat(remembered.at("/memory/kind").asText()).isEqualTo("preference");
        JsonNode again = json(ok(call(client, "remember", Map.of("text", "The user is a vegetarian"))));
        assertThat(again.get("created").asBoolean()).isFalse();
        assertThat(again.at("/memory/id").asText()).isEqualTo(id);

        JsonNode recalled = json(ok(call(client, "recall", Map.of("query", "Is the user vegetarian?"))));
        assertThat(recalled.at("/memories/0/id").asText()).isEqualTo(id);
        assertThat(recalled.at("/memories/0/text").asText()).isEqualTo("The user is vegetarian");
        assertThat(recalled.at("/memories/0/createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(recalled.at("/memories/0/score").asDouble()).isPositive();

        ok(call(
                client,
                "add_messages",
                Map.of(
                        "sessionId",
                        "s1",
                        "messages",
                        List.of(
                                Map.of("role", "user", "content", "Hello!"),
                                Map.of("role", "assistant", "content", "Hi!")))));
        JsonNode prompt =
                json(ok(call(client, "memory_prompt", Map.of("message", "Suggest a dinner", "sessionId", "s1"))));
        assertThat(prompt.at("/messages/0/role").asText()).isEqualTo("system");
        assertThat(prompt.at("/messages/0/content").asText()).contains("The user is vegetarian");
        assertThat(prompt.at("/messages/1/content").asText()).isEqualTo("Hello!");
        assertThat(prompt.at("/messages/3").toString())
                .isEqualTo("{\"role\":\"user\",\"content\":\"Suggest a dinner\"}");
        assertThat(prompt.at("/memories/0/id").asText()).isEqualTo(id);

        JsonNode updated = json(ok(call(client, "update_memory", Map.of("id", id, "text", "The user is vegan"))));
        assertThat(updated.get("text").asText()).isEqualTo("The user is vegan");

        assertThat(text(ok(call(client, "forget", Map.of("id", id))))).contains(id);
        assertThat(json(ok(call(client, "recall", Map.of("query", "vegan")))).get("memories"))
                .isEmpty();
        JsonNode gone = problem(call(client, "forget", Map.of("id", id)), 404);
        assertThat(gone.get("type").asText()).isEqualTo("urn:agent-memory:problem:memory-not-found");
    }

    @Test
    void theOlderSseTransportServesTheSameTools() {
        McpSyncClient client = connect(McpClients.sse(root, TestCredentials.token(alice)));

        assertThat(client.listTools().tools())
                .extracting(McpSchema.Tool::name)
                .containsExactlyInAnyOrderElementsOf(TOOLS);
        ok(call(client, "remember", Map.of("text", "The user plays chess on Sundays")));
        assertThat(json(ok(call(client, "recall", Map.of("query", "chess"))))
                        .at("/memories/0/text")
                        .asText())
                .isEqualTo("The user plays chess on Sundays");
        assertThat(problem(call(client, "recall", Map.of("query", "chess", "userId", bob)), 403))
                .isNotNull();
    }

    @Test
    void workingMemoryToolsReadWhatWasAppended() {
        McpSyncClient client = userClient(alice);

        JsonNode appended = json(ok(call(
                client,
                "add_messages",
                Map.of(
                        "sessionId",
                        "s1",
                        "messages",
                        List.of(Map.of("role", "user", "content", "I have a cat named Tom."))))));
        assertThat(appended.get("appended").asInt()).isEqualTo(1);

        JsonNode session = json(ok(call(client, "get_working_memory", Map.of("sessionId", "s1"))));
        assertThat(session.at("/messages/0/role").asText()).isEqualTo("user");
        assertThat(session.at("/messages/0/content").asText()).isEqualTo("I have a cat named Tom.");
        assertThat(session.get("ttlSeconds").asLong()).isPositive();
    }

    @Test
    void aUsersTokenReachesNoOtherUsersMemoriesThroughAnyTool() {
        McpSyncClient admin = adminClient();
        String id = json(ok(call(admin, "remember", Map.of("text", "Alice's PIN hint is her cat", "userId", alice))))
                .at("/memory/id")
                .asText();
        ok(call(
                admin,
                "add_messages",
                Map.of(
                        "userId",
                        alice,
                        "sessionId",
                        "s1",
                        "messages",
                        List.of(Map.of("role", "user", "content", "secret")))));

        McpSyncClient bobs = userClient(bob);
        Map<String, Map<String, Object>> calls = new LinkedHashMap<>();
        calls.put("remember", Map.of("text", "Alice is wrong"));
        calls.put("recall", Map.of("query", "PIN"));
        calls.put("forget", Map.of("id", id));
        calls.put("update_memory", Map.of("id", id, "text", "changed"));
        calls.put("get_working_memory", Map.of("sessionId", "s1"));
        calls.put(
                "add_messages", Map.of("sessionId", "s1", "messages", List.of(Map.of("role", "user", "content", "x"))));
        calls.put("memory_prompt", Map.of("message", "PIN hint?", "sessionId", "s1"));
        assertThat(calls.keySet()).containsExactlyInAnyOrderElementsOf(TOOLS);
        calls.forEach((tool, arguments) -> {
            Map<String, Object> asAlice = new LinkedHashMap<>(arguments);
            asAlice.put("userId", alice);
            JsonNode refused = problem(call(bobs, tool, asAlice), 403);
            assertThat(refused.get("detail").asText())
                    .as(tool)
                    .isEqualTo("These credentials may not act for this user");
        });

        // Bob's own calls see Bob's memory only, and Alice's is untouched.
        assertThat(json(ok(call(bobs, "recall", Map.of("query", "PIN")))).get("memories"))
                .isEmpty();
        assertThat(problem(call(bobs, "forget", Map.of("id", id)), 404)).isNotNull();
        JsonNode aliceMemory = json(ok(call(admin, "recall", Map.of("query", "PIN", "userId", alice))));
        assertThat(aliceMemory.at("/memories/0/text").asText()).isEqualTo("Alice's PIN hint is her cat");
        JsonNode aliceSession = json(ok(call(admin, "get_working_memory", Map.of("sessionId", "s1", "userId", alice))));
        assertThat(aliceSession.get("messages")).hasSize(1);
        // Alice's own token names her, with or without the argument.
        McpSyncClient alices = userClient(alice);
        assertThat(json(ok(call(alices, "recall", Map.of("query", "PIN")))).get("memories"))
                .hasSize(1);
        assertThat(json(ok(call(alices, "recall", Map.of("query", "PIN", "userId", alice))))
                        .get("memories"))
                .hasSize(1);
    }

    @Test
    void anAdminMustNameTheUser() {
        McpSyncClient admin =
                connect(McpClients.bearer(root, TestCredentials.token("ops", TestCredentials.ADMIN_GROUP)));

        JsonNode missing = problem(call(admin, "recall", Map.of("query", "anything")), 400);
        assertThat(missing.get("field").asText()).isEqualTo("userId");
        assertThat(json(ok(call(admin, "recall", Map.of("query", "anything", "userId", alice))))
                        .get("memories"))
                .isEmpty();
    }

    @Test
    void withoutValidCredentialsTheEndpointAnswers401() {
        McpSyncClient anonymous = McpClients.client(root, null, null);
        clients.add(anonymous);
        assertThatThrownBy(anonymous::initialize)
                .hasRootCauseInstanceOf(McpHttpClientTransportAuthorizationException.class);
        McpSyncClient forged = McpClients.bearer(root, TestCredentials.tokenSignedByAnotherKey(alice));
        clients.add(forged);
        assertThatThrownBy(forged::initialize)
                .hasRootCauseInstanceOf(McpHttpClientTransportAuthorizationException.class);

        given().contentType("application/json")
                .accept("application/json, text/event-stream")
                .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")
                .post("/mcp")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"))
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.startsWith("Credentials are required"));
        given().contentType("application/json")
                .accept("application/json, text/event-stream")
                .header("Authorization", "Bearer " + TestCredentials.expiredToken(alice))
                .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")
                .post("/mcp")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"))
                .body("detail", org.hamcrest.Matchers.equalTo("The credentials are not valid"));
    }

    @Test
    void badArgumentsAreToolErrorsNamingTheArgument() {
        McpSyncClient client = userClient(alice);

        assertThat(problem(call(client, "remember", Map.of("text", " ")), 400)
                        .get("field")
                        .asText())
                .isEqualTo("text");
        assertThat(problem(call(client, "remember", Map.of("text", "x", "kind", "Not A Kind")), 400)
                        .get("field")
                        .asText())
                .isEqualTo("kind");
        assertThat(problem(call(client, "recall", Map.of("query", "x", "limit", 1000)), 400)
                        .get("detail")
                        .asText())
                .isEqualTo("limit must be a whole number from 1 to 100");
        assertThat(problem(call(client, "get_working_memory", Map.of("sessionId", "no spaces")), 400)
                        .get("field")
                        .asText())
                .isEqualTo("sessionId");
        assertThat(problem(
                                call(
                                        client,
                                        "add_messages",
                                        Map.of(
                                                "sessionId",
                                                "s1",
                                                "messages",
                                                List.of(
                                                        Map.of("role", "user", "content", "ok"),
                                                        Map.of("role", "user", "content", "")))),
                                400)
                        .get("field")
                        .asText())
                .isEqualTo("messages[1].content");
        assertThat(problem(call(client, "update_memory", Map.of("id", "0123456789abcdef", "text", " \n")), 400)
                        .get("detail")
                        .asText())
                .isEqualTo("text must not be blank");
        assertThat(problem(call(client, "update_memory", Map.of("id", "0123456789abcdef")), 400)
                        .get("field")
                        .asText())
                .isEqualTo("text");
        assertThat(problem(call(client, "update_memory", Map.of("id", "0123456789abcdef", "kind", "event")), 404)
                        .get("detail")
                        .asText())
                .isEqualTo("No memory with id 0123456789abcdef");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object json) {
        return (Map<String, Object>) json;
    }

    /** Asserts a successful call. */
    static McpSchema.CallToolResult ok(McpSchema.CallToolResult result) {
        assertThat(result.isError()).as(() -> text(result)).isNotEqualTo(Boolean.TRUE);
        return result;
    }

    /** Asserts a tool error holding a problem document with this status, and answers the document. */
    static JsonNode problem(McpSchema.CallToolResult result, int status) {
        assertThat(result.isError()).as(() -> text(result)).isTrue();
        JsonNode problem = json(result);
        assertThat(problem.get("status").asInt()).as(problem::toString).isEqualTo(status);
        assertThat(problem.get("type").asText()).startsWith("urn:agent-memory:problem:");
        assertThat(problem.get("detail").asText()).doesNotContain("Exception").doesNotContain("dev.agentmemory");
        return problem;
    }
}
