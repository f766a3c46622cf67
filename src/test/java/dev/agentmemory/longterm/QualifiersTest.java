package dev.agentmemory.longterm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What keeps two similar facts apart in dedupe: relatives, numbers, negation. */
class QualifiersTest {

    @Test
    void relativesNumbersAndNegationAreRead() {
        Qualifiers q = Qualifiers.of("User's mom has 2 kids and doesn't drive");
        assertThat(q.relatives()).containsExactlyInAnyOrder("mother", "children");
        assertThat(q.numbers()).containsExactly("2");
        assertThat(q.negated()).isTrue();
    }

    @Test
    void rewordingsQualifyAlike() {
        assertThat(Qualifiers.of("User has two children.")).isEqualTo(Qualifiers.of("The user has 2 kids"));
        assertThat(Qualifiers.of("User's birthday is on the 3rd of March"))
                .isEqualTo(Qualifiers.of("User was born on March 3"));
        assertThat(Qualifiers.of("User is allergic to peanuts.")).isEqualTo(Qualifiers.of("User has a peanut allergy"));
    }

    @Test
    void differentFactsQualifyDifferently() {
        assertThat(Qualifiers.of("User is vegetarian")).isNotEqualTo(Qualifiers.of("User's sister is vegetarian"));
        assertThat(Qualifiers.of("User works at Google")).isNotEqualTo(Qualifiers.of("User used to work at Google"));
        assertThat(Qualifiers.of("User has two children")).isNotEqualTo(Qualifiers.of("User has 3 children"));
        assertThat(Qualifiers.of("User's code word is w5x")).isNotEqualTo(Qualifiers.of("User's code word is w7x"));
        assertThat(Qualifiers.of("User's mother lives in Lisbon"))
                .isNotEqualTo(Qualifiers.of("User's mother-in-law lives in Lisbon"));
    }
}
