package dev.agentmemory.extraction;

import dev.agentmemory.redis.UserGeneration;
import java.util.List;
import java.util.Map;

/**
 * One chat exchange to extract durable facts from, as a Redis Stream entry.
 *
 * @param userId whose facts they are
 * @param sessionId the session the exchange belongs to (stored as the memories' source)
 * @param userMessage what the user said
 * @param assistantMessage what the assistant answered; empty when the exchange holds no answer
 * @param generation the user's generation when the exchange was saved ({@link UserGeneration}): the job's facts are
 *     refused once the user has been forgotten; {@code ""} for a job saved without one (by an earlier version)
 */
public record ExtractionJob(
        String userId, String sessionId, String userMessage, String assistantMessage, String generation) {

    /** A job of no generation. */
    public ExtractionJob(String userId, String sessionId, String userMessage, String assistantMessage) {
        this(userId, sessionId, userMessage, assistantMessage, UserGeneration.NOW);
    }

    /** The same exchange, saved in this generation of the user. */
    public ExtractionJob withGeneration(String userGeneration) {
        return new ExtractionJob(userId, sessionId, userMessage, assistantMessage, userGeneration);
    }

    /** The stream entry's fields. */
    public Map<String, String> toEntry() {
        return Map.of(
                "userId",
                userId,
                "sessionId",
                sessionId,
                "user",
                userMessage,
                "assistant",
                assistantMessage,
                "generation",
                generation);
    }

    /** False for an entry missing one of the fields: such a job can never succeed. */
    public boolean isComplete() {
        return userId != null && sessionId != null && userMessage != null && assistantMessage != null;
    }

    /** The exchanges as {@link FactExtractor} reads them, oldest first; numbered when there are several. */
    public static String transcript(List<ExtractionJob> jobs) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < jobs.size(); i++) {
            ExtractionJob job = jobs.get(i);
            if (jobs.size() > 1) {
                text.append(i == 0 ? "" : "\n\n")
                        .append("Exchange ")
                        .append(i + 1)
                        .append(" of ")
                        .append(jobs.size())
                        .append('\n');
            }
            text.append("The user said:\n").append(job.userMessage());
            // An agent may append a user message whose answer it has not got yet.
            if (!job.assistantMessage().isEmpty()) {
                text.append("\n\nThe assistant answered:\n").append(job.assistantMessage());
            }
        }
        return text.toString();
    }

    /** Characters of the exchange's two messages, which a transcript holds. */
    public int chars() {
        return userMessage.length() + assistantMessage.length();
    }

    public static ExtractionJob fromEntry(Map<String, String> fields) {
        return new ExtractionJob(
                fields.get("userId"),
                fields.get("sessionId"),
                fields.get("user"),
                fields.get("assistant"),
                fields.getOrDefault("generation", UserGeneration.NOW));
    }
}
