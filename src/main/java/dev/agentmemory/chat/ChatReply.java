package dev.agentmemory.chat;

import dev.agentmemory.longterm.Memory;
import java.util.List;

/**
 * Answer of a chat turn.
 *
 * @param reply the assistant's reply
 * @param memories what was recalled for this turn and given to the LLM (preferences and recall, each once)
 */
public record ChatReply(String reply, List<Memory> memories) {}
