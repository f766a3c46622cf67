package dev.agentmemory.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One Redis server on this machine, spoken to directly over its own connection (not through the service's
 * client, which routes commands by key): for the tests that act on particular nodes of a cluster (flush their
 * scripts, fail one over, kill one) or pause a server. Replies are read as plain Java values: a status or bulk
 * string as {@code String}, an integer as {@code Long}, an array as {@code List}, nil as null; an error reply
 * throws.
 */
public record RedisNode(String host, int port) {

    private static final int TIMEOUT_MILLIS = 10_000;

    /** What a test server needs to come back as it was (see {@link #launch()}). */
    private static final List<String> RESTART_SETTINGS = List.of(
            "port",
            "bind",
            "dir",
            "cluster-enabled",
            "cluster-config-file",
            "cluster-node-timeout",
            "save",
            "appendonly",
            "daemonize",
            "pidfile",
            "logfile");

    /** From {@code redis://host:port} or {@code host:port}. */
    public static RedisNode of(String address) {
        URI uri = URI.create(address.contains("://") ? address : "redis://" + address);
        return new RedisNode(uri.getHost(), uri.getPort());
    }

    public Object command(String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(encode(args));
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(this + ": " + String.join(" ", args), e);
        }
    }

    /** A field of {@code INFO}, e.g. {@code process_id} or {@code role}. */
    public String info(String field) {
        for (String line : ((String) command("INFO")).split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).strip();
            }
        }
        throw new IllegalStateException(this + " has no INFO field " + field);
    }

    public boolean answers() {
        try {
            return "PONG".equals(command("PING"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The server's process on this machine. */
    public long pid() {
        return Long.parseLong(info("process_id"));
    }

    /**
     * How to start the server again as it runs now: its executable ({@code INFO}, or its name on the PATH; not
     * {@code /proc}, which names the binary a link points to, as for Debian's redis-server, and whose command line
     * the server rewrites) and its settings that matter for that ({@code CONFIG GET}), in its working directory.
     */
    @SuppressWarnings("unchecked")
    public Launch launch() {
        long pid = pid();
        try {
            String executable = info("executable");
            if (!Files.isExecutable(Path.of(executable))) {
                // Started by a bare name found on the PATH: INFO resolves it against the working directory.
                executable = Path.of(executable).getFileName().toString();
            }
            Path directory = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd"));
            List<String> command = new ArrayList<>(List.of(executable));
            for (String setting : RESTART_SETTINGS) {
                List<Object> reply = (List<Object>) command("CONFIG", "GET", setting);
                if (reply.size() == 2) {
                    command.add("--" + setting);
                    command.add((String) reply.get(1));
                }
            }
            return new Launch(command, directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The keys of this node matching the pattern, by {@code SCAN}. */
    @SuppressWarnings("unchecked")
    public List<String> scan(String pattern) {
        List<String> keys = new ArrayList<>();
        String cursor = "0";
        do {
            List<Object> reply = (List<Object>) command("SCAN", cursor, "MATCH", pattern, "COUNT", "1000");
            cursor = (String) reply.get(0);
            ((List<Object>) reply.get(1)).forEach(key -> keys.add((String) key));
        } while (!"0".equals(cursor));
        return keys;
    }

    /** The nodes of the cluster this node belongs to ({@code CLUSTER NODES}), masters first. */
    public List<ClusterMember> clusterNodes() {
        List<ClusterMember> members = new ArrayList<>();
        for (String line : ((String) command("CLUSTER", "NODES")).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(" ");
            String address = fields[1].substring(0, fields[1].indexOf('@'));
            int colon = address.lastIndexOf(':');
            RedisNode node = new RedisNode(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
            boolean master = fields[2].contains("master");
            boolean failed = fields[2].replace("fail?", "").contains("fail") || fields[7].equals("disconnected");
            members.add(new ClusterMember(fields[0], node, master, "-".equals(fields[3]) ? null : fields[3], failed));
        }
        members.sort((a, b) -> Boolean.compare(b.master(), a.master()));
        return members;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }

    /**
     * A node as its cluster sees it.
     *
     * @param masterId for a replica, the id of its master
     * @param failed whether the cluster considers it failed or it is disconnected
     */
    public record ClusterMember(String id, RedisNode node, boolean master, String masterId, boolean failed) {}

    /** A server's command line and working directory, to start it again as it was. */
    public record Launch(List<String> command, Path directory) {

        public Process start() {
            try {
                return new ProcessBuilder(command)
                        .directory(directory.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static byte[] encode(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, "*" + args.length + "\r\n");
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            write(out, "$" + bytes.length + "\r\n");
            out.writeBytes(bytes);
            write(out, "\r\n");
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IllegalStateException(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("Unexpected reply type " + (char) type);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        int next;
        while ((next = in.read()) >= 0) {
            if (previous == '\r' && next == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(next);
            previous = next;
        }
        throw new IOException("Connection closed");
    }
}
