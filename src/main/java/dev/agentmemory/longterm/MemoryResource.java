package dev.agentmemory.longterm;

import dev.agentmemory.problem.Problem;
import dev.agentmemory.validation.ConfiguredLimit;
import dev.agentmemory.validation.ValidId;
import dev.agentmemory.validation.ValidKind;
import dev.agentmemory.validation.WholeNumberUpTo;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestResponse;

/** Long-term memory over HTTP: remember, recall, read, change and forget a user's facts. */
@Path("/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Long-term memory")
public class MemoryResource {

    private final MemoryService memories;
    private final int defaultLimit;

    public MemoryResource(MemoryService memories, dev.agentmemory.config.MemoryConfig config) {
        this.memories = memories;
        this.defaultLimit = config.recall().defaultLimit();
    }

    @POST
    @Path("/{userId}/memories")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Remember a fact: 201 when stored, 200 with the existing memory when it is a duplicate")
    @APIResponse(
            responseCode = "201",
            description = "Stored",
            headers =
                    @Header(
                            name = "Location",
                            description = "The new memory",
                            schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Memory.class)))
    @APIResponse(
            responseCode = "200",
            description = "A duplicate: the memory the user already has that says the same",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Memory.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Uni<RestResponse<Memory>> remember(
            @PathParam("userId") @ValidId String userId, @NotNull @Valid RememberRequest body, UriInfo uri) {
        return memories.remember(userId, body.text(), body.kind(), body.createdAt(), "api")
                .map(result -> result.created()
                        ? RestResponse.ResponseBuilder.<Memory>created(uri.getAbsolutePathBuilder()
                                        .path(result.memory().id())
                                        .build())
                                .entity(result.memory())
                                .build()
                        : RestResponse.ok(result.memory()));
    }

    @GET
    @Path("/{userId}/memories")
    @Operation(summary = "Recall: ranked by relevance (with recency boost) with q, newest first without")
    public Uni<MemoryList> recall(
            @PathParam("userId") @ValidId String userId,
            @QueryParam("q") @ConfiguredLimit("memory.recall.max-query-chars") String q,
            @QueryParam("kind") List<@ValidKind String> kind,
            @QueryParam("limit") @WholeNumberUpTo("memory.recall.max-limit") String limit) {
        return memories.recall(userId, q, Set.copyOf(kind), limit == null ? defaultLimit : Integer.parseInt(limit))
                .map(MemoryList::new);
    }

    @GET
    @Path("/{userId}/memories/{id}")
    @Operation(summary = "One memory")
    @APIResponse(
            responseCode = "200",
            description = "The memory",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Memory.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Uni<Memory> get(@PathParam("userId") @ValidId String userId, @PathParam("id") @ValidId String id) {
        return memories.get(userId, id);
    }

    @PATCH
    @Path("/{userId}/memories/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change the text and/or kind of a memory")
    @APIResponse(
            responseCode = "200",
            description = "The memory as it is now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Memory.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(
            responseCode = "409",
            description = "duplicate-memory: another memory of the user already says this text (named in detail;"
                    + " nothing changes), or user-erased: the user is being forgotten",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Memory> update(
            @PathParam("userId") @ValidId String userId,
            @PathParam("id") @ValidId String id,
            @NotNull @Valid UpdateRequest body) {
        return memories.update(userId, id, body.text(), body.kind());
    }

    @DELETE
    @Path("/{userId}/memories/{id}")
    @ResponseStatus(204)
    @Operation(summary = "Forget one memory")
    @APIResponse(responseCode = "204", description = "Forgotten")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Uni<Void> forget(@PathParam("userId") @ValidId String userId, @PathParam("id") @ValidId String id) {
        return memories.forget(userId, id);
    }

    @DELETE
    @Path("/{userId}")
    @ResponseStatus(204)
    @Operation(summary = "Forget the user: every memory, index entry, session and extraction job, for good")
    @APIResponse(responseCode = "204", description = "Forgotten (also when the user had nothing)")
    public Uni<Void> forgetUser(@PathParam("userId") @ValidId String userId) {
        return memories.forgetUser(userId);
    }
}
