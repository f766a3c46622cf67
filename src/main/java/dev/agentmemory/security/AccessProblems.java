package dev.agentmemory.security;

import dev.agentmemory.problem.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import jakarta.ws.rs.core.Response;

/**
 * The problems every interface answers when {@link UserAccess} refuses a caller: 401 without valid credentials
 * (with the {@link #CHALLENGE}), 403 for credentials that may not act for the user. Neither says whether the
 * user exists: the check runs before anything of the user is read.
 */
public final class AccessProblems {

    /** The {@code WWW-Authenticate} challenge sent with every 401. */
    public static final String CHALLENGE = "Bearer realm=\"agent-memory\"";

    private AccessProblems() {}

    /** No credentials at all. */
    public static Problem missing() {
        return Problem.of(
                Response.Status.UNAUTHORIZED,
                "unauthorized",
                "Credentials are required: a bearer token (Authorization header) or an API key (X-API-Key header)");
    }

    /** Credentials that could not be verified: a bad signature, another issuer, an expired token, an unknown key. */
    public static Problem invalid() {
        return Problem.of(Response.Status.UNAUTHORIZED, "unauthorized", "The credentials are not valid");
    }

    /** Valid credentials of someone who may not act for this user. */
    public static Problem forbidden() {
        return Problem.of(Response.Status.FORBIDDEN, "forbidden", "These credentials may not act for this user");
    }

    /** The problem for a refusal of {@link UserAccess}; null for any other failure. */
    public static Problem of(Throwable failure) {
        if (failure instanceof AuthenticationFailedException) {
            return invalid();
        }
        if (failure instanceof io.quarkus.security.UnauthorizedException) {
            return missing();
        }
        if (failure instanceof ForbiddenException) {
            return forbidden();
        }
        return null;
    }
}
