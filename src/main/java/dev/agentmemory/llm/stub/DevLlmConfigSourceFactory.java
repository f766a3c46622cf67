package dev.agentmemory.llm.stub;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Dev mode without an LLM: when neither {@code OPENAI_API_KEY} nor {@code OPENAI_BASE_URL} is set, point the
 * OpenAI client at the service's own {@link StubLanguageModel} so that a whole chat turn (recall, reply,
 * history, extraction) runs on a bare machine. In {@code prod} and {@code test} this does nothing.
 */
public class DevLlmConfigSourceFactory implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains("dev")
                || present("OPENAI_API_KEY", "memory.llm.api-key")
                || present("OPENAI_BASE_URL", "memory.llm.base-url")) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(
                Map.of(
                        "memory.llm.base-url",
                        "http://localhost:${quarkus.http.port:8080}" + StubLanguageModel.PATH + "/",
                        "memory.llm.stub",
                        "true"),
                "agent-memory-dev-llm",
                275));
    }

    private static boolean present(String env, String property) {
        String fromEnv = System.getenv(env);
        String fromProperty = System.getProperty(property);
        return (fromEnv != null && !fromEnv.isBlank()) || (fromProperty != null && !fromProperty.isBlank());
    }
}
