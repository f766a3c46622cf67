package dev.agentmemory.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Every tunable of the service, under the {@code memory.} prefix. */
@ConfigMapping(prefix = "memory")
public interface MemoryConfig {

    /** Working memory: the recent messages of one session. */
    Session session();

    /** Rules for the user and session ids that appear in paths, keys and queries. */
    Ids ids();

    /** How the service talks about its Redis dependency to clients. */
    Store store();

    interface Session {
        /** How long a session lives after its last append; every append starts the clock again. */
        @WithDefault("1h")
        Duration ttl();

        /** Most recent messages kept per session; an append trims older ones in the same atomic step. */
        @WithDefault("20")
        int historyCap();

        /** Largest accepted message content, in characters. */
        @WithDefault("32000")
        int maxMessageChars();

        /** Most messages accepted by one append request. */
        @WithDefault("100")
        int maxMessagesPerAppend();
    }

    interface Ids {
        /**
         * Regular expression a user or session id must match. Ids end up inside Redis keys (the user id is the
         * hash tag) and inside search queries, so the default admits no braces, colons, spaces or query syntax.
         */
        @WithDefault("[A-Za-z0-9._@-]{1,128}")
        String pattern();
    }

    interface Store {
        /** {@code Retry-After} sent with a 503 when Redis cannot be reached. */
        @WithDefault("2s")
        Duration retryAfter();
    }
}
