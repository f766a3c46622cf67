package dev.agentmemory.longterm.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.longterm.Memory;
import dev.agentmemory.redis.RedisKeys;
import dev.agentmemory.testing.PortableProfile;
import dev.agentmemory.testing.RedisNode;
import dev.agentmemory.testing.RedisTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The portable index's term bitmaps ({@code idx:{user}:b:<term>}, kept by {@code memory-write.lua} for terms
 * with 128 postings or more): they hold exactly the numbers of the memories in the term's postings through
 * stores, updates and deletes, and go with the user; indexes written without them get them when their terms are
 * written again; and a search that intersects two terms through their bitmaps returns what intersecting their
 * postings returns.
 */
@QuarkusTest
@TestProfile(PortableBitmapsTest.LargeBudget.class)
class PortableBitmapsTest {

    /** A budget no query here exhausts, so that both ways of intersecting a pair find every memory. */
    public static class LargeBudget extends PortableProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("memory.index.backend", "portable", "memory.recall.postings-budget", "1000000");
        }
    }

    private static final Recency RECENCY = new Recency(
            0.2, Duration.ofDays(30), Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());

    private static final String[] RELATIVES = {"sister", "brother", "cousin"};
    private static final String[] HOBBIES = {"cello", "chess", "climbing"};
    private static final String[] CITIES = {"Lisbon", "Oslo", "Quito", "Kyoto", "Lima"};
    private static final String[] FOODS = {"sushi", "ramen", "tacos", "curry", "pasta", "paella", "pho", "tofu"};

    @Inject
    PortableIndex index;

    @Inject
    TextAnalyzer analyzer;

    @Inject
    RedisDataSource redis;

    @Test
    void bitmapsHoldExactlyThePostingsThroughStoresUpdatesAndDeletes() {
        String user = userWith(400);
        // Updates change a memory's terms (its old ones lose it, its new ones gain it); deletes remove it.
        for (int i = 0; i < 400; i += 13) {
            assertThat(await(index.update(record(user, i, i + 1)))).isTrue();
        }
        for (int i = 5; i < 400; i += 11) {
            assertThat(await(index.remove(user, id(i)))).isTrue();
        }

        List<String> bitmaps = keys(RedisKeys.indexPrefix(user) + "b:*");
        // "user", "live", "plai", "eat" and the three relatives and hobbies have 128 postings or more.
        assertThat(bitmaps).hasSizeGreaterThanOrEqualTo(10);
        assertBitmapsMirrorPostings(user);
        assertNumbersCoverTheMemories(user);

        await(index.forget(user));
        assertThat(keys("idx:{" + user + "}:*"))
                .as("the index keys of a forgotten user")
                .isEmpty();
    }

    @Test
    void indexesWrittenWithoutBitmapsGetThemWhenTheirTermsAreWrittenAgain() {
        String user = userWith(200);
        // An index as written before bitmaps existed: no numbers, no bitmaps, no sequence.
        String prefix = RedisKeys.indexPrefix(user);
        keys(prefix + "b:*").forEach(key -> redis.key().del(key));
        redis.key().del(RedisKeys.indexNumbers(user), RedisKeys.indexDocs(user));
        redis.hash(String.class).hdel(RedisKeys.indexStats(user), "seq");

        for (int i = 200; i < 260; i++) {
            store(user, i, i);
        }

        assertThat(keys(prefix + "b:*")).isNotEmpty();
        assertBitmapsMirrorPostings(user);
        assertThat(redis.hash(String.class).hlen(RedisKeys.indexNumbers(user)))
                .as("numbers handed out to the old memories of the terms given a bitmap")
                .isGreaterThan(60);
    }

    @Test
    void pairsIntersectedThroughBitmapsFindWhatTheirPostingsFind() {
        String user = userWith(400);
        List<String> queries = List.of(
                "sister cello",
                "brother chess Lisbon",
                "cousin climbing sushi",
                "sister chess Oslo ramen",
                "brother cello pho Kyoto",
                "cousin chess");
        Map<String, List<String>> withBitmaps = new HashMap<>();
        for (String query : queries) {
            withBitmaps.put(query, ids(search(user, query)));
        }
        assertThat(withBitmaps.values()).allSatisfy(ids -> assertThat(ids).hasSize(10));

        keys(RedisKeys.indexPrefix(user) + "b:*").forEach(key -> redis.key().del(key));

        for (String query : queries) {
            assertThat(ids(search(user, query))).as(query).isEqualTo(withBitmaps.get(query));
        }
        assertThat(keys(RedisKeys.indexPrefix(user) + "q:*"))
                .as("the search's scratch key")
                .isEmpty();
    }

    @Test
    void aSearchThatCannotWriteItsScratchKeyIntersectsThePostingsInstead() {
        String user = userWith(400);
        List<String> expected = ids(search(user, "sister cello"));
        assertThat(expected).hasSize(10);

        // A full Redis under noeviction refuses the scratch key's BITOP (OOM), as a read-only replica would.
        // Every node (of a cluster): the service's client would send CONFIG to any one.
        List<RedisNode> nodes = RedisTestResource.nodes();
        List<String> maxmemory =
                nodes.stream().map(node -> configGet(node, "maxmemory")).toList();
        List<String> policy =
                nodes.stream().map(node -> configGet(node, "maxmemory-policy")).toList();
        try {
            nodes.forEach(node -> node.command("CONFIG", "SET", "maxmemory-policy", "noeviction"));
            nodes.forEach(node -> node.command("CONFIG", "SET", "maxmemory", "1"));
            assertThat(ids(search(user, "sister cello"))).isEqualTo(expected);
        } finally {
            for (int i = 0; i < nodes.size(); i++) {
                nodes.get(i).command("CONFIG", "SET", "maxmemory", maxmemory.get(i));
                nodes.get(i).command("CONFIG", "SET", "maxmemory-policy", policy.get(i));
            }
        }
        assertThat(keys(RedisKeys.indexPrefix(user) + "q:*")).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static String configGet(RedisNode node, String parameter) {
        return (String) ((List<Object>) node.command("CONFIG", "GET", parameter)).get(1);
    }

    private void assertBitmapsMirrorPostings(String user) {
        String prefix = RedisKeys.indexPrefix(user);
        Map<String, String> numbers = redis.hash(String.class).hgetall(RedisKeys.indexNumbers(user));
        for (String bitmap : keys(prefix + "b:*")) {
            String term = bitmap.substring((prefix + "b:").length());
            List<String> postings = redis.sortedSet(String.class).zrange(prefix + "t:" + term, 0, -1);
            assertThat(postings).as("postings of %s", term).isNotEmpty();
            for (String member : postings) {
                assertThat(numbers).as("number of %s", member).containsKey(member);
                assertThat(redis.bitmap(String.class).getbit(bitmap, Long.parseLong(numbers.get(member))))
                        .as("bit of %s in %s", member, bitmap)
                        .isEqualTo(1);
            }
            assertThat(redis.bitmap(String.class).bitcount(bitmap)).as(bitmap).isEqualTo(postings.size());
        }
        for (String postings : keys(prefix + "t:*")) {
            String term = postings.substring((prefix + "t:").length());
            if (redis.sortedSet(String.class).zcard(postings) >= 128) {
                assertThat(redis.key().exists(prefix + "b:" + term))
                        .as("bitmap of %s", term)
                        .isTrue();
            }
        }
    }

    private void assertNumbersCoverTheMemories(String user) {
        Map<String, String> numbers = redis.hash(String.class).hgetall(RedisKeys.indexNumbers(user));
        Map<String, String> docs = redis.hash(String.class).hgetall(RedisKeys.indexDocs(user));
        Set<String> indexed = redis.hash(String.class).hkeys(RedisKeys.indexMeta(user)).stream()
                .collect(java.util.stream.Collectors.toSet());
        assertThat(numbers.keySet()).isEqualTo(indexed);
        assertThat(docs).hasSameSizeAs(numbers);
        numbers.forEach((member, number) -> assertThat(docs).containsEntry(number, member));
    }

    private List<Memory> search(String user, String query) {
        return await(index.search(user, analyzer.queryTerms(query, 32), Set.of(), 10, RECENCY));
    }

    /** A new user holding memories 0 … count − 1. */
    private String userWith(int count) {
        String user = "bitmaps-" + UUID.randomUUID();
        for (int i = 0; i < count; i++) {
            store(user, i, i);
        }
        return user;
    }

    private void store(String user, int i, int variant) {
        assertThat(await(index.store(record(user, i, variant))).created()).isTrue();
    }

    /** Memory i, worded by variant: each relative × hobby pair is held by about 44 of 400 memories. */
    private MemoryRecord record(String user, int i, int variant) {
        String text = "User's " + RELATIVES[variant % 3] + " lives in " + CITIES[(variant / 9) % 5] + ", plays "
                + HOBBIES[(variant / 3) % 3] + " and eats " + FOODS[(variant / 45) % 8];
        Instant created = Instant.parse("2025-06-01T00:00:00Z").plus(Duration.ofHours(i));
        return new MemoryRecord(
                user, id(i), text, "fact", created, created, "test", "hash-" + i + "-" + variant, analyzer.terms(text));
    }

    private static String id(int i) {
        return "m" + i;
    }

    private static List<String> ids(List<Memory> memories) {
        return memories.stream().map(Memory::id).toList();
    }

    private List<String> keys(String pattern) {
        return RedisTestResource.keys(pattern);
    }

    private static <T> T await(io.smallrye.mutiny.Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(30));
    }
}
