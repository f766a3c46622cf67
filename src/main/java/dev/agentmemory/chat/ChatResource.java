package dev.agentmemory.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.agentmemory.problem.Problem;
import dev.agentmemory.problem.Problems;
import dev.agentmemory.validation.ValidId;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A chat turn with memory, answered as JSON or streamed as server-sent events. */
@Path("/v1/users")
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Chat")
public class ChatResource {

    private static final String CHAT = "/{userId}/sessions/{sessionId}/chat";

    /** The header that makes a turn safe to retry (see {@link IdempotentChat}). */
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final ChatService chat;
    private final IdempotentChat idempotent;
    private final Problems problems;
    private final ObjectWriter json;

    public ChatResource(ChatService chat, IdempotentChat idempotent, Problems problems, ObjectMapper json) {
        this.chat = chat;
        this.idempotent = idempotent;
        this.problems = problems;
        this.json = json.writer();
    }

    @POST
    @Path(CHAT)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One turn: recall, reply, save the history, remember in the background")
    @APIResponse(responseCode = "200", description = "The reply, and the memories given to the LLM")
    @APIResponse(
            responseCode = "409",
            description = "user-erased: the user is being forgotten, or was while the turn ran (nothing saved); or"
                    + " turn-in-progress: a retry whose first attempt still runs after memory.chat.idempotency.await",
            headers =
                    @Header(
                            name = "Retry-After",
                            description = "With turn-in-progress: seconds to wait",
                            schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "422",
            description = "idempotency-key-reused: the Idempotency-Key was sent before with another message",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ChatReply> chat(
            @PathParam("userId") @ValidId String userId,
            @PathParam("sessionId") @ValidId String sessionId,
            @Parameter(description = IDEMPOTENCY_DESCRIPTION) @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            @NotNull @Valid ChatRequest body) {
        return idempotencyKey == null
                ? chat.chat(userId, sessionId, body.message())
                : idempotent.chat(userId, sessionId, body.message(), idempotencyKey);
    }

    @POST
    @Path(CHAT + "/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "One turn, streamed: events memories, token…, done; or error")
    @APIResponse(
            responseCode = "200",
            description = "Server-sent events, each with JSON data, in this order: memories"
                    + " {\"memories\":[Memory]}, the memories given to the LLM; token {\"text\"} for each piece of"
                    + " the reply as the LLM writes it; done {\"reply\"}, the whole reply, once the exchange is saved."
                    + " A failure once the stream has begun is an error event instead, whose data is a problem document"
                    + " (409 user-erased or turn-in-progress, 422 idempotency-key-reused, 503 Redis or the LLM"
                    + " unavailable; nothing is saved), and the stream ends",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    public Multi<OutboundSseEvent> stream(
            @PathParam("userId") @ValidId String userId,
            @PathParam("sessionId") @ValidId String sessionId,
            @Parameter(description = IDEMPOTENCY_DESCRIPTION) @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            @NotNull @Valid ChatRequest body,
            @Context Sse sse) {
        Multi<ChatEvent> events = idempotencyKey == null
                ? chat.stream(userId, sessionId, body.message())
                : idempotent.stream(userId, sessionId, body.message(), idempotencyKey);
        return events.onFailure()
                .recoverWithItem(failure -> ChatEvent.error(problems.of(failure)))
                .map(event -> sse.newEventBuilder()
                        .name(event.name())
                        .data(toJson(event.data()))
                        .build());
    }

    private static final String IDEMPOTENCY_DESCRIPTION = "Makes the turn safe to retry: a retry with the same key"
            + " (same user and session, within a day) gets the first turn's reply, without a second LLM call or a"
            + " second saved exchange; 1 to 128 characters of letters, digits, '.', '_', '@' or '-'";

    /** Event data is JSON text, so that token deltas keep their leading spaces. */
    private String toJson(Object data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
