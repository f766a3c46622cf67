package dev.agentmemory.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The application talks to the embedded Redis through a {@link GatedRedisProxy}. */
public class ProxiedRedisProfile implements QuarkusTestProfile {}
