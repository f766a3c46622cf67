package dev.agentmemory.web;

import dev.agentmemory.security.UserAccess;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Runs {@link UserAccess} on every request that reached a resource, before its body is read or its input
 * validated: a path with a {@code {userId}} acts for that user; any other path is for admins only, so a resource
 * added later is closed until it names its user.
 */
public class UserAccessFilter {

    private final UserAccess access;

    public UserAccessFilter(UserAccess access) {
        this.access = access;
    }

    @ServerRequestFilter
    public Uni<Void> authorize(UriInfo uri) {
        String userId = uri.getPathParameters().getFirst("userId");
        return userId != null ? access.authorize(userId) : access.authorizeAdmin();
    }
}
