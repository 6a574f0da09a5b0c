package dev.nhigraph.gcp.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.gcp.analysis.ConditionEvaluator.ResourceContext;
import dev.nhigraph.gcp.analysis.ConditionExpression.Binary;
import dev.nhigraph.gcp.analysis.ConditionExpression.Call;
import dev.nhigraph.gcp.analysis.ConditionExpression.Literal;
import dev.nhigraph.gcp.analysis.ConditionExpression.Node;
import dev.nhigraph.policy.eval.Tri;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConditionEvaluatorTest {

    // A Monday, 12:00 UTC, which is 05:00 in Los Angeles.
    private static final Instant SNAPSHOT = Instant.parse("2026-06-01T12:00:00Z");
    private static final ResourceContext BUCKET = new ResourceContext(
            Set.of("//storage.googleapis.com/logs", "logs", "projects/_/buckets/logs"), "storage.googleapis.com/Bucket",
            "storage.googleapis.com", false);

    private final ConditionEvaluator evaluator = new ConditionEvaluator(SNAPSHOT);

    private Tri decide(String expression) {
        return evaluator.evaluate(expression, BUCKET).value();
    }

    @Test
    void parserGivesAndPrecedenceOverOr() throws Exception {
        Node node = ConditionExpression.parse("a || b && c");

        Binary or = assertInstanceOf(Binary.class, node);
        assertEquals("||", or.operator());
        assertEquals("b && c", assertInstanceOf(Binary.class, or.right()).text());
    }

    @Test
    void parserReadsMethodCallsAndEscapes() throws Exception {
        Call call = assertInstanceOf(Call.class, ConditionExpression.parse("resource.name.startsWith(\"a\\\"b\\u0041\")"));

        assertEquals("startsWith", call.function());
        assertEquals("a\"bA", assertInstanceOf(Literal.class, call.args().get(0)).value());
    }

    @Test
    void parserRejectsMalformedInput() {
        assertThrows(ConditionExpression.ParseException.class, () -> ConditionExpression.parse("a && "));
        assertThrows(ConditionExpression.ParseException.class, () -> ConditionExpression.parse("'open"));
        assertThrows(ConditionExpression.ParseException.class, () -> ConditionExpression.parse("{'a': 1}"));
        assertThrows(ConditionExpression.ParseException.class, () -> ConditionExpression.parse("a b"));
    }

    @Test
    void timestampComparisons() {
        assertEquals(Tri.TRUE, decide("request.time < timestamp('2030-01-01T00:00:00Z')"));
        assertEquals(Tri.FALSE, decide("request.time < timestamp('2020-01-01T00:00:00Z')"));
        assertEquals(Tri.TRUE, decide("timestamp('2020-01-01T00:00:00Z') < request.time"));
        assertEquals(Tri.TRUE, decide("request.time > timestamp('2026-05-01T00:00:00Z') + duration('720h')"));
    }

    @Test
    void futureStartIsUnknownWithItsTime() {
        var outcome = evaluator.evaluate("request.time > timestamp(\"2026-09-01T00:00:00Z\")", BUCKET);

        assertEquals(Tri.UNKNOWN, outcome.value());
        assertTrue(outcome.note().contains("2026-09-01T00:00:01Z"), outcome.note());
    }

    @Test
    void recurringWindowsAreReachable() {
        assertEquals(Tri.TRUE, decide("request.time.getHours('America/Los_Angeles') >= 9"
                + " && request.time.getHours('America/Los_Angeles') <= 17"));
        assertEquals(Tri.TRUE, decide("request.time.getDayOfWeek('Europe/Berlin') == 6"));
        assertEquals(Tri.TRUE, decide("request.time.getMonth() == 0 && request.time.getDate() == 1"));
        assertEquals(Tri.TRUE, decide("request.time.getHours() == 3 && request.time.getMinutes() == 30"));
    }

    @Test
    void impossibleRecurringWindowIsFalse() {
        assertEquals(Tri.FALSE, decide("request.time.getHours() > 17 && request.time.getHours() < 9"));
        assertEquals(Tri.FALSE, decide("request.time.getDayOfWeek() == 7"));
    }

    @Test
    void recurringWindowAfterExpiryIsFalse() {
        assertEquals(Tri.FALSE, decide("request.time.getHours() == 10 && request.time < timestamp('2021-01-01T00:00:00Z')"));
    }

    @Test
    void secondsAreUndecided() {
        assertEquals(Tri.UNKNOWN, decide("request.time.getSeconds() == 0"));
    }

    @Test
    void resourceAttributes() {
        assertEquals(Tri.TRUE, decide("resource.name == 'projects/_/buckets/logs'"));
        assertEquals(Tri.TRUE, decide("resource.name.startsWith('projects/_/buckets/lo')"));
        assertEquals(Tri.FALSE, decide("resource.name.startsWith('projects/_/buckets/data')"));
        assertEquals(Tri.TRUE, decide("resource.type in ['storage.googleapis.com/Bucket', 'x']"));
        assertEquals(Tri.TRUE, decide("resource.service == 'storage.googleapis.com'"));
        assertEquals(Tri.FALSE, decide("resource.service != 'storage.googleapis.com'"));
    }

    @Test
    void childOfResourceDecidesOnlyPrefixes() {
        ResourceContext objects = new ResourceContext(Set.of("projects/_/buckets/logs"), null, "storage.googleapis.com",
                true);

        assertEquals(Tri.TRUE, evaluator.evaluate("resource.name.startsWith('projects/_/buckets/logs')", objects).value());
        assertEquals(Tri.UNKNOWN,
                evaluator.evaluate("resource.name.startsWith('projects/_/buckets/logs/objects/a')", objects).value());
        assertEquals(Tri.FALSE, evaluator.evaluate("resource.name.startsWith('projects/_/buckets/data')", objects).value());
        assertEquals(Tri.FALSE, evaluator.evaluate("resource.type == 'compute.googleapis.com/Instance'", objects).value());
        assertEquals(Tri.UNKNOWN, evaluator.evaluate("resource.type == 'storage.googleapis.com/Object'", objects).value());
    }

    @Test
    void kleeneLogicKeepsUndecidedParts() {
        var outcome = evaluator.evaluate("resource.name.startsWith('projects/_/buckets/logs') && request.auth.access_levels"
                + ".exists(x, x == 'y')", BUCKET);

        assertEquals(Tri.UNKNOWN, outcome.value());
        assertEquals(1, outcome.undecided().size());
        assertTrue(outcome.undecided().get(0).startsWith("request.auth"), outcome.undecided().toString());
        assertEquals(Tri.FALSE, decide("resource.name == 'x' && api.getAttribute('a', '') == 'b'"));
        assertEquals(Tri.TRUE, decide("resource.name == 'logs' || api.getAttribute('a', '') == 'b'"));
        assertEquals(Tri.TRUE, decide("!(resource.name == 'x')"));
    }

    @Test
    void unknownResourceMakesNameTestsUnknown() {
        var outcome = evaluator.evaluate("resource.name.startsWith('projects/p/')", ResourceContext.UNKNOWN);

        assertEquals(Tri.UNKNOWN, outcome.value());
        assertEquals(List.of("resource.name.startsWith('projects/p/')"), outcome.undecided());
    }

    @Test
    void ternaryAndArithmetic() {
        assertEquals(Tri.TRUE, decide("1 + 2 == 3 ? true : false"));
        assertEquals(Tri.TRUE, decide("-1 < 0"));
    }

    @Test
    void parseErrorReported() {
        assertNotNull(evaluator.parseError("request.time <"));
        assertNull(evaluator.parseError("true"));
        assertEquals(Tri.UNKNOWN, decide("request.time <"));
    }

    @Test
    void durationsParse() {
        assertEquals(Duration.ofMinutes(90), ConditionEvaluator.parseDuration("1h30m"));
        assertEquals(Duration.ofSeconds(3600), ConditionEvaluator.parseDuration("3600s"));
        assertNull(ConditionEvaluator.parseDuration("soon"));
    }
}
