package dev.agentmemory.security;

import dev.agentmemory.config.MemoryConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * At start: with authentication on, the service refuses to start unless it can verify some credentials (a JWT
 * key, or API key digests); with it off, it says so loudly.
 */
@ApplicationScoped
public class AuthenticationCheck {

    private static final Logger LOG = Logger.getLogger(AuthenticationCheck.class);

    /** Where smallrye-jwt finds the key that verifies tokens: any one of these. */
    private static final List<String> JWT_KEYS =
            List.of("mp.jwt.verify.publickey.location", "mp.jwt.verify.publickey", "smallrye.jwt.verify.key.location");

    void onStart(@Observes StartupEvent start, MemoryConfig memory, ApiKeys apiKeys, Config config) {
        if (!memory.auth().enabled()) {
            LOG.warn("AUTHENTICATION IS OFF (memory.auth.enabled=false): anyone who can reach this service can read,"
                    + " change and erase the memories of every user. Turn it on with a JWT key or API key digests"
                    + " outside dev mode (docs/security.md).");
            return;
        }
        boolean jwt = JWT_KEYS.stream()
                .anyMatch(name -> config.getOptionalValue(name, String.class).isPresent());
        if (!jwt && apiKeys.isEmpty()) {
            throw new IllegalStateException("Authentication is on (memory.auth.enabled) but nothing to verify"
                    + " credentials with is configured: set MP_JWT_VERIFY_PUBLICKEY_LOCATION (a PEM, JWK or JWKS file or"
                    + " URL) and MP_JWT_VERIFY_ISSUER for bearer tokens, and/or MEMORY_AUTH_API_KEY_SHA256 (SHA-256 hex"
                    + " digests of API keys); or set MEMORY_AUTH_ENABLED=false to run without authentication"
                    + " deliberately.");
        }
        if (jwt && config.getOptionalValue("mp.jwt.verify.issuer", String.class).isEmpty()) {
            throw new IllegalStateException("A JWT verification key is configured but no issuer: set"
                    + " MP_JWT_VERIFY_ISSUER to the iss claim of the tokens to accept.");
        }
        LOG.infof(
                "Authentication on: %s%s",
                jwt
                        ? "bearer JWTs (user claim '" + memory.auth().userClaim() + "', admin group '"
                                + memory.auth().adminGroup() + "')"
                        : "",
                apiKeys.isEmpty() ? "" : (jwt ? " and " : "") + "API keys (X-API-Key)");
    }
}
