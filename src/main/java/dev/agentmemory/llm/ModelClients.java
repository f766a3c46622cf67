package dev.agentmemory.llm;

import io.quarkiverse.langchain4j.openai.common.OpenAiRestApi;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.RestClientBuilder;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;
import org.eclipse.microprofile.rest.client.spi.RestClientListener;
import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;
import org.jboss.resteasy.reactive.client.impl.RestClientRequestContext;

/**
 * Tunes the REST clients the OpenAI extension builds for its models, through MicroProfile REST Client's listener
 * SPI (the extension builds them programmatically, so the {@code quarkus.rest-client.*} settings do not reach
 * them):
 *
 * <ul>
 *   <li>the connection pool holds {@code memory.llm.max-connections}, not the REST client's default of 50: a
 *       streamed reply keeps its connection for seconds, and turns beyond the pool would queue for one;
 *   <li>over TLS the client offers HTTP/2 (ALPN), so that a server that takes it carries many turns per connection;
 *       a plain-HTTP server stays on HTTP/1.1 (no {@code h2c} upgrade attempt, which some servers mishandle);
 *   <li>an error status becomes an {@link LlmHttpException} that keeps the server's {@code Retry-After}, which the
 *       extension's own mapper drops; it runs before that mapper;
 *   <li>a streamed request answered with anything but an event stream fails with {@link IncompleteReplyException}:
 *       the client would otherwise read a whole JSON completion as one event without any text delta;
 *   <li>over plain HTTP, a streamed request's connection is not handed to another request after it (see
 *       {@link OneStreamPerConnection}).
 * </ul>
 *
 * Registered in {@code META-INF/services/org.eclipse.microprofile.rest.client.spi.RestClientListener}.
 */
public class ModelClients implements RestClientListener {

    /** Before the extension's own exception mapper, which has the default priority. */
    private static final int BEFORE_DEFAULT_MAPPERS = ResponseExceptionMapper.DEFAULT_PRIORITY - 100;

    /** Error bodies kept in the exception: enough to diagnose, without a whole HTML page. */
    private static final int MAX_ERROR_BODY = 2000;

    @Override
    public void onNewClient(Class<?> serviceInterface, RestClientBuilder builder) {
        if (!OpenAiRestApi.class.equals(serviceInterface)) {
            return;
        }
        Config config = ConfigProvider.getConfig();
        int connections = config.getValue("memory.llm.max-connections", Integer.class);
        builder.property(QuarkusRestClientProperties.CONNECTION_POOL_SIZE, connections);
        boolean tls = config.getOptionalValue("quarkus.langchain4j.openai.base-url", String.class)
                .map(url -> url.regionMatches(true, 0, "https:", 0, 6))
                .orElse(false);
        if (tls) {
            builder.property(QuarkusRestClientProperties.HTTP2, true);
            builder.property(QuarkusRestClientProperties.ALPN, true);
        }
        builder.register(new StatusMapper(), BEFORE_DEFAULT_MAPPERS);
        builder.register(new EventStreamCheck());
        if (!tls) {
            builder.register(new OneStreamPerConnection());
        }
    }

    /**
     * A streamed request over HTTP/1.1 asks for its connection to be closed after the reply. The client closes the
     * connection of an event stream once the stream has ended anyway, but only after the pool has taken it back: a
     * request waiting for a connection could be handed that one and find it closed under it. With
     * {@code Connection: close} the pool never takes it back. (Not over TLS, where the client speaks HTTP/2, which
     * has no such header.)
     */
    static final class OneStreamPerConnection implements ClientRequestFilter {

        @Override
        public void filter(ClientRequestContext request) {
            if (isStreamed(request)) {
                request.getHeaders().putSingle("Connection", "close");
            }
        }
    }

    /** The extension's method for streamed chat completions. */
    private static final String STREAMED = "streamingChatCompletion";

    private static boolean isStreamed(ClientRequestContext request) {
        return request.getProperty(RestClientRequestContext.INVOKED_METHOD_PROP) instanceof Method method
                && STREAMED.equals(method.getName());
    }

    /**
     * A streamed request's 2xx answer must be an event stream. The client runs response filters also for a request
     * that got no answer at all (a connection closed under it, a refused connection): that one has no status (0) and
     * no headers, and keeps its own failure, which may be retried.
     */
    static final class EventStreamCheck implements ClientResponseFilter {

        @Override
        public void filter(ClientRequestContext request, ClientResponseContext response) {
            if (response.getStatus() < 200 || response.getStatus() >= 300 || !isStreamed(request)) {
                return;
            }
            MediaType type = response.getMediaType();
            if (type == null || !MediaType.SERVER_SENT_EVENTS_TYPE.isCompatible(type)) {
                throw new IncompleteReplyException("The streamed reply came as "
                        + (type == null ? "a body without a type" : type) + ", not as events");
            }
        }
    }

    /** An error status with its {@code Retry-After} and (the start of) its body. */
    static final class StatusMapper implements ResponseExceptionMapper<LlmHttpException> {

        @Override
        public LlmHttpException toThrowable(Response response) {
            String body;
            try {
                body = response.hasEntity() ? response.readEntity(String.class) : "";
            } catch (RuntimeException e) {
                body = "";
            }
            if (body.length() > MAX_ERROR_BODY) {
                body = body.substring(0, MAX_ERROR_BODY) + "…";
            }
            return new LlmHttpException(response.getStatus(), response.getHeaderString(HttpHeaders.RETRY_AFTER), body);
        }

        @Override
        public boolean handles(int status, jakarta.ws.rs.core.MultivaluedMap<String, Object> headers) {
            return status >= 400;
        }

        @Override
        public int getPriority() {
            return BEFORE_DEFAULT_MAPPERS;
        }
    }
}
