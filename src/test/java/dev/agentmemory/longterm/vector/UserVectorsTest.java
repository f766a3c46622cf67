package dev.agentmemory.longterm.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A user with more vectors than {@link UserVectors#EXACT_UP_TO}: searched through the sign-bit shortlist. */
class UserVectorsTest {

    private static final int DIMENSION = 384;
    private final Random random = new Random(3);

    @Test
    void aLargeUsersNearestVectorsComeThroughTheShortlist() {
        int size = UserVectors.EXACT_UP_TO + 5_000;
        float[] common = unit(gaussian()); // embeddings share a direction: the shortlist must cope
        float[][] vectors = new float[size][];
        UserVectors user = new UserVectors("m", "e", 1);
        for (int i = 0; i < size; i++) {
            vectors[i] = unit(plus(common, gaussian(), 1.5f));
            user.apply("m" + i, VectorCodec.int8(vectors[i]), "1 " + i + (i % 2 == 0 ? " event" : " fact"));
        }

        for (int probe : new int[] {0, 4_321, size - 1}) {
            List<VectorHit> hits = user.nearest(vectors[probe], Set.of(), 10);
            assertThat(hits).hasSize(10);
            assertThat(hits.get(0).id()).isEqualTo("m" + probe);
            assertThat(hits.get(0).cosine()).isGreaterThan(0.99);
            assertThat(hits).isSortedAccordingTo((a, b) -> Double.compare(b.cosine(), a.cosine()));
        }

        // A query near memory 6 (an event): its neighbours among the facts only, with the filter.
        float[] query = unit(plus(vectors[6], gaussian(), 0.05f));
        List<VectorHit> facts = user.nearest(query, Set.of("fact"), 10);
        assertThat(facts).hasSize(10).allSatisfy(h -> assertThat(Integer.parseInt(h.id().substring(1)) % 2)
                .isEqualTo(1));
        List<VectorHit> exactFacts = user.nearest(query, Set.of("fact"), 10, false);
        assertThat(facts.get(0).id()).isEqualTo(exactFacts.get(0).id());
        assertThat(user.nearest(query, Set.of(), 1).get(0).id()).isEqualTo("m6");
    }

    @Test
    void removingAVectorMovesTheLastOneWithItsSigns() {
        int size = UserVectors.EXACT_UP_TO + 10;
        UserVectors user = new UserVectors("m", "e", 1);
        float[][] vectors = new float[size][];
        for (int i = 0; i < size; i++) {
            vectors[i] = unit(gaussian());
            user.apply("m" + i, VectorCodec.int8(vectors[i]), "1 0 fact");
        }
        user.apply("m5", null, null);
        assertThat(user.size()).isEqualTo(size - 1);
        assertThat(user.nearest(vectors[size - 1], Set.of(), 1).get(0).id()).isEqualTo("m" + (size - 1));
        assertThat(user.nearest(vectors[5], Set.of(), 3))
                .extracting(VectorHit::id)
                .doesNotContain("m5");
    }

    private float[] gaussian() {
        float[] v = new float[DIMENSION];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static float[] plus(float[] a, float[] b, float weight) {
        float[] v = new float[a.length];
        float[] nb = unit(b);
        for (int i = 0; i < v.length; i++) {
            v[i] = a[i] + weight * nb[i];
        }
        return v;
    }

    private static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = v[i] * scale;
        }
        return u;
    }
}
