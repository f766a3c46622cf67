package dev.agentmemory.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API key as sent in the {@code X-API-Key} header, to be checked by {@link ApiKeyIdentityProvider}. */
public final class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final String key;

    public ApiKeyAuthenticationRequest(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
