package dev.agentmemory.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Plausible fact sentences about a user ("User's sister lives in Lisbon and plays the cello"), drawn from word
 * lists by a seeded {@link Random}, so every run generates the same facts and queries.
 */
public final class SyntheticFacts {

    public record Fact(String text, String kind) {}

    private static final String[] RELATIVES = {
        "sister", "brother", "mother", "father", "cousin", "aunt", "uncle", "grandmother", "grandfather", "daughter",
        "son", "wife", "husband", "partner", "best friend", "neighbour", "colleague", "roommate", "niece", "nephew"
    };
    private static final String[] NAMES = {
        "Anna", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Keiko", "Liam", "Maya",
        "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wes", "Xena", "Yusuf", "Zoe"
    };
    private static final String[] CITIES = {
        "Lisbon",
        "Porto",
        "Madrid",
        "Barcelona",
        "Paris",
        "Lyon",
        "Berlin",
        "Munich",
        "Vienna",
        "Prague",
        "Warsaw",
        "Krakow",
        "Rome",
        "Milan",
        "Naples",
        "Athens",
        "Istanbul",
        "Cairo",
        "Nairobi",
        "Lagos",
        "Cape Town",
        "Dubai",
        "Mumbai",
        "Delhi",
        "Bangkok",
        "Hanoi",
        "Singapore",
        "Jakarta",
        "Manila",
        "Tokyo",
        "Osaka",
        "Seoul",
        "Beijing",
        "Shanghai",
        "Sydney",
        "Melbourne",
        "Auckland",
        "Vancouver",
        "Toronto",
        "Montreal",
        "Boston",
        "Chicago",
        "Denver",
        "Austin",
        "Seattle",
        "Portland",
        "Mexico City",
        "Lima",
        "Bogota",
        "Buenos Aires"
    };
    private static final String[] INSTRUMENTS = {
        "cello",
        "violin",
        "piano",
        "guitar",
        "drums",
        "flute",
        "saxophone",
        "trumpet",
        "clarinet",
        "harp",
        "ukulele",
        "bass",
        "accordion",
        "banjo",
        "oboe",
        "trombone"
    };
    private static final String[] FOODS = {
        "sushi",
        "ramen",
        "pizza",
        "tacos",
        "curry",
        "pasta",
        "paella",
        "falafel",
        "dumplings",
        "burgers",
        "pho",
        "risotto",
        "lasagna",
        "burritos",
        "kebabs",
        "salads",
        "pancakes",
        "waffles",
        "oatmeal",
        "steak",
        "tofu",
        "lentil soup",
        "fried chicken",
        "dim sum",
        "empanadas",
        "croissants",
        "bagels",
        "noodles"
    };
    private static final String[] MEALS = {"breakfast", "lunch", "dinner", "brunch", "late-night snacks"};
    private static final String[] JOBS = {
        "nurse",
        "teacher",
        "software engineer",
        "architect",
        "accountant",
        "chef",
        "pilot",
        "lawyer",
        "pharmacist",
        "designer",
        "data analyst",
        "carpenter",
        "electrician",
        "journalist",
        "photographer",
        "dentist",
        "therapist",
        "translator",
        "product manager",
        "librarian",
        "veterinarian",
        "firefighter",
        "researcher",
        "consultant"
    };
    private static final String[] INDUSTRIES = {
        "logistics",
        "healthcare",
        "fintech",
        "gaming",
        "energy",
        "retail",
        "insurance",
        "biotech",
        "media",
        "education",
        "travel",
        "automotive",
        "aerospace",
        "fashion",
        "agriculture",
        "telecom"
    };
    private static final String[] ALLERGENS = {
        "peanuts", "shellfish", "gluten", "lactose", "pollen", "cats", "dust", "penicillin", "eggs", "soy", "sesame"
    };
    private static final String[] PETS = {"dog", "cat", "parrot", "rabbit", "hamster", "turtle", "goldfish", "lizard"};
    private static final String[] ACTIVITIES = {
        "hiking",
        "running a marathon",
        "learning Spanish",
        "learning Japanese",
        "rock climbing",
        "surfing",
        "skiing",
        "pottery",
        "yoga",
        "swimming",
        "cycling",
        "painting",
        "photography",
        "gardening",
        "baking bread",
        "chess",
        "salsa dancing",
        "kayaking",
        "camping",
        "birdwatching",
        "woodworking",
        "knitting",
        "volunteering",
        "tennis"
    };
    private static final String[] DRINKS = {
        "espresso", "green tea", "black coffee", "oat milk lattes", "sparkling water", "orange juice", "chai",
        "hot chocolate", "kombucha", "red wine", "craft beer", "matcha", "smoothies", "iced tea"
    };
    private static final String[] TIMES = {"morning", "afternoon", "evening", "weekend", "Monday", "Friday"};
    private static final String[] MONTHS = {
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December"
    };
    private static final String[] GENRES = {
        "jazz",
        "classical music",
        "hip hop",
        "folk",
        "techno",
        "country",
        "k-pop",
        "reggae",
        "blues",
        "opera",
        "science fiction",
        "mystery novels",
        "fantasy",
        "poetry",
        "documentaries",
        "horror films",
        "anime"
    };
    private static final String[] THINGS = {
        "a vintage camera", "a red bicycle", "a sailing boat", "a small apartment", "an electric car", "a cabin",
        "a vegetable garden", "a telescope", "a record collection", "a home studio", "a food truck", "a bookshop"
    };

