package dev.nhigraph.gcp.analysis;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.nhigraph.testsupport.Fuzz;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of IAM condition expressions in the supported CEL subset: parsing rejects a bad one only with
 * {@link ConditionExpression.ParseException}, evaluation turns every input into a decision, and no input runs
 * longer than its time limit.
 */
class ConditionFuzzTest {

    private static final long SEED = 20_261_205L;
    private static final int INPUTS = 10_000;
    private static final long TIMEOUT_MILLIS = 5_000;

    private static final List<String> SEEDS = List.of(
            "request.time < timestamp('2030-01-01T00:00:00Z')",
            "request.time > timestamp(\"2026-09-01T00:00:00Z\")",
            "request.time > timestamp('2026-05-01T00:00:00Z') + duration('720h')",
            "request.time.getHours('America/Los_Angeles') >= 9 && request.time.getHours('America/Los_Angeles') <= 17",
            "request.time.getDayOfWeek('Europe/Berlin') == 6",
            "request.time.getMonth() == 0 && request.time.getDate() == 1",
            "resource.name.startsWith('projects/_/buckets/logs')",
            "resource.name.startsWith(\"a\\\"b\\u0041\")",
            "resource.type in ['storage.googleapis.com/Bucket', 'x']",
            "resource.service != 'storage.googleapis.com'",
            "!(resource.name == 'x') || api.getAttribute('a', '') == 'b'",
            "resource.name.endsWith('.log') ? request.time < timestamp('2020-01-01T00:00:00Z') : true",
            "has(request.auth.access_levels) && 'accessPolicies/1/accessLevels/corp' in request.auth.access_levels",
            "resource.matchTag('123/env', 'prod') && 1 + 2 * 3 % 4 - -5 >= 0.5");

    @Test
    void mutatedExpressions_parseOrRejectClearly() {
        try (Fuzz fuzz = new Fuzz(SEED, TIMEOUT_MILLIS)) {
            List<String> inputs = inputs(fuzz);

            Fuzz.Tally parsed = fuzz.run("CEL parse", inputs, ConditionExpression::parse,
                    ConditionExpression.ParseException.class, message -> message.contains("at character"));
            ConditionEvaluator evaluator = new ConditionEvaluator(Instant.parse("2026-12-05T10:00:00Z"));
            Fuzz.Tally evaluated = fuzz.run("CEL evaluate", inputs,
                    input -> assertNotNull(evaluator.evaluate(input, ConditionEvaluator.ResourceContext.UNKNOWN).value()),
                    NeverThrown.class, message -> false);

            System.out.println("Fuzz: " + parsed);
            System.out.println("Fuzz: " + evaluated);
        }
    }

    private static List<String> inputs(Fuzz fuzz) {
        List<String> inputs = new ArrayList<>(SEEDS);
        for (int index = inputs.size(); index < INPUTS; index++) {
            Random random = fuzz.random(index);
            inputs.add(Fuzz.mutateText(SEEDS.get(random.nextInt(SEEDS.size())), random));
        }
        return inputs;
    }

    /** No exception is allowed from evaluation: an unparsable condition is an undecided one. */
    private static final class NeverThrown extends Exception {
    }
}
