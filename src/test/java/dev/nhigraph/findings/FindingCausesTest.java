package dev.nhigraph.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nhigraph.policy.Evidence;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Grouping open findings by the statements or detail behind them, on hand-made findings. */
class FindingCausesTest {

    private static final Rule.Controls CONTROLS = new Rule.Controls(List.of("A.5.3"), List.of("A.6.1.2"));
    private static final Rule DEPLOY = new Rule("aws-write-code-and-deploy", "Can write code and deploy it",
            Rule.TOXIC_COMBINATION, "aws", "high", "r", "fix", CONTROLS, List.of(), null, null, "deploy.yaml");
    private static final Rule OWNER_TAG = new Rule("aws-identity-without-owner-tag", "No owner tag", Rule.HYGIENE, "aws",
            "low", "r", "fix", CONTROLS, List.of(), "RETURN 1", null, "owner.yaml");
    private static final Evidence SHARED_WRITE = statement("arn:aws:iam::111111111111:policy/ci-deployer", 0);
    private static final Evidence SHARED_DEPLOY = statement("arn:aws:iam::111111111111:policy/ci-deployer", 1);
    private static final Evidence OWN_DEPLOY = statement("arn:aws:iam::111111111111:role/legacy#inline/deploy", 0);

    private static Evidence statement(String policy, int index) {
        return new Evidence(policy, policy.substring(policy.lastIndexOf('/') + 1), "managed", null, index, null, "Allow",
                List.of("lambda:UpdateFunctionCode"), List.of("*"), null, null, null);
    }

    /** Returns a toxic combination of two parts, granted by {@code write} and {@code deploy}, held by the principal. */
    private static Finding combination(String role, Evidence write, Evidence deploy) {
        String principal = "arn:aws:iam::111111111111:role/" + role;
        List<Finding.PartHeld> parts = List.of(
                new Finding.PartHeld("write code", principal, List.of(), List.of("codecommit:GitPush"), false, List.of(write)),
                new Finding.PartHeld("deploy", principal, List.of(), List.of("lambda:UpdateFunctionCode"), false, List.of(deploy)));
        return Finding.of(DEPLOY, principal, "AwsRole", null, "write code (itself); deploy (itself)", false, parts, null);
    }

    private static Finding withoutOwner(String role, String detail) {
        return Finding.of(OWNER_TAG, "arn:aws:iam::111111111111:role/" + role, "AwsRole", null, detail, false, null,
                Map.of("tags", List.of()));
    }

    @Test
    void group_samePolicyOnManyPrincipals_oneCause() {
        FindingCauses.Grouped grouped = FindingCauses.group(List.of(combination("build-1", SHARED_WRITE, SHARED_DEPLOY),
                combination("build-2", SHARED_WRITE, SHARED_DEPLOY), combination("build-3", SHARED_WRITE, SHARED_DEPLOY)));

        assertEquals(1, grouped.causes().size(), grouped.causes().toString());
        FindingCauses.Cause cause = grouped.causes().get(0);
        assertEquals(3, cause.count());
        assertEquals(List.of("arn:aws:iam::111111111111:role/build-1", "arn:aws:iam::111111111111:role/build-2",
                "arn:aws:iam::111111111111:role/build-3"), cause.principals());
        assertEquals("ci-deployer statement 0; ci-deployer statement 1", cause.description());
        assertEquals(List.of(SHARED_WRITE, SHARED_DEPLOY), cause.evidence());
        grouped.findings().forEach(finding -> assertEquals(cause.id(), finding.cause(), finding.principal()));
    }

    @Test
    void group_otherStatement_otherCause() {
        FindingCauses.Grouped grouped = FindingCauses.group(List.of(combination("build-1", SHARED_WRITE, SHARED_DEPLOY),
                combination("legacy", SHARED_WRITE, OWN_DEPLOY)));

        assertEquals(2, grouped.causes().size(), grouped.causes().toString());
        assertNotEquals(grouped.findings().get(0).cause(), grouped.findings().get(1).cause());
    }

    @Test
    void group_statementOrder_sameCause() {
        FindingCauses.Grouped grouped = FindingCauses.group(List.of(combination("build-1", SHARED_WRITE, SHARED_DEPLOY),
                combination("build-2", SHARED_DEPLOY, SHARED_WRITE)));

        assertEquals(1, grouped.causes().size(), grouped.causes().toString());
    }

    @Test
    void group_hygieneSameDetail_oneCause() {
        FindingCauses.Grouped grouped = FindingCauses.group(List.of(withoutOwner("a", "no tag named owner"),
                withoutOwner("b", "no tag named owner"), withoutOwner("c", "a tag named owner is empty")));

        assertEquals(2, grouped.causes().size(), grouped.causes().toString());
        assertEquals(2, grouped.causes().get(0).count());
        assertEquals("no tag named owner", grouped.causes().get(0).description());
        assertNull(grouped.causes().get(0).evidence());
    }

    @Test
    void id_sameCause_sameIdInEveryReport() {
        String first = FindingCauses.group(List.of(combination("build-1", SHARED_WRITE, SHARED_DEPLOY))).causes().get(0).id();
        String second = FindingCauses.group(List.of(withoutOwner("z", "no tag named owner"),
                combination("build-9", SHARED_WRITE, SHARED_DEPLOY))).causes().get(1).id();

        assertEquals(first, second);
        assertEquals(12, first.length());
    }
}
