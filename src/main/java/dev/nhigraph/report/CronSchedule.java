package dev.nhigraph.report;

import dev.nhigraph.BadInputException;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;

/**
 * A standard five-field cron expression (minute, hour, day of month, month, day of week) in one time zone.
 *
 * <p>Each field takes {@code *}, a number, a range {@code a-b}, a step {@code * /n} or {@code a-b/n}, and lists of
 * these separated by commas. Months and days of the week also take their three-letter English names, and day of
 * week 7 is Sunday as 0 is. As in cron, when both day of month and day of week are restricted, a day that matches
 * either one fires.
 */
public final class CronSchedule {

    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2),
            Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7),
            Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12));
    private static final Map<String, Integer> DAYS = Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4,
            "fri", 5, "sat", 6);

    /** How far ahead {@link #next} looks: a schedule such as "0 0 30 2 *" never fires, and the search must end. */
    private static final int MAX_DAYS_AHEAD = 366 * 5;

    private final String expression;
    private final ZoneId zone;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private CronSchedule(String expression, ZoneId zone, String[] fields) {
        this.expression = expression;
        this.zone = zone;
        this.minutes = field(fields[0], "minute", 0, 59, Map.of());
        this.hours = field(fields[1], "hour", 0, 23, Map.of());
        this.daysOfMonth = field(fields[2], "day of month", 1, 31, Map.of());
        this.months = field(fields[3], "month", 1, 12, MONTHS);
        BitSet days = field(fields[4], "day of week", 0, 7, DAYS);
        if (days.get(7)) {
            days.set(0);
        }
        this.daysOfWeek = days;
        this.anyDayOfMonth = fields[2].equals("*");
        this.anyDayOfWeek = fields[4].equals("*");
    }

    /**
     * Parses {@code expression} in {@code zone}.
     *
     * @throws BadInputException naming the field and value that are invalid
     */
    public static CronSchedule parse(String expression, ZoneId zone) {
        String[] fields = expression.strip().split("\\s+");
        if (fields.length != 5) {
            throw new BadInputException("Cron expression \"" + expression + "\" has " + fields.length + (fields.length == 1 ? " field" : " fields") + "; give five:"
                    + " minute hour day-of-month month day-of-week, for example \"0 6 * * *\" for 06:00 every day.");
        }
        return new CronSchedule(expression.strip(), zone, fields);
    }

    public ZoneId zone() {
        return zone;
    }

    /**
     * Returns the first time after {@code after} (whole minutes, in this schedule's zone) that the schedule fires.
     *
     * @throws BadInputException when it does not fire within five years, such as on 30 February
     */
    public ZonedDateTime next(ZonedDateTime after) {
        ZonedDateTime time = after.withZoneSameInstant(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZonedDateTime limit = time.plusDays(MAX_DAYS_AHEAD);
        while (time.isBefore(limit)) {
            if (!months.get(time.getMonthValue())) {
                time = time.plusMonths(1).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS);
                continue;
            }
            if (!dayMatches(time)) {
                time = time.plusDays(1).truncatedTo(ChronoUnit.DAYS);
                continue;
            }
            if (!hours.get(time.getHour())) {
                time = time.plusHours(1).truncatedTo(ChronoUnit.HOURS);
                continue;
            }
            if (!minutes.get(time.getMinute())) {
                time = time.plusMinutes(1);
                continue;
            }
            return time;
        }
        throw new BadInputException("Cron expression \"" + expression + "\" does not fire within five years of " + after
                + "; check the day of month and the month.");
    }

    private boolean dayMatches(ZonedDateTime time) {
        boolean monthDay = daysOfMonth.get(time.getDayOfMonth());
        boolean weekDay = daysOfWeek.get(time.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : time.getDayOfWeek().getValue());
        if (anyDayOfMonth || anyDayOfWeek) {
            return monthDay && weekDay;
        }
        return monthDay || weekDay;
    }

    private BitSet field(String text, String name, int min, int max, Map<String, Integer> names) {
        BitSet values = new BitSet(max + 1);
        for (String part : text.split(",", -1)) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = number(part.substring(slash + 1), name, 1, max, Map.of());
                range = part.substring(0, slash);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.indexOf('-') > 0) {
                from = number(range.substring(0, range.indexOf('-')), name, min, max, names);
                to = number(range.substring(range.indexOf('-') + 1), name, min, max, names);
            } else {
                from = number(range, name, min, max, names);
                // "5/15" means from 5 to the end in steps of 15, as in common cron implementations.
                to = slash >= 0 ? max : from;
            }
            if (from > to) {
                throw invalid(name, part, "the range runs backwards");
            }
            for (int value = from; value <= to; value += step) {
                values.set(value);
            }
        }
        return values;
    }

    private int number(String text, String name, int min, int max, Map<String, Integer> names) {
        Integer named = names.get(text.toLowerCase(Locale.ROOT));
        if (named != null) {
            return named;
        }
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw invalid(name, text, "is not a number" + (names.isEmpty() ? "" : " or a name such as "
                    + names.keySet().stream().sorted().findFirst().orElse("")));
        }
        if (value < min || value > max) {
            throw invalid(name, text, "is outside " + min + "-" + max);
        }
        return value;
    }

    private BadInputException invalid(String name, String value, String problem) {
        return new BadInputException("Cron expression \"" + expression + "\": the " + name + " field \"" + value + "\" "
                + problem + ". Fields: minute hour day-of-month month day-of-week, for example \"0 6 * * *\".");
    }

    @Override
    public String toString() {
        return expression + " (" + zone + ")";
    }
}
