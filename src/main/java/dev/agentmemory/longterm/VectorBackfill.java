package dev.agentmemory.longterm;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.llm.Embeddings;
import dev.agentmemory.longterm.index.MemoryIndex;
import dev.agentmemory.longterm.index.SearchBackend;
import dev.agentmemory.longterm.vector.Embedded;
import dev.agentmemory.longterm.vector.VectorBacklog;
import dev.agentmemory.redis.Masters;
import dev.agentmemory.redis.RedisKeys;
import dev.agentmemory.redis.UserErasedException;
import dev.agentmemory.redis.UserGeneration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Gives a vector of the current model to the memories that have none: memories stored before vectors existed, while
 * {@code memory.embedding.provider} was {@code none}, while the model was loading or had failed to, or by another
 * model (after a switch of model or dimension, the portable index drops the old vectors at the first new one, and
 * the Query Engine searches the new model's field only, so vectors of two models are never compared).
 *
 * <p>A pass scans every master for users' content-hash maps ({@code idx:{*}:hash}, one per user with memories), asks
 * each user's index for the memories without a vector of the model ({@code vector-backlog.lua}), embeds them in
 * pages ({@code backfill-page} texts per call of the model) and writes each vector through {@code memory-write.lua},
 * which checks that the memory still exists with the text that was embedded and that the user was not forgotten
 * meanwhile: a memory deleted, updated or forgotten during the pass is never brought back nor given a stale vector.
 * Progress is the data itself, so a pass that stops (restart, outage) is resumed by the next one, and recall keeps
 * answering throughout (lexically for the memories still without a vector).
 *
 * <p>It runs in the background once the model is ready, then every {@code backfill-interval}, on one replica at a
 * time: the first to set the model's lease ({@code {vectors}:backfill:<model>}, for an interval) runs the pass. The
 * memories a replica stored without a vector while its own model was loading get theirs as soon as it is ready, from
 * that replica, without waiting for a pass.
 */
@ApplicationScoped
public class VectorBackfill {

    private static final Logger LOG = Logger.getLogger(VectorBackfill.class);

    /** Keys looked at per SCAN step: a step stays well under a millisecond of the node's time. */
    private static final int SCAN_COUNT = 1000;

    /**
     * A user's memories looked at per {@code vector-backlog.lua} call (a few reads each): a call stays around a
     * millisecond of the node's time, and a user whose memories all have vectors costs few calls per pass.
     */
    private static final int BACKLOG_COUNT = 256;

    /** Most users noted while the model loads; beyond, their memories wait for a pass. */
    private static final int NOTED_USERS_MAX = 10_000;

    private final SearchBackend backend;
    private final Embeddings embeddings;
    private final Masters masters;
    private final ReactiveRedisDataSource redis;
    private final MemoryConfig.Embedding config;
    private final Counter backfilled;
    /** Users this replica stored memories without a vector for before its model was ready. */
    private final Set<String> noted = ConcurrentHashMap.newKeySet();

    private volatile Cancellable loop;

    public VectorBackfill(
            SearchBackend backend,
            Embeddings embeddings,
            Masters masters,
            ReactiveRedisDataSource redis,
            MemoryConfig config,
            MeterRegistry registry) {
        this.backend = backend;
        this.embeddings = embeddings;
        this.masters = masters;
        this.redis = redis;
        this.config = config.embedding();
        if (!(this.config.backfillShare() > 0 && this.config.backfillShare() <= 1)) {
            throw new IllegalArgumentException("memory.embedding.backfill-share must be above 0 and at most 1, not "
                    + this.config.backfillShare());
        }
        if (this.config.backfillPage() < 1) {
            throw new IllegalArgumentException(
                    "memory.embedding.backfill-page must be at least 1, not " + this.config.backfillPage());
        }
        this.backfilled = Counter.builder("memory.embedding.backfill.vectors")
                .description("Vectors given to memories stored without one of the current model")
                .register(registry);
    }

    /**
     * What a pass did.
     *
     * @param users users that had memories without a vector
     * @param vectors vectors written
     * @param skipped memories deleted, updated or forgotten between their embedding and its write
     */
    public record Pass(int users, long vectors, long skipped) {

        static final Pass NONE = new Pass(0, 0, 0);
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.backfillEnabled() || config.provider() == MemoryConfig.Embedding.Provider.NONE) {
            return;
        }
        loop = embeddings
                .whenReady()
                .call(this::backfillNoted)
                .onItem()
                .transformToMulti(model -> Multi.createBy()
                        .repeating()
                        .uni(() -> runIfLeased(model))
                        .withDelay(config.backfillInterval())
                        .indefinitely())
                .subscribe()
                .with(pass -> {}, failure -> LOG.error("The vector backfill loop ended", failure));
    }

    void onStop(@Observes ShutdownEvent event) {
        Cancellable running = loop;
        if (running != null) {
            running.cancel();
        }
    }

    /**
     * Notes that this replica stored (or re-wrote) a memory of the user without a vector, while its model was not
     * ready: the user's memories get their vectors as soon as it is, rather than at the next pass. Once the model is
     * ready (a memory embedded before it was), at once.
     */
    public void storedWithoutVector(String userId) {
        if (!config.backfillEnabled() || config.provider() == MemoryConfig.Embedding.Provider.NONE) {
            return;
        }
        if (noted.size() < NOTED_USERS_MAX) {
            noted.add(userId);
        }
        if (embeddings.ready()) {
            backfillNoted().subscribe().with(ignored -> {});
        }
    }

    /** The noted users' memories without a vector, now, whatever the lease; never fails (it logs). */
    private Uni<Void> backfillNoted() {
        String model = embeddings.modelId();
        if (noted.isEmpty() || model == null) {
            return Uni.createFrom().voidItem();
        }
        List<String> users = new ArrayList<>(noted);
        users.forEach(noted::remove);
        Tally tally = new Tally();
        return backend.index()
                .chain(index -> Multi.createFrom()
                        .iterable(users)
                        .onItem()
                        .transformToUniAndConcatenate(user -> backfillUser(index, model, user, tally))
                        .collect()
                        .last())
                .invoke(() -> LOG.infof(
                        "Vector backfill (%s) of the memories stored before the model was ready: %d vectors for %d"
                                + " users",
                        model, tally.vectors, users.size()))
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.warnf(
                            "Vector backfill of %d users stopped (%s); the next pass resumes it",
                            users.size(), failure.getMessage());
                    return null;
                })
                .replaceWithVoid();
    }

    /** A pass unless another replica ran one for this model within the interval; never fails (it logs). */
    private Uni<Pass> runIfLeased(String model) {
        return redis.execute(
                        "SET",
                        RedisKeys.vectorBackfill(digest(model)),
                        "1",
                        "NX",
                        "PX",
                        Long.toString(config.backfillInterval().toMillis()))
                .chain(won -> won == null ? Uni.createFrom().item(Pass.NONE) : run())
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.warnf(
                            "Vector backfill stopped (%s); the next pass, in %s, resumes it",
                            failure.getMessage(), config.backfillInterval());
                    return Pass.NONE;
                });
    }

    /**
     * One whole pass now, whatever the lease: every memory without a vector of the current model gets one (nothing
     * happens while no model is ready).
     */
    public Uni<Pass> run() {
        String model = embeddings.modelId();
        if (model == null) {
            return Uni.createFrom().item(Pass.NONE);
        }
        long start = System.nanoTime();
        Tally tally = new Tally();
        return backend.index()
                .chain(index -> masters.scan(RedisKeys.CONTENT_HASHES_PATTERN, "hash", SCAN_COUNT)
                        .onItem()
                        .transformToIterable(keys -> keys)
                        .map(RedisKeys::userOfContentHashes)
                        .filter(user -> user != null)
                        .onItem()
                        .transformToUniAndConcatenate(user -> backfillUser(index, model, user, tally))
                        .collect()
                        .last())
                .map(ignored -> {
                    Pass pass = new Pass(tally.users, tally.vectors, tally.skipped);
                    LOG.infof(
                            "Vector backfill (%s): %d memories of %d users given a vector, %d skipped (deleted,"
                                    + " changed or forgotten meanwhile), in %d ms",
                            model,
                            pass.vectors(),
                            pass.users(),
                            pass.skipped(),
                            (System.nanoTime() - start) / 1_000_000);
                    return pass;
                });
    }

    /** Walks the user's backlog page by page to its end, or until the user turns out to be being forgotten. */
    private Uni<Void> backfillUser(MemoryIndex index, String model, String user, Tally tally) {
        String[] cursor = {"0"};
        boolean[] counted = {false};
        return Multi.createBy()
                .repeating()
                .uni(() -> index.vectorBacklog(user, model, cursor[0], BACKLOG_COUNT)
                        .call(backlog -> {
                            cursor[0] = backlog.cursor();
                            if (backlog.memories().isEmpty() || isForgetting(backlog)) {
                                return Uni.createFrom().voidItem();
                            }
                            if (!counted[0]) {
                                counted[0] = true;
                                tally.users++;
                            }
                            return embedAndWrite(index, model, user, backlog, tally);
                        }))
                .whilst(backlog -> !backlog.last() && !isForgetting(backlog))
                .collect()
                .last()
                .replaceWithVoid();
    }

    private static boolean isForgetting(VectorBacklog backlog) {
        return UserGeneration.FORGETTING.equals(backlog.generation());
    }

    /** The page's memories, embedded {@code backfill-page} at a time, each vector written as soon as it is made. */
    private Uni<Void> embedAndWrite(MemoryIndex index, String model, String user, VectorBacklog backlog, Tally tally) {
        List<List<VectorBacklog.Pending>> chunks = new ArrayList<>();
        List<VectorBacklog.Pending> all = backlog.memories();
        for (int i = 0; i < all.size(); i += config.backfillPage()) {
            chunks.add(all.subList(i, Math.min(all.size(), i + config.backfillPage())));
        }
        return Multi.createFrom()
                .iterable(chunks)
                .onItem()
                .transformToUniAndConcatenate(chunk -> {
                    long start = System.nanoTime();
                    return embeddings
                            .embedAll(chunk.stream()
                                    .map(VectorBacklog.Pending::text)
                                    .toList())
                            .chain(vectors -> write(index, model, user, backlog.generation(), chunk, vectors, tally))
                            .chain(() -> yieldAfter(System.nanoTime() - start));
                })
                .collect()
                .last()
                .replaceWithVoid();
    }

    /**
     * The wait after a page that took {@code nanos}, so that the backfill takes at most {@code backfill-share} of the
     * time while it runs: the model (which spreads one call over the cores) is left to recalls for the rest.
     */
    private Uni<Void> yieldAfter(long nanos) {
        double share = config.backfillShare();
        Duration wait = Duration.ofNanos(share >= 1 ? 0 : (long) (nanos * (1 - share) / share));
        if (wait.toMillis() < 1) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().voidItem().onItem().delayIt().by(wait);
    }

    private Uni<Void> write(
            MemoryIndex index,
            String model,
            String user,
            String generation,
            List<VectorBacklog.Pending> chunk,
            List<float[]> vectors,
            Tally tally) {
        if (vectors == null || !model.equals(embeddings.modelId())) {
            return Uni.createFrom().voidItem(); // no model any more: the next pass resumes
        }
        List<Integer> positions = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            positions.add(i);
        }
        return Multi.createFrom()
                .iterable(positions)
                .onItem()
                .transformToUniAndConcatenate(i -> {
                    VectorBacklog.Pending memory = chunk.get(i);
                    return index.addVector(
                                    user, memory.id(), memory.text(), generation, new Embedded(vectors.get(i), model))
                            .onFailure(UserErasedException.class)
                            .recoverWithItem(false)
                            .invoke(written -> {
                                if (written) {
                                    tally.vectors++;
                                    backfilled.increment();
                                } else {
                                    tally.skipped++;
                                }
                            });
                })
                .collect()
                .last()
                .replaceWithVoid();
    }

    /** Twelve hex digits of the model id's SHA-256, for a key that needs no escaping. */
    private static String digest(String model) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(model.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts of one pass; touched by one pass only, one step at a time. */
    private static final class Tally {
        int users;
        long vectors;
        long skipped;
    }
}
