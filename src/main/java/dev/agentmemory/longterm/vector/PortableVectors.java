package dev.agentmemory.longterm.vector;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.redis.LuaScript;
import dev.agentmemory.redis.Pipeline;
import dev.agentmemory.redis.Query;
import dev.agentmemory.redis.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Vector search for the portable backend (any Redis, no module): exact, in the service, over a cache of the user's
 * vectors that Redis keeps honest. The vectors live in the user's slot ({@code idx:{user}:v}, written with the
 * memory by {@code memory-write.lua}); a search sends {@link #syncQuery} in the round trip it makes anyway (the
 * lexical search's), which answers "current", the few vectors changed since the cache's version, or, for a user the
 * service does not hold yet, the whole set (up to {@code memory.embedding.load-page} vectors; a larger one is read
 * in pages of that many). The scan then runs over int8 codes in memory: every vector, every time, for a user with up
 * to 20,000 of them; above, a sign-bit shortlist first (see {@link UserVectors}).
 *
 * <p>What a search reads from Redis: one small script reply when nothing changed; the changed vectors (388 bytes
 * each at 384 dimensions) otherwise; the whole set on a cold start. What the service keeps: about 420 bytes per
 * vector plus the id, within {@code memory.embedding.cache-size}. Because every search first asks the primary for
 * the user's epoch and version, a forgotten user's vectors, a deleted memory or an older text are never used: the
 * epoch changes when the vector space starts again (a forget deletes it, a new model restarts it), the version with
 * every change.
 */
@ApplicationScoped
public class PortableVectors {

    private static final LuaScript SYNC = LuaScript.load("vector-sync");
    private static final LuaScript PAGE = LuaScript.load("vector-page");

    private final ReactiveRedisDataSource redis;
    private final VectorCache cache;
    private final int loadPage;

    public PortableVectors(ReactiveRedisDataSource redis, VectorCache cache, MemoryConfig config) {
        this.redis = redis;
        this.cache = cache;
        this.loadPage = config.embedding().loadPage();
    }

    /** Brings this service's copy of the user's vectors up to date: the first half of a search. */
    public Query<VectorSync> syncQuery(String userId) {
        UserVectors held = cache.get(userId);
        return sync(userId, held == null ? "" : held.epoch(), held == null ? 0 : held.version());
    }

    private Query<VectorSync> sync(String userId, String epoch, long version) {
        return Query.script(
                SYNC,
                List.of(
                        RedisKeys.indexVectorState(userId),
                        RedisKeys.indexVectorLog(userId),
                        RedisKeys.indexVectors(userId),
                        RedisKeys.indexMeta(userId)),
                List.of(epoch, Long.toString(version), Integer.toString(loadPage)),
                VectorSync::read);
    }

    /**
     * The {@code n} memories nearest the query among the given kinds, once the sync's answer is applied, then the
     * cosines of the memories {@code also} names outside those; none when the user's vectors are of another model
     * than {@code model} (a switch the backfill has not finished).
     */
    public Uni<List<VectorHit>> nearest(
            String userId,
            VectorSync sync,
            String model,
            float[] query,
            Set<String> kinds,
            int n,
            Collection<String> also) {
        return current(userId, sync, true).map(held -> {
            if (held == null || !held.model().equals(model)) {
                return List.<VectorHit>of();
            }
            List<VectorHit> hits = new ArrayList<>(held.nearest(query, kinds, n));
            Set<String> found = new HashSet<>();
            hits.forEach(h -> found.add(h.id()));
            hits.addAll(held.cosines(
                    query, also.stream().filter(id -> !found.contains(id)).toList()));
            return hits;
        });
    }

    /** Forgets what this service holds of the user (its Redis keys go with the portable index's). */
    public void evict(String userId) {
        cache.remove(userId);
    }

    private Uni<UserVectors> current(String userId, VectorSync sync, boolean mayAskAgain) {
        if (!sync.exists()) {
            cache.remove(userId);
            return Uni.createFrom().nullItem();
        }
        UserVectors held = cache.get(userId);
        boolean sameSpace = held != null && held.epoch().equals(sync.epoch());
        switch (sync.mode()) {
            case "same", "delta" -> {
                if (!sameSpace) {
                    // Dropped from the cache since the sync was sent: ask again, for everything.
                    return mayAskAgain
                            ? Pipeline.run(redis, sync(userId, "", 0)).chain(again -> current(userId, again, false))
                            : Uni.createFrom().nullItem();
                }
                if (held.version() < sync.version()) {
                    held.catchUp(sync.changes(), sync.version());
                    cache.resized(userId);
                }
                return Uni.createFrom().item(held);
            }
            case "all" -> {
                UserVectors fresh = new UserVectors(sync.model(), sync.epoch(), sync.version());
                sync.changes().forEach(c -> fresh.apply(c.id(), c.vector(), c.meta()));
                cache.put(userId, fresh);
                return Uni.createFrom().item(fresh);
            }
            default -> {
                return load(userId, sync);
            }
        }
    }

    /**
     * Reads a large set of vectors in pages. The version is the sync's, noted before the first page: a change made
     * while the pages are read is seen by a page or replayed by the next sync, so none is lost.
     */
    private Uni<UserVectors> load(String userId, VectorSync sync) {
        UserVectors fresh = new UserVectors(sync.model(), sync.epoch(), sync.version());
        return page(userId, "0", fresh).replaceWith(fresh).invoke(loaded -> cache.put(userId, loaded));
    }

    private Uni<Void> page(String userId, String cursor, UserVectors into) {
        return PAGE.run(
                        redis,
                        List.of(RedisKeys.indexVectors(userId), RedisKeys.indexMeta(userId)),
                        List.of(cursor, Integer.toString(loadPage)))
                .chain(reply -> {
                    VectorSync.changes(reply, 1).forEach(c -> into.apply(c.id(), c.vector(), c.meta()));
                    String next = reply.get(0).toString();
                    return Objects.equals(next, "0") ? Uni.createFrom().voidItem() : page(userId, next, into);
                });
    }
}
