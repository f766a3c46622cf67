package dev.agentmemory.longterm.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TextAnalyzerTest {

    private final TextAnalyzer analyzer = new TextAnalyzer();

    @AfterEach
    void close() {
        analyzer.close();
    }

    @Test
    void memoriesKeepQuestionWords() {
        assertThat(analyzer.terms("Anna has a dog and would walk it"))
                .containsExactly("anna", "ha", "dog", "would", "walk");
    }

    @Test
    void queriesDropQuestionWords() {
        assertThat(analyzer.queryTerms("What did Anna say about Lisbon? When did she go?", 32))
                .containsExactly("anna", "sai", "about", "lisbon", "she", "go");
    }

    @Test
    void aQueryOfQuestionWordsOnlyKeepsThem() {
        assertThat(analyzer.queryTerms("Who did?", 32)).containsExactly("who", "did");
    }

    @Test
    void queryTermsAreDistinctAndCapped() {
        assertThat(analyzer.queryTerms("how do dogs and dogs and cats play", 2)).containsExactly("dog", "cat");
    }
}
