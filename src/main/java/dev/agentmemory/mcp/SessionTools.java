package dev.agentmemory.mcp;

import dev.agentmemory.chat.ChatService;
import dev.agentmemory.chat.Exchanges;
import dev.agentmemory.chat.MemoryPrompt;
import dev.agentmemory.validation.ConfiguredLimit;
import dev.agentmemory.validation.ValidId;
import dev.agentmemory.working.AppendResult;
import dev.agentmemory.working.Message;
import dev.agentmemory.working.SessionView;
import dev.agentmemory.working.WorkingMemory;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;

/** Working memory and the memory prompt as MCP tools: read and append a session, build a prompt for a message. */
@ToolProblems
public class SessionTools {

    private final WorkingMemory workingMemory;
    private final Exchanges exchanges;
    private final ChatService chat;
    private final ActingUser users;

    public SessionTools(WorkingMemory workingMemory, Exchanges exchanges, ChatService chat, ActingUser users) {
        this.workingMemory = workingMemory;
        this.exchanges = exchanges;
        this.chat = chat;
        this.users = users;
    }

    @Tool(
            name = "get_working_memory",
            description = "Read the recent messages of one conversation session of the user, oldest first, and the"
                    + " seconds until the session expires. An unknown or expired session has no messages.")
    Uni<SessionView> getWorkingMemory(
            @ToolArg(description = "The session's id, chosen by the caller (e.g. a conversation id).") @ValidId
                    String sessionId,
            @ToolArg(description = ActingUser.DESCRIPTION, required = false) String userId) {
        return users.of(userId).chain(user -> workingMemory.load(user, sessionId));
    }

    @Tool(
            name = "add_messages",
            description = "Append messages to a conversation session of the user (the session keeps its newest"
                    + " messages for a while). Call it after each exchange with the user; with extract=true the"
                    + " durable facts of the exchanges are also extracted into long-term memory in the background.")
    Uni<AppendResult> addMessages(
            @ToolArg(description = "The session's id, chosen by the caller (e.g. a conversation id).") @ValidId
                    String sessionId,
            @ToolArg(description = "The messages to append, oldest first.")
                    @NotEmpty
                    @ConfiguredLimit("memory.session.max-messages-per-append")
                    List<@Valid Message> messages,
            @ToolArg(
                            description = "True to extract the facts of the exchanges (each user message and the"
                                    + " assistant messages after it) into long-term memory, as after a chat turn.",
                            defaultValue = "false")
                    boolean extract,
            @ToolArg(description = ActingUser.DESCRIPTION, required = false) String userId) {
        return users.of(userId).chain(user -> exchanges.append(user, sessionId, messages, extract));
    }

    @Tool(
            name = "memory_prompt",
            description = "Build the prompt for a message with the user's memory: the chat-completions messages to"
                    + " send to a model (a system prompt with the user's preferences and the memories relevant to the"
                    + " message, the session's recent history, then the message) and the memories used. Call it"
                    + " before answering the user; afterwards add the exchange with add_messages.")
    Uni<MemoryPrompt> memoryPrompt(
            @ToolArg(description = "The user's new message.")
                    @NotBlank
                    @ConfiguredLimit("memory.session.max-message-chars")
                    String message,
            @ToolArg(
                            description = "The session whose recent history goes into the prompt; none when left out.",
                            required = false)
                    String sessionId,
            @ToolArg(description = ActingUser.DESCRIPTION, required = false) String userId) {
        String session = sessionId == null ? null : users.valid("sessionId", sessionId);
        return users.of(userId).chain(user -> chat.prompt(user, session, message));
    }
}
