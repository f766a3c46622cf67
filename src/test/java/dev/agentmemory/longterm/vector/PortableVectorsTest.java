package dev.agentmemory.longterm.vector;

import static dev.agentmemory.testing.Memories.recallTexts;
import static dev.agentmemory.testing.Memories.store;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.redis.RedisKeys;
import dev.agentmemory.testing.PortableProfile;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The portable backend's vectors in Redis: written with the memory, searched through the service's cache. */
@QuarkusTest
@TestProfile(PortableProfile.class)
class PortableVectorsTest {

    @Inject
    RedisDataSource redis;

    @Test
    void aMemoryIsStoredWithItsVectorAndFoundByMeaning() {
        String user = "u-" + UUID.randomUUID();
        store(user, "Caroline works as a nurse at the city hospital", "fact", null);
        store(user, "Caroline's brother collects vintage stamps", "fact", null);

        System.out.println("KEYS " + redis.key().keys("idx:{" + user + "}*") + " "
                + redis.hash(String.class).hgetall(RedisKeys.indexVectorState(user)));
        assertThat(redis.hash(String.class).hlen(RedisKeys.indexVectors(user))).isEqualTo(2);
        assertThat(redis.hash(String.class).hget(RedisKeys.indexVectorState(user), "model"))
                .startsWith("in-process:");
        assertThat(recallTexts(user, "What does she do for a living?"))
                .first()
                .isEqualTo("Caroline works as a nurse at the city hospital");
    }
}
