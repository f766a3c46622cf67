package dev.agentmemory.redis.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

/**
 * A {@code redis-server} process from the binary bundled in {@code com.github.codemonstur:embedded-redis}, on
 * loopback, without persistence. Used by dev mode when no Redis is configured and Dev Services cannot run, and
 * by the tests. That artifact has {@code provided} scope: this class does not exist at run time in production.
 */
public final class EmbeddedRedis implements AutoCloseable {

    private final RedisServer server;
    private final int port;
    private final Path dir;

    private EmbeddedRedis(RedisServer server, int port, Path dir) {
        this.server = server;
        this.port = port;
        this.dir = dir;
    }

    /**
     * Starts a server on a free loopback port in a new temporary directory, which {@link #close()} removes;
     * {@code extraSettings} are redis.conf lines (e.g. loadmodule).
     */
    public static EmbeddedRedis start(List<String> extraSettings) {
        int port = freePort();
        try {
            Path dir = Files.createTempDirectory("agent-memory-redis");
            RedisServerBuilder builder = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("dir " + dir)
                    .onShutdownForceStop(true);
            extraSettings.forEach(builder::setting);
            RedisServer server = builder.build();
            server.start();
            return new EmbeddedRedis(server, port, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded redis-server", e);
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Its working directory. */
    public Path directory() {
        return dir;
    }

    /** Stops the process; {@link #restart()} starts it again on the same port, empty. */
    public void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void restart() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isActive() {
        return server.isActive();
    }

    /** Stops the process and removes its directory. */
    @Override
    public void close() {
        if (server.isActive()) {
            stop();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove " + dir, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
