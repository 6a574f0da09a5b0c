package dev.nhigraph.aws.resource;

import dev.nhigraph.policy.eval.Arns;
import dev.nhigraph.testsupport.Fuzz;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of ARNs and ARN patterns: parsing and matching never throw, and no pattern takes longer than
 * its time limit, including patterns of many wildcards against long ARNs, where a backtracking matcher would.
 */
class ArnFuzzTest {

    private static final long SEED = 20_261_205L;
    private static final int INPUTS = 20_000;
    private static final long TIMEOUT_MILLIS = 2_000;

    private static final List<String> SEEDS = List.of(
            "arn:aws:iam::123456789012:role/service-role/deployer",
            "arn:aws:iam::123456789012:user/${aws:username}",
            "arn:aws:s3:::data-lake/*",
            "arn:aws:s3:::data-lake",
            "arn:aws-cn:kms:cn-north-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666",
            "arn:aws:sqs:eu-west-1:111111111111:orders",
            "arn:aws:lambda:*:*:function:resize*",
            "arn:aws:iam::*:role/?dmin*",
            "arn:aws:ecr:eu-west-1:222222222222:repository/app",
            "arn:aws:sts::123456789012:assumed-role/admin/session",
            "*",
            "arn:*");

    @Test
    void mutatedArns_neverThrowOrHang() {
        try (Fuzz fuzz = new Fuzz(SEED, TIMEOUT_MILLIS)) {
            List<String> inputs = new ArrayList<>(SEEDS);
            for (int index = inputs.size(); index < INPUTS; index++) {
                Random random = fuzz.random(index);
                inputs.add(index % 10 == 0 ? wildcardHeavy(random) : Fuzz.mutateText(SEEDS.get(random.nextInt(SEEDS.size())), random));
            }

            Fuzz.Tally tally = fuzz.run("ARN", inputs, input -> {
                // An input with a NUL is a pattern and the ARN to match; any other is matched against another input.
                int split = input.indexOf('\u0000');
                String pattern = split < 0 ? input : input.substring(0, split);
                String arn = split < 0 ? inputs.get(Math.floorMod(input.hashCode(), inputs.size())) : input.substring(split + 1);
                ResourceArn.parse(pattern);
                ResourceArn.parse(arn);
                Arns.account(arn);
                Arns.compile(pattern).matches(arn);
                Arns.compile(arn).matches(pattern);
                Arns.matches(pattern, pattern);
            }, NeverThrown.class, message -> false);

            System.out.println("Fuzz: " + tally);
        }
    }

    /** Returns a pattern of many {@code *} and {@code ?} between letters, a NUL, and an ARN of one long run of a letter. */
    private static String wildcardHeavy(Random random) {
        StringBuilder pattern = new StringBuilder("arn:aws:s3:::");
        for (int i = 0; i < 20 + random.nextInt(40); i++) {
            pattern.append(random.nextBoolean() ? "*" : "?").append('a');
        }
        return pattern + "b" + "\u0000" + "arn:aws:s3:::" + "a".repeat(2_000 + random.nextInt(3_000));
    }

    /** No exception is allowed: a string that is not an ARN is simply one that matches nothing. */
    private static final class NeverThrown extends Exception {
    }
}
