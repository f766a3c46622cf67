package dev.agentmemory.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Authentication on, as in production, with the credentials of {@link TestCredentials}. */
public class AuthProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("memory.auth.enabled", "true");
    }
}
