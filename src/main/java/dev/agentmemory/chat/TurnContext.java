package dev.agentmemory.chat;

import dev.agentmemory.longterm.Memory;
import dev.langchain4j.data.message.ChatMessage;
import java.util.List;

/** What a turn knows before calling the LLM: the prompt, and the memories that went into it. */
record TurnContext(List<ChatMessage> prompt, List<Memory> memories) {}
