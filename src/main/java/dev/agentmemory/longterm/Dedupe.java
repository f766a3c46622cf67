package dev.agentmemory.longterm;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.longterm.index.MemoryHashes;
import dev.agentmemory.longterm.index.MemoryIndex;
import dev.agentmemory.longterm.index.Recency;
import dev.agentmemory.longterm.index.TextAnalyzer;
import dev.agentmemory.longterm.vector.Embedded;
import dev.agentmemory.longterm.vector.VectorHit;
import dev.agentmemory.redis.Pipeline;
import dev.agentmemory.redis.Query;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a new memory is one already known, without trusting a search engine's unbounded raw score:
 * the candidates come from recall, the decision from the Jaccard similarity of the analysed term sets (stop
 * words removed, stemmed), compared with {@code memory.dedupe.threshold} (0.8 by default).
 *
 * <ul>
 *   <li>"User is vegetarian." / "The user is a vegetarian": {user, vegetarian} both, 1.0 → merged.
 *   <li>"Loves spicy food" / "loves spicy food!": 1.0 → merged (also the same content hash).
 *   <li>"User is vegetarian" / "User's sister is vegetarian": 2 of 3 terms shared, 0.67 → kept apart.
 *   <li>"User lives in Paris" / "User lived in Paris in 2019": 3 of 4, 0.75 → kept apart.
 * </ul>
 *
 * Exact repeats are caught before that by the content hash (lower-cased, whitespace collapsed), atomically in
 * the write script, so two concurrent stores of the same text keep one memory.
 */
@ApplicationScoped
public class Dedupe {

    private final ReactiveRedisDataSource redis;
    private final MemoryHashes hashes;
    private final TextAnalyzer analyzer;
    private final MemoryConfig.Dedupe config;
    private final int maxQueryTerms;

    public Dedupe(ReactiveRedisDataSource redis, MemoryHashes hashes, TextAnalyzer analyzer, MemoryConfig config) {
        this.redis = redis;
        this.hashes = hashes;
        this.analyzer = analyzer;
        this.config = config.dedupe();
        this.maxQueryTerms = config.recall().maxQueryTerms();
    }

    /** An existing memory a new one is compared with, and its cosine with the new one when both have vectors. */
    public record Candidate(Memory memory, Double cosine) {}

    /**
     * The user's memories most like a new one: the best {@code candidates} by BM25 over its terms, and, with a vector,
     * the nearest ones whose cosine could make them the same (their fields read in one more round trip).
     */
    public Uni<List<Candidate>> candidates(MemoryIndex index, String userId, List<String> terms, Embedded embedding) {
        List<String> queryTerms = terms.stream().distinct().limit(maxQueryTerms).toList();
        Query<List<Memory>> lexical =
                index.searchQuery(userId, queryTerms, Set.of(), config.candidates(), Recency.none(0));
        if (embedding == null) {
            return Pipeline.run(redis, lexical)
                    .map(found ->
                            found.stream().map(m -> new Candidate(m, null)).toList());
        }
        return Pipeline.run(redis, lexical, index.vectorSyncQuery(userId))
                .chain(reads -> index.nearest(userId, reads.getItem2(), embedding, Set.of(), config.candidates())
                        .chain(hits -> merge(userId, reads.getItem1(), hits)));
    }

    private Uni<List<Candidate>> merge(String userId, List<Memory> lexical, List<VectorHit> hits) {
        Map<String, Double> cosines = new HashMap<>();
        hits.forEach(h -> cosines.put(h.id(), h.cosine()));
        List<Candidate> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Memory m : lexical) {
            all.add(new Candidate(m, cosines.get(m.id())));
            seen.add(m.id());
        }
        List<VectorHit> close = hits.stream()
                .filter(h -> !seen.contains(h.id()) && h.cosine() >= config.cosine())
                .toList();
        if (close.isEmpty()) {
            return Uni.createFrom().item(all);
        }
        return hashes.getAll(userId, close.stream().map(VectorHit::id).toList()).map(read -> {
            for (VectorHit h : close) {
                Memory m = h.memory() != null ? h.memory() : read.get(h.id());
                if (m != null) {
                    all.add(new Candidate(m, h.cosine()));
                }
            }
            return all;
        });
    }

    /**
     * The first candidate that says the same as the new memory, if any. Both must name the same relatives and numbers
     * and be negated alike ({@link Qualifiers}); then, with vectors, their cosine must reach {@code
     * memory.dedupe.cosine}; without (no model ready, or a candidate not embedded yet), the Jaccard similarity of their
     * analysed term sets must reach {@code memory.dedupe.threshold}.
     */
    public Optional<Memory> sameAs(String text, List<String> terms, List<Candidate> candidates) {
        Set<String> termSet = new HashSet<>(terms);
        if (termSet.isEmpty()) {
            return Optional.empty();
        }
        Qualifiers qualifiers = Qualifiers.of(text);
        return candidates.stream()
                .filter(c -> qualifiers.equals(Qualifiers.of(c.memory().text())) && similar(termSet, c))
                .map(Candidate::memory)
                .findFirst();
    }

    private boolean similar(Set<String> terms, Candidate candidate) {
        if (candidate.cosine() != null) {
            return candidate.cosine() >= config.cosine();
        }
        return similarity(terms, new HashSet<>(analyzer.terms(candidate.memory().text()))) >= config.threshold();
    }

    /** Jaccard similarity: shared terms over all terms, 0 to 1. */
    static double similarity(Set<String> a, Set<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        Set<String> union = new HashSet<>(a);
        union.addAll(b);
        long shared = a.stream().filter(b::contains).count();
        return (double) shared / union.size();
    }

    /** SHA-256 of the text, lower-cased with whitespace collapsed: the exact-duplicate key. */
    public static String contentHash(String text) {
        String normalised = text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalised.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
