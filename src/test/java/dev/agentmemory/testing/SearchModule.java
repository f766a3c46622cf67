package dev.agentmemory.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the Query Engine contract tests find a server with the search module: {@code REDIS_SEARCH_URL} (a
 * running Redis 8 / Redis Stack), or {@code REDIS_SEARCH_MODULE} (path of a search module the embedded test
 * server loads with {@code loadmodule}). With neither, those tests are skipped and say so.
 */
public final class SearchModule {

    private SearchModule() {}

    public static Optional<String> url() {
        return env("REDIS_SEARCH_URL");
    }

    public static Optional<Path> modulePath() {
        return env("REDIS_SEARCH_MODULE").map(Path::of).filter(Files::isReadable);
    }

    /** For {@code @EnabledIf}: a search-capable server can be had. */
    public static boolean available() {
        boolean available = url().isPresent() || modulePath().isPresent();
        if (!available) {
            System.out.println("[SKIPPED] Query Engine contract tests: set REDIS_SEARCH_URL (a Redis with the search"
                    + " module) or REDIS_SEARCH_MODULE (a module path for the embedded test server) to run them");
        }
        return available;
    }

    private static Optional<String> env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
