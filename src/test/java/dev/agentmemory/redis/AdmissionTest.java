package dev.agentmemory.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The admission's bookkeeping, outside any Vert.x context (commands then run on the thread that admits them). */
class AdmissionTest {

    @Test
    void letsInAtMostItsPermitsAndThenTheLongestWaitingFirst() {
        Admission admission = new Admission(2, 10);
        List<String> ran = new ArrayList<>();

        admission.enter(() -> ran.add("a"));
        admission.enter(() -> ran.add("b"));
        admission.enter(() -> ran.add("c"));
        admission.enter(() -> ran.add("d"));
        assertThat(ran).containsExactly("a", "b");
        assertThat(admission.waiting()).isEqualTo(2);

        admission.leave();
        assertThat(ran).containsExactly("a", "b", "c");
        admission.leave();
        assertThat(ran).containsExactly("a", "b", "c", "d");
        assertThat(admission.waiting()).isZero();

        // c and d leave, then a and b: two permits free again, so two more run at once.
        admission.leave();
        admission.leave();
        admission.enter(() -> ran.add("e"));
        admission.enter(() -> ran.add("f"));
        assertThat(ran).endsWith("e", "f");
        admission.enter(() -> ran.add("g"));
        assertThat(ran).doesNotContain("g");
    }

    @Test
    void aClusterClientKeepsOneConnectionOfEachPoolFree() {
        List<Integer> ran = new ArrayList<>();
        Admission admission = Admission.forClusterPools(3, 10);
        for (int i = 0; i < 5; i++) {
            int command = i;
            admission.enter(() -> ran.add(command));
        }
        assertThat(ran).containsExactly(0, 1);

        Admission smallest = Admission.forClusterPools(1, 10);
        smallest.enter(() -> ran.add(10));
        smallest.enter(() -> ran.add(11));
        assertThat(ran).endsWith(10).doesNotContain(11);
    }

    @Test
    void turnsAwayCommandsBeyondItsWaitingRoom() {
        Admission admission = new Admission(1, 2);
        List<Integer> ran = new ArrayList<>();
        assertThat(admission.enter(() -> ran.add(1))).isTrue();
        assertThat(admission.enter(() -> ran.add(2))).isTrue();
        assertThat(admission.enter(() -> ran.add(3))).isTrue();
        assertThat(admission.enter(() -> ran.add(4))).isFalse();
        assertThat(admission.waiting()).isEqualTo(2);

        admission.leave();
        assertThat(admission.enter(() -> ran.add(5))).isTrue();
        admission.leave();
        admission.leave();
        admission.leave();
        assertThat(ran).containsExactly(1, 2, 3, 5);
    }

    @Test
    void unlimitedRunsEveryCommandAtOnce() {
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int command = i;
            Admission.UNLIMITED.enter(() -> ran.add(command));
        }
        assertThat(ran).hasSize(1000);
        assertThat(Admission.UNLIMITED.waiting()).isZero();
    }
}
