package dev.agentmemory.longterm.vector;

/**
 * A text's vector and the model that made it.
 *
 * @param vector unit length
 * @param model the {@code Embeddings#modelId()} of the model
 */
public record Embedded(float[] vector, String model) {}
