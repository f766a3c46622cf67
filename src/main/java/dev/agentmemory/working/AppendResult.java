package dev.agentmemory.working;

/**
 * Answer to an append.
 *
 * @param appended how many messages this request added
 * @param size how many messages the session holds now, after trimming to the cap
 * @param ttlSeconds seconds until the session expires
 */
public record AppendResult(int appended, long size, long ttlSeconds) {}
