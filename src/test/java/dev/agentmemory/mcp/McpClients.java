package dev.agentmemory.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * MCP clients of the official Java SDK, over Streamable HTTP to {@code /mcp}, each sending one set of credentials
 * (or none) with every request, as an agent framework configured with a token or an API key does.
 */
final class McpClients {

    private static final ObjectMapper JSON = new ObjectMapper();

    private McpClients() {}

    /** A client that sends this header with every request (null: no credentials), not yet initialized. */
    static McpSyncClient client(URI root, String header, String value) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(root.toString())
                .endpoint("/mcp")
                .customizeRequest(request -> {
                    if (header != null) {
                        request.header(header, value);
                    }
                })
                .build();
        return McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation("agent-memory-tests", "1"))
                .requestTimeout(Duration.ofSeconds(20))
                .initializationTimeout(Duration.ofSeconds(20))
                .build();
    }

    /** A client of the older HTTP+SSE transport ({@code /mcp/sse}), sending this token with every request. */
    static McpSyncClient sse(URI root, String token) {
        HttpClientSseClientTransport transport = HttpClientSseClientTransport.builder(root.toString())
                .sseEndpoint("/mcp/sse")
                .customizeRequest(request -> request.header("Authorization", "Bearer " + token))
                .build();
        return McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation("agent-memory-tests", "1"))
                .requestTimeout(Duration.ofSeconds(20))
                .initializationTimeout(Duration.ofSeconds(20))
                .build();
    }

    static McpSyncClient bearer(URI root, String token) {
        return client(root, "Authorization", "Bearer " + token);
    }

    static McpSyncClient apiKey(URI root, String key) {
        return client(root, "X-API-Key", key);
    }

    static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        return client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    }

    /** The text of a result's single text content, as JSON. */
    static JsonNode json(McpSchema.CallToolResult result) {
        try {
            return JSON.readTree(text(result));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(McpSchema.CallToolResult result) {
        if (result.content().size() != 1 || !(result.content().get(0) instanceof McpSchema.TextContent text)) {
            throw new AssertionError("Expected one text content: " + result.content());
        }
        return text.text();
    }
}
