package dev.agentmemory.llm;

/**
 * The LLM answered, but not with a whole reply: a stream that ended without a finish reason, a completion without
 * any choice, a streamed request answered with something that is not an event stream. Never saved as an exchange.
 */
public class IncompleteReplyException extends RuntimeException {

    public IncompleteReplyException(String message) {
        super(message);
    }
}
