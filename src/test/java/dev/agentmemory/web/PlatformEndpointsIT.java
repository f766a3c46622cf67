package dev.agentmemory.web;

import dev.agentmemory.testing.AdminApiKey;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Health, metrics and the OpenAPI document through the packaged application (jar or native executable): the
 * document is a resource generated at build time, which the native executable must carry.
 */
@QuarkusIntegrationTest
@ExtendWith(AdminApiKey.class)
class PlatformEndpointsIT extends PlatformEndpointsTest {}
