package dev.agentmemory.longterm;

import static dev.agentmemory.testing.Api.append;
import static dev.agentmemory.testing.Api.message;
import static dev.agentmemory.testing.Memories.path;
import static dev.agentmemory.testing.Memories.recall;
import static dev.agentmemory.testing.Memories.recallTexts;
import static dev.agentmemory.testing.Memories.remember;
import static dev.agentmemory.testing.Memories.store;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.agentmemory.testing.Api;
import dev.agentmemory.testing.RedisTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract every search backend honours, run once per adapter by its subclasses: scoping, kind filter,
 * recency, re-indexing on update, un-indexing on delete, forgetting a user, dedupe.
 */
abstract class MemoryContractTest {

    @Inject
    RedisDataSource redis;

    static String newUser(String name) {
        return name + "-" + UUID.randomUUID();
    }

    static String ago(long days) {
        return Instant.now().minus(days, ChronoUnit.DAYS).toString();
    }

    @Test
    void recallIsScopedToTheUser() {
        String alice = newUser("alice");
        String bob = newUser("bob");
        String aliceTea = store(alice, "Alice drinks green tea every morning", "preference", null);
        store(bob, "Bob drinks black tea every evening", "preference", null);

        assertThat(recallTexts(alice, "tea")).containsExactly("Alice drinks green tea every morning");
        assertThat(recallTexts(bob, "tea")).containsExactly("Bob drinks black tea every evening");
        assertThat(recallTexts(bob, null)).containsExactly("Bob drinks black tea every evening");

        // Alice's memory is not reachable through Bob's paths.
        given().get(path(bob) + "/" + aliceTea).then().statusCode(404);
        given().contentType(ContentType.JSON)
                .body(Map.of("text", "hijacked"))
                .patch(path(bob) + "/" + aliceTea)
                .then()
                .statusCode(404);
        given().delete(path(bob) + "/" + aliceTea).then().statusCode(404);
        given().get(path(alice) + "/" + aliceTea)
                .then()
                .statusCode(200)
                .body("text", equalTo("Alice drinks green tea every morning"));
    }

    @Test
    void recallRanksByRelevanceAndReturnsScores() {
        String user = newUser("u");
        store(user, "User is vegetarian", "preference", null);
        store(user, "User went hiking in the Alps last summer", "event", null);
        store(user, "User's favourite vegetarian dish is a spicy curry", "preference", null);

        recall(user, "vegetarian curry")
                .statusCode(200)
                .body("memories[0].text", equalTo("User's favourite vegetarian dish is a spicy curry"))
                .body("memories[0].score", notNullValue())
                .body("memories[0].id", notNullValue())
                .body("memories[0].createdAt", notNullValue());
        assertThat(recallTexts(user, "vegetarian").subList(0, 2))
                .containsExactlyInAnyOrder("User is vegetarian", "User's favourite vegetarian dish is a spicy curry");
        // No memory holds the word: lexical search finds nothing (recall by meaning may still rank weak neighbours).
        assertThat(lexical(user, "submarine")).isEmpty();
    }

    @Test
    void kindFilterKeepsOnlyTheRequestedKinds() {
        String user = newUser("u");
        store(user, "User likes jazz music", "preference", null);
        store(user, "User went to a jazz concert in Lisbon", "event", null);
        store(user, "User plays jazz piano", "fact", null);

        assertThat(recallTexts(user, "jazz", "preference")).containsExactly("User likes jazz music");
        assertThat(recallTexts(user, "jazz", "preference", "event"))
                .containsExactlyInAnyOrder("User likes jazz music", "User went to a jazz concert in Lisbon");
        assertThat(recallTexts(user, null, "fact")).containsExactly("User plays jazz piano");
        assertThat(recallTexts(user, "jazz", "decision")).isEmpty();
    }

