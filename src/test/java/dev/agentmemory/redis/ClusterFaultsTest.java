package dev.agentmemory.redis;

import static dev.agentmemory.testing.Api.append;
import static dev.agentmemory.testing.Api.message;
import static dev.agentmemory.testing.Api.session;
import static dev.agentmemory.testing.Memories.recallTexts;
import static dev.agentmemory.testing.Memories.remember;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;

import dev.agentmemory.extraction.ExtractionQueue;
import dev.agentmemory.testing.CodeWordBurst;
import dev.agentmemory.testing.OpenAiStub;
import dev.agentmemory.testing.OpenAiStubResource;
import dev.agentmemory.testing.RedisNode;
import dev.agentmemory.testing.RedisNode.ClusterMember;
import dev.agentmemory.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Faults of a real Redis Cluster ({@code REDIS_CLUSTER_HOSTS}: 3 masters with one replica each, see
 * {@code src/test/scripts/redis-cluster.sh}): a master that stops answering ({@code SIGSTOP}) for a moment, a
 * replica promoted by {@code CLUSTER FAILOVER}, and a master killed
 * ({@code kill -9}) during a burst of chat turns whose extraction is slow. Skipped, and saying so, without a cluster.
 */
@QuarkusTest
@TestProfile(ClusterFaultsTest.FastTakeOver.class)
@EnabledIf("dev.agentmemory.redis.ClusterFaultsTest#clusterGiven")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultsTest {

    /** Users held by a worker whose Redis calls failed are taken again soon. */
    public static class FastTakeOver implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("memory.extraction.claim-idle", "4s");
        }
    }

    static boolean clusterGiven() {
        boolean given = RedisTestResource.clusterHosts().isPresent();
        if (!given) {
            System.out.println("[SKIPPED] ClusterFaultsTest: set REDIS_CLUSTER_HOSTS (a cluster with one replica per"
                    + " master, e.g. from src/test/scripts/redis-cluster.sh) to run it");
        }
        return given;
    }

    @Inject
    ExtractionQueue queue;

    @Test
    @Order(0)
    void aStalledMasterDelaysOnlyTheUsersOfItsSlots() throws Exception {
        OpenAiStubResource.stub().reset();
        ClusterMember victim = masterOf(RedisKeys.session("stall-probe-" + UUID.randomUUID(), "s1"));
        List<String> stalled = new ArrayList<>();
        List<String> others = new ArrayList<>();
        while (stalled.size() < 4 || others.size() < 8) {
            String user = "stall-" + UUID.randomUUID();
            if (masterOf(RedisKeys.session(user, "s1")).equals(victim)) {
                if (stalled.size() < 4) {
                    stalled.add(user);
                }
            } else if (others.size() < 8) {
                others.add(user);
            }
        }
        HttpClient http = HttpClient.newHttpClient();
        Function<String, CompletableFuture<Integer>> remember = user -> http.sendAsync(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/users/" + user + "/memories"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"User keeps bees\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .thenApply(HttpResponse::statusCode);

        // Stopped for well under the cluster's node time-out (2 s): no failover, the master only stops answering.
        long pid = victim.node().pid(); // asked before: a stopped node tells nothing
        List<CompletableFuture<Integer>> delayed;
        List<CompletableFuture<Integer>> served;
        signal(pid, "STOP");
        try {
            delayed = stalled.stream().map(remember).toList();
            served = others.stream().map(remember).toList();
            // The users of the other masters are served while the master is still stopped.
            CompletableFuture.allOf(served.toArray(CompletableFuture[]::new)).get(1500, TimeUnit.MILLISECONDS);
            assertThat(delayed).noneMatch(CompletableFuture::isDone);
        } finally {
            signal(pid, "CONT");
        }
        assertThat(served).allSatisfy(request -> assertThat(request.join()).isEqualTo(201));
        for (CompletableFuture<Integer> request : delayed) {
            assertThat(request.get(10, TimeUnit.SECONDS)).isEqualTo(201);
        }
        for (String user : stalled) {
            assertThat(recallTexts(user, "bees")).containsExactly("User keeps bees");
            given().delete("/v1/users/" + user).then().statusCode(204);
        }
        for (String user : others) {
            assertThat(recallTexts(user, "bees")).containsExactly("User keeps bees");
            given().delete("/v1/users/" + user).then().statusCode(204);
        }
    }

    private static void signal(long pid, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                .inheritIO()
                .start();
        assertThat(kill.waitFor()).isZero();
    }

    @Test
    @Order(1)
    void servesEverythingAcrossAReplicaFailover() {
        OpenAiStub llm = OpenAiStubResource.stub();
        llm.reset();
        llm.replyToChat("Sure.");
        llm.replyToExtractionWithCodeWords(0);
        String user = "failover-" + UUID.randomUUID();
        append(user, "s1", message("user", "before")).statusCode(200);

        ClusterMember master = masterOf(RedisKeys.session(user, "s1"));
        ClusterMember replica = replicaOf(master);
        replica.node().command("CLUSTER", "FAILOVER");
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> "master".equals(replica.node().info("role")) && healthy());

        // The promoted replica serves the user's slot (and has no script cached): every operation works.
        append(user, "s1", message("user", "after")).statusCode(200);
        session(user, "s1").statusCode(200).body("messages.content", contains("before", "after"));
        remember(user, "User plays the oboe").statusCode(201);
        assertThat(recallTexts(user, "oboe")).containsExactly("User plays the oboe");
        CodeWordBurst burst = new CodeWordBurst(baseUrl(), 3, 2).start();
        burst.awaitSent(Duration.ofSeconds(60));
        assertThat(burst.failed()).isZero();
        burst.awaitEverySavedExchangeExtractedOnce(Duration.ofSeconds(60));
        given().delete("/v1/users/" + user).then().statusCode(204);
        assertThat(RedisTestResource.keys("*{" + user + "}*")).isEmpty();
    }

    @Test
    @Order(2)
    void masterKilledDuringABurstLosesNoSavedExchangesJob() {
        OpenAiStub llm = OpenAiStubResource.stub();
        llm.reset();
        llm.replyToChat("Noted.");
        llm.replyToExtractionWithCodeWords(1000);

        // The master of the queue's shared keys: its ready set, leases and announcements go with it.
        ClusterMember victim = masterOf(queue.sharedKey("ready"));
        ClusterMember heir = replicaOf(victim);
        RedisNode.Launch launch = victim.node().launch();

        CodeWordBurst burst = new CodeWordBurst(baseUrl(), 12, 6).start();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> burst.answered() >= 12 && !llm.extractionRequests().isEmpty());
        ProcessHandle.of(victim.node().pid()).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> "master".equals(heir.node().info("role")) && healthyWithout(victim));
        burst.awaitSent(Duration.ofSeconds(120));
        // Started again, the killed node comes back empty as a replica of its heir.
        launch.start();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> victim.node().answers() && healthy());

        burst.awaitEverySavedExchangeExtractedOnce(Duration.ofSeconds(90));
        int saved = burst.saved();
        System.out.printf(
                "ClusterFaultsTest: %d turns answered and %d failed around the kill of %s; %d exchanges saved, each"
                        + " extracted once%n",
                burst.answered(), burst.failed(), victim.node(), saved);
        assertThat(saved).isGreaterThanOrEqualTo(12);
    }

    private static String baseUrl() {
        return "http://localhost:" + RestAssured.port;
    }

    /** The master serving the key's slot. */
    private static ClusterMember masterOf(String key) {
        RedisNode any = RedisTestResource.nodes().get(0);
        String slot = Integer.toString(HashSlot.of(key));
        List<Object> owner = firstMatching(any, slot);
        String host = (String) owner.get(0);
        long port = (Long) owner.get(1);
        return any.clusterNodes().stream()
                .filter(member ->
                        member.node().host().equals(host) && member.node().port() == port)
                .findFirst()
                .orElseThrow();
    }

    /** From {@code CLUSTER SLOTS}: the master (host, port, id) of the range holding the slot. */
    @SuppressWarnings("unchecked")
    private static List<Object> firstMatching(RedisNode node, String slot) {
        int wanted = Integer.parseInt(slot);
        for (Object range : (List<Object>) node.command("CLUSTER", "SLOTS")) {
            List<Object> entry = (List<Object>) range;
            if ((Long) entry.get(0) <= wanted && wanted <= (Long) entry.get(1)) {
                return (List<Object>) entry.get(2);
            }
        }
        throw new IllegalStateException("No master serves slot " + slot);
    }

    private static ClusterMember replicaOf(ClusterMember master) {
        return master.node().clusterNodes().stream()
                .filter(member -> master.id().equals(member.masterId()) && !member.failed())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(master.node() + " has no replica"));
    }

    /** Every node answers and sees a healthy cluster in which every master has a replica. */
    private static boolean healthy() {
        List<ClusterMember> members = RedisTestResource.nodes().get(0).clusterNodes();
        return members.stream().noneMatch(ClusterMember::failed)
                && members.stream()
                        .allMatch(member -> member.node().answers()
                                && ((String) member.node().command("CLUSTER", "INFO")).contains("cluster_state:ok"));
    }

    /** The nodes other than the one killed see a healthy cluster again. */
    private static boolean healthyWithout(ClusterMember killed) {
        return RedisTestResource.nodes().stream()
                .filter(node -> !node.equals(killed.node()))
                .allMatch(node ->
                        node.answers() && ((String) node.command("CLUSTER", "INFO")).contains("cluster_state:ok"));
    }
}
