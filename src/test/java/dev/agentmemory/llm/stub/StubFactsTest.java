package dev.agentmemory.llm.stub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The dev-mode stub model's pattern-based extraction, which the README's "Try it" relies on. */
class StubFactsTest {

    @Test
    void firstPersonStatementsBecomeFacts() {
        assertThat(StubFacts.find("I'm vegetarian and I love spicy food."))
                .containsExactly(
                        new StubFacts.Fact("User is vegetarian", "preference"),
                        new StubFacts.Fact("User loves spicy food", "preference"));
        assertThat(StubFacts.find("My sister is a doctor. I live in Lisbon!"))
                .containsExactly(
                        new StubFacts.Fact("User's sister is a doctor", "fact"),
                        new StubFacts.Fact("User lives in Lisbon", "fact"));
    }

    @Test
    void smallTalkYieldsNothing() {
        assertThat(StubFacts.find("Hello! How are you today?")).isEmpty();
    }
}