    private static final List<Function<Random, Fact>> TEMPLATES = List.of(
            r -> fact(
                    "fact",
                    "User's %s lives in %s and has played the %s since %d.",
                    pick(r, RELATIVES),
                    pick(r, CITIES),
                    pick(r, INSTRUMENTS),
                    1990 + r.nextInt(35)),
            r -> fact(
                    "preference",
                    "User prefers %s over %s for %s when eating out in %s.",
                    pick(r, FOODS),
                    pick(r, FOODS),
                    pick(r, MEALS),
                    pick(r, CITIES)),
            r -> fact(
                    "event",
                    "User visited %s in %s %d with their %s.",
                    pick(r, CITIES),
                    pick(r, MONTHS),
                    2015 + r.nextInt(10),
                    pick(r, RELATIVES)),
            r -> fact(
                    "fact",
                    "User has worked as a %s at a %s company in %s since %d.",
                    pick(r, JOBS),
                    pick(r, INDUSTRIES),
                    pick(r, CITIES),
                    1990 + r.nextInt(35)),
            r -> fact(
                    "fact",
                    "User has been allergic to %s since %d and avoids %s when visiting their %s.",
                    pick(r, ALLERGENS),
                    1990 + r.nextInt(35),
                    pick(r, FOODS),
                    pick(r, RELATIVES)),
            r -> fact(
                    "event",
                    "User adopted a %s named %s in %s %d.",
                    pick(r, PETS),
                    pick(r, NAMES),
                    pick(r, MONTHS),
                    2010 + r.nextInt(15)),
            r -> fact(
                    "plan",
                    "User plans to go %s in %s next %s with %s.",
                    pick(r, ACTIVITIES),
                    pick(r, CITIES),
                    pick(r, MONTHS),
                    pick(r, NAMES)),
            r -> fact(
                    "event",
                    "User's %s %s started %s lessons in %s.",
                    pick(r, RELATIVES),
                    pick(r, NAMES),
                    pick(r, ACTIVITIES),
                    pick(r, MONTHS)),
            r -> fact(
                    "preference",
                    "User drinks %s every %s with their %s in %s and dislikes %s.",
                    pick(r, DRINKS),
                    pick(r, TIMES),
                    pick(r, RELATIVES),
                    pick(r, CITIES),
                    pick(r, DRINKS)),
            r -> fact(
                    "preference",
                    "User listens to %s while %s and recommends %s to their %s.",
                    pick(r, GENRES),
                    pick(r, ACTIVITIES),
                    pick(r, GENRES),
                    pick(r, RELATIVES)),
            r -> fact(
                    "goal",
                    "User and their %s are saving up for %s and hope to buy it before %s %d.",
                    pick(r, RELATIVES),
                    pick(r, THINGS),
                    pick(r, MONTHS),
                    2025 + r.nextInt(5)),
            r -> fact(
                    "fact",
                    "User's %s %s is a %s in %s who loves %s.",
                    pick(r, RELATIVES),
                    pick(r, NAMES),
                    pick(r, JOBS),
                    pick(r, CITIES),
                    pick(r, FOODS)));

    /** Every word a fact can contain, for random queries. */
    private static final List<String> VOCABULARY = vocabulary();

    private final Random random;

    public SyntheticFacts(long seed) {
        this.random = new Random(seed);
    }

    public Fact next() {
        return TEMPLATES.get(random.nextInt(TEMPLATES.size())).apply(random);
    }

    /** A query of 3 to 6 words drawn from the facts' vocabulary. */
    public String query() {
        int words = 3 + random.nextInt(4);
        List<String> query = new ArrayList<>(words);
        for (int i = 0; i < words; i++) {
            query.add(VOCABULARY.get(random.nextInt(VOCABULARY.size())));
        }
        return String.join(" ", query);
    }

    /** The next fact as a memory of the user, created (and last updated) within the three years before now. */
    dev.agentmemory.longterm.index.MemoryRecord nextRecord(
            String userId, String id, long nowMillis, dev.agentmemory.longterm.index.TextAnalyzer analyzer) {
        Fact fact = next();
        java.time.Instant createdAt = java.time.Instant.ofEpochMilli(createdAt(nowMillis));
        return new dev.agentmemory.longterm.index.MemoryRecord(
                userId,
                id,
                fact.text(),
                fact.kind(),
                createdAt,
                createdAt,
                "bench",
                dev.agentmemory.longterm.Dedupe.contentHash(fact.text()),
                analyzer.terms(fact.text()));
    }

    /** A creation time within the three years before {@code nowMillis}. */
    long createdAt(long nowMillis) {
        return nowMillis - (long) (random.nextDouble() * 3 * 365 * 24 * 3600 * 1000L);
    }

    private static Fact fact(String kind, String format, Object... args) {
        return new Fact(String.format(java.util.Locale.ROOT, format, args), kind);
    }

    private static String pick(Random random, String[] words) {
        return words[random.nextInt(words.length)];
    }

    private static List<String> vocabulary() {
        Set<String> words = new LinkedHashSet<>();
        for (String[] list : new String[][] {
            RELATIVES,
            NAMES,
            CITIES,
            INSTRUMENTS,
            FOODS,
            MEALS,
            JOBS,
            INDUSTRIES,
            ALLERGENS,
            PETS,
            ACTIVITIES,
            DRINKS,
            TIMES,
            MONTHS,
            GENRES,
            THINGS
        }) {
            for (String phrase : list) {
                for (String word : phrase.split(" ")) {
                    if (word.length() > 2) {
                        words.add(word.toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
        }
        words.addAll(
                List.of("lives", "plays", "prefers", "visited", "works", "allergic", "adopted", "plans", "lessons"));
        return List.copyOf(words);
    }
}
