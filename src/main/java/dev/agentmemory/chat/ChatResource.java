package dev.agentmemory.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.agentmemory.problem.Problems;
import dev.agentmemory.validation.ValidId;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A chat turn with memory, answered as JSON or streamed as server-sent events. */
@Path("/v1/users")
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Chat")
public class ChatResource {

    private static final String CHAT = "/{userId}/sessions/{sessionId}/chat";

    private final ChatService chat;
    private final Problems problems;
    private final ObjectWriter json;

    public ChatResource(ChatService chat, Problems problems, ObjectMapper json) {
        this.chat = chat;
        this.problems = problems;
        this.json = json.writer();
    }

    @POST
    @Path(CHAT)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One turn: recall, reply, save the history, remember in the background")
    public Uni<ChatReply> chat(
            @PathParam("userId") @ValidId String userId,
            @PathParam("sessionId") @ValidId String sessionId,
            @NotNull @Valid ChatRequest body) {
        return chat.chat(userId, sessionId, body.message());
    }

    @POST
    @Path(CHAT + "/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "One turn, streamed: events memories, token…, done; or error")
    @APIResponse(
            responseCode = "200",
            description = "Server-sent events, each with JSON data: memories {memories}, token {text} for each delta,"
                    + " then done {reply} once the exchange is saved, or error (a problem document)",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    public Multi<OutboundSseEvent> stream(
            @PathParam("userId") @ValidId String userId,
            @PathParam("sessionId") @ValidId String sessionId,
            @NotNull @Valid ChatRequest body,
            @Context Sse sse) {
        return chat.stream(userId, sessionId, body.message())
                .onFailure()
                .recoverWithItem(failure -> ChatEvent.error(problems.of(failure)))
                .map(event -> sse.newEventBuilder()
                        .name(event.name())
                        .data(toJson(event.data()))
                        .build());
    }

    /** Event data is JSON text, so that token deltas keep their leading spaces. */
    private String toJson(Object data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
