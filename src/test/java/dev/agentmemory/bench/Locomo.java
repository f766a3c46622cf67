package dev.agentmemory.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The LoCoMo evaluation file ({@code /work/shared/eval/README.md}), read as the recall benchmark needs it: per
 * conversation its observations (fact text, evidence dialog ids, session date) and its questions.
 *
 * <p>Evidence ids are normalised to {@code D<session>:<turn>}. The file holds a few irregular values, handled
 * like this: a list of ids or a single string are both accepted; a string holding several ids ({@code "D8:6;
 * D9:17"}) is split on semicolons, commas and whitespace; a stray colon ({@code "D:11:26"}) is repaired to
 * {@code D11:26}; anything else that is not an id ({@code "D"}) is dropped and counted in {@link
 * #droppedEvidence()}. A question left with no usable evidence id is skipped and counted too.
 */
record Locomo(List<Conversation> conversations, int droppedEvidence) {

    /** Categories 1–4 (single-hop, temporal, multi-hop, open-domain); 5 is adversarial and not about recall. */
    private static final Set<Integer> RECALL_CATEGORIES = Set.of(1, 2, 3, 4);

    private static final Pattern DIALOG_ID = Pattern.compile("D:?(\\d+):(\\d+)");
    private static final Pattern SEPARATORS = Pattern.compile("[;,\\s]+");
    private static final Pattern OBSERVATION_KEY = Pattern.compile("session_(\\d+)_observation");

    /** "1:56 pm on 8 May, 2023"; the file gives no time zone, UTC is assumed. */
    private static final DateTimeFormatter SESSION_DATE = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("h:mm a 'on' d MMMM, yyyy")
            .toFormatter(Locale.ENGLISH);

    record Observation(String text, Set<String> evidence, Instant sessionDate) {}

    record Question(String text, int category, Set<String> evidence) {}

    record Conversation(String sampleId, List<Observation> observations, List<Question> questions, int skipped) {

        Instant lastSessionDate() {
            return observations.stream()
                    .map(Observation::sessionDate)
                    .max(Comparator.naturalOrder())
                    .orElseThrow();
        }
    }

    static Locomo read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the LoCoMo file " + file.toAbsolutePath(), e);
        }
        int[] dropped = {0};
        List<Conversation> conversations = new ArrayList<>();
        for (JsonNode sample : root) {
            conversations.add(conversation(sample, dropped));
        }
        return new Locomo(conversations, dropped[0]);
    }

    private static Conversation conversation(JsonNode sample, int[] dropped) {
        JsonNode dates = sample.get("session_dates");
        List<Map.Entry<Integer, JsonNode>> sessions = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        sample.get("observation").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> session = it.next();
            Matcher key = OBSERVATION_KEY.matcher(session.getKey());
            if (key.matches()) {
                sessions.add(Map.entry(Integer.parseInt(key.group(1)), session.getValue()));
            }
        }
        sessions.sort(Map.Entry.comparingByKey());

        List<Observation> observations = new ArrayList<>();
        for (Map.Entry<Integer, JsonNode> session : sessions) {
            Instant date = sessionDate(dates.get("session_" + session.getKey()).asText());
            for (JsonNode facts : session.getValue()) { // speaker -> list of [text, evidence]
                for (JsonNode fact : facts) {
                    observations.add(new Observation(fact.get(0).asText(), evidence(fact.get(1), dropped), date));
                }
            }
        }

        List<Question> questions = new ArrayList<>();
        int skipped = 0;
        for (JsonNode qa : sample.get("qa")) {
            int category = qa.path("category").asInt();
            if (!RECALL_CATEGORIES.contains(category)) {
                continue;
            }
            Set<String> evidence = evidence(qa.get("evidence"), dropped);
            if (evidence.isEmpty()) {
                skipped++;
            } else {
                questions.add(new Question(qa.get("question").asText(), category, evidence));
            }
        }
        return new Conversation(sample.get("sample_id").asText(), observations, questions, skipped);
    }

    static Instant sessionDate(String text) {
        return LocalDateTime.parse(text.strip(), SESSION_DATE).toInstant(ZoneOffset.UTC);
    }

    /** The normalised dialog ids of a string, a list of strings, or nothing. */
    static Set<String> evidence(JsonNode node, int[] dropped) {
        Set<String> ids = new LinkedHashSet<>();
        if (node == null || node.isNull()) {
            return ids;
        }
        if (node.isArray()) {
            node.forEach(element -> ids.addAll(evidence(element, dropped)));
            return ids;
        }
        for (String token : SEPARATORS.split(node.asText().strip())) {
            Matcher id = DIALOG_ID.matcher(token);
            if (id.matches()) {
                ids.add("D" + Integer.parseInt(id.group(1)) + ":" + Integer.parseInt(id.group(2)));
            } else if (!token.isEmpty()) {
                dropped[0]++;
            }
        }
        return ids;
    }
}
