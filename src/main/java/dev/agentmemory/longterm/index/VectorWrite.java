package dev.agentmemory.longterm.index;

import dev.agentmemory.longterm.vector.Embedded;
import dev.agentmemory.longterm.vector.VectorCodec;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The vector part of a write script call ({@code memory-write.lua}, ARGV[8] and ARGV[9]): the vector in the backend's
 * form, hex-encoded, or empty; and the header {@code "<model> <epoch> <change log cap> <field>"}.
 */
record VectorWrite(String hex, String header) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The portable backend's: int8 codes into the user's vector set; a fresh epoch in case the set starts now. */
    static VectorWrite portable(Embedded embedded, int changeLog) {
        if (embedded == null) {
            return new VectorWrite("", "- - " + changeLog + " -");
        }
        return new VectorWrite(
                VectorCodec.hex(VectorCodec.int8(embedded.vector())),
                embedded.model() + " " + epoch() + " " + changeLog + " -");
    }

    /** The Query Engine's: float32 into the HASH field its index reads for this model. */
    static VectorWrite queryEngine(Embedded embedded, String field) {
        if (embedded == null) {
            return new VectorWrite("", "- - 0 " + field);
        }
        return new VectorWrite(
                VectorCodec.hex(VectorCodec.float32(embedded.vector())), embedded.model() + " - 0 " + field);
    }

    private static String epoch() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
