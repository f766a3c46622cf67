package dev.agentmemory.chat;

import dev.agentmemory.longterm.Memory;
import dev.agentmemory.working.Message;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages sent to the LLM for one turn: the system prompt with what is known about the user (the
 * preferences first, then what recall found for this message, each fact once), the session history, and the
 * new message.
 */
final class Prompt {

    private Prompt() {}

    static List<ChatMessage> build(
            String systemPrompt, List<Memory> preferences, List<Memory> recalled, List<Message> history, String input) {
        Map<String, Memory> facts = new LinkedHashMap<>();
        preferences.forEach(m -> facts.putIfAbsent(m.id(), m));
        recalled.forEach(m -> facts.putIfAbsent(m.id(), m));

        StringBuilder system = new StringBuilder(systemPrompt);
        if (!facts.isEmpty()) {
            system.append("\n\nWhat you know about the user:");
            facts.values().forEach(m -> system.append("\n- ").append(m.text()));
        }
        List<ChatMessage> messages = new ArrayList<>(history.size() + 2);
        messages.add(SystemMessage.from(system.toString()));
        for (Message message : history) {
            messages.add(
                    switch (message.role()) {
                        case USER -> UserMessage.from(message.content());
                        case ASSISTANT -> AiMessage.from(message.content());
                        case SYSTEM -> SystemMessage.from(message.content());
                    });
        }
        messages.add(UserMessage.from(input));
        return messages;
    }
}
