package dev.agentmemory.longterm;

import static dev.agentmemory.testing.Memories.path;
import static dev.agentmemory.testing.Memories.recallTexts;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.llm.Embeddings;
import dev.agentmemory.longterm.index.MemoryIndex;
import dev.agentmemory.longterm.index.MemoryRecord;
import dev.agentmemory.longterm.index.SearchBackend;
import dev.agentmemory.longterm.index.TextAnalyzer;
import dev.agentmemory.longterm.vector.Embedded;
import dev.agentmemory.longterm.vector.VectorBacklog;
import dev.agentmemory.redis.Pipeline;
import dev.agentmemory.redis.UserErasedException;
import dev.agentmemory.redis.UserGeneration;
import dev.agentmemory.testing.Memories;
import dev.agentmemory.testing.RedisTestResource;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Memories stored without a vector of the current model (before vectors existed, with no model ready, or by another
 * model) get one from the backfill and are then recalled by meaning; the backfill never brings back a memory deleted
 * or a user forgotten while it runs, nor writes a vector for a text that changed. Run once per search backend by its
 * subclasses; the memories are written straight into the index, as a service without a model would have.
 */
abstract class VectorBackfillTest {

    private static final Duration WAIT = Duration.ofMinutes(2);

    private static final List<String> UNRELATED = List.of(
            "User went hiking in the Alps last summer",
            "User collects vintage stamps",
            "User drinks green tea every morning",
            "User is allergic to peanuts");

    @Inject
    VectorBackfill backfill;

    @Inject
    SearchBackend backend;

    @Inject
    Embeddings embeddings;

    @Inject
    TextAnalyzer analyzer;

    @Inject
    UserGeneration generations;

    @Inject
    ReactiveRedisDataSource redis;

    MemoryIndex index;

    @BeforeEach
    void findIndex() {
        index = backend.index().await().atMost(WAIT);
        assertThat(embeddings.ready())
                .as("the embedding model is loaded at start in tests")
                .isTrue();
    }

    @Test
    void memoriesStoredWithoutAVectorGetOneAndAreThenRecalledByMeaning() {
        String user = newUser();
        UNRELATED.forEach(text -> storeWithout(user, text));
        String nurse = storeWithout(user, "Caroline works as a nurse at the children's hospital.");
        assertThat(pending(user)).hasSize(UNRELATED.size() + 1);
        // No vector, no word in common: not found.
        assertThat(recallTexts(user, "What does she do for a living?"))
                .doesNotContain("Caroline works as a nurse at the children's hospital.");

        VectorBackfill.Pass pass = backfill.run().await().atMost(WAIT);

        assertThat(pass.vectors()).isGreaterThanOrEqualTo(UNRELATED.size() + 1);
        assertThat(pending(user)).isEmpty();
        assertThat(recallTexts(user, "What does she do for a living?"))
                .first()
                .isEqualTo("Caroline works as a nurse at the children's hospital.");
        given().get(path(user) + "/" + nurse).then().statusCode(200);
        // A second pass finds nothing left of the user.
        backfill.run().await().atMost(WAIT);
        assertThat(pending(user)).isEmpty();
    }

    @Test
    void onlyTheMemoriesWithoutAVectorAreListed() {
        String user = newUser();
        UNRELATED.forEach(text -> Memories.store(user, text, "fact", null)); // through the API: with vectors
        String without = storeWithout(user, "User has been taking cello lessons since March.");

        assertThat(pending(user)).extracting(VectorBacklog.Pending::id).containsExactly(without);
        backfill.run().await().atMost(WAIT);
        assertThat(pending(user)).isEmpty();
        assertThat(recallTexts(user, "What instrument do I play?"))
                .first()
                .isEqualTo("User has been taking cello lessons since March.");
    }

    @Test
    void vectorsOfAnotherModelAreReplacedByTheCurrentModels() {
        String user = newUser();
        Embedded other = new Embedded(randomUnitVector(384), "in-process:another-model:384");
        UNRELATED.forEach(text -> store(user, text, other));
        store(user, "User owns a golden retriever.", other);
        assertThat(pending(user)).hasSize(UNRELATED.size() + 1);

        backfill.run().await().atMost(WAIT);

        assertThat(pending(user)).isEmpty();
        assertThat(recallTexts(user, "Do I have any pets?")).first().isEqualTo("User owns a golden retriever.");
    }

