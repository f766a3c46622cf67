package dev.agentmemory.longterm.index;

import dev.agentmemory.longterm.Memory;
import java.util.List;
import java.util.Map;

/**
 * The lexical side of a hybrid recall: the best memories by BM25, their score a relevance without scale (the
 * portable index divides by the query's idf mass, the Query Engine by the best score), no recency applied; and,
 * where the search returned them (Query Engine), their vectors, so that each gets an exact cosine too.
 */
public record LexicalCandidates(List<Memory> memories, Map<String, float[]> vectors) {

    public static final LexicalCandidates NONE = new LexicalCandidates(List.of(), Map.of());
}
