package dev.agentmemory.llm.stub;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Dev mode without an LLM: when neither {@code OPENAI_API_KEY} nor {@code OPENAI_BASE_URL} is set, point the
 * OpenAI extension at the service's own {@link StubLanguageModel} so that a whole chat turn (recall, reply,
 * history, extraction) runs on a bare machine. In {@code prod} and {@code test} this does nothing.
 */
public class DevLlmConfigSourceFactory implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains("dev")
                || present("OPENAI_API_KEY", "QUARKUS_LANGCHAIN4J_OPENAI_API_KEY", "quarkus.langchain4j.openai.api-key")
                || present(
                        "OPENAI_BASE_URL",
                        "QUARKUS_LANGCHAIN4J_OPENAI_BASE_URL",
                        "quarkus.langchain4j.openai.base-url")) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(
                Map.of(
                        "quarkus.langchain4j.openai.base-url",
                        "http://localhost:${quarkus.http.port:8080}" + StubLanguageModel.PATH + "/",
                        "memory.llm.stub",
                        "true"),
                "agent-memory-dev-llm",
                275));
    }

    private static boolean present(String env, String extensionEnv, String property) {
        return set(System.getenv(env)) || set(System.getenv(extensionEnv)) || set(System.getProperty(property));
    }

    private static boolean set(String value) {
        return value != null && !value.isBlank();
    }
}
