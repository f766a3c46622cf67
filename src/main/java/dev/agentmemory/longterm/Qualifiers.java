package dev.agentmemory.longterm;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What makes two similar-sounding facts different facts: who they are about (the relatives they name), the numbers
 * in them, and whether they are negated. "User's birthday is on March 3" and "User's wife's birthday is on March 3"
 * differ only in a relative; "User works at Google" and "User used to work at Google" in a negation; "User has two
 * children" and "User has 3 children" in a number ("User's code word is w5x" and "… w7x" in a word with digits). A vector's cosine hardly sees these (0.93–0.96 for such pairs
 * with bge-small), so dedupe requires them to be the same before it merges.
 */
record Qualifiers(Set<String> relatives, Set<String> numbers, boolean negated) {

    private static final Set<String> RELATIVES = Set.of(
            "sister",
            "brother",
            "mother",
            "father",
            "cousin",
            "aunt",
            "uncle",
            "grandmother",
            "grandfather",
            "daughter",
            "son",
            "wife",
            "husband",
            "partner",
            "friend",
            "neighbour",
            "colleague",
            "roommate",
            "niece",
            "nephew",
            "boss",
            "girlfriend",
            "boyfriend",
            "child",
            "children",
            "law",
            "parent",
            "parents",
            "family",
            "fiance",
            "fiancee",
            "spouse",
            "grandson",
            "granddaughter",
            "stepmother",
            "stepfather");

    /** Other spellings of a relative, as the one above. */
    private static final Map<String, String> SAME_RELATIVE = Map.of(
            "mom",
            "mother",
            "mum",
            "mother",
            "dad",
            "father",
            "kid",
            "child",
            "kids",
            "children",
            "neighbor",
            "neighbour",
            "grandma",
            "grandmother",
            "grandpa",
            "grandfather",
            "coworker",
            "colleague");

    private static final Map<String, String> NUMBER_WORDS = Map.ofEntries(
            Map.entry("one", "1"),
            Map.entry("two", "2"),
            Map.entry("three", "3"),
            Map.entry("four", "4"),
            Map.entry("five", "5"),
            Map.entry("six", "6"),
            Map.entry("seven", "7"),
            Map.entry("eight", "8"),
            Map.entry("nine", "9"),
            Map.entry("ten", "10"),
            Map.entry("eleven", "11"),
            Map.entry("twelve", "12"),
            Map.entry("once", "1"),
            Map.entry("twice", "2"),
            Map.entry("first", "1"),
            Map.entry("second", "2"),
            Map.entry("third", "3"));

    private static final Pattern WORD = Pattern.compile("[a-z0-9]+");
    private static final Pattern ORDINAL = Pattern.compile("(\\d+)(st|nd|rd|th)");
    private static final Pattern NEGATION = Pattern.compile(
            "\\b(not|no|never|nobody|nothing|dislikes?|hates?|cannot|can't|don't|doesn't|didn't|won't|isn't|aren't"
                    + "|wasn't|weren't|haven't|hasn't|without|stopped|quit|used to|former|formerly|ex|no longer"
                    + "|anymore)\\b");

    static Qualifiers of(String text) {
        String lower = text.toLowerCase(Locale.ROOT).replace('’', '\'');
        Set<String> relatives = new TreeSet<>();
        Set<String> numbers = new TreeSet<>();
        Matcher words = WORD.matcher(lower.replace("'s", ""));
        while (words.find()) {
            String word = words.group();
            String relative = SAME_RELATIVE.getOrDefault(word, word);
            if (RELATIVES.contains(relative)) {
                relatives.add(relative);
            }
            Matcher ordinal = ORDINAL.matcher(word);
            if (ordinal.matches()) {
                numbers.add(ordinal.group(1));
            } else if (word.chars().allMatch(Character::isDigit)) {
                numbers.add(word.replaceFirst("^0+(?=\\d)", ""));
            } else if (word.chars().anyMatch(Character::isDigit)) {
                numbers.add(word); // a code, a model, a flight: "w5x", "a320", "lh441"
            } else if (NUMBER_WORDS.containsKey(word)) {
                numbers.add(NUMBER_WORDS.get(word));
            }
        }
        return new Qualifiers(relatives, numbers, NEGATION.matcher(lower).find());
    }
}
