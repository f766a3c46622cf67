package dev.agentmemory.redis.dev;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

/**
 * Dev mode on a bare machine: when no Redis is configured ({@code quarkus.redis.hosts}, {@code REDIS_URL}) and
 * no container runtime is there for Dev Services, start the embedded {@code redis-server} and point the client
 * at it; without a container runtime, Dev Services are switched off altogether (they could start nothing). With
 * Docker, Dev Services start Redis as usual; in {@code prod} and {@code test} this does nothing.
 *
 * <p>{@link EmbeddedRedis} is loaded by a name that is not a constant, and only when it is needed: the
 * embedded-redis artifact has {@code provided} scope, so it is in neither the production jar nor the native
 * executable, and the native-image builder (which links every class it can reach at build time, following
 * constant class names too) must not reach it.
 *
 * <p>The server outlives hot reloads (its URL is kept in a system property) and stops with the JVM.
 */
public class DevRedisConfigSourceFactory implements ConfigSourceFactory {

    private static final Logger LOG = Logger.getLogger(DevRedisConfigSourceFactory.class);
    private static final String URL_PROPERTY = "agent-memory.dev-redis.url";
    private static final String HOSTS = "quarkus.redis.hosts";
    private static final String DEV_SERVICES = "quarkus.devservices.enabled";

    /** Not final, so that the image builder does not fold it into a class reference (see the class comment). */
    private static String embeddedRedisClass = "dev.agentmemory.redis.dev.EmbeddedRedis";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains("dev") || containerRuntimeAvailable()) {
            return List.of();
        }
        // Without a container runtime Dev Services can start nothing; switched off, they do not probe for Docker
        // (which logs an ERROR at every start).
        Map<String, String> properties = new HashMap<>(Map.of(DEV_SERVICES, "false"));
        if (!redisConfigured(context)) {
            properties.put(
                    HOSTS,
                    Optional.ofNullable(System.getProperty(URL_PROPERTY))
                            .filter(DevRedisConfigSourceFactory::answers)
                            .orElseGet(startEmbedded()));
        }
        return List.of(new PropertiesConfigSource(properties, "agent-memory-dev-redis", 275));
    }

    private static boolean redisConfigured(ConfigSourceContext context) {
        ConfigValue hosts = context.getValue(HOSTS);
        boolean inConfig =
                hosts != null && hosts.getValue() != null && !hosts.getValue().isBlank();
        return inConfig || present(System.getenv("REDIS_URL")) || present(System.getenv("QUARKUS_REDIS_HOSTS"));
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /** Docker or Podman reachable over DOCKER_HOST or one of the usual sockets. */
    private static boolean containerRuntimeAvailable() {
        if (present(System.getenv("DOCKER_HOST"))) {
            return true;
        }
        String runtimeDir =
                Optional.ofNullable(System.getenv("XDG_RUNTIME_DIR")).orElse("/nonexistent");
        return List.of(
                        Path.of("/var/run/docker.sock"),
                        Path.of(System.getProperty("user.home"), ".docker/run/docker.sock"),
                        Path.of(runtimeDir, "docker.sock"),
                        Path.of(runtimeDir, "podman/podman.sock"))
                .stream()
                .filter(Files::exists)
                .anyMatch(DevRedisConfigSourceFactory::accepts);
    }

    private static boolean accepts(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean answers(String url) {
        java.net.URI uri = java.net.URI.create(url);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Supplier<String> startEmbedded() {
        return () -> {
            AutoCloseable redis;
            String url;
            try {
                Class<?> type =
                        Class.forName(embeddedRedisClass, true, DevRedisConfigSourceFactory.class.getClassLoader());
                redis = (AutoCloseable) type.getMethod("start", List.class).invoke(null, List.of());
                url = (String) type.getMethod("url").invoke(redis);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Could not start the embedded redis-server", e);
            }
            System.setProperty(URL_PROPERTY, url);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> close(redis), "dev-redis-shutdown"));
            LOG.infof(
                    "No Redis configured and no container runtime for Dev Services: started an embedded redis-server"
                            + " at %s (not persisted; set REDIS_URL to use another)",
                    url);
            return url;
        };
    }

    private static void close(AutoCloseable redis) {
        try {
            redis.close();
        } catch (Exception e) {
            LOG.debug("Could not stop the embedded redis-server", e);
        }
    }
}