    @Test
    void withoutAQueryTheNewestComeFirst() {
        String user = newUser("u");
        store(user, "Middle memory", "fact", ago(10));
        store(user, "Oldest memory", "fact", ago(100));
        store(user, "Newest memory", "fact", ago(1));

        assertThat(recallTexts(user, null)).containsExactly("Newest memory", "Middle memory", "Oldest memory");
        recall(user, null).body("memories[0].score", org.hamcrest.Matchers.nullValue());
        assertThat(given().queryParam("limit", 2)
                        .get(path(user))
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("memories.text", String.class))
                .containsExactly("Newest memory", "Middle memory");
    }

    @Test
    void recencyBreaksTiesBetweenEquallyRelevantMemories() {
        String user = newUser("u");
        // Same length, one shared query term each: equal BM25; the same meaning but for a number. Their cosines with
        // the query still differ by a few hundredths, as much as the boost of 60 days against a year, so only the
        // newest (boosted ×1.19 against ×1.05 and ×1.0) is sure to rank first.
        store(user, "User ordered coffee at table 3", "event", ago(365));
        store(user, "User ordered coffee at table 5", "event", ago(2));
        store(user, "User ordered coffee at table 7", "event", ago(60));

        List<String> found = recallTexts(user, "coffee");
        assertThat(found)
                .containsExactlyInAnyOrder(
                        "User ordered coffee at table 3",
                        "User ordered coffee at table 5",
                        "User ordered coffee at table 7");
        assertThat(found.get(0)).isEqualTo("User ordered coffee at table 5");
    }

    @Test
    void updateReindexes() {
        String user = newUser("u");
        String id = store(user, "User collects vintage stamps", "fact", null);

        given().contentType(ContentType.JSON)
                .body(Map.of("text", "User collects antique clocks", "kind", "preference"))
                .patch(path(user) + "/" + id)
                .then()
                .statusCode(200)
                .body("text", equalTo("User collects antique clocks"))
                .body("kind", equalTo("preference"));

        assertThat(lexical(user, "stamps")).isEmpty();
        assertThat(recallTexts(user, "clocks")).containsExactly("User collects antique clocks");
        assertThat(recallTexts(user, "collects", "fact")).isEmpty();
        assertThat(recallTexts(user, "collects", "preference")).containsExactly("User collects antique clocks");
        given().get(path(user) + "/" + id).then().statusCode(200).body("kind", equalTo("preference"));
    }

    @Test
    void aPatchThatWouldDuplicateAnotherMemoryIsRefusedAndChangesNothing() {
        String user = newUser("u");
        String vegetarian = store(user, "User is vegetarian.", "preference", null);
        String stamps = store(user, "User collects vintage stamps", "fact", null);

        // The same text (same content hash), and one that dedupe finds alike (same analysed terms).
        for (String text : List.of("User is vegetarian.", "The user is a vegetarian")) {
            Api.assertProblem(
                            given().contentType(ContentType.JSON)
                                    .body(Map.of("text", text))
                                    .patch(path(user) + "/" + stamps)
                                    .then(),
                            409)
                    .body("type", equalTo("urn:agent-memory:problem:duplicate-memory"))
                    .body("detail", containsString(vegetarian));
        }
        given().get(path(user) + "/" + stamps)
                .then()
                .statusCode(200)
                .body("text", equalTo("User collects vintage stamps"));
        assertThat(recallTexts(user, null))
                .containsExactlyInAnyOrder("User is vegetarian.", "User collects vintage stamps");

        // A memory may keep its own text, or change its kind only.
        given().contentType(ContentType.JSON)
                .body(Map.of("text", "User is vegetarian.", "kind", "fact"))
                .patch(path(user) + "/" + vegetarian)
                .then()
                .statusCode(200);
    }

    @Test
    void deleteUnindexes() {
        String user = newUser("u");
        String id = store(user, "User is allergic to peanuts", "fact", null);
        given().delete(path(user) + "/" + id).then().statusCode(204);

        assertThat(recallTexts(user, "peanuts")).isEmpty();
        assertThat(recallTexts(user, null)).isEmpty();
        given().get(path(user) + "/" + id).then().statusCode(404);
        given().delete(path(user) + "/" + id).then().statusCode(404);
        // The same text can be remembered again afterwards.
        remember(user, "User is allergic to peanuts").statusCode(201);
    }

