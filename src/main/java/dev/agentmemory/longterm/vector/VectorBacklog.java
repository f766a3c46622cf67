package dev.agentmemory.longterm.vector;

import java.util.List;

/**
 * One page of a user's memories that have no vector of the current model (see {@code vector-backlog.lua}).
 *
 * @param cursor where the next page starts, {@code "0"} when this was the last
 * @param generation the user's generation when the page was read ({@code ""} for none yet, {@code forgetting} while
 *     the user is being forgotten): the vectors made for this page are written only while it is still that
 * @param memories the memories to embed, with the text their vector is to be made from
 */
public record VectorBacklog(String cursor, String generation, List<Pending> memories) {

    /** A memory without a vector of the current model. */
    public record Pending(String id, String text) {}

    public boolean last() {
        return "0".equals(cursor);
    }
}
