package dev.agentmemory.longterm;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.longterm.index.LexicalScale;
import dev.agentmemory.longterm.index.Recency;
import dev.agentmemory.longterm.vector.VectorHit;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One ranking from the lexical candidates and the vector search, with the recency boost on top:
 *
 * <pre>score = (cosine + lexical-weight × lexical relevance) × (1 + w × 2^(−age / half-life))</pre>
 *
 * or, when the query names a date ({@link DateMention}), {@code cosine + lexical-weight × lexical relevance +
 * date-weight × closeness to that date}, without the recency boost.
 *
 * The lexical relevance has no scale of its own (the portable index's BM25 divided by the query's idf mass, the Query
 * Engine's divided by its best score; see {@code LexicalCandidates}), so a weight fits any query; every candidate has
 * its exact cosine (the vector search scores the lexical candidates too), and one without a vector counts at the lowest
 * cosine found. Chosen on the LoCoMo dev set among reciprocal-rank, min-max, z-score and other fusions, by
 * leave-one-conversation-out cross-validation (see docs): every fold picked the same weight, and recall@5 stays
 * within 0.006 of its best over a wide range of weights.
 */
@ApplicationScoped
public class Fusion {

    private final double lexicalWeight;
    private final double bestScoreLexicalWeight;
    private final double dateWeight;

    public Fusion(MemoryConfig config) {
        this.lexicalWeight = config.recall().fusion().lexicalWeight();
        this.bestScoreLexicalWeight = config.recall().fusion().queryEngineLexicalWeight();
        this.dateWeight = config.recall().fusion().dateWeight();
    }

    /** A memory in the fused ranking; {@code memory} is null when neither search returned its fields. */
    public record Ranked(String id, double score, long createdAt, Memory memory) {}

    /** @param scale what the lexical candidates' relevance was divided by: each scale has its own weight */
    public List<Ranked> fuse(
            LexicalScale scale,
            List<Memory> lexical,
            List<VectorHit> vector,
            Recency recency,
            Optional<DateMention> date,
            int limit) {
        double lexicalWeight =
                switch (scale) {
                    case IDF_MASS -> this.lexicalWeight;
                    case BEST_SCORE -> bestScoreLexicalWeight;
                };
        Map<String, VectorHit> cosines = new HashMap<>();
        vector.forEach(h -> cosines.putIfAbsent(h.id(), h));
        double lowest = vector.stream().mapToDouble(VectorHit::cosine).min().orElse(0);
        Map<String, Candidate> all = new LinkedHashMap<>();
        for (Memory m : lexical) {
            VectorHit hit = cosines.get(m.id());
            double relevance = m.score() == null ? 0 : m.score();
            all.put(
                    m.id(),
                    new Candidate(
                            m.id(),
                            hit == null ? lowest : hit.cosine(),
                            relevance,
                            m.createdAt().toEpochMilli(),
                            m));
        }
        for (VectorHit hit : vector) {
            all.putIfAbsent(hit.id(), new Candidate(hit.id(), hit.cosine(), 0, hit.createdAt(), hit.memory()));
        }
        List<Ranked> ranked = new ArrayList<>(all.size());
        for (Candidate c : all.values()) {
            double relevance = c.cosine() + lexicalWeight * c.lexical();
            double score = date.isPresent() && dateWeight > 0
                    ? relevance + dateWeight * date.get().closeness(c.createdAt())
                    : relevance * recency.boost(c.createdAt());
            ranked.add(new Ranked(c.id(), score, c.createdAt(), c.memory()));
        }
        ranked.sort(Comparator.comparingDouble(Ranked::score).reversed().thenComparing(Ranked::id));
        return ranked.size() > limit ? ranked.subList(0, limit) : ranked;
    }

    private record Candidate(String id, double cosine, double lexical, long createdAt, Memory memory) {}
}
