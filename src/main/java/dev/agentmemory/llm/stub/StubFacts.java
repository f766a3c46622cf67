package dev.agentmemory.llm.stub;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stub model's idea of fact extraction: first-person statements turned into third-person facts ("I'm
 * vegetarian and I love spicy food." gives "User is vegetarian" and "User loves spicy food"). Good enough to
 * show the remembering loop without an LLM; nothing like one.
 */
final class StubFacts {

    record Fact(String text, String kind) {}

    private static final Pattern STATEMENT = Pattern.compile("\\bI(?:'m| am) ([^.,!?;]+?)(?= and |[.,!?;]|$)"
            + "|\\bI (love|like|hate|prefer|enjoy|dislike) ([^.,!?;]+?)(?= and |[.,!?;]|$)"
            + "|\\bI (live in|work at|work as|have) ([^.,!?;]+?)(?= and |[.,!?;]|$)"
            + "|\\b[Mm]y ([a-z]+) is ([^.,!?;]+?)(?= and |[.,!?;]|$)");

    private StubFacts() {}

    static List<Fact> find(String text) {
        Set<Fact> facts = new LinkedHashSet<>();
        Matcher m = STATEMENT.matcher(text);
        while (m.find()) {
            if (m.group(1) != null) {
                facts.add(new Fact("User is " + m.group(1).trim(), kindOf(m.group(1))));
            } else if (m.group(2) != null) {
                facts.add(new Fact("User " + m.group(2) + "s " + m.group(3).trim(), "preference"));
            } else if (m.group(4) != null) {
                String verb = m.group(4).replaceFirst("^have", "has").replaceFirst("^(live|work)", "$1s");
                facts.add(new Fact("User " + verb + " " + m.group(5).trim(), "fact"));
            } else {
                facts.add(new Fact("User's " + m.group(6) + " is " + m.group(7).trim(), "fact"));
            }
        }
        return new ArrayList<>(facts);
    }

    private static String kindOf(String attribute) {
        String lower = attribute.toLowerCase(Locale.ROOT);
        return lower.contains("vegetarian") || lower.contains("vegan") || lower.contains("allergic")
                ? "preference"
                : "fact";
    }
}
