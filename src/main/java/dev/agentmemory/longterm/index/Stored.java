package dev.agentmemory.longterm.index;

/**
 * Outcome of storing a memory.
 *
 * @param id the new memory's id, or the id of the memory with the same content that was already there
 * @param created false when an exact duplicate was found instead
 */
public record Stored(String id, boolean created) {}
