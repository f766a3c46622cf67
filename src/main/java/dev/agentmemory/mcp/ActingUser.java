package dev.agentmemory.mcp;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.problem.InvalidInputException;
import dev.agentmemory.security.UserAccess;
import dev.agentmemory.validation.ValidId;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.regex.Pattern;

/**
 * The user a tool call acts for: the one its {@code userId} argument names, which the caller must be allowed to act
 * for ({@link UserAccess}, the REST API's rule), or, without the argument, the user of the caller's token. A caller
 * that may act for any user (an admin, an API key, anyone with authentication off) must name the user.
 */
@ApplicationScoped
public class ActingUser {

    /** The {@code userId} argument's description, shared by every tool. */
    static final String DESCRIPTION = "The user whose memory this is. Leave it out when the credentials are a user's"
            + " own token (the token names the user); required with an admin API key or token, or when the service"
            + " runs without authentication.";

    private final UserAccess access;
    private final Pattern ids;

    public ActingUser(UserAccess access, MemoryConfig config) {
        this.access = access;
        this.ids = Pattern.compile(config.ids().pattern());
    }

    /** The user to act for, once the caller is allowed to; fails like the REST API otherwise. */
    public Uni<String> of(String userId) {
        if (userId != null) {
            return access.authorize(userId).map(allowed -> valid("userId", userId));
        }
        return access.ownUser()
                .map(own -> valid(
                        "userId",
                        own.orElseThrow(() -> new InvalidInputException(
                                "userId", "is required: these credentials may act for any user"))));
    }

    /** The id, if it is one ({@code memory.ids.pattern}); fails naming the argument otherwise. */
    String valid(String argument, String id) {
        if (!ids.matcher(id).matches()) {
            throw new InvalidInputException(argument, ValidId.MESSAGE);
        }
        return id;
    }
}
