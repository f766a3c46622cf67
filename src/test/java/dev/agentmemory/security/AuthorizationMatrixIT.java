package dev.agentmemory.security;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The authorization matrix against the packaged application, whose production profile has authentication on. */
@QuarkusIntegrationTest
class AuthorizationMatrixIT extends AuthorizationMatrixTest {}
