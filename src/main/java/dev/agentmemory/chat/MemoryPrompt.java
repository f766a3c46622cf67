package dev.agentmemory.chat;

import dev.agentmemory.llm.ChatLine;
import dev.agentmemory.longterm.Memory;
import java.util.List;

/**
 * What the service puts in front of the LLM for a message, for an agent that calls its own LLM.
 *
 * @param messages the chat-completions messages, ready to send: the system prompt with what is known about the user,
 *     the session's history, and the message last
 * @param memories the memories in that system prompt (recalled for the message, and the user's preferences)
 */
public record MemoryPrompt(List<ChatLine> messages, List<Memory> memories) {}
