package dev.agentmemory.working;

import static dev.agentmemory.working.ConcurrentAppends.APPENDS;
import static dev.agentmemory.working.ConcurrentAppends.CLIENTS;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** 200 concurrent appends below the cap: all 200 kept, none duplicated, each client's in order. */
@QuarkusTest
@TestProfile(ConcurrentAppendBelowCapTest.LargeCap.class)
class ConcurrentAppendBelowCapTest {

    public static class LargeCap implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("memory.session.history-cap", "1000");
        }
    }

    @Test
    void losesNothingAndKeepsEachClientsOrder() throws Exception {
        List<String> contents = ConcurrentAppends.run();
        assertThat(contents).hasSize(CLIENTS * APPENDS).doesNotHaveDuplicates();
        ConcurrentAppends.assertEachClientInOrder(contents);
        for (int client = 0; client < CLIENTS; client++) {
            String prefix = "c" + client + "-";
            assertThat(contents).filteredOn(m -> m.startsWith(prefix)).hasSize(APPENDS);
        }
    }
}
