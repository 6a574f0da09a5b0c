package dev.nhigraph.policy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.eval.EvaluationResult.Decision;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Date conditions on aws:TokenIssueTime and aws:CurrentTime, whose values only the live request carries but which
 * no request made from now on can have earlier than a known bound. The first two cases are the iam-vulnerable
 * tool-testing policies fn3 (exploitable) and fp5 (not exploitable).
 */
class TokenIssueTimeTest {

    private static final String ACCOUNT = "111122223333";
    private static final RequestPrincipal USER = new RequestPrincipal("arn:aws:iam::" + ACCOUNT + ":user/alice",
            RequestPrincipal.Kind.USER, ACCOUNT, "alice", null, Map.of(), false, null);
    private static final RequestPrincipal ROLE = new RequestPrincipal("arn:aws:iam::" + ACCOUNT + ":role/deploy",
            RequestPrincipal.Kind.ROLE_SESSION, ACCOUNT, "deploy", null, Map.of(), false, null);

    private static Decision decide(RequestPrincipal principal, String operator, String key, String date) {
        String document = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"iam:CreatePolicyVersion\",\"Resource\":\"*\","
                + "\"Condition\":{\"" + operator + "\":{\"" + key + "\":\"" + date + "\"}}}]}";
        CompiledPolicy policy = CompiledPolicy.compile(Policy.parse("dates", "dates", "managed", document));
        AccessRequest request = new AccessRequest(principal, "iam:CreatePolicyVersion",
                "arn:aws:iam::" + ACCOUNT + ":policy/p", null, ConditionContext.UNKNOWN);
        return PolicyEvaluator.evaluate(request, EvaluationPolicies.identityOnly(List.of(policy), null)).decision();
    }

    @Test
    void tokenIssuedAfterPastDate_roleAllowed() {
        assertEquals(Decision.ALLOWED, decide(ROLE, "DateGreaterThan", "aws:TokenIssueTime", "2020-01-01T00:00:01Z"));
    }

    @Test
    void tokenIssuedBeforePastDate_denied() {
        assertEquals(Decision.DENIED, decide(ROLE, "DateLessThan", "aws:TokenIssueTime", "2020-01-01T00:00:01Z"));
        assertEquals(Decision.DENIED, decide(USER, "DateLessThan", "aws:TokenIssueTime", "2020-01-01T00:00:01Z"));
    }

    @Test
    void tokenIssuedAfterPastDate_userConditional() {
        // A user signing with long-term access keys sends no aws:TokenIssueTime, so the test fails for that request.
        assertEquals(Decision.CONDITIONAL, decide(USER, "DateGreaterThan", "aws:TokenIssueTime", "2020-01-01T00:00:01Z"));
    }

    @Test
    void tokenIssueWithinCredentialLife_conditional() {
        String hourAgo = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        assertEquals(Decision.CONDITIONAL, decide(ROLE, "DateGreaterThan", "aws:TokenIssueTime", hourAgo));
        assertEquals(Decision.CONDITIONAL, decide(ROLE, "DateLessThan", "aws:TokenIssueTime", hourAgo));
    }

    @Test
    void expiredCurrentTime_denied() {
        assertEquals(Decision.DENIED, decide(USER, "DateLessThan", "aws:CurrentTime", "2020-01-01T00:00:00Z"));
        assertEquals(Decision.DENIED, decide(USER, "DateEquals", "aws:CurrentTime", "2020-01-01T00:00:00Z"));
    }

    @Test
    void startedCurrentTime_allowed() {
        assertEquals(Decision.ALLOWED, decide(USER, "DateGreaterThanEquals", "aws:CurrentTime", "2020-01-01T00:00:00Z"));
        assertEquals(Decision.ALLOWED, decide(USER, "DateNotEquals", "aws:CurrentTime", "2020-01-01T00:00:00Z"));
    }

    @Test
    void futureCurrentTime_conditional() {
        String nextYear = Instant.now().plus(365, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        assertEquals(Decision.CONDITIONAL, decide(USER, "DateLessThan", "aws:CurrentTime", nextYear));
        assertEquals(Decision.CONDITIONAL, decide(USER, "DateGreaterThan", "aws:CurrentTime", nextYear));
    }

    @Test
    void suppliedValue_wins() {
        String document = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"*\",\"Condition\":{\"DateLessThan\":{\"aws:CurrentTime\":\"2020-01-01T00:00:00Z\"}}}]}";
        CompiledPolicy policy = CompiledPolicy.compile(Policy.parse("dates", "dates", "managed", document));
        ConditionContext past = key -> key.equalsIgnoreCase("aws:CurrentTime") ? List.of("2019-06-01T00:00:00Z") : null;
        AccessRequest request = new AccessRequest(USER, "s3:GetObject", "arn:aws:s3:::bucket/a", null, past);

        assertEquals(Decision.ALLOWED,
                PolicyEvaluator.evaluate(request, EvaluationPolicies.identityOnly(List.of(policy), null)).decision());
    }
}
