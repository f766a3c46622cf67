package dev.agentmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.llm.Embeddings;
import dev.agentmemory.longterm.Memory;
import dev.agentmemory.longterm.MemoryService;
import dev.agentmemory.longterm.Remembered;
import dev.agentmemory.longterm.index.MemoryIndex;
import dev.agentmemory.longterm.index.Recency;
import dev.agentmemory.longterm.index.SearchBackend;
import dev.agentmemory.longterm.index.TextAnalyzer;
import dev.agentmemory.longterm.vector.Embedded;
import dev.agentmemory.longterm.vector.VectorHit;
import dev.agentmemory.longterm.vector.VectorSync;
import dev.agentmemory.redis.Pipeline;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Recall quality on LoCoMo (see {@code /work/shared/eval/README.md}): every observation of a conversation is
 * remembered as one long-term memory of one user through {@link MemoryService#remember} (so dedupe runs), then
 * every question of categories 1–4 recalls the top k; recall@k is the share of the question's evidence dialog
 * ids covered by the evidence of the memories returned, averaged over the questions.
 *
 * <p>Not a unit test: it runs only with {@code ./mvnw test -Pbench -Dtest=RecallQualityBenchmark}. The data
 * file is read from {@code ../shared/eval/locomo-dev.json} (relative to the project directory), or from the
 * system property {@code eval.locomo}; it is never copied into the project.
 *
 * <p>Variants: the lexical search alone (BM25 with the portable index's second stage, or the Query Engine's), with
 * recency weight 0 and with the configured weight and "now" = the conversation's last session (LoCoMo dates are
 * from 2022–2024: against the wall clock every boost is ≈ 1); the vector search alone (exact cosine, when a model is
 * ready); and {@code MemoryService.recall} as configured — hybrid when a model is ready. Other fusions are measured by
 * setting their properties, e.g. {@code -Dmemory.recall.fusion.date-weight=0}.
 */
@QuarkusTest
class RecallQualityBenchmark {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int[] KS = {1, 5, 10};
    private static final int DEPTH = 10;

    @Inject
    MemoryService memories;

    @Inject
    SearchBackend backend;

    @Inject
    TextAnalyzer analyzer;

    @Inject
    MemoryConfig config;

    @Inject
    Embeddings embeddings;

    @Inject
    ReactiveRedisDataSource redis;

    /** One way of recalling the top {@link #DEPTH} memories (their ids) of a conversation's user for a question. */
    private interface Recall {
        List<String> top(String userId, Locomo.Conversation conversation, String question);
    }

