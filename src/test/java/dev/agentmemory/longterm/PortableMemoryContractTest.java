package dev.agentmemory.longterm;

import static dev.agentmemory.testing.Memories.recallTexts;
import static dev.agentmemory.testing.Memories.store;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.testing.PortableProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The memory contract on the portable index (any Redis ≥ 6.2, no modules): always runs. Plus the portable
 * index's second ranking stage (proximity bonus, pseudo-relevance feedback), which the Query Engine does not
 * have.
 */
@QuarkusTest
@TestProfile(PortableProfile.class)
class PortableMemoryContractTest extends MemoryContractTest {

    private static final List<String> UNRELATED = List.of(
            "User went hiking in the Alps last summer",
            "User plays the cello on Sundays",
            "User's sister lives in Lisbon",
            "User collects vintage stamps");

    @Test
    void neighbouringQueryTermsRankThePhraseAboveTheSameWordsApart() {
        String user = newUser("u");
        UNRELATED.forEach(text -> store(user, text, "fact", null));
        // Same length, same query terms, each with a term of its own: equal BM25, and the second one is newer,
        // so without the proximity bonus it would come first.
        store(user, "Anna leads the support group at the library", "fact", null);
        store(user, "Anna's group at the library needs support", "fact", null);

        assertThat(recallTexts(user, "support group"))
                .startsWith("Anna leads the support group at the library", "Anna's group at the library needs support");
    }

    @Test
    void feedbackLiftsTheMemoriesWordedLikeTheBestMatch() {
        String user = newUser("u");
        UNRELATED.forEach(text -> store(user, text, "fact", null));
        store(user, "Anna adopted a dog named Rex from the shelter", "fact", null);
        // Equal BM25 for "Anna's dog" (they only say "Anna"); the second is newer, so it wins a tie. The first
        // names the dog of the best match, which the feedback terms carry into the query.
        store(user, "Anna walked Rex in the park", "fact", null);
        store(user, "Anna walked Max in the park", "fact", null);

        // The words' matches first, in that order; recall by meaning may add weaker neighbours after them.
        assertThat(recallTexts(user, "Anna's dog"))
                .startsWith(
                        "Anna adopted a dog named Rex from the shelter",
                        "Anna walked Rex in the park",
                        "Anna walked Max in the park");
    }
}
