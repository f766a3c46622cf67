package dev.agentmemory.security;

import dev.agentmemory.config.MemoryConfig;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who may act for which user: the one check every interface (REST, SSE, MCP) runs before it touches a user's
 * data. A caller may act for a user when its bearer JWT names that user (claim {@code memory.auth.user-claim},
 * {@code sub} by default), or when it is an admin: a JWT in the group {@code memory.auth.admin-group}, or a valid
 * API key. Otherwise it fails with {@link UnauthorizedException} (no credentials, 401),
 * {@link io.quarkus.security.AuthenticationFailedException} (credentials that do not verify, 401) or
 * {@link ForbiddenException} (another user, 403); {@link AccessProblems} has the problem for each. With
 * {@code memory.auth.enabled=false} everyone may act for everyone.
 */
@ApplicationScoped
public class UserAccess {

    private static final Uni<Void> ALLOWED = Uni.createFrom().voidItem();
    private static final Uni<Optional<String>> NO_OWN_USER = Uni.createFrom().item(Optional.empty());

    private final CurrentIdentityAssociation identities;
    private final boolean enabled;
    private final String userClaim;
    private final String adminGroup;

    public UserAccess(CurrentIdentityAssociation identities, MemoryConfig config) {
        this.identities = identities;
        this.enabled = config.auth().enabled();
        this.userClaim = config.auth().userClaim();
        this.adminGroup = config.auth().adminGroup();
    }

    /** Allows the caller of the current request to act for the user, or fails as described above. */
    public Uni<Void> authorize(String userId) {
        if (!enabled) {
            return ALLOWED;
        }
        return identities
                .getDeferredIdentity()
                .invoke(identity -> authorize(identity, userId))
                .replaceWithVoid();
    }

    /** Allows only an admin caller (for requests that name no user), or fails as described above. */
    public Uni<Void> authorizeAdmin() {
        if (!enabled) {
            return ALLOWED;
        }
        return identities
                .getDeferredIdentity()
                .invoke(identity -> {
                    requireCredentials(identity);
                    if (!isAdmin(identity)) {
                        throw new ForbiddenException();
                    }
                })
                .replaceWithVoid();
    }

    /**
     * The user the caller acts for when it names none: the user its token names. Empty for a caller that may act for
     * any user (an admin, an API key, or anyone with authentication off), which must name the user. Fails as
     * described above without valid credentials, or with a token that names no user.
     */
    public Uni<Optional<String>> ownUser() {
        if (!enabled) {
            return NO_OWN_USER;
        }
        return identities.getDeferredIdentity().map(identity -> {
            requireCredentials(identity);
            if (isAdmin(identity)) {
                return Optional.empty();
            }
            String own = actsFor(identity);
            if (own == null) {
                throw new ForbiddenException(); // a token that names no user may act for none
            }
            return Optional.of(own);
        });
    }

    /**
     * Allows any caller with valid credentials, whoever it may act for: for an interface whose requests name their user
     * later (an MCP request, whose tools each run {@link #authorize(String)}). Fails as described above.
     */
    public void authenticated(SecurityIdentity identity) {
        if (enabled) {
            requireCredentials(identity);
        }
    }

    /** The decision itself, for an interface that has the caller's identity at hand. */
    public void authorize(SecurityIdentity identity, String userId) {
        if (!enabled) {
            return;
        }
        requireCredentials(identity);
        if (!isAdmin(identity) && !userId.equals(actsFor(identity))) {
            throw new ForbiddenException();
        }
    }

    private static void requireCredentials(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            throw new UnauthorizedException();
        }
    }

    private boolean isAdmin(SecurityIdentity identity) {
        return identity.hasRole(adminGroup);
    }

    /** The user a token may act for, or null when it names none. */
    private String actsFor(SecurityIdentity identity) {
        if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
            return null;
        }
        Object claim = token.getClaim(userClaim);
        if (claim instanceof JsonString json) {
            return json.getString();
        }
        return claim instanceof String text ? text : null;
    }
}
