package dev.agentmemory.testing;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts the {@link OpenAiStub} for every test and points the application's OpenAI client at it. */
@QuarkusTestResource(OpenAiStubResource.class)
public class OpenAiStubResource implements QuarkusTestResourceLifecycleManager {

    private static volatile OpenAiStub stub;

    @Override
    public Map<String, String> start() {
        stub = new OpenAiStub();
        stub.start();
        return Map.of(
                "quarkus.langchain4j.openai.base-url",
                stub.baseUrl(),
                "quarkus.langchain4j.openai.api-key",
                "test-key");
    }

    @Override
    public void stop() {
        if (stub != null) {
            stub.stop();
        }
    }

    /** The stub the running application talks to. */
    public static OpenAiStub stub() {
        return stub;
    }
}
