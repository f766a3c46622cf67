package dev.agentmemory.web;

import io.quarkus.logging.LoggingFilter;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Keeps out of the log the ERROR, with its stack trace, that Quarkus REST writes when it cannot send a
 * server-sent event because the client has gone (broken pipe, connection reset or closed): a caller that stops
 * reading a streamed chat turn is not a server failure. Every other record of that logger, and every record of
 * any other, is kept. Installed on the console handler by {@code quarkus.log.console.filter=client-gone}.
 */
@LoggingFilter(name = "client-gone")
public final class ClientGoneLogFilter implements Filter {

    /** The class that logs "Exception in SSE server handling, impossible to send it to client". */
    static final String SSE_WRITER = "org.jboss.resteasy.reactive.server.handlers.PublisherResponseHandler";

    @Override
    public boolean isLoggable(LogRecord record) {
        return !(SSE_WRITER.equals(record.getLoggerName()) && clientGone(record.getThrown()));
    }

    private static boolean clientGone(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException || cause instanceof HttpClosedException) {
                return true;
            }
        }
        return false;
    }
}
