package dev.agentmemory.working;

import dev.agentmemory.validation.ValidId;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

/**
 * Working memory over HTTP: read and drop one session of one user (appending is {@code AgentResource}'s, as it may
 * queue fact extraction). Every resource is rooted at {@code /v1/users}, so a wrong method on any path is a 405
 * rather than a 404.
 */
@Path("/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Working memory")
public class SessionResource {

    private static final String SESSION = "/{userId}/sessions/{sessionId}";

    private final WorkingMemory workingMemory;

    public SessionResource(WorkingMemory workingMemory) {
        this.workingMemory = workingMemory;
    }

    @GET
    @Path(SESSION)
    @Operation(summary = "The session's recent messages, oldest first; empty when unknown or expired")
    public Uni<SessionView> get(
            @PathParam("userId") @ValidId String userId, @PathParam("sessionId") @ValidId String sessionId) {
        return workingMemory.load(userId, sessionId);
    }

    @DELETE
    @Path(SESSION)
    @ResponseStatus(204)
    @Operation(summary = "Forget the session")
    @APIResponse(responseCode = "204", description = "Forgotten (also when it did not exist)")
    public Uni<Void> delete(
            @PathParam("userId") @ValidId String userId, @PathParam("sessionId") @ValidId String sessionId) {
        return workingMemory.drop(userId, sessionId);
    }
}