    @Test
    void forgettingAUserLeavesNoKeyOfTheirs() {
        String user = newUser("gone");
        String other = newUser("stays");
        for (int i = 0; i < 30; i++) {
            store(user, "Memory number " + i + " about topic" + i, i % 2 == 0 ? "fact" : "event", null);
        }
        append(user, "s1", message("user", "hello")).statusCode(200);
        append(user, "s2", message("user", "again")).statusCode(200);
        store(other, "Other user's memory about topic1", "fact", null);
        append(other, "s1", message("user", "mine")).statusCode(200);
        assertThat(keysOf(user)).isNotEmpty();

        given().delete("/v1/users/" + user).then().statusCode(204);

        assertThat(keysOf(user)).isEmpty();
        assertThat(recallTexts(user, "topic1")).isEmpty();
        assertThat(recallTexts(other, "topic1")).containsExactly("Other user's memory about topic1");
        dev.agentmemory.testing.Api.session(other, "s1")
                .body("messages.content", org.hamcrest.Matchers.contains("mine"));
    }

    @Test
    void dedupeMergesParaphrasesAndKeepsDifferentFactsApart() {
        String user = newUser("u");
        String id =
                remember(user, "User is vegetarian.").statusCode(201).extract().path("id");

        remember(user, "The user is a vegetarian").statusCode(200).body("id", equalTo(id));
        remember(user, "user is vegetarian.").statusCode(200).body("id", equalTo(id));
        remember(user, "User's sister is vegetarian").statusCode(201);
        remember(user, "User is vegetarian").statusCode(200).body("id", equalTo(id));

        assertThat(recallTexts(user, null))
                .containsExactlyInAnyOrder("User is vegetarian.", "User's sister is vegetarian");

        // Reworded with other words: merged by meaning. The same words about someone else, or no longer true: kept.
        String allergy = remember(user, "User is allergic to peanuts.")
                .statusCode(201)
                .extract()
                .path("id");
        remember(user, "User has a peanut allergy").statusCode(200).body("id", equalTo(allergy));
        remember(user, "User's birthday is on March 3").statusCode(201);
        remember(user, "User's wife's birthday is on March 3").statusCode(201);
        remember(user, "User works at Google").statusCode(201);
        remember(user, "User used to work at Google").statusCode(201);
        remember(user, "User has two children").statusCode(201);
        remember(user, "User has 3 children").statusCode(201);
    }

    @Test
    void dedupeIsPerUser() {
        String alice = newUser("alice");
        String bob = newUser("bob");
        String a = remember(alice, "Likes spicy food").statusCode(201).extract().path("id");
        String b = remember(bob, "Likes spicy food").statusCode(201).extract().path("id");
        assertThat(a).isNotNull();
        assertThat(b).isNotNull();
    }

    @Inject
    dev.agentmemory.longterm.index.SearchBackend backend;

    @Inject
    dev.agentmemory.longterm.index.TextAnalyzer analyzer;

