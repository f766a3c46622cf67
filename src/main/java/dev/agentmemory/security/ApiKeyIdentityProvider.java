package dev.agentmemory.security;

import dev.agentmemory.config.MemoryConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns a valid API key into an identity that may act for any user: its principal names the key by its index in
 * {@code memory.auth.api-key-sha256} (never by the key), and it carries the admin group as a role.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    private final ApiKeys keys;
    private final String adminGroup;

    public ApiKeyIdentityProvider(ApiKeys keys, MemoryConfig config) {
        this.keys = keys;
        this.adminGroup = config.auth().adminGroup();
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        int index = keys.indexOf(request.key());
        if (index < 0) {
            return Uni.createFrom().failure(new AuthenticationFailedException("Unknown API key"));
        }
        return Uni.createFrom()
                .item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal("api-key-" + (index + 1)))
                        .addRole(adminGroup)
                        .build());
    }
}
