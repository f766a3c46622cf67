package dev.agentmemory.longterm;

/** A change that would make a memory say what another memory of the user already says: refused (409). */
public class DuplicateMemoryException extends RuntimeException {

    private final String existingId;

    public DuplicateMemoryException(String existingId) {
        super("Memory " + existingId + " already says this; nothing was changed");
        this.existingId = existingId;
    }

    /** The memory that already says it. */
    public String existingId() {
        return existingId;
    }
}
