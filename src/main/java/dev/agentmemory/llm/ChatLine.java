package dev.agentmemory.llm;

/**
 * One message sent to a chat-completions endpoint: an OpenAI chat role ({@code system}, {@code user},
 * {@code assistant}) and its text.
 */
public record ChatLine(String role, String content) {

    public static ChatLine system(String content) {
        return new ChatLine("system", content);
    }

    public static ChatLine user(String content) {
        return new ChatLine("user", content);
    }
}