    /**
     * Questions worded unlike the memories that answer them (no content word in common after analysis): lexical
     * search cannot find them, recall by meaning must. Recall@1 and @5 of both are printed.
     */
    @Test
    void paraphrasesAreRecalledByMeaning() {
        String user = newUser("paraphrase");
        List<Map<String, String>> pairs = dev.agentmemory.testing.TestTexts.json(
                "recall/paraphrases.json", new com.fasterxml.jackson.core.type.TypeReference<>() {});
        assertThat(pairs).hasSizeGreaterThanOrEqualTo(30);
        Map<String, String> idOf = new java.util.HashMap<>();
        for (Map<String, String> pair : pairs) {
            assertThat(analyzer.queryTerms(pair.get("query"), 32))
                    .as("query and memory share no content word: %s", pair)
                    .doesNotContainAnyElementsOf(analyzer.terms(pair.get("memory")));
            idOf.put(pair.get("memory"), store(user, pair.get("memory"), "fact", null));
        }
        dev.agentmemory.longterm.index.MemoryIndex index =
                backend.index().await().atMost(java.time.Duration.ofSeconds(10));
        double[] lexical = new double[2];
        double[] hybrid = new double[2];
        for (Map<String, String> pair : pairs) {
            String expected = idOf.get(pair.get("memory"));
            List<String> lexicalTop = index
                    .search(
                            user,
                            analyzer.queryTerms(pair.get("query"), 32),
                            java.util.Set.of(),
                            5,
                            dev.agentmemory.longterm.index.Recency.none(0))
                    .await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .stream()
                    .map(Memory::id)
                    .toList();
            List<String> hybridTop = recall(user, pair.get("query"))
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("memories.id", String.class)
                    .stream()
                    .limit(5)
                    .toList();
            count(lexical, lexicalTop, expected);
            count(hybrid, hybridTop, expected);
        }
        System.out.printf(
                java.util.Locale.ROOT,
                "Paraphrases (%d, %s): lexical R@1 %.3f R@5 %.3f | hybrid R@1 %.3f R@5 %.3f%n",
                pairs.size(),
                index.name(),
                lexical[0] / pairs.size(),
                lexical[1] / pairs.size(),
                hybrid[0] / pairs.size(),
                hybrid[1] / pairs.size());
        assertThat(lexical[1]).as("lexical recall@5 hits").isZero();
        assertThat(hybrid[1] / pairs.size()).as("hybrid recall@5").isGreaterThanOrEqualTo(0.8);
    }

    /** The user's memories holding the query's words, by BM25 alone. */
    List<String> lexical(String user, String query) {
        return backend
                .index()
                .chain(index -> index.search(
                        user,
                        analyzer.queryTerms(query, 32),
                        java.util.Set.of(),
                        100,
                        dev.agentmemory.longterm.index.Recency.none(0)))
                .await()
                .atMost(java.time.Duration.ofSeconds(10))
                .stream()
                .map(Memory::text)
                .toList();
    }

    private static void count(double[] hits, List<String> top, String expected) {
        if (!top.isEmpty() && top.get(0).equals(expected)) {
            hits[0]++;
        }
        if (top.contains(expected)) {
            hits[1]++;
        }
    }

    @Test
    void hostileQueriesNeverFailAndNeverLeak() {
        String alice = newUser("alice");
        String bob = newUser("bob");
        store(alice, "Alice keeps a secret diary", "fact", null);
        store(bob, "Bob keeps a public blog", "fact", null);
        List<String> hostile = new ArrayList<>(List.of(
                "@userId:{" + alice + "}",
                "@userId:{*}",
                "*",
                "\"",
                "\"keeps",
                "|",
                "keeps|diary",
                "-",
                "-keeps",
                "(",
                "(keeps",
                "{",
                "}",
                "\\",
                "keeps\\",
                "@text:(diary)",
                "'; DROP TABLE memories; --",
                "日記 を 書く",
                "Ünïcödé kéeps",
                "🔥🙈 keeps",
                "%",
                "keeps*",
                "~keeps",
                "$keeps",
                "keeps@diary",
                "",
                "   ",
                "x".repeat(10_240),
                "keeps ".repeat(1_700)));
        for (String q : hostile) {
            List<String> texts = given().queryParam("q", q)
                    .get(path(bob))
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("memories.text", String.class);
            assertThat(texts)
                    .as("q=%s", q.length() > 40 ? q.substring(0, 40) + "…" : q)
                    .allMatch(t -> t.startsWith("Bob"));
        }
    }

    /** Every key of the user, by SCAN of the server (of every master of a cluster). */
    List<String> keysOf(String userId) {
        return RedisTestResource.keys("*{" + userId + "}*");
    }
}
