package dev.agentmemory.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy in front of Redis that can hold back every reply until the commands it waits for have all
 * arrived. If the service only sent its second command after the reply to its first, the gate would never
 * open on its own and {@link #openedByCommands()} stays false: a proof of concurrency that does not rest on
 * timings.
 */
public final class GatedRedisProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile Gate gate;

    public GatedRedisProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "redis-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String url() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    /**
     * Holds back Redis replies until a command containing each marker has been sent (or {@code timeoutMillis}
     * passed, in which case the gate opens anyway and the test can tell).
     */
    public void arm(long timeoutMillis, String... markers) {
        gate = new Gate(List.of(markers), timeoutMillis);
    }

    /** Whether the armed gate was opened by the awaited commands rather than by its time-out. */
    public boolean openedByCommands() {
        Gate current = gate;
        return current != null && current.openedByCommands;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket redis = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(redis);
                pump(client, redis, true);
                pump(redis, client, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean commands) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[16384];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int read;
                        while ((read = in.read(buffer)) >= 0) {
                            Gate current = gate;
                            if (current != null) {
                                if (commands) {
                                    current.saw(new String(buffer, 0, read, StandardCharsets.UTF_8));
                                } else {
                                    current.await();
                                }
                            }
                            out.write(buffer, 0, read);
                            out.flush();
                        }
                    } catch (IOException | InterruptedException e) {
                        // connection closed
                    }
                },
                commands ? "redis-proxy-commands" : "redis-proxy-replies");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private static final class Gate {
        private final List<String> pending;
        private final CountDownLatch open = new CountDownLatch(1);
        private final long timeoutMillis;
        private volatile boolean openedByCommands;

        Gate(List<String> markers, long timeoutMillis) {
            this.pending = new CopyOnWriteArrayList<>(markers);
            this.timeoutMillis = timeoutMillis;
        }

        void saw(String command) {
            pending.removeIf(command::contains);
            if (pending.isEmpty() && open.getCount() > 0) {
                openedByCommands = true;
                open.countDown();
            }
        }

        void await() throws InterruptedException {
            if (!open.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
                open.countDown();
            }
        }
    }
}
