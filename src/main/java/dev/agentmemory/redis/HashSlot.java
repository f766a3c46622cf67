package dev.agentmemory.redis;

import java.nio.charset.StandardCharsets;

/**
 * The Redis Cluster hash slot of a key: CRC16 (XMODEM) of the key, or of its hash tag (the part between the first
 * {@code {} and the next {@code }}, when that is not empty), modulo 16384.
 */
public final class HashSlot {

    /** Slots of a Redis Cluster. */
    public static final int SLOTS = 16384;

    private HashSlot() {}

    public static int of(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int from = 0;
        int to = bytes.length;
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                byte[] tag = key.substring(open + 1, close).getBytes(StandardCharsets.UTF_8);
                bytes = tag;
                to = tag.length;
            }
        }
        return crc16(bytes, from, to) % SLOTS;
    }

    private static int crc16(byte[] bytes, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc ^= (bytes[i] & 0xff) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }
        return crc & 0xffff;
    }
}
