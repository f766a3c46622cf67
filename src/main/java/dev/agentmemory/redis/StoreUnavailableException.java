package dev.agentmemory.redis;

/** Redis could not be reached or cannot serve right now; the request may be retried later. */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(Throwable cause) {
        super("Redis is unavailable: " + cause.getMessage(), cause);
    }
}
