package dev.agentmemory.chat;

import dev.agentmemory.longterm.Memory;
import java.util.List;
import java.util.Map;

/**
 * One server-sent event of a streamed turn: {@code memories} (what was recalled), {@code token} (a text delta),
 * {@code done} (the whole reply, saved), {@code error} (a problem+json body; the stream then ends).
 *
 * @param name the SSE event name
 * @param data the event's JSON data
 */
public record ChatEvent(String name, Object data) {

    static ChatEvent memories(List<Memory> memories) {
        return new ChatEvent("memories", Map.of("memories", memories));
    }

    static ChatEvent token(String text) {
        return new ChatEvent("token", Map.of("text", text));
    }

    static ChatEvent done(String reply) {
        return new ChatEvent("done", Map.of("reply", reply));
    }

    static ChatEvent error(Object problem) {
        return new ChatEvent("error", problem);
    }
}
