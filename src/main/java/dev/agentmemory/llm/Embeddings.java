package dev.agentmemory.llm;

import dev.agentmemory.config.MemoryConfig;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Texts as vectors, for recall by meaning and dedupe: the embedding model chosen by {@code memory.embedding.provider},
 * through langchain4j. Vectors come normalised to unit length, so that a dot product is their cosine.
 *
 * <p>The model is loaded in the background once the service has started: loading an ONNX model takes a good part
 * of a second, and readiness must not wait for it. Until it is loaded (and with {@code none}), {@link #embed} and
 * {@link #embedAll} answer {@code null}: a recall is then lexical only, and a memory is stored without a vector and
 * gets one later from the backfill. A model that fails to load is logged and treated the same way.
 *
 * <p>The in-process model's work is CPU-bound: it runs on threads of its own (one per core by default), never on an
 * event loop.
 */
@ApplicationScoped
public class Embeddings {

    private static final Logger LOG = Logger.getLogger(Embeddings.class);

    /** The extension's named model configuration of the {@code openai} provider. */
    public static final String OPENAI_MODEL = "embedding";

    private final Instance<EmbeddingModel> openai;
    private final MemoryConfig.Embedding.Provider provider;
    private final ExecutorService threads;
    private final boolean loadAtStart;
    private final String queryInstruction;
    private final Optional<Integer> dimensions;
    /** Completed with the model's id once it is loaded. */
    private final CompletableFuture<String> readyModel = new CompletableFuture<>();

    private volatile EmbeddingModel model;
    private volatile String modelId;
    /** The vectors of {@code embedding/unrelated.txt}: the model's similarity between memories that have nothing to do with each other. */
    private volatile float[][] unrelated = new float[0][];

    public Embeddings(@ModelName(OPENAI_MODEL) Instance<EmbeddingModel> openai, MemoryConfig config) {
        this.openai = openai;
        this.provider = config.embedding().provider();
        int count = config.embedding().threads().orElse(Runtime.getRuntime().availableProcessors());
        this.threads = Executors.newFixedThreadPool(Math.max(1, count), named());
        this.loadAtStart = config.embedding().loadAtStart();
        this.dimensions = config.embedding().dimensions();
        this.queryInstruction = provider == MemoryConfig.Embedding.Provider.IN_PROCESS
                ? config.embedding().queryInstruction().strip() + " "
                : "";
    }

    void onStart(@Observes StartupEvent event) {
        if (provider == MemoryConfig.Embedding.Provider.NONE) {
            LOG.info("Recall by meaning is off (memory.embedding.provider=none): recall is lexical only");
            return;
        }
        if (loadAtStart) {
            load();
        } else {
            threads.execute(this::load);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        threads.shutdownNow();
    }

    /**
     * Loads the model and embeds the unrelated memories with it (see {@link #unrelatedSimilarity}), which also warms
     * it up, so that the first request does not pay for that.
     */
    private void load() {
        long start = System.nanoTime();
        try {
            boolean remote = provider == MemoryConfig.Embedding.Provider.OPENAI;
            EmbeddingModel loaded = remote ? openai.get() : InProcessModel.load();
            List<Embedding> reference = loaded.embedAll(
                            unrelatedTexts().stream().map(TextSegment::from).toList())
                    .content();
            unrelated = reference.stream().map(Embeddings::normalised).toArray(float[][]::new);
            int dimension = reference.get(0).vector().length;
            String id = provider.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ":"
                    + (remote ? name(loaded) : InProcessModel.NAME) + ":" + dimension;
            if (dimensions.isPresent() && dimensions.get() != dimension) {
                LOG.errorf(
                        "The embedding model %s makes vectors of %d dimensions, not the %d of memory.embedding.dimensions;"
                                + " it is not used and recall stays lexical only: set memory.embedding.dimensions to"
                                + " the model's dimension (or unset it), or choose a model that makes vectors of that size",
                        id, dimension, dimensions.get());
                return;
            }
            modelId = id;
            model = loaded;
            LOG.infof("Embedding model %s ready in %d ms", modelId, (System.nanoTime() - start) / 1_000_000);
            readyModel.complete(id);
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "The embedding model could not be loaded; recall stays lexical only");
        }
    }

    /** The model's own name, or its class's when it has none. */
    private static String name(EmbeddingModel model) {
        String name = model.modelName();
        if (name == null || name.isBlank() || name.equals("unknown")) {
            name = io.quarkus.arc.ClientProxy.unwrap(model).getClass().getSimpleName();
        }
        return name;
    }

    /**
     * How similar to the query a memory that has nothing to do with it may still be, for this model: the given
     * percentile of the query's cosines with a fixed set of unrelated memories. Models differ widely in how
     * similar unrelated texts look (one gives them 0.1, another 0.5), and so do queries (a short generic one is
     * close to everything); a floor measured per query and model needs no constant of either.
     *
     * @param percentile 0 to 100; 0 gives the lowest of those cosines
     */
    public double unrelatedSimilarity(float[] query, double percentile) {
        float[][] reference = unrelated;
        if (reference.length == 0) {
            return -1;
        }
        double[] cosines = new double[reference.length];
        for (int i = 0; i < reference.length; i++) {
            double dot = 0;
            for (int j = 0; j < query.length && j < reference[i].length; j++) {
                dot += query[j] * reference[i][j];
            }
            cosines[i] = dot;
        }
        java.util.Arrays.sort(cosines);
        int index = (int) Math.round(percentile / 100 * (cosines.length - 1));
        return cosines[Math.max(0, Math.min(cosines.length - 1, index))];
    }

    private static List<String> unrelatedTexts() {
        try (java.io.InputStream in =
                Embeddings.class.getClassLoader().getResourceAsStream("embedding/unrelated.txt")) {
            if (in == null) {
                throw new IllegalStateException("Missing embedding/unrelated.txt");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The model's id (see {@link #modelId()}) once it is ready; never answers while there is none (provider
     * {@code none}, a model that failed to load or was refused).
     */
    public Uni<String> whenReady() {
        return Uni.createFrom().completionStage(readyModel);
    }

    /** Whether vectors can be had now. */
    public boolean ready() {
        return model != null;
    }

    /**
     * What made the vectors: provider, model and dimension (e.g. {@code in-process:bge-small-en-v1.5-q:384}). Vectors
     * of two different ids are never compared. Null until {@link #ready()}.
     */
    public String modelId() {
        return modelId;
    }

    /**
     * A search query's vector (the in-process model gets its retrieval instruction first); {@code null} when no model
     * is ready.
     */
    public Uni<float[]> embedQuery(String query) {
        return embed(queryInstruction + query);
    }

    /** The text's vector; {@code null} when no model is ready. */
    public Uni<float[]> embed(String text) {
        EmbeddingModel current = model;
        if (current == null) {
            return Uni.createFrom().nullItem();
        }
        return on(() -> normalised(current.embed(text).content()));
    }

    /** The texts' vectors in one call of the model, in order; {@code null} when no model is ready. */
    public Uni<List<float[]>> embedAll(List<String> texts) {
        EmbeddingModel current = model;
        if (current == null) {
            return Uni.createFrom().nullItem();
        }
        if (texts.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return on(() -> {
            List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
            List<float[]> vectors = new ArrayList<>(texts.size());
            for (Embedding embedding : current.embedAll(segments).content()) {
                vectors.add(normalised(embedding));
            }
            return vectors;
        });
    }

    private <T> Uni<T> on(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(threads);
    }

    private static float[] normalised(Embedding embedding) {
        float[] vector = embedding.vector();
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        if (norm == 0) {
            return vector;
        }
        float inverse = (float) (1 / Math.sqrt(norm));
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = vector[i] * inverse;
        }
        return unit;
    }

    private static java.util.concurrent.ThreadFactory named() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "embedding-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
