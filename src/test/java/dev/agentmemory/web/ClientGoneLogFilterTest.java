package dev.agentmemory.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class ClientGoneLogFilterTest {

    private final ClientGoneLogFilter filter = new ClientGoneLogFilter();

    @Test
    void aStreamWhoseClientWentAwayIsNotLogged() {
        assertThat(filter.isLoggable(sseWriterError(new IOException("Broken pipe"))))
                .isFalse();
        assertThat(filter.isLoggable(sseWriterError(new ClosedChannelException())))
                .isFalse();
        assertThat(filter.isLoggable(sseWriterError(new HttpClosedException("Connection was closed"))))
                .isFalse();
        assertThat(filter.isLoggable(sseWriterError(new IllegalStateException(new IOException("reset")))))
                .isFalse();
    }

    @Test
    void everyOtherFailureIsLogged() {
        assertThat(filter.isLoggable(sseWriterError(new IllegalStateException("serialization failed"))))
                .isTrue();
        assertThat(filter.isLoggable(sseWriterError(null))).isTrue();

        LogRecord elsewhere = new LogRecord(Level.SEVERE, "Redis is gone");
        elsewhere.setLoggerName("dev.agentmemory.chat.ChatService");
        elsewhere.setThrown(new IOException("Connection reset"));
        assertThat(filter.isLoggable(elsewhere)).isTrue();
    }

    private static LogRecord sseWriterError(Throwable thrown) {
        LogRecord record =
                new LogRecord(Level.SEVERE, "Exception in SSE server handling, impossible to send it to client");
        record.setLoggerName(ClientGoneLogFilter.SSE_WRITER);
        record.setThrown(thrown);
        return record;
    }
}
