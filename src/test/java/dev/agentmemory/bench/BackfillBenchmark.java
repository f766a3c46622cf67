package dev.agentmemory.bench;

import dev.agentmemory.llm.Embeddings;
import dev.agentmemory.longterm.Dedupe;
import dev.agentmemory.longterm.MemoryService;
import dev.agentmemory.longterm.VectorBackfill;
import dev.agentmemory.longterm.index.MemoryIndex;
import dev.agentmemory.longterm.index.MemoryRecord;
import dev.agentmemory.longterm.index.SearchBackend;
import dev.agentmemory.longterm.index.TextAnalyzer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The vector backfill's pace, and what recall costs while it runs: {@code bench.backfill.memories} (2000) memories
 * of {@code bench.backfill.users} (20) users are written without vectors (as before an upgrade), then one pass gives
 * them vectors, while a recall loop runs for another user (hybrid: the query is embedded on the same model threads
 * the pass uses). Prints memories per second, and recall p50/p99 before and during the pass.
 *
 * <p>Not a unit test: it runs only with {@code ./mvnw test -Pbench -Dtest=BackfillBenchmark}.
 */
@QuarkusTest
class BackfillBenchmark {

    private static final long SEED = 7;
    private static final int WARM_UP = 200;
    private static final int RECALLS_BEFORE = 200;
    private static final int LIMIT = 10;

    private final java.util.Random ids = new java.util.Random(SEED);

    @Inject
    VectorBackfill backfill;

    @Inject
    MemoryService memories;

    @Inject
    SearchBackend backend;

    @Inject
    TextAnalyzer analyzer;

    @Inject
    Embeddings embeddings;

    @Test
    void paceAndRecallWhileItRuns() {
        int total = Integer.getInteger("bench.backfill.memories", 2000);
        int users = Integer.getInteger("bench.backfill.users", 20);
        MemoryIndex index = backend.index().await().indefinitely();
        SyntheticFacts facts = new SyntheticFacts(SEED);
        String reader = "bench-backfill-reader";
        memories.forgetUser(reader).await().indefinitely();
        for (int i = 0; i < 200; i++) {
            SyntheticFacts.Fact fact = facts.next();
            memories.remember(reader, fact.text(), fact.kind(), null, "bench")
                    .await()
                    .indefinitely();
        }
        List<String> owners = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            owners.add("bench-backfill-" + u);
            memories.forgetUser(owners.get(u)).await().indefinitely();
        }
        backfill.run().await().indefinitely(); // whatever other runs left: this pass starts from nothing
        int written = 0;
        for (int i = 0; written < total; i++) {
            SyntheticFacts.Fact fact = facts.next();
            if (store(index, owners.get(i % users), fact)) {
                written++;
            }
        }

        recalls(facts, reader, WARM_UP, null);
        long[] before = recalls(facts, reader, RECALLS_BEFORE, null);
        long start = System.nanoTime();
        CompletableFuture<VectorBackfill.Pass> pass =
                backfill.run().subscribeAsCompletionStage().toCompletableFuture();
        long[] during = recalls(facts, reader, Integer.MAX_VALUE, pass);
        VectorBackfill.Pass done = pass.join();
        double seconds = (System.nanoTime() - start) / 1e9;

        System.out.printf(
                Locale.ROOT,
                "%nVector backfill (%s, %s, %d cores): %d memories of %d users in %.1f s = %.0f memories/s%n"
                        + "recall (hybrid, direct) before the pass: p50 %.2f ms, p99 %.2f ms (%d recalls)%n"
                        + "recall (hybrid, direct) during the pass: p50 %.2f ms, p99 %.2f ms (%d recalls)%n",
                embeddings.modelId(),
                index.name(),
                Runtime.getRuntime().availableProcessors(),
                done.vectors(),
                done.users(),
                seconds,
                done.vectors() / seconds,
                percentile(before, 50),
                percentile(before, 99),
                before.length,
                percentile(during, 50),
                percentile(during, 99),
                during.length);
        owners.forEach(owner -> memories.forgetUser(owner).await().indefinitely());
        memories.forgetUser(reader).await().indefinitely();
    }

    /** Recall times in nanoseconds: {@code count} of them, or as many as fit until {@code until} completes. */
    private long[] recalls(SyntheticFacts facts, String user, int count, CompletableFuture<?> until) {
        List<Long> times = new ArrayList<>();
        while (times.size() < count && (until == null || !until.isDone())) {
            String query = facts.query();
            long start = System.nanoTime();
            memories.recall(user, query, Set.of(), LIMIT).await().atMost(Duration.ofSeconds(30));
            times.add(System.nanoTime() - start);
        }
        return times.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private boolean store(MemoryIndex index, String user, SyntheticFacts.Fact fact) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String memoryId = HexFormat.of().toHexDigits(ids.nextLong());
        MemoryRecord record = new MemoryRecord(
                user,
                memoryId,
                fact.text(),
                fact.kind(),
                now,
                now,
                "bench",
                Dedupe.contentHash(fact.text()),
                analyzer.terms(fact.text()));
        return index.store(record).await().indefinitely().created();
    }
}
