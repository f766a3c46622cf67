package dev.agentmemory.bench.perf;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service under test as a separate process (the JVM jar or the native executable), with its CPU time and
 * resident memory read from {@code /proc}.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Pattern RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB");
    /** Clock ticks per second of {@code /proc/<pid>/stat}; 100 on Linux. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final String name;
    private final Process process;
    private final int port;
    private final Duration startedIn;

    private ServiceProcess(String name, Process process, int port, Duration startedIn) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.startedIn = startedIn;
    }

    /**
     * Starts the command with the environment and waits for {@code GET /q/health/ready} on its management port to
     * answer 200.
     *
     * @param log where the process's output goes
     */
    public static ServiceProcess start(String name, List<String> command, Map<String, String> env, Path log)
            throws IOException, InterruptedException {
        int port = freePort();
        int managementPort = freePort();
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("MANAGEMENT_PORT", Integer.toString(managementPort));
        long start = System.nanoTime();
        Process process = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = start + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return new ServiceProcess(name, process, port, Duration.ofNanos(System.nanoTime() - start));
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        process.destroyForcibly();
        throw new IllegalStateException(name + " was not ready within 90 s; see " + log);
    }

    public String name() {
        return name;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Duration startedIn() {
        return startedIn;
    }

    /** User plus system CPU time the process has used so far, in milliseconds. */
    public double cpuMillis() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        // Fields after the command name, which is in parentheses and may contain spaces.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        return ticks * 1000 / TICKS_PER_SECOND;
    }

    /** Resident set size now, in MiB. */
    public double rssMiB() throws IOException {
        Matcher rss = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(process.pid()), "status")));
        if (!rss.find()) {
            throw new IllegalStateException("No VmRSS for " + name);
        }
        return Long.parseLong(rss.group(1)) / 1024.0;
    }

    /** Kills the process at once ({@code SIGKILL}): no shutdown hook runs, nothing is finished. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
