package dev.agentmemory.extraction;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.llm.Embeddings;
import dev.agentmemory.llm.ExtractedFacts.Fact;
import dev.agentmemory.longterm.MemoryService;
import dev.agentmemory.longterm.Remembered;
import dev.agentmemory.longterm.vector.Embedded;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns the facts the model extracted from a user's exchanges into long-term memories: blank and oversized facts
 * are dropped, an invalid kind becomes the default kind, and each fact is remembered (with dedupe) with the
 * session as its source.
 */
@ApplicationScoped
public class FactMemories {

    private final MemoryService memories;
    private final Embeddings embeddings;
    private final MemoryConfig.LongTerm longTerm;
    private final Pattern kindPattern;
    private final Counter stored;
    private final Counter known;

    public FactMemories(MemoryService memories, Embeddings embeddings, MemoryConfig config, MeterRegistry registry) {
        this.memories = memories;
        this.embeddings = embeddings;
        this.longTerm = config.longTerm();
        this.kindPattern = Pattern.compile(longTerm.kindPattern());
        this.stored = counter(registry, "stored");
        this.known = counter(registry, "duplicate");
    }

    /**
     * Stores the facts one after the other, so two alike facts of one reply are deduped against each other; they
     * belong to the job's user, with its session as their source. The facts are embedded together, in one call of
     * the model, and each vector serves both the dedupe and the stored memory. Fails with
     * {@link dev.agentmemory.redis.UserErasedException} when the user was forgotten after the job was saved.
     */
    public Uni<Void> remember(ExtractionJob job, List<Fact> facts) {
        List<Fact> usable = facts.stream()
                .filter(fact ->
                        fact != null && fact.text() != null && !fact.text().isBlank())
                .map(fact -> new Fact(fact.text().strip(), kind(fact.kind())))
                .filter(fact -> fact.text().length() <= longTerm.maxTextChars())
                .toList();
        if (usable.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return embeddings
                .embedAll(usable.stream().map(Fact::text).toList())
                .chain(vectors -> Multi.createFrom()
                        .range(0, usable.size())
                        .onItem()
                        .transformToUniAndConcatenate(i -> memories.remember(
                                job.userId(),
                                usable.get(i).text(),
                                usable.get(i).kind(),
                                null,
                                job.sessionId(),
                                job.generation(),
                                vectors == null ? null : new Embedded(vectors.get(i), embeddings.modelId())))
                        .invoke(this::count)
                        .collect()
                        .last())
                .replaceWithVoid();
    }

    /** The model's kind when it is a valid one, lower-cased; the default kind otherwise. */
    private String kind(String kind) {
        if (kind == null) {
            return longTerm.defaultKind();
        }
        String normalised = kind.strip().toLowerCase(Locale.ROOT);
        return kindPattern.matcher(normalised).matches() ? normalised : longTerm.defaultKind();
    }

    private void count(Remembered remembered) {
        (remembered.created() ? stored : known).increment();
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("memory.extraction.facts")
                .description("Facts extracted and remembered: stored as new, or a duplicate of a known memory")
                .tag("outcome", outcome)
                .register(registry);
    }
}
