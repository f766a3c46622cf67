package dev.agentmemory.longterm.vector;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * How vectors are written to Redis. Unit vectors only (see {@code Embeddings}).
 *
 * <ul>
 *   <li>{@link #int8}: the portable backend's form, a float32 scale (little-endian) and one signed byte per
 *       dimension, {@code v[i] ≈ code[i] × scale}: 388 bytes for 384 dimensions, a quarter of float32. Scaled to the
 *       vector's largest component, its cosine with another one is off by well under 0.01.
 *   <li>{@link #float32}: the Query Engine's form, little-endian float32 per dimension, as its VECTOR fields want.
 * </ul>
 *
 * Script arguments are text, so a vector travels to a write script in hex and the script decodes it.
 */
public final class VectorCodec {

    private static final HexFormat HEX = HexFormat.of();

    private VectorCodec() {}

    public static byte[] int8(float[] vector) {
        float max = 0;
        for (float v : vector) {
            max = Math.max(max, Math.abs(v));
        }
        float scale = max == 0 ? 1 : max / 127f;
        ByteBuffer out = ByteBuffer.allocate(4 + vector.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putFloat(scale);
        for (float v : vector) {
            out.put((byte) Math.round(v / scale));
        }
        return out.array();
    }

    public static byte[] float32(float[] vector) {
        ByteBuffer out = ByteBuffer.allocate(4 * vector.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : vector) {
            out.putFloat(v);
        }
        return out.array();
    }

    /** A {@link #float32} vector read back. */
    public static float[] fromFloat32(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[bytes.length / 4];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = in.getFloat();
        }
        return vector;
    }

    /** The scale of an {@link #int8} vector. */
    static float scale(byte[] int8) {
        return ByteBuffer.wrap(int8, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
    }

    /** The dimensions of an {@link #int8} vector. */
    static int dimension(byte[] int8) {
        return int8.length - 4;
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
