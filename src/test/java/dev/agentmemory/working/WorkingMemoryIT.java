package dev.agentmemory.working;

import static dev.agentmemory.testing.Api.append;
import static dev.agentmemory.testing.Api.message;
import static dev.agentmemory.testing.Api.session;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.agentmemory.testing.AdminApiKey;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Working memory through the packaged application (jar or native executable), against a real Redis. */
@QuarkusIntegrationTest
@ExtendWith(AdminApiKey.class)
class WorkingMemoryIT {

    @Test
    void appendedMessagesAreReadBackInOrderWithATtl() {
        String user = "u-" + UUID.randomUUID();
        append(user, "s1", message("user", "I am vegetarian."), message("assistant", "Noted!"))
                .statusCode(200)
                .body("appended", equalTo(2))
                .body("size", equalTo(2));

        session(user, "s1")
                .statusCode(200)
                .body("messages.role", contains("user", "assistant"))
                .body("messages.content", contains("I am vegetarian.", "Noted!"))
                .body("ttlSeconds", greaterThan(0));
    }

    @Test
    void badRoleIsAProblemNamingTheField() {
        dev.agentmemory.testing.Api.assertProblem(append("u-" + UUID.randomUUID(), "s1", message("robot", "beep")), 400)
                .body("field", equalTo("messages[0].role"));
    }
}
