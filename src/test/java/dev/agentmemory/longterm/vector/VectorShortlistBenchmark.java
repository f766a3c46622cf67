package dev.agentmemory.longterm.vector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.bench.SyntheticFacts;
import dev.agentmemory.llm.Embeddings;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the sign-bit shortlist of {@link UserVectors} costs in recall, on real embeddings: {@code bench.memories}
 * (30,000) synthetic facts embedded with the configured model, then 300 synthetic queries; for each, the top 10 of
 * the exact int8 scan against the top 10 through the shortlist (the share of the exact top 10 it finds), and the
 * milliseconds of each scan. Sizes below {@link UserVectors#EXACT_UP_TO} are always scanned exactly; here the two
 * ways run side by side on the same vectors.
 *
 * <p>Not a unit test: {@code ./mvnw test -Pbench -Dtest=VectorShortlistBenchmark [-Dbench.memories=30000]}.
 */
@QuarkusTest
class VectorShortlistBenchmark {

    private static final int QUERIES = 300;
    private static final int TOP = 10;

    @Inject
    Embeddings embeddings;

    @Test
    void shortlistRecallAgainstTheExactScan() {
        assertThat(embeddings.ready()).as("an embedding model").isTrue();
        int memories = Integer.getInteger("bench.memories", 30_000);
        SyntheticFacts facts = new SyntheticFacts(7);
        Set<String> seen = new HashSet<>();
        List<String> texts = new ArrayList<>(memories);
        while (texts.size() < memories) {
            String text = facts.next().text();
            if (seen.add(text)) {
                texts.add(text);
            }
        }
        long start = System.nanoTime();
        List<float[]> vectors = new ArrayList<>(memories);
        for (int from = 0; from < memories; from += 256) {
            vectors.addAll(embeddings
                    .embedAll(texts.subList(from, Math.min(memories, from + 256)))
                    .await()
                    .atMost(Duration.ofMinutes(5)));
        }
        double embedSeconds = (System.nanoTime() - start) / 1e9;

        UserVectors exact = new UserVectors("m", "e", 1);
        for (int i = 0; i < memories; i++) {
            exact.apply("m" + i, VectorCodec.int8(vectors.get(i)), "1 0 fact");
        }
        double found = 0;
        long exactNanos = 0;
        long shortlistNanos = 0;
        for (int q = 0; q < QUERIES; q++) {
            float[] query = embeddings.embedQuery(facts.query()).await().atMost(Duration.ofSeconds(10));
            long t0 = System.nanoTime();
            List<VectorHit> all = exact.nearest(query, Set.of(), TOP, false);
            long t1 = System.nanoTime();
            List<VectorHit> shortlisted = exact.nearest(query, Set.of(), TOP, true);
            long t2 = System.nanoTime();
            if (q >= 20) { // after warm-up
                exactNanos += t1 - t0;
                shortlistNanos += t2 - t1;
            }
            Set<String> truth = new HashSet<>();
            all.forEach(h -> truth.add(h.id()));
            found += shortlisted.stream().filter(h -> truth.contains(h.id())).count() / (double) truth.size();
        }
        System.out.printf(
                Locale.ROOT,
                "%n=== Vector shortlist: %d memories embedded with %s in %.0f s ===%n"
                        + "recall@%d of the shortlist (%d) against the exact int8 scan: %.3f over %d queries%n"
                        + "ms per scan: exact %.2f, shortlist %.2f%n%n",
                memories,
                embeddings.modelId(),
                embedSeconds,
                TOP,
                Math.max(UserVectors.SHORTLIST, 50 * TOP),
                found / QUERIES,
                QUERIES,
                exactNanos / 1e6 / (QUERIES - 20),
                shortlistNanos / 1e6 / (QUERIES - 20));
    }
}
