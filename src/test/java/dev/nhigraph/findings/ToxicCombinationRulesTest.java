package dev.nhigraph.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.nhigraph.testsupport.SharedGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each toxic-combination rule on a synthetic twin pair, loaded through the real loader into the embedded Neo4j.
 *
 * <p>In the firing AWS twin, a holder role holds every part but the last itself and can assume a helper role, whose
 * trust policy names it, that holds the last part. In the firing GCP twin, the holder holds nothing itself and has
 * Service Account Token Creator on one helper service account per part: a holder with setIamPolicy or
 * iam.roles.update on its project would be that project's administrator, and the analysis gives an administrator no
 * steps to the accounts it administers. The quiet twin is the same, except that the helper of the last part holds
 * a near-miss right that no rule names. Each twin lives in its own account or project, so escalation
 * steps of one twin cannot reach another twin's principals.
 */
class ToxicCombinationRulesTest {

    /** Rights that no rule names, for the quiet twins. */
    private static final String AWS_NEAR_MISS = "iam:GetRole";
    private static final String GCP_NEAR_MISS = "resourcemanager.projects.get";

    private static final List<Rule> RULES = RuleCatalog.loadDefault().stream().filter(Rule::toxicCombination).toList();
    private static final Map<String, String> FIRING_HOLDER = new LinkedHashMap<>();
    private static final Map<String, String> QUIET_HOLDER = new LinkedHashMap<>();
    private static final Map<String, String> FIRING_HELPER = new LinkedHashMap<>();
    private static final Map<String, String> FIRST_PART_HOLDER = new LinkedHashMap<>();
    private static Map<String, List<Finding>> findingsByRule;

    @BeforeAll
    static void loadTwins(@TempDir Path dir) {
        FixtureFiles.AuthorizationDetails aws = new FixtureFiles.AuthorizationDetails();
        FixtureFiles.Gcloud gcloud = new FixtureFiles.Gcloud();
        int index = 0;
        for (Rule rule : RULES) {
            for (boolean firing : List.of(true, false)) {
                if ("aws".equals(rule.cloud())) {
                    addAwsTwin(aws, rule, index, firing);
                } else {
                    addGcpTwin(gcloud, rule, index, firing);
                }
            }
            index++;
        }
        aws.write(dir.resolve("iam/authorization-details.json"));
        gcloud.write(dir.resolve("gcp"));
        SharedGraph.resetAndLoad(dir);

        FindingsReport.Report report = FindingsReport.build(SharedGraph.graphService(), RULES, FindingsReport.Options.defaults());
        findingsByRule = new LinkedHashMap<>();
        RULES.forEach(rule -> findingsByRule.put(rule.id(), new ArrayList<>()));
        report.findings().forEach(finding -> findingsByRule.get(finding.rule()).add(finding));
    }

    private static void addAwsTwin(FixtureFiles.AuthorizationDetails aws, Rule rule, int index, boolean firing) {
        String account = String.format("3%011d", index * 2 + (firing ? 0 : 1));
        String holder = FixtureFiles.roleArn(account, "holder");
        Map<String, ArrayNode> holderPolicies = new LinkedHashMap<>();
        for (int i = 0; i < rule.parts().size() - 1; i++) {
            holderPolicies.put("part" + i, FixtureFiles.allow(rule.parts().get(i).actions().get(0)));
        }
        aws.role(account, "holder", FixtureFiles.ec2Trust(), holderPolicies);
        String lastRight = firing ? rule.parts().get(rule.parts().size() - 1).actions().get(0) : AWS_NEAR_MISS;
        aws.role(account, "helper", FixtureFiles.trust("AWS", holder, "sts:AssumeRole"),
                Map.of("last-part", FixtureFiles.allow(lastRight)));
        (firing ? FIRING_HOLDER : QUIET_HOLDER).put(rule.id(), holder);
        if (firing) {
            FIRING_HELPER.put(rule.id(), FixtureFiles.roleArn(account, "helper"));
            FIRST_PART_HOLDER.put(rule.id(), rule.parts().size() > 1 ? holder : FixtureFiles.roleArn(account, "helper"));
        }
    }

