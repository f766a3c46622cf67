package dev.agentmemory.chat;

import dev.agentmemory.llm.ChatLine;
import dev.agentmemory.longterm.Memory;
import java.util.List;

/**
 * What a turn knows before calling the LLM: the prompt, the memories that went into it, and the user's generation,
 * which its save must still find ({@link dev.agentmemory.redis.UserGeneration}).
 */
record TurnContext(List<ChatLine> prompt, List<Memory> memories, String generation) {}
