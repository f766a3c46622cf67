package dev.agentmemory.longterm;

import java.util.List;

/** Answer to a recall: best first with a query, newest first without. */
public record MemoryList(List<Memory> memories) {}
