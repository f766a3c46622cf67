package dev.agentmemory.llm;

/** The LLM answered an extraction with something that is not the expected facts record. */
public class InvalidExtractionException extends RuntimeException {

    public InvalidExtractionException(String message) {
        super(message);
    }
}
