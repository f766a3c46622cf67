package dev.agentmemory.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.extraction.ExtractionJob;
import dev.agentmemory.working.Message;
import dev.agentmemory.working.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How appended messages become exchanges to extract facts from. */
class ExchangesTest {

    @Test
    void eachUserMessageStartsAnExchangeAnsweredByTheAssistantMessagesAfterIt() {
        List<ExtractionJob> exchanges = Exchanges.exchanges(
                "u",
                "s",
                List.of(
                        Message.now(Role.ASSISTANT, "Welcome back."),
                        Message.now(Role.USER, "I moved to Porto."),
                        Message.now(Role.ASSISTANT, "Congratulations!"),
                        Message.now(Role.SYSTEM, "Be brief."),
                        Message.now(Role.ASSISTANT, "Need tips?"),
                        Message.now(Role.USER, "I start a new job on Monday."),
                        Message.now(Role.USER, "It is at a bakery.")));

        assertThat(exchanges)
                .containsExactly(
                        new ExtractionJob("u", "s", "I moved to Porto.", "Congratulations!\n\nNeed tips?"),
                        new ExtractionJob("u", "s", "I start a new job on Monday.", ""),
                        new ExtractionJob("u", "s", "It is at a bakery.", ""));
    }

    @Test
    void noUserMessageIsNoExchange() {
        assertThat(Exchanges.exchanges(
                        "u", "s", List.of(Message.now(Role.ASSISTANT, "Hi"), Message.now(Role.SYSTEM, "Be nice"))))
                .isEmpty();
    }

    @Test
    void anExchangeWithoutAnAnswerReadsAsTheUserAlone() {
        String transcript = ExtractionJob.transcript(List.of(new ExtractionJob("u", "s", "I am vegan.", "")));

        assertThat(transcript).isEqualTo("The user said:\nI am vegan.");
    }
}
