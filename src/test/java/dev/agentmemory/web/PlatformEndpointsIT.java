package dev.agentmemory.web;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * Health, metrics and the OpenAPI document through the packaged application (jar or native executable): the
 * document is a resource generated at build time, which the native executable must carry.
 */
@QuarkusIntegrationTest
class PlatformEndpointsIT extends PlatformEndpointsTest {}
