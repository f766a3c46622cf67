package dev.agentmemory.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.testing.TestCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application in production (authentication on by default) refuses to start when it has nothing to
 * verify credentials with, or when what it was given is unusable, and says what to set.
 */
class StartWithoutCredentialsIT {

    @TempDir
    Path work;

    @Test
    void withNeitherAJwtKeyNorAnApiKeyTheServiceDoesNotStart() throws Exception {
        String log = startExpectingFailure(Map.of());
        assertThat(log)
                .contains("MP_JWT_VERIFY_PUBLICKEY_LOCATION")
                .contains("MEMORY_AUTH_API_KEY_SHA256")
                .contains("MEMORY_AUTH_ENABLED=false");
    }

    @Test
    void anApiKeyInsteadOfItsDigestIsRefused() throws Exception {
        String log = startExpectingFailure(Map.of("MEMORY_AUTH_API_KEY_SHA256", "my-secret-key"));
        assertThat(log).contains("memory.auth.api-key-sha256: entry 1 is not a SHA-256 digest");
    }

    @Test
    void aJwtKeyWithoutAnIssuerIsRefused() throws Exception {
        String log = startExpectingFailure(Map.of(
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", TestCredentials.publicKey().toString()));
        assertThat(log).contains("MP_JWT_VERIFY_ISSUER");
    }

    /** Runs the packaged application with this environment until it exits (it must), and answers its output. */
    private String startExpectingFailure(Map<String, String> env) throws IOException, InterruptedException {
        Path output = work.resolve("service.log");
        ProcessBuilder builder =
                new ProcessBuilder(command()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("MEMORY_") || name.startsWith("MP_JWT"));
        builder.environment().putAll(env);
        // The check comes before any use of Redis, so none is needed; ports 0 in case it started after all.
        builder.environment().put("REDIS_URL", "redis://127.0.0.1:1");
        builder.environment().put("PORT", "0");
        builder.environment().put("MANAGEMENT_PORT", "0");
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(
                    "The service started without usable credentials; its log: " + Files.readString(output));
        }
        assertThat(process.exitValue()).as("exit code").isNotZero();
        return Files.readString(output);
    }

    private static List<String> command() {
        Path executable = Path.of(System.getProperty("native.image.path", "target/agent-memory-runner"));
        if (Files.isExecutable(executable)) {
            return List.of(executable.toString());
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-jar", "target/quarkus-app/quarkus-run.jar"));
        return command;
    }
}
