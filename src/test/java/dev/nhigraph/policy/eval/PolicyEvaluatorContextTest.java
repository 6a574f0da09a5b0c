package dev.nhigraph.policy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.eval.EvaluationResult.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * How a decision queries the request's condition context: each key once while the decision keeps its values, and
 * the same decisions when it tests more distinct keys than it keeps.
 */
class PolicyEvaluatorContextTest {

    private static final String ACCOUNT = "111122223333";
    private static final RequestPrincipal ALICE = new RequestPrincipal("arn:aws:iam::" + ACCOUNT + ":user/alice",
            RequestPrincipal.Kind.USER, ACCOUNT, "alice", null, Map.of("team", "platform"), false, null);

    /** Returns a policy whose statement {@code i} allows s3:GetObject when {@code test:key<i % keys>} is "yes". */
    private static CompiledPolicy conditionedOn(int keys, int statements) {
        List<String> written = new ArrayList<>();
        for (int i = 0; i < statements; i++) {
            written.add("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\","
                    + "\"Condition\":{\"StringEquals\":{\"test:Key" + (i % keys) + "\":\"yes\"}}}");
        }
        String document = "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", written) + "]}";
        return CompiledPolicy.compile(Policy.parse("keys", "keys", "managed", document));
    }

    private static EvaluationResult decide(CompiledPolicy policy, ConditionContext context) {
        AccessRequest request = new AccessRequest(ALICE, "s3:GetObject", "arn:aws:s3:::bucket/a", null, context);
        return PolicyEvaluator.evaluate(request, EvaluationPolicies.identityOnly(List.of(policy), null));
    }

    @Test
    void repeatedKey_askedOnce() {
        AtomicInteger asked = new AtomicInteger();
        ConditionContext context = key -> {
            asked.incrementAndGet();
            return List.of("yes");
        };

        // Three keys, each tested by four statements.
        EvaluationResult result = decide(conditionedOn(3, 12), context);

        assertEquals(Decision.ALLOWED, result.decision());
        assertEquals(12, result.statements().size());
        assertEquals(3, asked.get());
    }

    @Test
    void moreKeysThanKept_sameDecision() {
        // Keys 0 to 9 are tested twice each: keys 0, 2, 4, 6 and 8 are "yes", the others "no".
        Map<String, List<String>> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int key = 0; key < 10; key++) {
            values.put("test:Key" + key, List.of(key % 2 == 0 ? "yes" : "no"));
        }

        EvaluationResult result = decide(conditionedOn(10, 20), values::get);

        assertEquals(Decision.ALLOWED, result.decision());
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            if (i % 10 % 2 == 0) {
                expected.add(i);
            }
        }
        assertEquals(expected, result.statements().stream().map(Evidence::statement).toList());
    }

    @Test
    void moreKeysThanKept_unknownKeysListed() {
        // Only keys 0 to 3 are supplied, so the statements on keys 4 to 9 are unresolved, each listing its key.
        Map<String, List<String>> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int key = 0; key < 4; key++) {
            values.put("test:Key" + key, List.of("no"));
        }

        EvaluationResult result = decide(conditionedOn(10, 20), values::get);

        assertEquals(Decision.CONDITIONAL, result.decision());
        List<String> unresolvedKeys = result.conditions().stream().map(UnresolvedCondition::key).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            if (i % 10 >= 4) {
                expected.add("test:Key" + (i % 10));
            }
        }
        assertEquals(expected, unresolvedKeys);
    }
}
