package dev.nhigraph.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.policy.Evidence;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Folding the toxic combinations of administrators into their administrator finding, on hand-made findings. */
class AdministratorFindingsTest {

    private static final Rule.Controls CONTROLS = new Rule.Controls(List.of("A.5.3"), List.of("A.6.1.2"));
    private static final Rule ESCALATION = rule("escalation-to-admin", Rule.ESCALATION, "critical");
    private static final Rule ADMIN_EQUIVALENT = rule("admin-equivalent-non-human-identity", Rule.HYGIENE, "high");
    private static final Rule DEPLOY = rule("aws-write-code-and-deploy", Rule.TOXIC_COMBINATION, "high");
    private static final Rule TRAIL = rule("aws-data-and-stop-cloudtrail", Rule.TOXIC_COMBINATION, "critical");
    private static final String ADMIN = "arn:aws:iam::111111111111:role/admin";
    private static final String ESCALATOR = "arn:aws:iam::111111111111:user/escalator";
    private static final String DEVELOPER = "arn:aws:iam::111111111111:role/developer";
    private static final Evidence ADMINISTRATOR_ACCESS = new Evidence("arn:aws:iam::aws:policy/AdministratorAccess",
            "AdministratorAccess", "aws-managed", null, 0, null, "Allow", List.of("*"), List.of("*"), null, null, null);

    private static Rule rule(String id, String kind, String severity) {
        return new Rule(id, id, kind, "aws", severity, "r", "fix", CONTROLS, List.of(), "RETURN 1", null, id + ".yaml");
    }

    private static Finding finding(Rule rule, String principal, boolean conditional) {
        return Finding.of(rule, principal, "AwsRole", null, "found", conditional, null, null);
    }

    private static AdministratorFindings.Folded fold(Finding... open) {
        return AdministratorFindings.fold(List.of(open), principal -> List.of(ADMINISTRATOR_ACCESS));
    }

    @Test
    void fold_administrator_listsCombinationsOnce() {
        AdministratorFindings.Folded folded = fold(finding(ADMIN_EQUIVALENT, ADMIN, false), finding(DEPLOY, ADMIN, false),
                finding(TRAIL, ADMIN, true));

        assertEquals(1, folded.listed().size(), folded.listed().toString());
        Finding admin = folded.listed().get(0);
        assertEquals(List.of(DEPLOY.id(), TRAIL.id()), admin.toxicCombinations());
        assertEquals(2, folded.folded().size());
        assertEquals(1, folded.administrators());
    }

    @Test
    void fold_administratorWithoutPath_getsItsEvidence() {
        Finding admin = fold(finding(ADMIN_EQUIVALENT, ADMIN, false)).listed().get(0);

        assertEquals(1, admin.parts().size());
        assertEquals(AdministratorFindings.ADMINISTRATOR_PART, admin.parts().get(0).name());
        assertTrue(admin.parts().get(0).path().isEmpty());
        assertEquals(List.of(ADMINISTRATOR_ACCESS), admin.parts().get(0).evidence());
        assertNull(admin.toxicCombinations(), "an administrator without combinations lists none");
    }

    @Test
    void fold_nonAdministrator_keepsOneFindingPerRule() {
        AdministratorFindings.Folded folded = fold(finding(ESCALATION, ESCALATOR, false), finding(DEPLOY, DEVELOPER, false),
                finding(TRAIL, DEVELOPER, false));

        assertEquals(3, folded.listed().size());
        assertTrue(folded.folded().isEmpty());
        assertNull(folded.listed().get(0).toxicCombinations());
    }

    @Test
    void fold_conditionalAdministrator_keepsUnconditionalCombination() {
        AdministratorFindings.Folded folded = fold(finding(ESCALATION, ESCALATOR, true), finding(DEPLOY, ESCALATOR, false),
                finding(TRAIL, ESCALATOR, true));

        assertEquals(List.of(TRAIL.id()), folded.listed().get(0).toxicCombinations());
        assertEquals(DEPLOY.id(), folded.listed().get(1).rule(), "the unconditional combination is listed on its own");
        assertEquals(List.of(TRAIL.id()), folded.folded().stream().map(Finding::rule).toList());
    }

    @Test
    void fold_noOpenAdministratorFinding_keepsCombinations() {
        // The administrator finding is absent from the open findings when an exception accepts it.
        AdministratorFindings.Folded folded = fold(finding(DEPLOY, ADMIN, false), finding(TRAIL, ADMIN, false));

        assertEquals(2, folded.listed().size());
        assertTrue(folded.folded().isEmpty());
        assertFalse(folded.listed().stream().anyMatch(f -> f.toxicCombinations() != null));
        assertEquals(0, folded.administrators());
    }
}
