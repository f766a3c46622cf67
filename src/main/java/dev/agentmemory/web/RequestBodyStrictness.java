package dev.agentmemory.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.time.Instant;

/**
 * How request bodies are read, stricter than the application's shared mapper (which the LLM client copies, and
 * which reads what the service stored itself): a field the request type does not have is a 400 naming it, not
 * silently dropped (a misspelt {@code "Kind"} would otherwise store the default kind); and a time is ISO-8601 text
 * only, because Jackson reads a number as epoch seconds and turns one too large into 1970-01-01 without a word.
 * Server side only: the REST clients keep their own readers.
 */
@Provider
@ConstrainedTo(RuntimeType.SERVER)
public class RequestBodyStrictness implements ContextResolver<ObjectMapper> {

    private final ObjectMapper strict;

    public RequestBodyStrictness(ObjectMapper json) {
        this.strict = json.copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .registerModule(new SimpleModule("iso-instants").addDeserializer(Instant.class, new IsoInstant()));
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return strict;
    }

    /** An {@link Instant} from ISO-8601 text ({@code 2024-05-01T12:00:00Z}); any other JSON value is refused. */
    static final class IsoInstant extends StdScalarDeserializer<Instant> {

        IsoInstant() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            return InstantDeserializer.INSTANT.deserialize(parser, context);
        }
    }
}
