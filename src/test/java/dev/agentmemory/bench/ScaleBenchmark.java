package dev.agentmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.llm.Embeddings;
import dev.agentmemory.longterm.MemoryService;
import dev.agentmemory.longterm.index.MemoryIndex;
import dev.agentmemory.longterm.index.MemoryRecord;
import dev.agentmemory.longterm.index.SearchBackend;
import dev.agentmemory.longterm.index.Stored;
import dev.agentmemory.longterm.index.TextAnalyzer;
import dev.agentmemory.longterm.vector.Embedded;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Search latency and Redis memory for one user holding 1k, 10k and 100k memories.
 *
 * <p>Memories are synthetic fact sentences ({@link SyntheticFacts}, fixed seed). They are loaded through the
 * search backend's {@code store} (the same atomic write {@code remember} ends with, without the dedupe search
 * before it), 32 in flight, because remembering 100k facts one by one is dominated by dedupe. Latency is
 * measured after a warm-up, single-threaded, for {@value #QUERIES} random 3–6 word queries: directly through
 * {@link MemoryService#recall} and over HTTP ({@code GET /v1/users/{u}/memories?q=…}, JDK HTTP client). Bytes
 * per memory are the growth of Redis {@code used_memory} ({@code INFO memory}) over the memories added. With an
 * embedding model ready (the default), every memory gets a random unit vector of the model's dimension, and every
 * recall is hybrid: its time includes embedding the query with the model and the exact vector search.
 *
 * <p>Not a unit test: it runs only with {@code ./mvnw test -Pbench -Dtest=ScaleBenchmark}.
 */
@QuarkusTest
class ScaleBenchmark {

    private static final String USER = "bench-scale";
    private static final int[] SIZES = {1_000, 10_000, 100_000};
    private static final int IN_FLIGHT = 32;
    private static final int WARM_UP = 200;
    private static final int QUERIES = 500;
    private static final int LIMIT = 10;
    private static final long SEED = 42;
    /**
     * Search scripts are timed inside Redis with {@code SLOWLOG}, which on Redis 6.2 also logs the commands a
     * script calls: the threshold keeps those (microseconds each) out, and the log is long enough for the rest.
     */
    private static final long SLOWLOG_MICROS = 100;

    private static final int SLOWLOG_LENGTH = 64 * QUERIES;
    private static final Pattern USED_MEMORY = Pattern.compile("(?m)^used_memory:(\\d+)");
    private static final Pattern VERSION = Pattern.compile("(?m)^redis_version:(\\S+)");

    @Inject
    MemoryService memories;

    @Inject
    SearchBackend backend;

    @Inject
    TextAnalyzer analyzer;

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    MemoryConfig config;

    @Inject
    Embeddings embeddings;

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger ids = new AtomicInteger();
    private final java.util.Random vectorRandom = new java.util.Random(SEED);
    private int dimensions;

    @Test
    void latencyAndMemoryBySize() {
        MemoryIndex index = backend.index().await().indefinitely();
        memories.forgetUser(USER).await().indefinitely();
        SyntheticFacts facts = new SyntheticFacts(SEED);
        if (embeddings.ready()) {
            dimensions = embeddings.embedQuery("dimensions").await().atMost(Duration.ofSeconds(10)).length;
        }
        long[] embedding = embeddings.ready() ? embeddingTimes(facts) : null;
        long usedBefore = usedMemory();
        long now = System.currentTimeMillis();

        List<String> rows = new ArrayList<>();
        int held = 0;
        for (int size : SIZES) {
            long start = System.nanoTime();
            int duplicates = 0;
            while (held < size) {
                List<MemoryRecord> batch = new ArrayList<>(size - held);
                for (int i = held; i < size; i++) {
                    batch.add(record(facts, now));
                }
                int created = store(index, batch);
                duplicates += batch.size() - created;
                held += created;
            }
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            long bytesPerMemory = (usedMemory() - usedBefore) / held;

            long[][] direct = measure(facts, this::recall);
            long[] inRedis = direct[1];
            long[] overHttp = measure(facts, this::get)[0];
            rows.add(String.format(
                    Locale.ROOT,
                    "%9d %9.1f %7d %9d %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f",
                    held,
                    loadSeconds,
                    duplicates,
                    bytesPerMemory,
                    millis(percentile(inRedis, 0.50)),
                    millis(percentile(inRedis, 0.99)),
                    millis(percentile(direct[0], 0.50)),
                    millis(percentile(direct[0], 0.99)),
                    millis(direct[0][QUERIES - 1]),
                    millis(percentile(overHttp, 0.50)),
                    millis(percentile(overHttp, 0.99)),
                    millis(overHttp[overHttp.length - 1])));
        }

        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "=== Scale: one user, backend %s, Redis %s, %d CPU cores ===%n",
                index.name(),
                redisVersion(),
                Runtime.getRuntime().availableProcessors());
        System.out.printf(
                Locale.ROOT,
                "load: MemoryIndex.store (no dedupe), %d in flight, %s | queries: %d random 3-6 words after %d"
                        + " warm-up, limit %d, one at a time | recency weight %s | postings budget %d%n",
                IN_FLIGHT,
                embeddings.ready()
                        ? "with a random " + dimensions + "-dimension vector each (model " + embeddings.modelId()
                                + " for the queries)"
                        : "no vectors (memory.embedding.provider=none or no model ready): lexical recall",
                QUERIES,
                WARM_UP,
                LIMIT,
                config.recall().recencyWeight(),
                config.recall().postingsBudget());
        System.out.printf(
                Locale.ROOT,
                "%9s %9s %7s %9s %8s %8s %8s %8s %8s %8s %8s %8s%n",
                "memories",
                "load s",
                "dupes",
                "B/memory",
                "lua p50",
                "lua p99",
                "p50 ms",
                "p99 ms",
                "max ms",
                "http p50",
                "http p99",
                "http max");
        rows.forEach(System.out::println);
        if (embedding != null) {
            System.out.printf(
                    Locale.ROOT,
                    "query embedding alone (included in p50/p99 above): p50 %.2f ms, p99 %.2f ms%n",
                    millis(percentile(embedding, 0.50)),
                    millis(percentile(embedding, 0.99)));
        }
        System.out.println("(load s: time to add the memories since the previous row; dupes: exact repeats the"
                + " store refused, replaced by new facts; B/memory: used_memory growth / memories;"
                + " lua: time of the search script inside Redis, from SLOWLOG (0 = under 0.1 ms); p50/p99/max: MemoryService.recall"
                + " as seen by the caller; http: GET /v1/users/{u}/memories?q=… end to end)");
        System.out.println();

        memories.forgetUser(USER).await().indefinitely();
    }

    private MemoryRecord record(SyntheticFacts facts, long now) {
        MemoryRecord r = facts.nextRecord(USER, HexFormat.of().toHexDigits(ids.incrementAndGet()), now, analyzer);
        if (!embeddings.ready()) {
            return r;
        }
        return new MemoryRecord(
                r.userId(),
                r.id(),
                r.text(),
                r.kind(),
                r.createdAt(),
                r.updatedAt(),
                r.source(),
                r.contentHash(),
                r.terms(),
                r.generation(),
                new Embedded(randomUnitVector(), embeddings.modelId()));
    }

    /**
     * A random direction of the model's dimension: what the vector search costs does not depend on what the vectors
     * mean, and embedding 100k texts with the model would take most of the run.
     */
    private float[] randomUnitVector() {
        float[] v = new float[dimensions];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) vectorRandom.nextGaussian();
            norm += v[i] * v[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
        return v;
    }

    /** Milliseconds per query embedding (the model alone), sorted, in ns. */
    private long[] embeddingTimes(SyntheticFacts facts) {
        long[] nanos = new long[QUERIES];
        for (int i = 0; i < WARM_UP + QUERIES; i++) {
            String query = facts.query();
            long start = System.nanoTime();
            embeddings.embedQuery(query).await().atMost(Duration.ofSeconds(10));
            if (i >= WARM_UP) {
                nanos[i - WARM_UP] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        return nanos;
    }

    /** Stores the records, {@link #IN_FLIGHT} at a time; answers how many were new. */
    private static int store(MemoryIndex index, List<MemoryRecord> records) {
        return Multi.createFrom()
                .iterable(records)
                .onItem()
                .transformToUni(index::store)
                .merge(IN_FLIGHT)
                .filter(Stored::created)
                .collect()
                .with(Collectors.counting())
                .map(Long::intValue)
                .await()
                .atMost(Duration.ofMinutes(10));
    }

    /**
     * Latencies of {@link #QUERIES} queries after {@link #WARM_UP} unmeasured ones, sorted, in ns: as seen by the
     * caller, and of the search scripts inside Redis (from {@code SLOWLOG}, set to log every command meanwhile
     * and restored afterwards).
     */
    private long[][] measure(SyntheticFacts facts, Consumer<String> search) {
        for (int i = 0; i < WARM_UP; i++) {
            search.accept(facts.query());
        }
        String threshold = configGet("slowlog-log-slower-than");
        String length = configGet("slowlog-max-len");
        command("CONFIG", "SET", "slowlog-log-slower-than", Long.toString(SLOWLOG_MICROS));
        command("CONFIG", "SET", "slowlog-max-len", Integer.toString(SLOWLOG_LENGTH));
        command("SLOWLOG", "RESET");
        long[] nanos = new long[QUERIES];
        for (int i = 0; i < QUERIES; i++) {
            String query = facts.query();
            long start = System.nanoTime();
            search.accept(query);
            nanos[i] = System.nanoTime() - start;
        }
        Response log = command("SLOWLOG", "GET", Integer.toString(SLOWLOG_LENGTH));
        command("SLOWLOG", "RESET");
        command("CONFIG", "SET", "slowlog-log-slower-than", threshold);
        command("CONFIG", "SET", "slowlog-max-len", length);
        // One search script per query; those faster than the threshold are not logged: they count as 0.
        long[] scripts = new long[QUERIES];
        int logged = 0;
        for (Response entry : log) { // id, timestamp, duration (µs), command and arguments, …
            String name = entry.get(3).get(0).toString();
            if ((name.equalsIgnoreCase("EVALSHA") || name.equalsIgnoreCase("EVAL")) && logged < QUERIES) {
                scripts[logged++] = entry.get(2).toLong() * 1000;
            }
        }
        Arrays.sort(scripts);
        Arrays.sort(nanos);
        return new long[][] {nanos, scripts};
    }

    private String configGet(String parameter) {
        return command("CONFIG", "GET", parameter).get(1).toString();
    }

    private Response command(String command, String... args) {
        return redis.execute(command, args).await().atMost(Duration.ofSeconds(10));
    }

    private void recall(String query) {
        assertThat(memories.recall(USER, query, Set.of(), LIMIT).await().atMost(Duration.ofSeconds(10)))
                .isNotNull();
    }

    private void get(String query) {
        URI uri = URI.create(base + "v1/users/" + USER + "/memories?limit=" + LIMIT + "&q="
                + URLEncoder.encode(query, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response =
                    http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Nearest-rank percentile of sorted values. */
    private static long percentile(long[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private long usedMemory() {
        return Long.parseLong(info("memory", USED_MEMORY));
    }

    private String redisVersion() {
        return info("server", VERSION);
    }

    private String info(String section, Pattern field) {
        String info =
                redis.execute("INFO", section).map(Object::toString).await().atMost(Duration.ofSeconds(10));
        Matcher matcher = field.matcher(info);
        assertThat(matcher.find()).as("%s in INFO %s", field, section).isTrue();
        return matcher.group(1);
    }
}
