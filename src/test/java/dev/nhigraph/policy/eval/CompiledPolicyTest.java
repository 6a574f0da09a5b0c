package dev.nhigraph.policy.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.eval.EvaluationResult.Decision;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The per-action statement index of {@link CompiledPolicy}: statements past the first group of
 * {@value ActionIndex#STATEMENTS}, action ids, and masks after the table grows.
 */
class CompiledPolicyTest {

    private static final String ACCOUNT = "111122223333";
    private static final RequestPrincipal ALICE = new RequestPrincipal("arn:aws:iam::" + ACCOUNT + ":user/alice",
            RequestPrincipal.Kind.USER, ACCOUNT, "alice", null, Map.of(), false, null);

    /**
     * Returns a policy of 70 statements, so three statement groups: statement {@code i} allows
     * {@code ec2:DescribeThing<i>}, except statement 40, which allows {@code s3:GetObject} on one bucket, and
     * statement 69, which denies it on the bucket's secret/ prefix.
     */
    private static CompiledPolicy seventyStatements() {
        List<String> statements = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            String statement;
            if (i == 40) {
                statement = "{\"Sid\":\"Read\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\"}";
            } else if (i == 69) {
                statement = "{\"Sid\":\"Secret\",\"Effect\":\"Deny\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/secret/*\"}";
            } else {
                statement = "{\"Effect\":\"Allow\",\"Action\":\"ec2:DescribeThing" + i + "\",\"Resource\":\"*\"}";
            }
            statements.add(statement);
        }
        String document = "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
        return CompiledPolicy.compile(Policy.parse("large", "large", "managed", document));
    }

    private static EvaluationResult decide(CompiledPolicy policy, String action, String resource) {
        AccessRequest request = new AccessRequest(ALICE, action, resource, Arns.account(resource), ConditionContext.UNKNOWN);
        return PolicyEvaluator.evaluate(request, EvaluationPolicies.identityOnly(List.of(policy), null));
    }

    private static List<Integer> statementIndexes(EvaluationResult result) {
        return result.statements().stream().map(Evidence::statement).toList();
    }

    @Test
    void largePolicy_allowInSecondGroup() {
        EvaluationResult result = decide(seventyStatements(), "s3:GetObject", "arn:aws:s3:::bucket/public/a.txt");

        assertEquals(Decision.ALLOWED, result.decision());
        assertEquals(List.of(40), statementIndexes(result));
        assertEquals("Read", result.statements().get(0).sid());
    }

    @Test
    void largePolicy_denyInThirdGroup() {
        EvaluationResult result = decide(seventyStatements(), "s3:GetObject", "arn:aws:s3:::bucket/secret/key.pem");

        assertEquals(Decision.DENIED, result.decision());
        assertEquals("explicit", result.denial());
        assertEquals(List.of(69), statementIndexes(result));
        assertEquals("Secret", result.statements().get(0).sid());
    }

    @Test
    void largePolicy_everyGroupFindsItsStatement() {
        CompiledPolicy policy = seventyStatements();
        for (int i : new int[] {0, 31, 32, 63, 64, 68}) {
            // Each action is decided twice: the first decision fills the index, and the second reads it.
            for (int round = 0; round < 2; round++) {
                EvaluationResult result = decide(policy, "EC2:describething" + i, "*");

                assertEquals(Decision.ALLOWED, result.decision(), "statement " + i + ", round " + round);
                assertEquals(List.of(i), statementIndexes(result), "statement " + i + ", round " + round);
            }
        }
    }

    @Test
    void resolve_sameIdForEverySpelling() {
        ActionIndex.ActionName lower = ActionIndex.resolve("s3:getobject");
        ActionIndex.ActionName mixed = ActionIndex.resolve("S3:GetObject");

        assertEquals(lower.id(), mixed.id());
        assertEquals("s3:getobject", mixed.lowerCase());
        assertNotEquals(lower.id(), ActionIndex.resolve("s3:PutObject").id());
    }

    @Test
    void resolve_oneIdPerNameAcrossThreads() throws Exception {
        int names = 2_000;
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * 500;
                results.add(pool.submit(() -> {
                    // Each thread resolves the same names, starting at a different one, so that they race.
                    int[] ids = new int[names];
                    for (int i = 0; i < names; i++) {
                        int name = (i + offset) % names;
                        ids[name] = ActionIndex.resolve("racetest:Action" + name).id();
                    }
                    return ids;
                }));
            }
            int[] first = results.get(0).get();
            for (Future<int[]> result : results) {
                assertArrayEquals(first, result.get());
            }
            Map<Integer, Integer> nameById = new HashMap<>();
            for (int name = 0; name < names; name++) {
                Integer earlier = nameById.put(first[name], name);
                assertNull(earlier, "id " + first[name] + " was given to names " + earlier + " and " + name);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void mask_matchesCoversActionAfterGrowth() {
        String document = "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"growth:Get*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Allow\",\"NotAction\":\"growth:*7\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":[\"growth:Put1*\",\"growth:GetItem2\"],\"Resource\":\"*\"}]}";
        Policy policy = Policy.parse("growth", "growth", "managed", document);
        CompiledPolicy compiled = CompiledPolicy.compile(policy);
        List<CompiledStatement> statements = new ArrayList<>();
        for (int i = 0; i < policy.statements().size(); i++) {
            statements.add(new CompiledStatement(policy, policy.statements().get(i), null));
        }

        // 5,000 actions make the table grow from 16 slots to 8,192. The second round reads every mask after the last growth.
        List<ActionIndex.ActionName> actions = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            actions.add(ActionIndex.resolve("growth:GetItem" + i));
            actions.add(ActionIndex.resolve("growth:Put" + i));
        }
        for (int round = 0; round < 2; round++) {
            for (ActionIndex.ActionName action : actions) {
                int expected = 0;
                for (int bit = 0; bit < statements.size(); bit++) {
                    if (statements.get(bit).coversAction(action.lowerCase())) {
                        expected |= 1 << bit;
                    }
                }
                assertEquals(expected, compiled.actionMask(action, 0), action.lowerCase() + ", round " + round);
            }
        }
        assertEquals(0b100, compiled.denyMask(0));
        assertSame(compiled.statement(0, 2).statement, policy.statements().get(2));
    }

    @Test
    void everyActionGroup_maskWithoutIndex() {
        String document = "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":[\"s3:Get*\",\"*\"],\"Resource\":\"arn:aws:s3:::secret/*\"}]}";
        CompiledPolicy policy = CompiledPolicy.compile(Policy.parse("everything", "everything", "managed", document));

        assertEquals(0b11, policy.actionMask(ActionIndex.resolve("ec2:RunInstances"), 0));
        assertEquals(0b11, policy.actionMask(ActionIndex.resolve("no-such-service:NoSuchAction"), 0));
        assertEquals(List.of(0), statementIndexes(decide(policy, "s3:GetObject", "arn:aws:s3:::public/a")));
        EvaluationResult denied = decide(policy, "s3:GetObject", "arn:aws:s3:::secret/a");
        assertEquals(Decision.DENIED, denied.decision());
        assertEquals(List.of(1), statementIndexes(denied));
    }

    @Test
    void everyActionGroup_notWithNotAction() {
        String document = "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Allow\",\"NotAction\":\"*\",\"Resource\":\"*\"}]}";
        CompiledPolicy policy = CompiledPolicy.compile(Policy.parse("not-every", "not-every", "managed", document));

        // NotAction * covers no action, so only the first statement's bit is set.
        assertEquals(0b01, policy.actionMask(ActionIndex.resolve("ec2:RunInstances"), 0));
    }
}
