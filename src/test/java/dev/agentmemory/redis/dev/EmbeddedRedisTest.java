package dev.agentmemory.redis.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedRedisTest {

    @Test
    void answersOnLoopbackAndLeavesNothingBehindOnceClosed() throws IOException {
        EmbeddedRedis redis = EmbeddedRedis.start(List.of());
        assertThat(redis.directory()).isDirectory();
        try (Socket socket = new Socket("127.0.0.1", redis.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            assertThat(new String(in.readNBytes(7), StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");
        }

        redis.close();

        assertThat(redis.isActive()).isFalse();
        assertThat(redis.directory()).doesNotExist();
    }
}
