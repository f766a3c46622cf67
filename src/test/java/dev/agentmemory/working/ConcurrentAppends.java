package dev.agentmemory.working;

import static dev.agentmemory.testing.Api.append;
import static dev.agentmemory.testing.Api.message;
import static dev.agentmemory.testing.Api.session;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/** 20 clients, each appending 10 messages one after the other, all to the same session at the same time. */
final class ConcurrentAppends {

    static final int CLIENTS = 20;
    static final int APPENDS = 10;

    private ConcurrentAppends() {}

    /** Runs the clients and returns the contents the session holds afterwards, oldest first. */
    static List<String> run() throws Exception {
        String user = "u-" + UUID.randomUUID();
        String sessionId = "s-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                int c = client;
                clients.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < APPENDS; i++) {
                        append(user, sessionId, message("user", "c" + c + "-" + i))
                                .statusCode(200);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> client : clients) {
                client.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return session(user, sessionId).statusCode(200).extract().jsonPath().getList("messages.content", String.class);
    }

    /** Within the kept messages, each client's appear in the order it sent them. */
    static void assertEachClientInOrder(List<String> contents) {
        Map<String, List<Integer>> byClient = contents.stream()
                .collect(Collectors.groupingBy(
                        m -> m.substring(0, m.indexOf('-')),
                        Collectors.mapping(
                                m -> Integer.parseInt(m.substring(m.indexOf('-') + 1)), Collectors.toList())));
        byClient.forEach((client, sequence) -> assertThat(sequence).as(client).isSorted());
    }
}
