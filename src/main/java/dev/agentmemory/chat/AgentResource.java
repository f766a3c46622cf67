package dev.agentmemory.chat;

import dev.agentmemory.validation.ValidId;
import dev.agentmemory.working.AppendRequest;
import dev.agentmemory.working.AppendResult;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * For agents that call their own LLM: the prompt a chat turn would send for a message, in one round trip, and
 * afterwards the exchange appended to the session (with its facts extracted when asked).
 */
@Path("/v1/users")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {

    private static final String SESSION = "/{userId}/sessions/{sessionId}";

    private final ChatService chat;
    private final Exchanges exchanges;

    public AgentResource(ChatService chat, Exchanges exchanges) {
        this.chat = chat;
        this.exchanges = exchanges;
    }

    @POST
    @Path(SESSION + "/prompt")
    @Tag(name = "Chat")
    @Operation(
            summary = "The messages a chat turn would send the LLM for this message (system prompt with the user's"
                    + " memories, history, message), for an agent that calls its own LLM; nothing is saved")
    @APIResponse(responseCode = "200", description = "The messages, and the memories among them")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<MemoryPrompt> prompt(
            @PathParam("userId") @ValidId String userId,
            @PathParam("sessionId") @ValidId String sessionId,
            @NotNull @Valid ChatRequest body) {
        return chat.prompt(userId, sessionId, body.message());
    }

    @POST
    @Path(SESSION + "/messages")
    @Tag(name = "Working memory")
    @Operation(
            summary = "Append messages, trimming the session to its cap and restarting its TTL; with extract, queue"
                    + " the extraction of their facts into long-term memory")
    @APIResponse(responseCode = "200", description = "Appended: the session's size and TTL now")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<AppendResult> append(
            @PathParam("userId") @ValidId String userId,
            @PathParam("sessionId") @ValidId String sessionId,
            @NotNull @Valid AppendRequest body) {
        return exchanges.append(userId, sessionId, body.messages(), body.extracts());
    }
}
