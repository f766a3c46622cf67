package dev.agentmemory.working;

import java.time.Duration;
import java.util.Map;

/**
 * A receipt of an append, a HASH its caller keeps (a chat turn's {@code Idempotency-Key} record), written by the
 * append's own atomic step: it exists, with these fields, exactly when the messages were appended. The append is
 * refused ({@link ReceiptHeldException}) when another writer holds the receipt.
 *
 * @param key the receipt's HASH; it must share the user's hash tag
 * @param registry the user's registry of such receipts (a ZSET member → expiry), so that forgetting the user
 *     finds them
 * @param member the receipt's member in the registry
 * @param holder the token of the writer that holds the receipt
 * @param keep how long the receipt is kept
 * @param fields what it records
 */
public record Receipt(
        String key, String registry, String member, String holder, Duration keep, Map<String, String> fields) {}
