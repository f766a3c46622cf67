package dev.agentmemory.security;

import dev.agentmemory.config.MemoryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The accepted API keys, known only by their SHA-256 digests ({@code memory.auth.api-key-sha256}), so that the
 * configuration never holds a key. A presented key is hashed and compared with every digest in constant time.
 */
@ApplicationScoped
public class ApiKeys {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private final List<byte[]> digests;

    public ApiKeys(MemoryConfig config) {
        this.digests = parse(config.auth().apiKeySha256().orElse(List.of()));
    }

    public boolean isEmpty() {
        return digests.isEmpty();
    }

    /**
     * The position of the key's digest in the configured list, or -1 when it is not there. Every digest is
     * compared, each with {@link MessageDigest#isEqual} (constant time), so the time taken says nothing about
     * which digest came closest.
     */
    public int indexOf(String key) {
        byte[] digest = sha256(key);
        int found = -1;
        for (int i = 0; i < digests.size(); i++) {
            if (MessageDigest.isEqual(digests.get(i), digest) && found < 0) {
                found = i;
            }
        }
        return found;
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<byte[]> parse(List<String> configured) {
        List<byte[]> digests = new ArrayList<>(configured.size());
        for (int i = 0; i < configured.size(); i++) {
            String hex = configured.get(i).strip();
            if (hex.isEmpty()) {
                continue;
            }
            if (!SHA256_HEX.matcher(hex).matches()) {
                throw new IllegalArgumentException("memory.auth.api-key-sha256: entry " + (i + 1)
                        + " is not a SHA-256 digest (64 hex characters, e.g. the output of"
                        + " `printf %s \"$KEY\" | sha256sum`); configure digests, never the keys themselves");
            }
            digests.add(HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT)));
        }
        return List.copyOf(digests);
    }
}
