package dev.agentmemory.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md} lists every {@code memory.*} property {@link MemoryConfig} declares, no other, each
 * with the environment variable that sets it and the declared default.
 */
class ConfigurationDocTest {

    /** A table row: | `memory.x.y` | `MEMORY_X_Y` | `default` or — | meaning |. */
    private static final Pattern ROW = Pattern.compile("^\\| `(memory\\.[^`]+)` \\| `([^`]+)` \\| (?:`(.*?)`|—) \\|");

    @Test
    void theConfigurationPageListsEveryPropertyWithItsDefault() throws IOException {
        Map<String, Optional<String>> documented = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("docs", "configuration.md"))) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                String property = row.group(1);
                assertThat(row.group(2))
                        .as(property + ": environment variable")
                        .isEqualTo(property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase());
                documented.put(property, Optional.ofNullable(row.group(3)));
            }
        }
        assertThat(documented)
                .as("docs/configuration.md against MemoryConfig: every memory.* property needs its row,"
                        + " | `name` | `ENVIRONMENT_NAME` | `default` (or — without one) | meaning |")
                .isEqualTo(new TreeMap<>(ConfigDefaults.all()));
    }
}
