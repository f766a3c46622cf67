package dev.agentmemory.longterm;

import static dev.agentmemory.testing.Memories.recall;
import static dev.agentmemory.testing.Memories.recallTexts;
import static dev.agentmemory.testing.Memories.remember;
import static dev.agentmemory.testing.Memories.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.agentmemory.testing.AdminApiKey;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Remember and recall through the packaged application: the Lua scripts, the Lucene analyser and the in-process
 * embedding model (with ONNX Runtime's and the tokenizer's native libraries) must be in the jar or native executable
 * for these to pass.
 */
@QuarkusIntegrationTest
@ExtendWith(AdminApiKey.class)
class RecallIT {

    @Test
    void recallRanksTheMemoryThatMatchesTheQueryFirst() {
        String user = "u-" + UUID.randomUUID();
        store(user, "User loves spicy food", "preference", null);
        store(user, "User's dentist appointment is on Friday", "event", null);

        recall(user, "What food does the user like?")
                .statusCode(200)
                .body("memories[0].text", equalTo("User loves spicy food"))
                .body("memories[0].kind", equalTo("preference"))
                .body("memories[0].score", notNullValue());
    }

    @Test
    void aDuplicateIsNotStoredTwice() {
        String user = "u-" + UUID.randomUUID();
        String id = store(user, "User is vegetarian.", "preference", null);

        remember(user, "The user is a vegetarian").statusCode(200).body("id", equalTo(id));
        recall(user, null).statusCode(200).body("memories.id", contains(id));
    }

    /**
     * The query shares no word with the memory, so only its vector finds it. The model loads in the background after
     * start-up, and a memory stored before then has no vector yet: each attempt stores its memories afresh.
     */
    @Test
    void aMemoryIsFoundByMeaningOnceTheModelHasLoaded() {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    String user = "u-" + UUID.randomUUID();
                    store(user, "Caroline works as a nurse at the city hospital", "fact", null);
                    store(user, "Caroline's brother collects vintage stamps", "fact", null);
                    assertThat(recallTexts(user, "What does she do for a living?"))
                            .first()
                            .isEqualTo("Caroline works as a nurse at the city hospital");
                });
    }
}
