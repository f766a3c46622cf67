package dev.agentmemory.chat;

import dev.agentmemory.llm.ChatLine;
import dev.agentmemory.longterm.Memory;
import java.util.List;

/** What a turn knows before calling the LLM: the prompt, and the memories that went into it. */
record TurnContext(List<ChatLine> prompt, List<Memory> memories) {}
