package dev.agentmemory.chat;

/**
 * What a turn sent with an {@code Idempotency-Key} saves along with its exchange: the record of the turn, held by
 * this attempt ({@link TurnRecords}).
 *
 * @param userId the user
 * @param sessionId the session
 * @param key the {@code Idempotency-Key}
 * @param holder this attempt's token
 * @param request the hash of the turn's message
 */
record TurnReceipt(String userId, String sessionId, String key, String holder, String request) {}
