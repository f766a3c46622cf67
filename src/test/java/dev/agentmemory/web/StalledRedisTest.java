package dev.agentmemory.web;

import static dev.agentmemory.testing.Api.append;
import static dev.agentmemory.testing.Api.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentmemory.testing.RedisNode;
import dev.agentmemory.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Redis stops answering (its process paused with {@code SIGSTOP}, as in a long GC-like stall, a frozen VM or a
 * network partition that keeps connections open) for 15 s under 300 concurrent clients: every request answers
 * within {@code quarkus.redis.timeout} + 1 s, with a 503 and {@code Retry-After} while Redis is paused, readiness
 * turns DOWN within the same bound, and requests succeed again within 1 s of {@code SIGCONT}.
 */
@QuarkusTest
class StalledRedisTest {

    private static final int CLIENTS = 300;
    private static final Duration PAUSE = Duration.ofSeconds(15);
    private static final long SLACK_MILLIS = 1000;
    /** Load before the pause, so that the service is warm (300 connections opened, code compiled). */
    private static final Duration WARM_UP = Duration.ofSeconds(5);

    @ConfigProperty(name = "quarkus.redis.timeout")
    Duration timeout;

    private final HttpClient http =
            HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private volatile boolean loading = true;

    /** One request: when it was sent and answered (ms since the epoch), and its status. */
    record Outcome(long sent, long answered, int status, long retryAfterSeconds) {
        long millis() {
            return answered - sent;
        }
    }

    @Test
    void everyRequestAnswersWithinTheTimeoutWhileRedisIsPausedAndSucceedsOnceItIsBack() throws Exception {
        List<RedisNode> nodes = RedisTestResource.nodes();
        assumeTrue(
                RedisTestResource.clusterHosts().isEmpty() && nodes.size() == 1 && isLocal(nodes.get(0)),
                "Skipped: needs a single Redis process on this machine to pause");
        long pid = nodes.get(0).pid();
        for (int i = 0; i < CLIENTS; i++) {
            append("stall-" + i, "s1", message("user", "hello")).statusCode(200);
        }

        List<CompletableFuture<Void>> running = new java.util.ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            running.add(loop(i));
        }
        Thread.sleep(WARM_UP.toMillis());
        long paused = System.currentTimeMillis();
        signal("STOP", pid);
        Outcome readiness;
        long resumed;
        try {
            Thread.sleep(2000);
            readiness = get("/q/health/ready");
            Thread.sleep(PAUSE.toMillis() - 2000 - readiness.millis());
        } finally {
            resumed = System.currentTimeMillis();
            signal("CONT", pid);
        }
        Thread.sleep(3000);
        loading = false;
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        Outcome readyAgain = get("/q/health/ready");

        long bound = timeout.toMillis() + SLACK_MILLIS;
        // From a second before the pause (the warm-up's first requests meet a cold service).
        List<Outcome> all =
                outcomes.stream().filter(o -> o.sent() >= paused - SLACK_MILLIS).toList();
        // A reply Redis sent just before it stopped may be read a little later by a busy machine: from 1 s on.
        List<Outcome> answeredWhilePaused = all.stream()
                .filter(o -> o.answered() > paused + SLACK_MILLIS && o.answered() < resumed)
                .toList();
        List<Outcome> sentAfterRecovery =
                all.stream().filter(o -> o.sent() >= resumed + SLACK_MILLIS).toList();
        System.out.printf(
                "StalledRedisTest: %d requests from 1 s before the pause, slowest %d ms (bound %d ms); %d answered while paused, %d of them 503;"
                        + " first 2xx %d ms after SIGCONT; readiness %d in %d ms while paused%n",
                all.size(),
                all.stream().mapToLong(Outcome::millis).max().orElse(0),
                bound,
                answeredWhilePaused.size(),
                answeredWhilePaused.stream().filter(o -> o.status() == 503).count(),
                all.stream()
                                .filter(o -> o.status() == 200 && o.answered() >= resumed)
                                .mapToLong(Outcome::answered)
                                .min()
                                .orElse(Long.MAX_VALUE)
                        - resumed,
                readiness.status(),
                readiness.millis());

        assertThat(all).allSatisfy(o -> assertThat(o.millis()).isLessThanOrEqualTo(bound));
        assertThat(answeredWhilePaused)
                .isNotEmpty()
                .allSatisfy(o -> assertThat(o.status()).isEqualTo(503))
                .allSatisfy(o -> assertThat(o.retryAfterSeconds()).isPositive());
        assertThat(all).anySatisfy(o -> {
            assertThat(o.status()).isEqualTo(200);
            assertThat(o.answered()).isBetween(resumed, resumed + SLACK_MILLIS);
        });
        assertThat(sentAfterRecovery).isNotEmpty().allSatisfy(o -> assertThat(o.status())
                .isEqualTo(200));
        assertThat(readiness.status()).isEqualTo(503);
        assertThat(readiness.millis()).isLessThanOrEqualTo(bound);
        assertThat(readyAgain.status()).isEqualTo(200);
    }

    /**
     * One client: reads its session over and over while the test runs; after a 503 it waits as {@code Retry-After}
     * says, as a well-behaved client does.
     */
    private CompletableFuture<Void> loop(int client) {
        if (!loading) {
            return CompletableFuture.completedFuture(null);
        }
        long sent = System.currentTimeMillis();
        return http.sendAsync(
                        request("/v1/users/stall-" + client + "/sessions/s1"), HttpResponse.BodyHandlers.discarding())
                .handle((response, failure) -> {
                    int status = failure == null ? response.statusCode() : -1;
                    long retryAfter = failure == null
                            ? response.headers()
                                    .firstValue("Retry-After")
                                    .map(Long::parseLong)
                                    .orElse(0L)
                            : 0;
                    Outcome outcome = new Outcome(sent, System.currentTimeMillis(), status, retryAfter);
                    outcomes.add(outcome);
                    return outcome;
                })
                .thenCompose(outcome -> outcome.status() == 200
                        ? loop(client)
                        : CompletableFuture.runAsync(
                                        () -> {},
                                        CompletableFuture.delayedExecutor(
                                                Math.max(1, outcome.retryAfterSeconds()), TimeUnit.SECONDS))
                                .thenCompose(ignored -> loop(client)));
    }

    private Outcome get(String path) throws IOException, InterruptedException {
        long sent = System.currentTimeMillis();
        HttpResponse<Void> response = http.send(request(path), HttpResponse.BodyHandlers.discarding());
        return new Outcome(sent, System.currentTimeMillis(), response.statusCode(), 0);
    }

    private static HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .timeout(Duration.ofSeconds(60))
                .build();
    }

    private static boolean isLocal(RedisNode node) {
        return node.host().equals("127.0.0.1") || node.host().equals("localhost");
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                .inheritIO()
                .start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, pid).isZero();
    }
}
