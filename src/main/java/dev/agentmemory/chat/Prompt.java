package dev.agentmemory.chat;

import dev.agentmemory.llm.ChatLine;
import dev.agentmemory.longterm.Memory;
import dev.agentmemory.working.Message;
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

    static List<ChatLine> build(
            String systemPrompt, List<Memory> preferences, List<Memory> recalled, List<Message> history, String input) {
        Map<String, Memory> facts = new LinkedHashMap<>();
        preferences.forEach(m -> facts.putIfAbsent(m.id(), m));
        recalled.forEach(m -> facts.putIfAbsent(m.id(), m));

        StringBuilder system = new StringBuilder(systemPrompt);
        if (!facts.isEmpty()) {
            system.append("\n\nWhat you know about the user:");
            facts.values().forEach(m -> system.append("\n- ").append(m.text()));
        }
        List<ChatLine> messages = new ArrayList<>(history.size() + 2);
        messages.add(ChatLine.system(system.toString()));
        for (Message message : history) {
            String role =
                    switch (message.role()) {
                        case USER -> "user";
                        case ASSISTANT -> "assistant";
                        case SYSTEM -> "system";
                    };
            messages.add(new ChatLine(role, message.content()));
        }
        messages.add(ChatLine.user(input));
        return messages;
    }
}
