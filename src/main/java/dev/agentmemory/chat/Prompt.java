package dev.agentmemory.chat;

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

    /** One message of the prompt: an OpenAI chat role ({@code system}, {@code user}, {@code assistant}) and its text. */
    record Line(String role, String content) {}

    static List<Line> build(
            String systemPrompt, List<Memory> preferences, List<Memory> recalled, List<Message> history, String input) {
        Map<String, Memory> facts = new LinkedHashMap<>();
        preferences.forEach(m -> facts.putIfAbsent(m.id(), m));
        recalled.forEach(m -> facts.putIfAbsent(m.id(), m));

        StringBuilder system = new StringBuilder(systemPrompt);
        if (!facts.isEmpty()) {
            system.append("\n\nWhat you know about the user:");
            facts.values().forEach(m -> system.append("\n- ").append(m.text()));
        }
        List<Line> messages = new ArrayList<>(history.size() + 2);
        messages.add(new Line("system", system.toString()));
        for (Message message : history) {
            String role =
                    switch (message.role()) {
                        case USER -> "user";
                        case ASSISTANT -> "assistant";
                        case SYSTEM -> "system";
                    };
            messages.add(new Line(role, message.content()));
        }
        messages.add(new Line("user", input));
        return messages;
    }
}
