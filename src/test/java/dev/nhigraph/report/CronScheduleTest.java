package dev.nhigraph.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.BadInputException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** Next fire times of five-field cron expressions, and the errors of invalid ones. */
class CronScheduleTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static ZonedDateTime at(String time, ZoneId zone) {
        return ZonedDateTime.parse(time + "[" + zone + "]");
    }

    @Test
    void daily_firesNextMorning() {
        CronSchedule daily = CronSchedule.parse("0 6 * * *", UTC);

        assertEquals(at("2026-12-05T06:00Z", UTC), daily.next(at("2026-12-05T05:59:30Z", UTC)));
        assertEquals(at("2026-12-06T06:00Z", UTC), daily.next(at("2026-12-05T06:00Z", UTC)));
    }

    @Test
    void zone_isTheSchedulesOwn() {
        CronSchedule daily = CronSchedule.parse("0 6 * * *", BERLIN);

        // 06:00 in Berlin is 05:00 UTC in winter.
        assertEquals(at("2026-12-06T05:00Z", UTC).toInstant(), daily.next(at("2026-12-05T12:00Z", UTC)).toInstant());
    }

    @Test
    void stepsListsAndRanges() {
        CronSchedule schedule = CronSchedule.parse("*/15 9-17 * * mon-fri", UTC);

        // Saturday 2026-12-05 14:07: the next weekday slot is Monday 09:00.
        assertEquals(at("2026-12-07T09:00Z", UTC), schedule.next(at("2026-12-05T14:07Z", UTC)));
        assertEquals(at("2026-12-07T09:15Z", UTC), schedule.next(at("2026-12-07T09:00Z", UTC)));
        assertEquals(at("2026-12-08T09:00Z", UTC), schedule.next(at("2026-12-07T17:45Z", UTC)));
    }

    @Test
    void dayOfMonthOrDayOfWeek_eitherFires() {
        CronSchedule schedule = CronSchedule.parse("0 0 1 * sun", UTC);

        // Sunday 6 December comes before 1 January, and either day fires when both fields are restricted.
        assertEquals(at("2026-12-06T00:00Z", UTC), schedule.next(at("2026-12-05T00:00Z", UTC)));
        assertEquals(at("2027-01-01T00:00Z", UTC), schedule.next(at("2026-12-27T00:00Z", UTC)));
    }

    @Test
    void sundayAsSeven_sameAsZero() {
        assertEquals(CronSchedule.parse("0 0 * * 0", UTC).next(at("2026-12-01T00:00Z", UTC)),
                CronSchedule.parse("0 0 * * 7", UTC).next(at("2026-12-01T00:00Z", UTC)));
    }

    @Test
    void invalidField_namedWithValue() {
        BadInputException error = assertThrows(BadInputException.class, () -> CronSchedule.parse("61 6 * * *", UTC));

        assertTrue(error.getMessage().contains("minute field \"61\" is outside 0-59"), error.getMessage());
    }

    @Test
    void wrongFieldCount_rejected() {
        BadInputException error = assertThrows(BadInputException.class, () -> CronSchedule.parse("0 6 * *", UTC));

        assertTrue(error.getMessage().contains("has 4 fields; give five"), error.getMessage());
    }

    @Test
    void neverFiring_rejectedInsteadOfLooping() {
        CronSchedule february30 = CronSchedule.parse("0 0 30 2 *", UTC);

        BadInputException error = assertThrows(BadInputException.class, () -> february30.next(at("2026-12-05T00:00Z", UTC)));

        assertTrue(error.getMessage().contains("does not fire within five years"), error.getMessage());
    }
}
