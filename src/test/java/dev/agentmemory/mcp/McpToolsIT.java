package dev.agentmemory.mcp;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The MCP tools through the official Java SDK against the packaged application (authentication on). */
@QuarkusIntegrationTest
class McpToolsIT extends McpToolsTest {}
