package dev.agentmemory.longterm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class DateMentionTest {

    @Test
    void aDayInEitherOrderIsThatDay() {
        assertThat(DateMention.in("What did Maria plan to do later on the evening of 7 July, 2023?"))
                .contains(new DateMention(LocalDate.of(2023, 7, 7), LocalDate.of(2023, 7, 8), false));
        assertThat(DateMention.in("What kind of painting did Caroline share on October 13, 2023?"))
                .contains(new DateMention(LocalDate.of(2023, 10, 13), LocalDate.of(2023, 10, 14), false));
        assertThat(DateMention.in("What did Gina find on 1st of Feb. 2023?"))
                .contains(new DateMention(LocalDate.of(2023, 2, 1), LocalDate.of(2023, 2, 2), false));
    }

    @Test
    void aMonthOrAYearIsTheWholeOfIt() {
        assertThat(DateMention.in("What setback did Melanie face in October 2023?"))
                .contains(new DateMention(LocalDate.of(2023, 10, 1), LocalDate.of(2023, 11, 1), false));
        assertThat(DateMention.in("How many times has Melanie gone to the beach in 2023?"))
                .contains(new DateMention(LocalDate.of(2023, 1, 1), LocalDate.of(2024, 1, 1), false));
        assertThat(DateMention.in("When did Melanie go camping in June?"))
                .contains(new DateMention(LocalDate.of(2000, 6, 1), LocalDate.of(2000, 7, 1), true));
    }

    @Test
    void noDateIsNamedByWordsThatOnlyLookLikeOne() {
        assertThat(DateMention.in("What pet does the user have?")).isEmpty();
        assertThat(DateMention.in("What event did John volunteer at last weekend?"))
                .isEmpty();
        assertThat(DateMention.in("What can I do in may?")).isEmpty();
        assertThat(DateMention.in("I bought 2023 stickers in March"))
                .map(DateMention::everyYear)
                .contains(true);
        assertThat(DateMention.in("Flight on 31 February 2023")).isEmpty();
        assertThat(DateMention.in("")).isEmpty();
        assertThat(DateMention.in(null)).isEmpty();
    }

    @Test
    void closenessIsOneInsideTheSpanAndFallsAwayFromIt() {
        DateMention july7 = DateMention.in("on 7 July 2023").orElseThrow();
        assertThat(july7.closeness(at("2023-07-07T23:00:00Z"))).isEqualTo(1.0);
        assertThat(july7.closeness(at("2023-07-10T10:00:00Z"))).isCloseTo(Math.exp(-1), within(1e-9));
        assertThat(july7.closeness(at("2023-07-04T10:00:00Z"))).isCloseTo(Math.exp(-1), within(1e-9));
        assertThat(july7.closeness(at("2024-07-07T10:00:00Z"))).isLessThan(1e-30);

        DateMention june = DateMention.in("camping in June?").orElseThrow();
        assertThat(june.closeness(at("2021-06-15T00:00:00Z"))).isEqualTo(1.0);
        assertThat(june.closeness(at("2024-06-30T00:00:00Z"))).isEqualTo(1.0);
        assertThat(june.closeness(at("2024-07-03T00:00:00Z"))).isCloseTo(Math.exp(-1), within(1e-9));
        assertThat(june.closeness(at("2024-12-31T00:00:00Z"))).isLessThan(1e-20);
    }

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }
}
