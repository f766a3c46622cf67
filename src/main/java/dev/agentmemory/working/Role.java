package dev.agentmemory.working;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Who said a message. Anything else in a request is a 400 naming the field. */
public enum Role {
    @JsonProperty("user")
    USER,
    @JsonProperty("assistant")
    ASSISTANT,
    @JsonProperty("system")
    SYSTEM
}
