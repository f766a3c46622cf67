package dev.agentmemory.longterm.index;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Turns text into index terms, once, in Java, for both search backends: Lucene's {@link EnglishAnalyzer}
 * (standard tokenizer, English possessives, lower case, stop words, Porter stemming). "The user is a
 * vegetarian" becomes {@code [user, vegetarian]}; "loves spicy food" becomes {@code [love, spici, food]}.
 *
 * <p>Queries are analysed the same way with a longer stop list: {@link #QUESTION_WORDS}, the interrogatives and
 * auxiliaries that open questions ("What did Anna say about Lisbon?" → {@code [anna, sai, about, lisbon]}).
 * Memories are statements, so these words rarely carry the match, yet as query terms they score memories that
 * happen to contain "do" or "has". They stay in the indexed terms: only the query drops them.
 *
 * <p>Terms are what both backends index and query: letters, digits and {@code _} only, so they never need
 * escaping in a Query Engine query (the adapter escapes anyway).
 *
 * <p>Lucene creates the attributes a filter asks for that are not token attributes (the keyword flag of the
 * stemmer) by name, through reflection: the native executable needs their implementations registered.
 */
@ApplicationScoped
@RegisterForReflection(
        targets = {
            org.apache.lucene.analysis.tokenattributes.KeywordAttributeImpl.class,
            org.apache.lucene.analysis.tokenattributes.FlagsAttributeImpl.class,
            org.apache.lucene.analysis.tokenattributes.PayloadAttributeImpl.class
        })
public class TextAnalyzer {

    /** Dropped from queries only (see the class comment); matched before stemming, case-insensitively. */
    public static final Set<String> QUESTION_WORDS = Set.of(
            "what", "when", "where", "which", "who", "whom", "whose", "why", "how", "do", "does", "did", "has", "have",
            "had", "would", "could", "should", "can", "may", "might", "must", "shall");

    private final Analyzer analyzer = new EnglishAnalyzer();
    private final Analyzer queryAnalyzer = new EnglishAnalyzer(queryStopWords());

    /** Every term of the text in order, repeats included (term frequencies come from the repeats). */
    public List<String> terms(String text) {
        return terms(analyzer, text);
    }

    private static List<String> terms(Analyzer analyzer, String text) {
        List<String> terms = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                String indexTerm = indexTerm(term);
                if (indexTerm != null) {
                    terms.add(indexTerm);
                }
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: the text is in memory
        }
        return terms;
    }

    /**
     * A token as an index term: characters other than letters and digits ({@code u.s.a}, {@code don't}) become
     * {@code _}, so that a term is one token for the Query Engine's tokenizer too and never needs escaping; a
     * token without any letter or digit (an emoji) is dropped.
     */
    private static String indexTerm(CharTermAttribute token) {
        StringBuilder out = new StringBuilder(token.length());
        boolean hasWordCharacter = false;
        String text = token.toString();
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (Character.isLetterOrDigit(codePoint)) {
                out.appendCodePoint(codePoint);
                hasWordCharacter = true;
            } else {
                out.append('_');
            }
            i += Character.charCount(codePoint);
        }
        return hasWordCharacter ? out.toString() : null;
    }

    /** The distinct terms, first occurrence first, at most {@code max} of them. */
    public List<String> distinctTerms(String text, int max) {
        Set<String> distinct = new LinkedHashSet<>(terms(text));
        return distinct.stream().limit(max).toList();
    }

    /**
     * The distinct terms of a search query, first occurrence first, at most {@code max}: like {@link
     * #distinctTerms} without the {@link #QUESTION_WORDS}, unless the query holds nothing else ("who did?"), in
     * which case its plain terms are used.
     */
    public List<String> queryTerms(String query, int max) {
        List<String> terms = terms(queryAnalyzer, query);
        if (terms.isEmpty()) {
            return distinctTerms(query, max);
        }
        return new LinkedHashSet<>(terms).stream().limit(max).toList();
    }

    private static CharArraySet queryStopWords() {
        CharArraySet stopWords = new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, true);
        stopWords.addAll(QUESTION_WORDS);
        return CharArraySet.unmodifiableSet(stopWords);
    }

    @PreDestroy
    void close() {
        analyzer.close();
        queryAnalyzer.close();
    }
}
