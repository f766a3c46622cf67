package dev.agentmemory.longterm.index;

/**
 * What an index divides its BM25 scores by before handing them to the fusion as lexical relevance (see
 * {@link LexicalCandidates}): the fusion weighs each scale with a weight of its own.
 */
public enum LexicalScale {
    /** The query's idf mass (the portable index): a full match of every query term scores about 1. */
    IDF_MASS,
    /** The query's best score (the Query Engine, which gives no idf): the best match always scores 1. */
    BEST_SCORE
}