    @Test
    void recallAtK() {
        Path file = Path.of(System.getProperty("eval.locomo", "../shared/eval/locomo-dev.json"));
        Locomo data = Locomo.read(file);
        MemoryIndex index = await(backend.index());

        // memory id -> evidence ids of every observation stored as (or merged into) it, per user
        Map<String, Map<String, Set<String>>> evidence = new HashMap<>();
        int observations = 0;
        int merged = 0;
        long loadStart = System.nanoTime();
        for (Locomo.Conversation conversation : data.conversations()) {
            String user = userId(conversation.sampleId());
            await(memories.forgetUser(user));
            Map<String, Set<String>> byMemory = evidence.computeIfAbsent(user, u -> new HashMap<>());
            for (Locomo.Observation observation : conversation.observations()) {
                Remembered remembered =
                        await(memories.remember(user, observation.text(), null, observation.sessionDate(), "locomo"));
                observations++;
                if (!remembered.created()) {
                    merged++;
                }
                byMemory.computeIfAbsent(remembered.memory().id(), id -> new HashSet<>())
                        .addAll(observation.evidence());
            }
        }
        long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;

        double weight = config.recall().recencyWeight();
        Duration halfLife = config.recall().recencyHalfLife();
        int maxTerms = config.recall().maxQueryTerms();
        Map<String, Recall> variants = new LinkedHashMap<>();
        variants.put(
                "lexical (BM25), recency weight 0",
                (user, conversation, question) -> ids(await(index.search(
                        user,
                        analyzer.queryTerms(question, maxTerms),
                        Set.of(),
                        DEPTH,
                        new Recency(0, halfLife, System.currentTimeMillis())))));
        variants.put(
                "lexical, recency weight " + weight + ", now = last session",
                (user, conversation, question) -> ids(await(index.search(
                        user,
                        analyzer.queryTerms(question, maxTerms),
                        Set.of(),
                        DEPTH,
                        new Recency(
                                weight, halfLife, conversation.lastSessionDate().toEpochMilli())))));
        if (embeddings.ready()) {
            variants.put("vector only (" + embeddings.modelId() + ")", (user, conversation, question) -> {
                Embedded query = new Embedded(await(embeddings.embedQuery(question)), embeddings.modelId());
                VectorSync sync = await(Pipeline.run(redis, index.vectorSyncQuery(user)));
                return await(index.nearest(user, sync, query, Set.of(), DEPTH)).stream()
                        .map(VectorHit::id)
                        .toList();
            });
        }
        variants.put(
                (embeddings.ready() ? "hybrid" : "lexical") + " as configured (MemoryService.recall)",
                (user, conversation, question) -> ids(await(memories.recall(user, question, Set.of(), DEPTH))));
        int skipped = data.conversations().stream()
                .mapToInt(Locomo.Conversation::skipped)
                .sum();
        System.out.println();
        System.out.println(
                "=== Recall quality: LoCoMo (" + file.toAbsolutePath().normalize() + ") ===");
        System.out.printf(
                Locale.ROOT,
                "backend: %s | conversations: %d | observations: %d | stored: %d | merged by dedupe: %d | load: %d ms%n",
                index.name(),
                data.conversations().size(),
                observations,
                observations - merged,
                merged,
                loadMillis);
        System.out.printf(
                Locale.ROOT,
                "evidence tokens dropped as malformed: %d | questions skipped for lack of evidence: %d | recency half-life: %s%n",
                data.droppedEvidence(),
                skipped,
                halfLife);
        System.out.printf(
                Locale.ROOT, "%-52s %9s %9s %9s %9s %9s%n", "variant", "questions", "R@1", "R@5", "R@10", "ms/query");
        for (Map.Entry<String, Recall> variant : variants.entrySet()) {
            Scores scores = new Scores();
            long start = System.nanoTime();
            for (Locomo.Conversation conversation : data.conversations()) {
                String user = userId(conversation.sampleId());
                for (Locomo.Question question : conversation.questions()) {
                    List<String> top = variant.getValue().top(user, conversation, question.text());
                    scores.add(question, top, evidence.get(user));
                }
            }
            double millisPerQuery = (System.nanoTime() - start) / 1e6 / scores.questions;
            System.out.printf(
                    Locale.ROOT,
                    "%-52s %9d %9.3f %9.3f %9.3f %9.2f%n",
                    variant.getKey(),
                    scores.questions,
                    scores.recall(0),
                    scores.recall(1),
                    scores.recall(2),
                    millisPerQuery);
            System.out.println("    R@5 by category: " + scores.byCategory());
            assertThat(scores.recall(2)).isGreaterThanOrEqualTo(scores.recall(1));
            assertThat(scores.recall(1)).isGreaterThanOrEqualTo(scores.recall(0));
        }
        System.out.printf(
                Locale.ROOT,
                "fusion: lexical weight %.2f, date weight %.2f, floor percentile %.0f%n",
                config.recall().fusion().lexicalWeight(),
                config.recall().fusion().dateWeight(),
                config.recall().fusion().floorPercentile());
        System.out.println();

        for (Locomo.Conversation conversation : data.conversations()) {
            await(memories.forgetUser(userId(conversation.sampleId())));
        }
    }

    /** recall@k sums, overall and (for k = 5) per question category. */
    private static final class Scores {
        int questions;
        final double[] sums = new double[KS.length];
        final Map<Integer, double[]> categories = new TreeMap<>(); // category -> {questions, R@5 sum}

        void add(Locomo.Question question, List<String> top, Map<String, Set<String>> evidence) {
            questions++;
            for (int i = 0; i < KS.length; i++) {
                Set<String> covered = new HashSet<>();
                top.stream().limit(KS[i]).forEach(id -> covered.addAll(evidence.getOrDefault(id, Set.of())));
                covered.retainAll(question.evidence());
                double recall = (double) covered.size() / question.evidence().size();
                sums[i] += recall;
                if (KS[i] == 5) {
                    double[] c = categories.computeIfAbsent(question.category(), k -> new double[2]);
                    c[0]++;
                    c[1] += recall;
                }
            }
        }

        double recall(int kIndex) {
            return sums[kIndex] / questions;
        }

        String byCategory() {
            StringBuilder out = new StringBuilder();
            categories.forEach((category, c) ->
                    out.append(String.format(Locale.ROOT, "cat %d: %.3f (%d)  ", category, c[1] / c[0], (int) c[0])));
            return out.toString().strip();
        }
    }

    /** The conversation id as a valid user id ({@code [A-Za-z0-9._@-]}), prefixed to keep clear of real users. */
    static String userId(String sampleId) {
        return "locomo-" + sampleId.replaceAll("[^A-Za-z0-9._@-]", "_");
    }

    private static List<String> ids(List<Memory> memories) {
        return memories.stream().map(Memory::id).toList();
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(TIMEOUT);
    }
}
