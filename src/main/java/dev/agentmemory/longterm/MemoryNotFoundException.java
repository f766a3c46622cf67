package dev.agentmemory.longterm;

/** The user has no memory with that id (or it belongs to someone else, which looks the same). */
public class MemoryNotFoundException extends RuntimeException {

    public MemoryNotFoundException(String id) {
        super("No memory with id " + id);
    }
}
