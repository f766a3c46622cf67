package dev.agentmemory.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Test texts kept as resources under {@code src/test/resources}. */
public final class TestTexts {

    private TestTexts() {}

    /** The non-blank lines of a text resource, without {@code #} comments. */
    public static List<String> lines(String resource) {
        return new String(read(resource), StandardCharsets.UTF_8)
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }

    /** A JSON resource read into the given type. */
    public static <T> T json(String resource, TypeReference<T> type) {
        try {
            return new ObjectMapper().readValue(read(resource), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = TestTexts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
