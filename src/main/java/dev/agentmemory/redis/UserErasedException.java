package dev.agentmemory.redis;

/**
 * A write refused because the user is being forgotten, or was forgotten after the chat turn or the extraction job
 * it belongs to began (see {@link UserGeneration}): nothing was written.
 */
public class UserErasedException extends RuntimeException {

    public UserErasedException() {
        super("The user's memory was erased, or is being erased, while this ran; nothing was written");
    }
}
