package dev.agentmemory.longterm.vector;

import dev.agentmemory.config.MemoryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The users' vectors this service keeps (portable backend), least recently used first out once they take more than
 * {@code memory.embedding.cache-size}. Nothing in here is trusted without asking Redis: every search first checks
 * the user's epoch and version there ({@code vector-sync.lua}), in the round trip it makes anyway.
 */
@ApplicationScoped
public class VectorCache {

    private final long budget;
    private final Map<String, UserVectors> users = new LinkedHashMap<>(64, 0.75f, true);

    public VectorCache(MemoryConfig config) {
        this.budget = config.embedding().cacheSize().asLongValue();
    }

    synchronized UserVectors get(String userId) {
        return users.get(userId);
    }

    /** Keeps the user's vectors, then drops the least recently used users beyond the budget (never this one). */
    synchronized void put(String userId, UserVectors vectors) {
        users.put(userId, vectors);
        trim(userId);
    }

    synchronized void remove(String userId) {
        users.remove(userId);
    }

    /** After a user's vectors changed in size. */
    synchronized void resized(String userId) {
        trim(userId);
    }

    /** Bytes held now. */
    synchronized long bytes() {
        return users.values().stream().mapToLong(UserVectors::bytes).sum();
    }

    private void trim(String keep) {
        long total = bytes();
        Iterator<Map.Entry<String, UserVectors>> eldest = users.entrySet().iterator();
        while (total > budget && eldest.hasNext()) {
            Map.Entry<String, UserVectors> entry = eldest.next();
            if (!entry.getKey().equals(keep)) {
                total -= entry.getValue().bytes();
                eldest.remove();
            }
        }
    }
}
