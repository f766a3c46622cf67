package dev.agentmemory.longterm;

/**
 * Outcome of {@link MemoryService#remember}.
 *
 * @param memory the stored memory, or the existing one it duplicates
 * @param created false when it was a duplicate of an existing memory
 */
public record Remembered(Memory memory, boolean created) {}
