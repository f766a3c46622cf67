package dev.agentmemory.llm;

import dev.agentmemory.config.MemoryConfig;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The threads on which the blocking model calls wait: an unstreamed chat reply ({@code ChatModel}) and an
 * extraction (the AI service). They only wait for the server, so there are as many as the connections a call can
 * use ({@code memory.llm.max-connections}), created when needed and gone after a minute idle; the event loops
 * never block, and neither does Quarkus' worker pool, which the CPU-bound work needs.
 */
@ApplicationScoped
public class ModelThreads {

    private static final long IDLE_SECONDS = 60;

    private final ThreadPoolExecutor executor;

    public ModelThreads(MemoryConfig config) {
        int threads = config.llm().maxConnections();
        this.executor = new ThreadPoolExecutor(
                threads, threads, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), named());
        this.executor.allowCoreThreadTimeOut(true);
    }

    /**
     * The blocking call's result, the call made on one of these threads. A caller that stops waiting (a time-out, a
     * client gone) does not stop the call; its late failure is then nobody's to report, and is dropped.
     */
    <T> Uni<T> call(Supplier<T> blocking) {
        return Uni.createFrom().emitter(emitter -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            emitter.onTermination(() -> cancelled.set(true));
            executor.execute(() -> {
                T result;
                try {
                    result = blocking.get();
                } catch (RuntimeException | Error failure) {
                    if (!cancelled.get()) {
                        emitter.fail(failure);
                    }
                    return;
                }
                emitter.complete(result);
            });
        });
    }

    @PreDestroy
    void close() {
        executor.shutdown();
    }

    private static ThreadFactory named() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "llm-call-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
