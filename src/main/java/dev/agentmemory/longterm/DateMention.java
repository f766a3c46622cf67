package dev.agentmemory.longterm;

import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A calendar date a query names ("on 7 July, 2023", "May 23, 2023", "in December 2023", "in June", "in 2022"): the
 * day, month or year it spans, in UTC. A memory's creation time is when it was said, so a memory created inside that
 * span (or a few days from it) is more likely the one the query asks about; {@link Fusion} gives it a bonus, and the
 * recency boost is left out, since the query says which time it means.
 *
 * <p>A month without a year spans that month of every year. Relative words ("last week", "yesterday") are not
 * dates here: what they mean depends on when the question was asked about what.
 */
public record DateMention(LocalDate from, LocalDate until, boolean everyYear) {

    private static final String MONTH = "(january|february|march|april|may|june|july|august|september|october"
            + "|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\.?";
    private static final String DAY = "(\\d{1,2})(?:st|nd|rd|th)?";
    private static final String YEAR = "((?:19|20)\\d\\d)";

    private static final Pattern DAY_MONTH_YEAR =
            Pattern.compile("\\b" + DAY + "\\s+(?:of\\s+)?" + MONTH + ",?\\s+" + YEAR + "\\b");
    private static final Pattern MONTH_DAY_YEAR =
            Pattern.compile("\\b" + MONTH + "\\s+" + DAY + ",?\\s+" + YEAR + "\\b");
    private static final Pattern MONTH_YEAR = Pattern.compile("\\b" + MONTH + ",?\\s+(?:of\\s+)?" + YEAR + "\\b");
    private static final Pattern IN_MONTH =
            Pattern.compile("\\b(?:in|during|since|early|late|mid)\\s+(?:-\\s*)?" + MONTH + "(?!\\s*\\d)\\b");
    private static final Pattern IN_YEAR = Pattern.compile("\\b(?:in|during|since|of)\\s+" + YEAR + "\\b");

    /** Days from the span at which the bonus has fallen to 1/e. */
    private static final double SCALE_DAYS = 3;

    /** The date the query names, the most precise one when it names several. */
    public static Optional<DateMention> in(String query) {
        if (query == null || query.isEmpty()) {
            return Optional.empty();
        }
        String text = query.toLowerCase(Locale.ROOT);
        Matcher m = DAY_MONTH_YEAR.matcher(text);
        if (m.find()) {
            return day(Integer.parseInt(m.group(3)), month(m.group(2)), Integer.parseInt(m.group(1)));
        }
        m = MONTH_DAY_YEAR.matcher(text);
        if (m.find()) {
            return day(Integer.parseInt(m.group(3)), month(m.group(1)), Integer.parseInt(m.group(2)));
        }
        m = MONTH_YEAR.matcher(text);
        if (m.find()) {
            LocalDate first = LocalDate.of(Integer.parseInt(m.group(2)), month(m.group(1)), 1);
            return Optional.of(new DateMention(first, first.plusMonths(1), false));
        }
        m = IN_MONTH.matcher(text);
        if (m.find() && !m.group(1).equals("may")) { // "in may" is as often the verb as the month
            LocalDate first = LocalDate.of(2000, month(m.group(1)), 1);
            return Optional.of(new DateMention(first, first.plusMonths(1), true));
        }
        m = IN_YEAR.matcher(text);
        if (m.find()) {
            LocalDate first = LocalDate.of(Integer.parseInt(m.group(1)), 1, 1);
            return Optional.of(new DateMention(first, first.plusYears(1), false));
        }
        return Optional.empty();
    }

    /**
     * How close a memory created at {@code createdAtMillis} is to the span: 1 inside it, falling as e^(−days / 3)
     * outside.
     */
    public double closeness(long createdAtMillis) {
        LocalDate date = LocalDate.ofInstant(java.time.Instant.ofEpochMilli(createdAtMillis), ZoneOffset.UTC);
        long days = distance(date, from, until);
        if (everyYear) {
            for (int year = date.getYear() - 1; year <= date.getYear() + 1; year++) {
                LocalDate start = from.withYear(year);
                days = Math.min(days, distance(date, start, start.plusMonths(1)));
            }
        }
        return Math.exp(-days / SCALE_DAYS);
    }

    @Override
    public String toString() {
        return everyYear
                ? from.getMonth().getDisplayName(TextStyle.FULL, Locale.ROOT) + " of any year"
                : "[" + from + ", " + until + ")";
    }

    /** Days from {@code date} to the span {@code [from, until)}; 0 inside it. */
    private static long distance(LocalDate date, LocalDate from, LocalDate until) {
        if (date.isBefore(from)) {
            return from.toEpochDay() - date.toEpochDay();
        }
        if (!date.isBefore(until)) {
            return date.toEpochDay() - until.toEpochDay() + 1;
        }
        return 0;
    }

    private static Optional<DateMention> day(int year, Month month, int day) {
        if (day < 1 || day > month.length(java.time.Year.isLeap(year))) {
            return Optional.empty();
        }
        LocalDate date = LocalDate.of(year, month, day);
        return Optional.of(new DateMention(date, date.plusDays(1), false));
    }

    private static Month month(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        for (Month month : Month.values()) {
            if (month.getDisplayName(TextStyle.FULL, Locale.ENGLISH)
                    .toLowerCase(Locale.ROOT)
                    .startsWith(n)) {
                return month;
            }
        }
        throw new IllegalArgumentException(name);
    }
}
