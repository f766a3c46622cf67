package dev.agentmemory.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Runs the application on the portable backend. */
public class PortableProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("memory.index.backend", "portable");
    }
}
