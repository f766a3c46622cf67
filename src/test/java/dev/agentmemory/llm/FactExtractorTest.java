package dev.agentmemory.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentmemory.extraction.ExtractionJob;
import dev.agentmemory.extraction.ManualWorkerProfile;
import dev.agentmemory.testing.OpenAiStub;
import dev.agentmemory.testing.OpenAiStubResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What goes over the wire: extraction uses OpenAI structured outputs, plain chat requests do not. */
@QuarkusTest
@TestProfile(ManualWorkerProfile.class)
class FactExtractorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    FactExtraction extractor;

    @Inject
    LanguageModel model;

    OpenAiStub llm;

    @BeforeEach
    void resetStub() {
        llm = OpenAiStubResource.stub();
        llm.reset();
    }

    @Test
    void extractionRequestCarriesTheFactsJsonSchema() throws Exception {
        llm.replyToExtraction("User is vegetarian", "preference", "User lives in Lisbon", "fact");

        ExtractedFacts reply = extract(ExtractionJob.transcript(
                List.of(new ExtractionJob("u", "s", "I'm vegetarian and I live in Lisbon.", "Noted!"))));

        assertThat(reply.facts())
                .containsExactly(
                        new ExtractedFacts.Fact("User is vegetarian", "preference"),
                        new ExtractedFacts.Fact("User lives in Lisbon", "fact"));
        assertThat(llm.extractionRequests()).hasSize(1);
        JsonNode request = JSON.readTree(llm.extractionRequests().get(0).getBodyAsString());
        JsonNode format = request.path("response_format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.path("json_schema").path("strict").asBoolean()).isTrue();
        JsonNode facts =
                format.path("json_schema").path("schema").path("properties").path("facts");
        assertThat(facts.path("type").asText()).isEqualTo("array");
        JsonNode fact = facts.path("items");
        assertThat(fieldNames(fact.path("properties"))).containsExactlyInAnyOrder("text", "kind");
        assertThat(fact.path("properties").path("text").path("type").asText()).isEqualTo("string");
        assertThat(fact.path("properties").path("kind").path("type").asText()).isEqualTo("string");
        assertThat(fact.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(fact.path("required").toString()).isEqualTo("[\"text\",\"kind\"]");
        assertThat(request.path("stream").asBoolean(false)).as("not streamed").isFalse();
        assertThat(request.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(request.at("/messages/0/role").asText()).isEqualTo("system");
        assertThat(request.at("/messages/0/content").asText()).isEqualTo(FactExtractor.INSTRUCTIONS);
        assertThat(request.at("/messages/1/role").asText()).isEqualTo("user");
        assertThat(request.at("/messages/1/content").asText())
                .contains("I'm vegetarian and I live in Lisbon.")
                .contains("Noted!");
        assertThat(llm.extractionRequests().get(0).getHeader("Authorization")).isEqualTo("Bearer test-key");
    }

    @Test
    void replyThatIsNotTheFactsJsonFails() {
        llm.replyToExtractionRaw("Sure! The user is vegetarian.");
        assertThatThrownBy(() -> extract("User: I'm vegetarian."))
                .isInstanceOf(InvalidExtractionException.class)
                .hasMessageContaining("not the facts JSON");

        llm.reset();
        llm.replyToExtractionRaw("");
        assertThatThrownBy(() -> extract("User: I'm vegetarian."))
                .isInstanceOf(InvalidExtractionException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void smallTalkYieldsNoFacts() {
        llm.replyToExtraction();

        String transcript =
                ExtractionJob.transcript(List.of(new ExtractionJob("u", "s", "Hi!", "Hello! How can I help?")));
        assertThat(extract(transcript).facts()).isEmpty();
    }

    @Test
    void plainChatRequestsCarryNoResponseFormat() {
        llm.replyToChat("Hello there!");

        assertThat(model.complete(List.of(ChatLine.user("Hi!"))).await().atMost(Duration.ofSeconds(5)))
                .isEqualTo("Hello there!");

        assertThat(llm.chatRequests()).hasSize(1);
        assertThat(llm.chatRequests().get(0).getBodyAsString()).doesNotContain("response_format");
        assertThat(llm.extractionRequests()).isEmpty();
    }

    private ExtractedFacts extract(String transcript) {
        return extractor.extract(transcript).await().atMost(Duration.ofSeconds(5));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
