package dev.agentmemory.working;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** 200 concurrent appends against the default cap of 20: exactly 20 kept, each client's in order. */
@QuarkusTest
class ConcurrentAppendTest {

    @Test
    void keepsExactlyTheCapAndEachClientsOrder() throws Exception {
        List<String> contents = ConcurrentAppends.run();
        assertThat(contents).hasSize(20).doesNotHaveDuplicates();
        ConcurrentAppends.assertEachClientInOrder(contents);
    }
}
