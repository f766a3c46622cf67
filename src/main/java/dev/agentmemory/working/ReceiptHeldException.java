package dev.agentmemory.working;

/** An append was refused because another writer holds its {@link Receipt}: nothing was written. */
public class ReceiptHeldException extends RuntimeException {

    public ReceiptHeldException() {
        super("Another attempt holds this write; nothing was written");
    }
}
