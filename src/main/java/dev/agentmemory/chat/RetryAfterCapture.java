package dev.agentmemory.chat;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.ext.Provider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Carries an LLM server's {@code Retry-After} into the error langchain4j raises. langchain4j turns a 429 into a
 * {@code RateLimitException} whose message is the response body and nothing else; this REST-client filter
 * prefixes a failed response's body with {@code [retry-after=N]} so {@link LlmFailure} can read it back.
 */
@Provider
public class RetryAfterCapture implements ClientResponseFilter {

    private static final Pattern MARK = Pattern.compile("\\[retry-after=([0-9.]+)]");

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) throws IOException {
        if (response.getHeaders() == null) {
            return; // no response at all (the connection failed): nothing to carry, the failure speaks for itself
        }
        String retryAfter = response.getHeaderString("Retry-After");
        if (response.getStatus() < 400
                || retryAfter == null
                || !retryAfter.trim().matches("[0-9.]+")) {
            return;
        }
        byte[] body = response.hasEntity() ? response.getEntityStream().readAllBytes() : new byte[0];
        String marked = "[retry-after=" + retryAfter.trim() + "]" + new String(body, StandardCharsets.UTF_8);
        response.setEntityStream(new ByteArrayInputStream(marked.getBytes(StandardCharsets.UTF_8)));
    }

    /** The {@code Retry-After} seconds a failure's message carries, or null. */
    static String find(String message) {
        if (message == null) {
            return null;
        }
        Matcher matcher = MARK.matcher(message);
        return matcher.find() ? matcher.group(1) : null;
    }
}
