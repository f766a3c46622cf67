package dev.agentmemory.longterm;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.longterm.index.TextAnalyzer;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
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

    private final TextAnalyzer analyzer;
    private final double threshold;

    public Dedupe(TextAnalyzer analyzer, MemoryConfig config) {
        this.analyzer = analyzer;
        this.threshold = config.dedupe().threshold();
    }

    /** The first candidate that says the same as {@code terms}, if any. */
    public Optional<Memory> sameAs(List<String> terms, List<Memory> candidates) {
        Set<String> termSet = new HashSet<>(terms);
        if (termSet.isEmpty()) {
            return Optional.empty();
        }
        return candidates.stream()
                .filter(c -> similarity(termSet, new HashSet<>(analyzer.terms(c.text()))) >= threshold)
                .findFirst();
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
