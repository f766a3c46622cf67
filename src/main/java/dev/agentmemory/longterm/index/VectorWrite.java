package dev.agentmemory.longterm.index;

import dev.agentmemory.longterm.vector.Embedded;
import dev.agentmemory.longterm.vector.VectorCodec;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The vector part of a write script call ({@code memory-write.lua}, ARGV[8] and ARGV[9]): the vector in the backend's
 * form, hex-encoded, or empty; and the header {@code "<model> <epoch> <change log cap> <field>"}.
 */
record VectorWrite(String hex, String header) {

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

    /**
     * 64 random bits: an epoch only has to differ from the user's previous ones, it guards nothing, so it needs no
     * {@code SecureRandom} (whose seeding must not happen while the native executable is built).
     */
    private static String epoch() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
