package dev.agentmemory.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Runs the application on the Query Engine backend, against a server with the search module. */
public class QueryEngineProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("memory.index.backend", "query-engine");
    }
}
