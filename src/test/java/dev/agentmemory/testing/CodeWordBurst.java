package dev.agentmemory.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A burst of chat turns for the fault tests: every user sends its turns one after the other, all users at once,
 * each turn telling a code word of its own ("My code word is …"), so that with the stub's
 * {@link OpenAiStub#replyToExtractionWithCodeWords code-word facts} every saved exchange has exactly one fact of
 * its own. Afterwards, whatever failed in between, the test checks that the facts stored are exactly those of the
 * exchanges saved in the users' sessions, each once.
 */
public final class CodeWordBurst {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CODE_WORD = Pattern.compile("code word is (\\w+)");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> users = new ArrayList<>();
    private final int turns;
    private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final List<CompletableFuture<Void>> senders = new ArrayList<>();
    private final ExecutorService threads;
    private volatile String baseUrl;
    private volatile boolean sending = true;

    public CodeWordBurst(String baseUrl, int users, int turnsPerUser) {
        this.baseUrl = baseUrl;
        this.turns = turnsPerUser;
        for (int i = 0; i < users; i++) {
            this.users.add("burst-" + run + "-" + i);
        }
        this.threads = Executors.newFixedThreadPool(users);
    }

    /** Starts every user's turns in the background. */
    public CodeWordBurst start() {
        for (int i = 0; i < users.size(); i++) {
            int user = i;
            senders.add(CompletableFuture.runAsync(() -> send(user), threads));
        }
        return this;
    }

    private void send(int user) {
        for (int turn = 0; turn < turns && sending; turn++) {
            String word = "k" + run + "u" + user + "t" + turn;
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(
                                        URI.create(baseUrl + "/v1/users/" + users.get(user) + "/sessions/s1/chat"))
                                .timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"message\":\"Remember this: my code word is " + word + ".\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                (response.statusCode() == 200 ? answered : failed).incrementAndGet();
            } catch (IOException e) {
                failed.incrementAndGet(); // the service went away mid-turn
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Turns answered 200 so far. */
    public int answered() {
        return answered.get();
    }

    /** Turns that failed (an error status, or the connection lost). */
    public int failed() {
        return failed.get();
    }

    /** Sends no more turns, and waits for those under way. */
    public void stop() {
        sending = false;
        CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).join();
        threads.shutdown();
    }

    /** Waits until every user has sent all its turns. */
    public void awaitSent(Duration atMost) {
        CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new))
                .orTimeout(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .join();
    }

    /** Reads from another service (a restarted one) from now on. */
    public void readFrom(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /**
     * Waits until the facts stored for the burst's users are exactly the code words of the exchanges saved in their
     * sessions, each stored once.
     */
    public void awaitEverySavedExchangeExtractedOnce(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, List<String>> expected = new LinkedHashMap<>();
            Map<String, List<String>> stored = new LinkedHashMap<>();
            for (String user : users) {
                expected.put(
                        user,
                        savedCodeWords(user).stream()
                                .map(OpenAiStub::codeWordFact)
                                .sorted()
                                .toList());
                stored.put(user, storedFacts(user).stream().sorted().toList());
            }
            assertThat(stored).isEqualTo(expected);
        });
    }

    /** How many exchanges the users' sessions hold. */
    public int saved() {
        return users.stream().mapToInt(user -> savedCodeWords(user).size()).sum();
    }

    private List<String> savedCodeWords(String user) {
        List<String> words = new ArrayList<>();
        for (JsonNode message : get("/v1/users/" + user + "/sessions/s1").path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                Matcher matcher = CODE_WORD.matcher(message.path("content").asText());
                if (matcher.find()) {
                    words.add(matcher.group(1));
                }
            }
        }
        return words;
    }

    private List<String> storedFacts(String user) {
        List<String> facts = new ArrayList<>();
        get("/v1/users/" + user + "/memories?limit=100")
                .path("memories")
                .forEach(memory -> facts.add(memory.path("text").asText()));
        return facts;
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + path))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