    @Test
    void aMemoryDeletedOrChangedAfterItWasEmbeddedGetsNoVector() {
        String user = newUser();
        String deleted = storeWithout(user, "User plays the cello on Sundays");
        String changed = storeWithout(user, "User commutes by bicycle.");
        VectorBacklog page = index.vectorBacklog(user, embeddings.modelId(), "0", 100)
                .await()
                .atMost(WAIT);
        assertThat(page.memories()).hasSize(2);

        given().delete(path(user) + "/" + deleted).then().statusCode(204);
        given().contentType(ContentType.JSON)
                .body(Map.of("text", "User commutes by train."))
                .patch(path(user) + "/" + changed)
                .then()
                .statusCode(200);
        for (VectorBacklog.Pending memory : page.memories()) {
            assertThat(addVector(user, page.generation(), memory)).isFalse();
        }

        given().get(path(user) + "/" + deleted).then().statusCode(404);
        assertThat(keysOf(user)).noneMatch(key -> key.endsWith(":" + deleted));
        given().get(path(user) + "/" + changed).then().statusCode(200);
        // The update's own vector stays: the backfill's, made from the old text, was refused.
        assertThat(recallTexts(user, "How do I usually get to the office?"))
                .first()
                .isEqualTo("User commutes by train.");
    }

    @Test
    void aUserForgottenAfterTheBacklogWasReadIsNotBroughtBack() {
        String user = newUser();
        storeWithout(user, "User has a wife called Elena.");
        // The user has a generation (as after a chat turn): the write is refused by it, not only by the missing HASH.
        Pipeline.run(redis, generations.currentQuery(user)).await().atMost(WAIT);
        VectorBacklog page = index.vectorBacklog(user, embeddings.modelId(), "0", 100)
                .await()
                .atMost(WAIT);
        assertThat(page.generation()).isNotEmpty();

        given().delete("/v1/users/" + user).then().statusCode(204);
        boolean written;
        try {
            written = addVector(user, page.generation(), page.memories().get(0));
        } catch (UserErasedException refused) {
            written = false;
        }

        assertThat(written).isFalse();
        assertThat(keysOf(user)).isEmpty();
    }

    @Test
    void memoriesDeletedAndUsersForgottenWhileABackfillRunsStayGone() {
        String kept = newUser();
        String forgotten = newUser();
        List<String> deleted = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            storeWithout(kept, "Kept memory number " + i + " about the garden shed " + i);
            storeWithout(forgotten, "Forgotten memory number " + i + " about the old piano " + i);
            String id = storeWithout(kept, "Deleted memory number " + i + " about the red kite " + i);
            deleted.add(id);
        }

        CompletableFuture<VectorBackfill.Pass> running =
                backfill.run().subscribeAsCompletionStage().toCompletableFuture();
        given().delete("/v1/users/" + forgotten).then().statusCode(204);
        deleted.forEach(id -> given().delete(path(kept) + "/" + id).then().statusCode(204));
        running.join();

        assertThat(keysOf(forgotten)).isEmpty();
        deleted.forEach(id -> given().get(path(kept) + "/" + id).then().statusCode(404));
        assertThat(keysOf(kept)).noneMatch(key -> deleted.stream().anyMatch(key::endsWith));
        assertThat(recallTexts(kept, null)).hasSize(60).allMatch(text -> text.startsWith("Kept"));
        // Whatever the race left to do is done by the next pass.
        backfill.run().await().atMost(WAIT);
        assertThat(pending(kept)).isEmpty();
        assertThat(keysOf(forgotten)).isEmpty();
    }

    private boolean addVector(String user, String generation, VectorBacklog.Pending memory) {
        float[] vector = embeddings.embed(memory.text()).await().atMost(WAIT);
        return index.addVector(user, memory.id(), memory.text(), generation, new Embedded(vector, embeddings.modelId()))
                .await()
                .atMost(WAIT);
    }

    /** The user's memories without a vector of the current model, all pages. */
    private List<VectorBacklog.Pending> pending(String user) {
        List<VectorBacklog.Pending> all = new ArrayList<>();
        String cursor = "0";
        do {
            VectorBacklog page = index.vectorBacklog(user, embeddings.modelId(), cursor, 100)
                    .await()
                    .atMost(WAIT);
            all.addAll(page.memories());
            cursor = page.cursor();
        } while (!"0".equals(cursor));
        return all;
    }

    private String storeWithout(String user, String text) {
        return store(user, text, null);
    }

    /** Writes a memory straight into the index, with the given vector or none, as the service would. */
    private String store(String user, String text, Embedded vector) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String id = HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes(), 0, 8);
        MemoryRecord record = new MemoryRecord(
                user, id, text, "fact", now, now, "api", Dedupe.contentHash(text), analyzer.terms(text), "", vector);
        assertThat(index.store(record).await().atMost(WAIT).created()).isTrue();
        return id;
    }

    private static float[] randomUnitVector(int dimension) {
        Random random = new Random(7);
        float[] vector = new float[dimension];
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            vector[i] = (float) random.nextGaussian();
            norm += vector[i] * vector[i];
        }
        for (int i = 0; i < dimension; i++) {
            vector[i] /= (float) Math.sqrt(norm);
        }
        return vector;
    }

    private static String newUser() {
        return "backfill-" + UUID.randomUUID();
    }

    private static List<String> keysOf(String user) {
        return RedisTestResource.keys("*{" + user + "}*");
    }
}
