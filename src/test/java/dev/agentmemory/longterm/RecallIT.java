package dev.agentmemory.longterm;

import static dev.agentmemory.testing.Memories.recall;
import static dev.agentmemory.testing.Memories.remember;
import static dev.agentmemory.testing.Memories.store;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.agentmemory.testing.AdminApiKey;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Remember and recall through the packaged application: the Lua scripts and the Lucene analyser must be in the
 * jar or native executable for these to pass.
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
}
