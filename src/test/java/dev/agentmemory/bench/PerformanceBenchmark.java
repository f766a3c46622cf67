package dev.agentmemory.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.bench.perf.InstantLlm;
import dev.agentmemory.bench.perf.LoadDriver;
import dev.agentmemory.bench.perf.ServiceProcess;
import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.extraction.ExtractionJob;
import dev.agentmemory.extraction.ExtractionQueue;
import dev.agentmemory.longterm.index.MemoryHashes;
import dev.agentmemory.longterm.index.MemoryIndex;
import dev.agentmemory.longterm.index.MemoryRecord;
import dev.agentmemory.longterm.index.PortableIndex;
import dev.agentmemory.longterm.index.QueryEngineIndex;
import dev.agentmemory.longterm.index.Recency;
import dev.agentmemory.longterm.index.TextAnalyzer;
import dev.agentmemory.longterm.vector.PortableVectors;
import dev.agentmemory.longterm.vector.VectorCache;
import dev.agentmemory.redis.Pipeline;
import dev.agentmemory.redis.UserGeneration;
import dev.agentmemory.redis.dev.EmbeddedRedis;
import dev.agentmemory.testing.TestCredentials;
import dev.agentmemory.working.Message;
import dev.agentmemory.working.Role;
import dev.agentmemory.working.WorkingMemory;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the service adds to a chat turn, and how far it scales: starts Redis (the embedded-redis binary), an
 * {@link InstantLlm instant stub LLM} and the service as its own process (the JVM jar, then the native
 * executable when one has been built), and drives load over loopback with {@link LoadDriver}:
 *
 * <ul>
 *   <li>chat turns, JSON and SSE, at 1, 16 and 64 concurrent clients (one user and session each);
 *   <li>recall ({@code GET …/memories?q=}) for a user holding 1k and for one holding 100k memories;
 *   <li>the floor: the Redis round trips of a turn (through the service's own {@link WorkingMemory} and
 *       {@link PortableIndex} code, or {@link QueryEngineIndex} with a search module) plus one call to the stub
 *       LLM, issued by this harness, at 1 and 16 clients (one user and session each);
 *   <li>CPU time per request of the service process, of Redis ({@code INFO cpu}) and of this JVM (load driver and
 *       stub LLM), and the service's resident memory after the run.
 * </ul>
 *
 * Every cell is the median of {@code bench.repeats} windows of {@code bench.seconds}, each after a warm-up of
 * {@code bench.warmup} seconds; the service is warmed up for {@code bench.service-warmup} seconds first. The
 * extraction worker runs in the service throughout, on every turn's job, as in production; before each window
 * the harness waits (up to {@code bench.drain-seconds}) until the jobs of earlier windows are done. The
 * "extr. lag" column is the share of a window's turns (warm-up included) whose extraction job was still waiting
 * when it ended: near 0 when the worker keeps up with the turns, higher when the turns outran it (their
 * extraction CPU is then partly spent after the window, outside its CPU columns).
 *
 * <p>With {@code -Dbench.search-module=<path of a Redis search module>} the server loads it and the service
 * searches with the Query Engine, as on Redis 8 or Redis Stack.
 *
 * <p>With {@code -Dbench.redis-cluster=redis://host:port,…} it runs against that Redis Cluster (the service with
 * {@code QUARKUS_REDIS_CLIENT_TYPE=cluster}; Redis CPU is the sum over the nodes), with
 * {@code -Dbench.redis-url=redis://host:port} against that server, instead of the embedded one.
 *
 * <p>Authentication is off unless {@code -Dbench.auth=jwt} (every request carries a bearer token for its user,
 * signed with the tests' key pair, which the service verifies) or {@code -Dbench.auth=api-key} (every request
 * carries the tests' API key).
 *
 * <p>Not a unit test: {@code ./mvnw verify -Pperf} (add {@code -Dnative} to build and include the native
 * executable). Nothing is asserted; it prints a table.
 */
class PerformanceBenchmark {

    private static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warmup", 2));
    private static final Duration WINDOW = Duration.ofSeconds(Long.getLong("bench.seconds", 5));
    private static final Duration SERVICE_WARM_UP = Duration.ofSeconds(Long.getLong("bench.service-warmup", 15));
    private static final int REPEATS = Integer.getInteger("bench.repeats", 3);
    private static final int[] CLIENTS = ints(System.getProperty("bench.clients", "1,16,64"));
    private static final int[] RECALL_SIZES = ints(System.getProperty("bench.recall-sizes", "1000,100000"));
    private static final int[] RECALL_CLIENTS = {1, 16};
    private static final int[] FLOOR_CLIENTS = {1, 16};
    private static final Duration DRAIN = Duration.ofSeconds(Long.getLong("bench.drain-seconds", 120));
    private static final Supplier<double[]> NO_CPU = () -> new double[0];
    private static final List<String> WORKLOADS =
            List.of(System.getProperty("bench.workloads", "json,sse,recall").split(","));
    /** A Redis search module for the server to load: the service then searches with the Query Engine. */
    private static final Optional<Path> SEARCH_MODULE = Optional.ofNullable(System.getProperty("bench.search-module"))
            .filter(path -> !path.isBlank())
            .map(path -> Path.of(path).toAbsolutePath());

    /** {@code off}, {@code jwt} or {@code api-key}: the credentials every request carries. */
    private static final String AUTH = System.getProperty("bench.auth", "off");
    /** A Redis Cluster to run against instead of the embedded server: its nodes, as REDIS_CLUSTER_HOSTS takes them. */
    private static final Optional<String> CLUSTER = property("bench.redis-cluster");
    /** A running Redis to run against instead of the embedded server. */
    private static final Optional<String> EXTERNAL = property("bench.redis-url");

    /** What the benchmark users say, in turn. */
    private static final String[] MESSAGES = {
        "I'm vegetarian and I love spicy food. What should I cook tonight?",
        "Can you remind me what instrument I play?",
        "I just moved to Lisbon, any tips for the first week?",
        "My dog Pixel needs a new toy, what would you suggest?",
        "I'm training for a marathon in the spring, how should I plan my weeks?",
        "Recommend a Japanese book for a beginner like me.",
        "What did I tell you about my job?",
        "Suggest a weekend plan that fits what you know about me.",
    };

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = vertx.getDelegate()
            .createHttpClient(
                    new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                    new PoolOptions().setHttp1MaxSize(256));
    private final TextAnalyzer analyzer = new TextAnalyzer();
    private final MemoryConfig config = memoryConfig();
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private ReactiveRedisDataSource redis;

    @Test
    void run() throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "perf"));
        boolean embedded = CLUSTER.isEmpty() && EXTERNAL.isEmpty();
        try (EmbeddedRedis server = embedded
                        ? EmbeddedRedis.start(SEARCH_MODULE
                                .map(module -> List.of("loadmodule " + module))
                                .orElse(List.of()))
                        : null;
                InstantLlm llm = InstantLlm.start(vertx.getDelegate())) {
            String redisHosts = CLUSTER.or(() -> EXTERNAL).orElseGet(() -> server.url());
            RedisOptions options = new RedisOptions().setMaxPoolSize(16).setMaxPoolWaiting(1024);
            if (CLUSTER.isPresent()) {
                options.setType(io.vertx.redis.client.RedisClientType.CLUSTER);
                Arrays.stream(redisHosts.split(",")).map(String::strip).forEach(options::addConnectionString);
            } else {
                options.setConnectionString(redisHosts);
            }
            Redis client = Redis.createClient(vertx, options);
            redis = new ReactiveRedisDataSourceImpl(vertx, client, RedisAPI.api(client));
            WorkingMemory workingMemory = new WorkingMemory(redis, json, config);
            MemoryIndex index = searchIndex();
            notes.add("search backend: " + index.name()
                    + SEARCH_MODULE
                            .map(module -> " (server module " + module + ")")
                            .orElse(""));

            Map<Integer, String> recallUsers = new LinkedHashMap<>();
            for (int size : WORKLOADS.contains("recall") ? RECALL_SIZES : new int[0]) {
                recallUsers.put(size, load(index, "bench-recall-" + size, size));
            }
            floor(redis, workingMemory, index, llm);

            notes.add("Redis: " + CLUSTER.map(hosts -> "cluster " + hosts).orElse(redisHosts));
            for (Target target : targets(redisHosts, llm.baseUrl())) {
                Path log = logs.resolve("service-" + target.name() + ".log");
                try (ServiceProcess service =
                        ServiceProcess.start(target.name(), target.command(), target.env(), log)) {
                    notes.add(String.format(
                            Locale.ROOT,
                            "%s: process start → first ready 200 in %d ms",
                            target.name(),
                            service.startedIn().toMillis()));
                    measure(service, recallUsers);
                    notes.add(String.format(
                            Locale.ROOT,
                            "%s: RSS after the run %.0f MiB; extraction backlog %d jobs; log %s",
                            target.name(),
                            service.rssMiB(),
                            extractionBacklog(),
                            log));
                }
            }
            notes.add(String.format(
                    Locale.ROOT,
                    "stub LLM: %,d chat and %,d extraction requests over %,d connections, %d connection errors",
                    llm.chats(),
                    llm.extractions(),
                    llm.connections(),
                    llm.errors()));
            print(redisVersion(redis));
            client.close();
        } finally {
            http.close();
            vertx.closeAndAwait();
        }
    }

    // ---- the service --------------------------------------------------------------------------------------

    private void measure(ServiceProcess service, Map<Integer, String> recallUsers) throws Exception {
        String name = service.name();
        LoadDriver.run(16, SERVICE_WARM_UP, Duration.ofSeconds(1), NO_CPU, client -> chat(service, client, false));
        LoadDriver.run(16, Duration.ofSeconds(3), Duration.ofSeconds(1), NO_CPU, client -> chat(service, client, true));
        for (boolean sse : new boolean[] {false, true}) {
            if (!WORKLOADS.contains(sse ? "sse" : "json")) {
                continue;
            }
            for (int clients : CLIENTS) {
                rows.add(repeat(
                        name, sse ? "chat SSE" : "chat JSON", clients, service::cpuMillis, c -> chat(service, c, sse)));
            }
        }
        for (Map.Entry<Integer, String> user : recallUsers.entrySet()) {
            List<String> queries = queries(1_000);
            for (int clients : RECALL_CLIENTS) {
                int[] next = new int[clients];
                rows.add(repeat(
                        name,
                        String.format(Locale.ROOT, "recall %,d mem", user.getKey()),
                        clients,
                        service::cpuMillis,
                        c -> recall(service, user.getValue(), queries.get(next[c]++ % queries.size()))));
            }
        }
    }

    private Future<?> chat(ServiceProcess service, int client, boolean sse) {
        String message = MESSAGES[(int) (System.nanoTime() % MESSAGES.length)];
        String path = "/v1/users/bench-u" + client + "/sessions/s1/chat" + (sse ? "/stream" : "");
        return http.request(HttpMethod.POST, service.port(), "127.0.0.1", path)
                .compose(request -> authenticated(request, "bench-u" + client)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Accept", sse ? "text/event-stream" : "application/json")
                        .send(new JsonObject().put("message", message).encode()))
                .compose(response -> response.body().map(body -> {
                    if (response.statusCode() != 200) {
                        throw new LoadDriver.WrongAnswer("HTTP " + response.statusCode() + problem(body.toString()));
                    }
                    if (sse) {
                        checkDone(body.toString());
                    }
                    return body;
                }));
    }

    /**
     * A streamed turn must end with its {@code done} event; one without says what it ended with instead: the
     * {@code error} event's problem, or the last event received.
     */
    private static void checkDone(String events) {
        String last = "no event";
        String data = "";
        for (String line : events.split("\r?\n")) {
            if (line.startsWith("event:")) {
                last = line.substring(6).strip();
                data = "";
            } else if (line.startsWith("data:")) {
                data += line.substring(5).strip();
            }
        }
        if (last.equals("done")) {
            return;
        }
        throw new LoadDriver.WrongAnswer(
                last.equals("error") ? "SSE error event" + problem(data) : "SSE ended after event " + last);
    }

    /** A problem document's status, title and detail (not its instance, which names the user); else the text. */
    private static String problem(String body) {
        try {
            JsonObject problem = new JsonObject(body);
            return ": " + problem.getValue("status") + " " + problem.getString("title") + " — "
                    + problem.getString("detail");
        } catch (RuntimeException notJson) {
            return body.isBlank() ? "" : ": " + body.substring(0, Math.min(body.length(), 200));
        }
    }

    private Future<?> recall(ServiceProcess service, String user, String query) {
        String path = "/v1/users/" + user + "/memories?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
        return http.request(HttpMethod.GET, service.port(), "127.0.0.1", path)
                .compose(request -> authenticated(request, user).send())
                .compose(response -> response.body().map(body -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(response.statusCode() + " " + body);
                    }
                    return body;
                }));
    }

    private final Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();

    /** The request with the credentials of {@code bench.auth} for the user: a bearer token of its own, or the API key. */
    private HttpClientRequest authenticated(HttpClientRequest request, String user) {
        return switch (AUTH) {
            case "jwt" ->
                request.putHeader(
                        "Authorization",
                        tokens.computeIfAbsent(user, u -> "Bearer " + TestCredentials.token(u, Duration.ofHours(3))));
            case "api-key" -> request.putHeader("X-API-Key", TestCredentials.API_KEY);
            default -> request;
        };
    }

    // ---- the floor ----------------------------------------------------------------------------------------

    /**
     * A turn's Redis round trips and LLM call with no service in between: history, recall and preferences read
     * in one pipeline, the stub LLM streamed, the exchange appended with its job (to a stream of its own, which no
     * worker reads).
     */
    private void floor(ReactiveRedisDataSource redis, WorkingMemory workingMemory, MemoryIndex index, InstantLlm llm)
            throws Exception {
        MemoryConfig.Chat chat = config.chat();
        UserGeneration generations = new UserGeneration(redis, config);
        IntFunction<Future<?>> turn = client -> {
            String user = "bench-floor-" + client;
            String message = MESSAGES[(int) (System.nanoTime() % MESSAGES.length)];
            List<String> terms = analyzer.queryTerms(message, config.recall().maxQueryTerms());
            Recency recency = new Recency(
                    config.recall().recencyWeight(), config.recall().recencyHalfLife(), System.currentTimeMillis());
            Uni<Void> done = Pipeline.run(
                            redis,
                            workingMemory.historyQuery(user, "s1"),
                            index.searchQuery(user, terms, Set.of(), chat.recallLimit(), recency),
                            index.newestQuery(user, Set.of("preference"), chat.maxPreferences()),
                            generations.currentQuery(user))
                    .chain(context -> Uni.createFrom()
                            .completionStage(() ->
                                    llmCall(llm, context.getItem1(), message).toCompletionStage())
                            .chain(reply -> workingMemory.appendWithJob(
                                    user,
                                    "s1",
                                    List.of(Message.now(Role.USER, message), Message.now(Role.ASSISTANT, reply)),
                                    context.getItem4(),
                                    // In the user's slot like its jobs, where no worker looks.
                                    "bench-floor-jobs:{" + user + "}",
                                    new ExtractionJob(user, "s1", message, reply, context.getItem4()).toEntry(),
                                    null)))
                    .replaceWithVoid();
            return Future.fromCompletionStage(done.subscribeAsCompletionStage());
        };
        LoadDriver.run(1, SERVICE_WARM_UP, Duration.ofSeconds(1), NO_CPU, turn);
        for (int clients : FLOOR_CLIENTS) {
            rows.add(repeat("floor", "turn, direct", clients, () -> Double.NaN, turn));
        }
    }

    private Future<String> llmCall(InstantLlm llm, List<Message> history, String message) {
        JsonArray messages = new JsonArray()
                .add(new JsonObject()
                        .put("role", "system")
                        .put("content", config.chat().systemPrompt()));
        history.forEach(m ->
                messages.add(new JsonObject().put("role", m.role().toString()).put("content", m.content())));
        messages.add(new JsonObject().put("role", "user").put("content", message));
        String body = new JsonObject()
                .put("model", "instant")
                .put("stream", true)
                .put("messages", messages)
                .encode();
        return http.request(HttpMethod.POST, llm.port(), "127.0.0.1", "/v1/chat/completions")
                .compose(request ->
                        request.putHeader("Content-Type", "application/json").send(body))
                .compose(response -> response.body())
                .map(sse -> InstantLlm.reply());
    }

    // ---- data ---------------------------------------------------------------------------------------------

    /**
     * The index the service will choose: the portable one, or the Query Engine's when the server loads a search
     * module ({@code bench.search-module}; its index created here, so that the memories loaded next are indexed
     * as they are written).
     */
    private MemoryIndex searchIndex() {
        MemoryHashes hashes = new MemoryHashes(redis);
        if (SEARCH_MODULE.isEmpty()) {
            return new PortableIndex(
                    redis, hashes, new PortableVectors(redis, new VectorCache(config), config), config);
        }
        QueryEngineIndex index = new QueryEngineIndex(redis, hashes, config);
        index.prepare().await().atMost(Duration.ofSeconds(10));
        return index;
    }

    /** Stores {@code size} synthetic memories for a user of their own, through the index's atomic write. */
    private String load(MemoryIndex index, String user, int size) {
        SyntheticFacts facts = new SyntheticFacts(size);
        long now = System.currentTimeMillis();
        List<MemoryRecord> records = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            records.add(facts.nextRecord(user, HexFormat.of().toHexDigits((long) i), now, analyzer));
        }
        index.forget(user).await().atMost(Duration.ofMinutes(5));
        long start = System.nanoTime();
        Multi.createFrom()
                .iterable(records)
                .onItem()
                .transformToUni(index::store)
                .merge(32)
                .collect()
                .last()
                .await()
                .atMost(Duration.ofMinutes(15));
        notes.add(String.format(
                Locale.ROOT, "loaded %,d memories for %s in %.1f s", size, user, (System.nanoTime() - start) / 1e9));
        return user;
    }

    private static List<String> queries(int count) {
        SyntheticFacts facts = new SyntheticFacts(7);
        List<String> queries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            queries.add(facts.query());
        }
        return queries;
    }

    // ---- runs and the table -------------------------------------------------------------------------------

    private record Row(
            String target,
            String workload,
            int clients,
            LoadDriver.Result median,
            double opsPerSecond,
            double p50,
            double p99,
            double cpuEach,
            double redisCpuEach,
            double harnessCpuEach,
            double extractionLag,
            long failed,
            Map<String, Long> failures) {}

    private interface CpuProbe {
        double millis() throws IOException;
    }

    private Row repeat(String target, String workload, int clients, CpuProbe cpu, IntFunction<Future<?>> call)
            throws InterruptedException {
        List<LoadDriver.Result> runs = new ArrayList<>(REPEATS);
        double[] lags = new double[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
            drainExtraction(target, workload, clients);
            LoadDriver.Result run = LoadDriver.run(clients, WARM_UP, WINDOW, () -> cpuNow(cpu), call);
            runs.add(run);
            // Jobs of this warm-up and window still waiting at its end, over the turns it made: 0 when the
            // worker keeps up (but for the last linger's worth), growing when turns outrun extraction.
            double turns = run.perSecond() * (WARM_UP.toMillis() + WINDOW.toMillis()) / 1000.0;
            lags[i] = turns == 0 ? 0 : 100.0 * extractionBacklog() / turns;
        }
        Arrays.sort(lags);
        Row row = new Row(
                target,
                workload,
                clients,
                runs.get(0),
                median(runs, LoadDriver.Result::perSecond),
                median(runs, LoadDriver.Result::p50Millis),
                median(runs, LoadDriver.Result::p99Millis),
                median(runs, r -> r.cpuMillisEach(0)),
                median(runs, r -> r.cpuMillisEach(1)),
                median(runs, r -> r.cpuMillisEach(2)),
                lags[lags.length / 2],
                runs.stream().mapToLong(LoadDriver.Result::failed).sum(),
                runs.stream()
                        .flatMap(run -> run.failures().entrySet().stream())
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, Long::sum, TreeMap::new)));
        System.out.println(format(row));
        return row;
    }

    /**
     * Waits (up to {@code bench.drain-seconds}) for the service's extraction worker to finish the jobs earlier
     * windows left, so that a window measures its own turns' extraction rather than the backlog of a heavier
     * one before it.
     */
    private void drainExtraction(String target, String workload, int clients) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        long waiting;
        while ((waiting = extractionBacklog()) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        if (waiting > 0) {
            notes.add(String.format(
                    Locale.ROOT,
                    "%s %s at %d clients: measured with %,d extraction jobs still waiting (not drained in %d s)",
                    target,
                    workload,
                    clients,
                    waiting,
                    DRAIN.toSeconds()));
        }
    }

    /** CPU time used so far, in ms: by the service (NaN for none), Redis, and this JVM (load driver and stub LLM). */
    private double[] cpuNow(CpuProbe service) {
        double serviceMillis;
        try {
            serviceMillis = service.millis();
        } catch (IOException e) {
            serviceMillis = Double.NaN;
        }
        return new double[] {serviceMillis, redisCpuMillis(), harnessCpuMillis()};
    }

    /**
     * Redis's own count of its CPU time ({@code INFO cpu}: used_cpu_sys + used_cpu_user, in seconds); of a cluster,
     * the sum over its nodes.
     */
    private double redisCpuMillis() {
        if (CLUSTER.isPresent()) {
            return dev.agentmemory.testing.RedisNode.of(
                            CLUSTER.get().split(",")[0].strip())
                    .clusterNodes()
                    .stream()
                    .mapToDouble(member -> cpuMillis((String) member.node().command("INFO", "cpu")))
                    .sum();
        }
        return cpuMillis(redis.execute("INFO", "cpu")
                .await()
                .atMost(Duration.ofSeconds(5))
                .toString());
    }

    private static double cpuMillis(String info) {
        double seconds = 0;
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                seconds +=
                        Double.parseDouble(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return seconds * 1000;
    }

    private static double harnessCpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime()
                / 1e6;
    }

    /** Extraction jobs enqueued and not yet done, as the queue last saw them; 0 once no user waits. */
    private long extractionBacklog() {
        ExtractionQueue.QueueStats stats =
                new ExtractionQueue(redis, config).stats().await().atMost(Duration.ofSeconds(5));
        return stats.usersWaiting() == 0 ? 0 : Math.max(1, stats.jobsWaiting());
    }

    private static double median(List<LoadDriver.Result> runs, ToDoubleFunction<LoadDriver.Result> metric) {
        double[] values = runs.stream().mapToDouble(metric).sorted().toArray();
        return values[values.length / 2];
    }

    private void print(String redisVersion) {
        StringBuilder out = new StringBuilder("\n");
        out.append(String.format(
                Locale.ROOT,
                "Agent Memory performance: %d cores (%s), Redis %s, harness JVM %s; median of %d windows of %d s after %d s warm-up%n%n",
                Runtime.getRuntime().availableProcessors(),
                cpuModel(),
                redisVersion,
                System.getProperty("java.version"),
                REPEATS,
                WINDOW.toSeconds(),
                WARM_UP.toSeconds()));
        out.append(String.format(
                Locale.ROOT,
                "%-7s %-18s %7s %9s %8s %8s %9s %9s %9s %9s %7s%n",
                "target",
                "workload",
                "clients",
                "ops/s",
                "p50 ms",
                "p99 ms",
                "svc CPU",
                "redis CPU",
                "harn. CPU",
                "extr. lag",
                "failed"));
        rows.stream()
                .sorted(Comparator.comparing((Row r) -> !r.target().equals("floor")))
                .forEach(row -> out.append(format(row)).append('\n'));
        Row floor = rows.stream()
                .filter(r -> r.target().equals("floor") && r.clients() == 1)
                .findFirst()
                .orElseThrow();
        rows.stream()
                .filter(r -> r.workload().equals("chat JSON") && r.clients() == 1)
                .forEach(r -> out.append(String.format(
                        Locale.ROOT,
                        "%nservice/floor, p50 of a JSON turn at 1 client: %s %.2f ms / %.2f ms = %.1f×",
                        r.target(),
                        r.p50(),
                        floor.p50(),
                        r.p50() / floor.p50())));
        out.append("\n\n");
        rows.stream().filter(row -> row.failed() > 0).forEach(row -> {
            out.append(String.format(
                    Locale.ROOT,
                    "failed: %s %s at %d clients, %,d in all%n",
                    row.target(),
                    row.workload(),
                    row.clients(),
                    row.failed()));
            row.failures()
                    .forEach((reason, count) -> out.append(String.format(Locale.ROOT, "  %,8d  %s%n", count, reason)));
        });
        notes.forEach(note -> out.append(note).append('\n'));
        System.out.println(out);
    }

    private static String format(Row row) {
        return String.format(
                Locale.ROOT,
                "%-7s %-18s %7d %9.0f %8.2f %8.2f %9.3f %9.3f %9.3f %8.1f%% %7d",
                row.target(),
                row.workload(),
                row.clients(),
                row.opsPerSecond(),
                row.p50(),
                row.p99(),
                row.cpuEach(),
                row.redisCpuEach(),
                row.harnessCpuEach(),
                row.extractionLag(),
                row.failed());
    }

    // ---- set-up -------------------------------------------------------------------------------------------

    private record Target(String name, List<String> command, Map<String, String> env) {}

    /** The JVM jar, and the native executable when it has been built. */
    private static List<Target> targets(String redisHosts, String llmUrl) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "QUARKUS_REDIS_HOSTS", redisHosts,
                "OPENAI_BASE_URL", llmUrl,
                "OPENAI_API_KEY", "bench"));
        if (CLUSTER.isPresent()) {
            env.put("QUARKUS_REDIS_CLIENT_TYPE", "cluster");
        }
        switch (AUTH) {
            case "jwt" ->
                env.putAll(Map.of(
                        "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                        TestCredentials.publicKey().toString(),
                        "MP_JWT_VERIFY_ISSUER",
                        TestCredentials.ISSUER));
            case "api-key" -> env.put("MEMORY_AUTH_API_KEY_SHA256", TestCredentials.sha256Hex(TestCredentials.API_KEY));
            case "off" -> env.put("MEMORY_AUTH_ENABLED", "false");
            default -> throw new IllegalArgumentException("bench.auth must be off, jwt or api-key: " + AUTH);
        }
        List<Target> targets = new ArrayList<>();
        Path jar = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar"));
        if (Files.isRegularFile(jar)) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(
                    Arrays.asList(System.getProperty("bench.jvm-args", "").split(" +")));
            command.removeIf(String::isBlank);
            command.addAll(List.of("-jar", jar.toString()));
            targets.add(new Target("jvm", command, env));
        }
        Path runner = Path.of(System.getProperty("bench.native", "target/agent-memory-runner"));
        if (Files.isExecutable(runner)) {
            targets.add(new Target("native", List.of(runner.toString()), env));
        } else {
            System.out.println("No native executable at " + runner + ": build it with -Dnative to include it.");
        }
        return targets;
    }

    private static Optional<String> property(String name) {
        return Optional.ofNullable(System.getProperty(name)).filter(value -> !value.isBlank());
    }

    /** The defaults of MemoryConfig. */
    private static MemoryConfig memoryConfig() {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withMapping(MemoryConfig.class)
                .build()
                .getConfigMapping(MemoryConfig.class);
    }

    private static String redisVersion(ReactiveRedisDataSource redis) {
        String info = redis.execute("INFO", "server")
                .await()
                .atMost(Duration.ofSeconds(5))
                .toString();
        return info.lines()
                .filter(l -> l.startsWith("redis_version:"))
                .map(l -> l.substring(14))
                .findFirst()
                .orElse("?");
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 2))
                    .findFirst()
                    .orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static int[] ints(String list) {
        return Arrays.stream(list.split(","))
                .filter(s -> !s.isBlank())
                .map(String::trim)
                .mapToInt(Integer::parseInt)
                .toArray();
    }
}
