package dev.agentmemory.mcp;

import dev.agentmemory.config.MemoryConfig;
import dev.agentmemory.longterm.Memory;
import dev.agentmemory.longterm.MemoryList;
import dev.agentmemory.longterm.MemoryService;
import dev.agentmemory.longterm.Remembered;
import dev.agentmemory.problem.InvalidInputException;
import dev.agentmemory.validation.ConfiguredLimit;
import dev.agentmemory.validation.ValidId;
import dev.agentmemory.validation.ValidKind;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import java.util.Set;

/** Long-term memory as MCP tools: remember, recall, forget and update the facts known about a user. */
@ToolProblems
public class MemoryTools {

    private final MemoryService memories;
    private final ActingUser users;
    private final MemoryConfig.Recall recall;

    public MemoryTools(MemoryService memories, ActingUser users, MemoryConfig config) {
        this.memories = memories;
        this.users = users;
        this.recall = config.recall();
    }

    @Tool(
            name = "remember",
            description = "Store a durable fact about the user in long-term memory: a preference, an event, a"
                    + " decision, a goal, a relationship. Call it when the user tells you something worth knowing in"
                    + " later conversations. Returns the stored memory, or, with created=false, the memory the user"
                    + " already has that says the same (nothing new is stored then).")
    Uni<Remembered> remember(
            @ToolArg(
                            description = "The fact, as one short third-person sentence in plain language, e.g."
                                    + " 'The user is vegetarian.'")
                    @NotBlank
                    @ConfiguredLimit("memory.long-term.max-text-chars")
                    String text,
            @ToolArg(
                            description = "What sort of fact: preference, event, fact, decision, goal or"
                                    + " relationship (any lower-case word); fact when left out. Preferences are"
                                    + " always given to the chat model.",
                            required = false)
                    @ValidKind
                    String kind,
            @ToolArg(description = ActingUser.DESCRIPTION, required = false) String userId) {
        return users.of(userId).chain(user -> memories.remember(user, text, kind, null, "mcp"));
    }

    @Tool(
            name = "recall",
            description = "Search the user's long-term memory. Returns the memories that best match the query, best"
                    + " first, each with its id (for forget and update_memory), text, kind, creation date and score;"
                    + " without a query, the newest memories.")
    Uni<MemoryList> recall(
            @ToolArg(
                            description = "What to look for, in natural language: a question, a topic or keywords."
                                    + " Leave it out to list the newest memories.",
                            required = false)
                    @ConfiguredLimit("memory.recall.max-query-chars")
                    String query,
            @ToolArg(
                            description =
                                    "Only memories of these kinds, e.g. [\"preference\"]; all kinds when left out.",
                            required = false)
                    List<@ValidKind String> kinds,
            @ToolArg(description = "How many memories to return at most (5 when left out).", required = false)
                    Integer limit,
            @ToolArg(description = ActingUser.DESCRIPTION, required = false) String userId) {
        int count = limit == null ? recall.defaultLimit() : limit;
        if (count < 1 || count > recall.maxLimit()) {
            return Uni.createFrom()
                    .failure(new InvalidInputException(
                            "limit", "must be a whole number from 1 to " + recall.maxLimit()));
        }
        Set<String> only = kinds == null ? Set.of() : Set.copyOf(kinds);
        return users.of(userId)
                .chain(user -> memories.recall(user, query, only, count))
                .map(MemoryList::new);
    }

    @Tool(
            name = "forget",
            description = "Delete one memory of the user for good, by its id (from recall or remember). Use it"
                    + " when a memory is wrong or the user asks you to forget it.")
    Uni<String> forget(
            @ToolArg(description = "The memory's id.") @ValidId String id,
            @ToolArg(description = ActingUser.DESCRIPTION, required = false) String userId) {
        return users.of(userId).chain(user -> memories.forget(user, id)).replaceWith("Forgot memory " + id);
    }

    @Tool(
            name = "update_memory",
            description = "Correct a memory of the user: change its text and/or its kind, by its id (from recall or"
                    + " remember). Returns the memory as it is now.")
    Uni<Memory> updateMemory(
            @ToolArg(description = "The memory's id.") @ValidId String id,
            @ToolArg(description = "The new text; unchanged when left out.", required = false)
                    @ConfiguredLimit("memory.long-term.max-text-chars")
                    String text,
            @ToolArg(description = "The new kind; unchanged when left out.", required = false) @ValidKind String kind,
            @ToolArg(description = ActingUser.DESCRIPTION, required = false) String userId) {
        if (text == null && kind == null) {
            return Uni.createFrom()
                    .failure(new InvalidInputException("text", "or kind must be given: nothing to change"));
        }
        // Checked here rather than with @Pattern, whose Java regular expression would reach the argument schema.
        if (text != null && text.isBlank()) {
            return Uni.createFrom().failure(new InvalidInputException("text", "must not be blank"));
        }
        return users.of(userId).chain(user -> memories.update(user, id, text, kind));
    }
}
