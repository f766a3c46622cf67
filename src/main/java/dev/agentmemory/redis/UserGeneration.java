package dev.agentmemory.redis;

import dev.agentmemory.config.MemoryConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * Makes forgetting a user final. Each user has a <em>generation</em> ({@code gen:{user}}), a random token. A chat turn
 * reads it (making it if needed) in the round trip that prepares the turn; the exchange it saves, the extraction job
 * saved with it and the facts that job yields carry the token, and the scripts that write them
 * ({@code session-append.lua}, {@code memory-write.lua}) refuse, atomically, when the user's generation is no longer
 * that token. A forget first sets the generation to {@value #FORGETTING}, which every write refuses, deletes the
 * user's data, and then deletes the generation: a turn in flight, a pending or running job, a retried one, all hold
 * a token that no longer exists, and no key of the user is left.
 */
@ApplicationScoped
public class UserGeneration {

    /** The generation while the user is being forgotten. */
    public static final String FORGETTING = "forgetting";

    /** The no-generation of a write begun now (an API call): refused only while the user is being forgotten. */
    public static final String NOW = "";

    /** The error a write script answers when it refuses. */
    private static final String REFUSED = "ERASED";

    private static final LuaScript CURRENT = LuaScript.load("user-generation");
    private static final LuaScript END_FORGET = LuaScript.load("user-forget-end");

    /** Per instance, not static: a native executable must not carry a seed fixed at build time. */
    private final SecureRandom random = new SecureRandom();

    private final ReactiveRedisDataSource redis;
    private final Duration forgetTimeout;

    public UserGeneration(ReactiveRedisDataSource redis, MemoryConfig config) {
        this.redis = redis;
        this.forgetTimeout = config.longTerm().forgetTimeout();
    }

    /** The user's generation, made if the user has none; {@value #FORGETTING} while the user is being forgotten. */
    public Query<String> currentQuery(String userId) {
        return Query.script(
                CURRENT, List.of(RedisKeys.generation(userId)), List.of(newToken()), reply -> reply.toString());
    }

    /** The first step of a forget: from now on every write for the user is refused. */
    public Uni<Void> beginForget(String userId) {
        return redis.value(String.class)
                .set(RedisKeys.generation(userId), FORGETTING, new SetArgs().px(forgetTimeout))
                .replaceWithVoid();
    }

    /** The last step of a forget: the user's generation goes, and with it the last key of the user. */
    public Uni<Void> endForget(String userId) {
        return END_FORGET
                .run(redis, List.of(RedisKeys.generation(userId)), List.of())
                .replaceWithVoid();
    }

    /** True for the refusal of a write script; see {@link UserErasedException}. */
    public static boolean isRefusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith(REFUSED)) {
                return true;
            }
        }
        return false;
    }

    /** For {@code .onFailure(UserGeneration::isRefusal).transform(UserGeneration::erased)}. */
    public static Throwable erased(Throwable failure) {
        return new UserErasedException();
    }

    private String newToken() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
