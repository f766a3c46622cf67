package dev.agentmemory.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.testing.RedisTestResource;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Many more commands at once than the client has connections, on keys of every slot: all of them answer. On a
 * Redis Cluster the Vert.x client takes a connection of every master for each command; without {@link
 * ClusterConnections} such a burst left every command holding some masters' connections and waiting for the
 * others' until its deadline.
 */
@QuarkusTest
@TestProfile(ConcurrentCommandsTest.SmallPools.class)
class ConcurrentCommandsTest {

    /** Three connections per node, against hundreds of commands at once (two shared cluster connections). */
    public static class SmallPools implements QuarkusTestProfile {
        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            return java.util.Map.of("quarkus.redis.max-pool-size", "3");
        }
    }

    private static final int COMMANDS = 400;

    @Inject
    ReactiveRedisDataSource redis;

    @Test
    void aBurstOfCommandsOnEverySlotAllAnswer() {
        String run = UUID.randomUUID().toString();
        List<String> keys = IntStream.range(0, COMMANDS)
                .mapToObj(i -> "concurrent:{" + run + "-" + i + "}")
                .toList();

        List<Uni<String>> writes = IntStream.range(0, COMMANDS)
                .mapToObj(i -> redis.execute("SET", keys.get(i), "value " + i).map(Object::toString))
                .toList();
        List<String> written = Uni.join().all(writes).andFailFast().await().atMost(Duration.ofSeconds(30));
        assertThat(written).hasSize(COMMANDS).containsOnly("OK");

        List<Uni<String>> reads = keys.stream()
                .map(key -> redis.execute("GET", key).map(Object::toString))
                .toList();
        List<String> values = Uni.join().all(reads).andFailFast().await().atMost(Duration.ofSeconds(30));
        assertThat(values)
                .containsExactlyElementsOf(
                        IntStream.range(0, COMMANDS).mapToObj(i -> "value " + i).toList());

        keys.forEach(key -> redis.execute("DEL", key).await().atMost(Duration.ofSeconds(5)));
        assertThat(RedisTestResource.keys("concurrent:{" + run + "-*")).isEmpty();
    }
}