    private static void addGcpTwin(FixtureFiles.Gcloud gcloud, Rule rule, int index, boolean firing) {
        String project = String.format("toxic-%02d-%s", index, firing ? "firing" : "quiet");
        String number = gcloud.project(project);
        String holder = gcloud.account(project, "holder");
        List<Map.Entry<String, String>> projectBindings = new ArrayList<>();
        String lastHelper = null;
        for (int i = 0; i < rule.parts().size(); i++) {
            boolean last = i == rule.parts().size() - 1;
            String permission = last && !firing ? GCP_NEAR_MISS : rule.parts().get(i).permissions().get(0);
            String helper = gcloud.account(project, "part" + i + "-helper");
            String role = gcloud.customRole(project, "part" + i, List.of(permission));
            projectBindings.add(Map.entry(role, "serviceAccount:" + helper));
            gcloud.policy(FixtureFiles.accountResource(project, helper), number,
                    List.of(Map.entry("roles/iam.serviceAccountTokenCreator", "serviceAccount:" + holder)));
            if (i == 0 && firing) {
                FIRST_PART_HOLDER.put(rule.id(), "serviceAccount:" + helper);
            }
            lastHelper = helper;
        }
        gcloud.policy(FixtureFiles.projectResource(project), number, projectBindings);
        (firing ? FIRING_HOLDER : QUIET_HOLDER).put(rule.id(), "serviceAccount:" + holder);
        if (firing) {
            FIRING_HELPER.put(rule.id(), "serviceAccount:" + lastHelper);
        }
    }

    @Test
    void catalogue_hasEnoughRulesPerCloud() {
        assertTrue(RULES.stream().filter(rule -> "aws".equals(rule.cloud())).count() >= 15);
        assertTrue(RULES.stream().filter(rule -> "gcp".equals(rule.cloud())).count() >= 10);
    }

    @TestFactory
    Stream<DynamicTest> firingTwin_firesWithPathToHelper() {
        return RULES.stream().map(rule -> DynamicTest.dynamicTest(rule.id() + " fires", () -> {
            Finding finding = findingFor(rule.id(), FIRING_HOLDER.get(rule.id()));

            assertNotNull(finding, rule.id() + " did not fire for " + FIRING_HOLDER.get(rule.id()) + "; it found "
                    + findingsByRule.get(rule.id()).stream().map(Finding::principal).toList());
            Finding.PartHeld last = finding.parts().get(finding.parts().size() - 1);
            assertEquals(FIRING_HELPER.get(rule.id()), last.heldBy());
            assertEquals(1, last.path().size(), last.path().toString());
            assertFalse(last.evidence().isEmpty(), "no statement or binding named as evidence");
            assertEquals(rule.controls(), finding.controls());
            Finding.PartHeld first = finding.parts().get(0);
            assertEquals(FIRST_PART_HOLDER.get(rule.id()), first.heldBy());
            assertEquals(first.heldBy().equals(FIRING_HOLDER.get(rule.id())) ? 0 : 1, first.path().size(), first.path().toString());
        }));
    }

    @TestFactory
    Stream<DynamicTest> quietTwin_doesNotFire() {
        return RULES.stream().map(rule -> DynamicTest.dynamicTest(rule.id() + " twin stays quiet", () ->
                assertNull(findingFor(rule.id(), QUIET_HOLDER.get(rule.id())),
                        rule.id() + " fired for its quiet twin " + QUIET_HOLDER.get(rule.id()))));
    }

    private static Finding findingFor(String ruleId, String principal) {
        return findingsByRule.get(ruleId).stream().filter(f -> f.principal().equals(principal)).findFirst().orElse(null);
    }
}
