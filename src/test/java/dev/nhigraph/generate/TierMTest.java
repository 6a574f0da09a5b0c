package dev.nhigraph.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier M generated once, without a database, and checked against its own files: exact counts, the dense core,
 * the share of principals that may assume or pass any role, the scaled ground truth and the credential reports.
 * M is not loaded into Neo4j here, because a load of M takes many minutes.
 */
class TierMTest {

    private static final long SEED = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static SyntheticOrganization.Result result;
    private static JsonNode expected;
    /** What the authorization-details exports contain, counted per account id. */
    private static final Map<String, AccountExport> exports = new HashMap<>();

    @BeforeAll
    static void generate() throws IOException {
        result = SyntheticOrganization.generate(Tier.M, SEED, dir.resolve("m"));
        expected = JSON.readTree(result.expected().toFile());
        try (Stream<Path> files = Files.list(result.bundle().resolve("iam"))) {
            // The iam folder also contains the credential reports and the access-key listings.
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("authorization-details-")).sorted().toList()) {
                AccountExport export = AccountExport.of(JSON.readTree(file.toFile()));
                exports.put(export.accountId, export);
            }
        }
    }

    @Test
    void tierM_exportsExactCounts() throws IOException {
        assertEquals(50, exports.size());
        assertEquals(20_000, sum(e -> e.roles));
        assertEquals(2_000, sum(e -> e.users));
        assertEquals(250, sum(e -> e.groups));
        assertEquals(12_500, sum(e -> e.customerPolicies));
        assertEquals(50, JSON.readTree(result.bundle().resolve("organizations/accounts.json").toFile()).get("Accounts").size());
    }

    @Test
    void tierM_writesResourcePoliciesPerService() throws IOException {
        assertEquals(4_000, filesBelow("resource-policies/s3"));
        assertEquals(2_500, filesBelow("resource-policies/kms"));
        assertEquals(2_000, filesBelow("resource-policies/secretsmanager"));
        assertEquals(1_500, filesBelow("resource-policies/sqs"));
        assertEquals(100_000, expected.get("counts").get("inventoryResources").asInt());
    }

    @Test
    void tierM_accountsFollowPlan() {
        Map<String, Tier.AccountPlan> plans = new HashMap<>();
        Tier.M.accounts().forEach(plan -> plans.put(plan.name(), plan));

        for (JsonNode row : expected.get("counts").get("accounts")) {
            Tier.AccountPlan plan = plans.get(row.get("name").asText());
            AccountExport export = exports.get(row.get("id").asText());
            assertEquals(plan.roles(), export.roles, "roles of " + plan.name());
            assertEquals(plan.users(), export.users, "users of " + plan.name());
            assertEquals(plan.groups(), export.groups, "groups of " + plan.name());
            assertEquals(plan.customerPolicies(), export.customerPolicies, "policies of " + plan.name());
        }
        assertEquals(4_445, plans.get("payments-prod").roles(), "the largest account");
    }

    @Test
    void tierM_staysWithinIamQuotas() {
        for (AccountExport export : exports.values()) {
            assertTrue(export.roles <= Tier.MAX_ROLES_PER_ACCOUNT, export.accountId + ": " + export.roles + " roles");
            assertTrue(export.maxAttachments <= 10, export.accountId + ": " + export.maxAttachments + " attached policies");
        }
    }

    @Test
    void tierM_hasDenseCoreInPaymentsProd() {
        JsonNode cores = expected.get("counts").get("denseCores");
        assertEquals(1, cores.size());
        assertEquals("payments-prod", cores.get(0).get("account").asText());

        AccountExport core = exports.get(cores.get(0).get("accountId").asText());
        assertEquals(200, core.assumeAny.size(), "principals with sts:AssumeRole on *");
        assertTrue(core.rolesTrustingAccount >= 1_000, core.rolesTrustingAccount + " roles trust the account");
        assertEquals(core.rolesTrustingAccount, cores.get(0).get("rolesTrustingAccountWithoutCondition").asInt());
        assertEquals(Set.of(), intersection(core.assumeAny, core.bounded), "core principals with a boundary");
    }

    @Test
    void tierM_grantsAnyRoleToThreePercent() {
        int grants = sum(e -> e.assumeOrPassAny);

        assertEquals(Math.round(0.03 * 22_000), grants);
        assertEquals(grants, expected.get("counts").get("principalsWithExplicitAssumeRoleOrPassRoleOnAnyResource").asInt());
        assertTrue(sum(e -> e.passAny) > 0, "some principals hold iam:PassRole on *");
    }

    @Test
    void tierM_scalesGroundTruth() {
        assertEquals(50, expected.get("chains").size());
        assertEquals(40, expected.get("decoys").size());
        assertEquals(expected.get("chains").size(), 5 * PlantedChains.CHAIN_LENGTHS.length);
    }

    @Test
    void tierM_groundTruthNamesExportedPrincipals() {
        Set<String> principals = new HashSet<>();
        Map<String, Set<String>> trustSids = new HashMap<>();
        exports.values().forEach(e -> {
            principals.addAll(e.principals);
            trustSids.putAll(e.trustSids);
        });

        List<JsonNode> pairs = new ArrayList<>();
        expected.get("chains").forEach(chain -> chain.get("hops").forEach(pairs::add));
        expected.get("decoys").forEach(pairs::add);
        for (JsonNode pair : pairs) {
            String source = pair.get("source").asText();
            String target = pair.get("target").asText();
            assertTrue(principals.contains(source), "missing source " + source);
            assertTrue(principals.contains(target), "missing target " + target);
            String sid = pair.get("trust").get("sid").asText();
            assertTrue(trustSids.get(target).contains(sid), target + " has no trust statement " + sid);
        }
    }

    @Test
    void tierM_writesCredentialReports() throws IOException {
        Path reports = result.bundle().resolve("iam");
        String accountId = expected.get("counts").get("accounts").get(0).get("id").asText();

        JsonNode report = JSON.readTree(reports.resolve("credential-report-" + accountId + ".json").toFile());
        String csv = new String(Base64.getDecoder().decode(report.get("Content").asText()), StandardCharsets.UTF_8);
        String[] lines = csv.split("\n");

        try (Stream<Path> files = Files.list(reports)) {
            assertEquals(50, files.filter(file -> file.getFileName().toString().startsWith("credential-report-")).count());
        }
        assertEquals("text/csv", report.get("ReportFormat").asText());
        assertEquals(CredentialReportFile.COLUMNS, lines[0]);
        assertTrue(lines[1].startsWith("<root_account>,"), lines[1]);
        assertEquals(exports.get(accountId).users + 2, lines.length, "header, root and one row per user");
        assertEquals(2_000, expected.get("counts").get("accessKeys").get("users").asInt());
    }

    @Test
    void tierM_sameSeed_givesIdenticalFiles() throws Exception {
        SyntheticOrganization.generate(Tier.M, SEED, dir.resolve("again"));

        assertEquals(SyntheticOrganizationTest.hashes(dir.resolve("m")), SyntheticOrganizationTest.hashes(dir.resolve("again")));
    }

    @Test
    void tierM_keepsBundleFreeOfOtherFiles() {
        // The exports, credential reports, key listings (one per user with keys), resource policies, AWS Organizations and GCP files.
        int listings = expected.get("counts").get("accessKeys").get("usersWithAccessKeys").asInt();
        assertEquals(50 + 50 + listings + 10_000 + organizationFiles() + expected.get("gcp").get("counts").get("files").asInt(),
                result.files());
    }

    private static long organizationFiles() {
        try (Stream<Path> files = Files.walk(result.bundle().resolve("organizations"))) {
            return files.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long filesBelow(String folder) throws IOException {
        try (Stream<Path> files = Files.walk(result.bundle().resolve(folder))) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static int sum(java.util.function.ToIntFunction<AccountExport> count) {
        return exports.values().stream().mapToInt(count).sum();
    }

    private static Set<String> intersection(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return both;
    }

    /** The parts of one authorization-details export that the checks need, so the file itself can be dropped. */
    private static final class AccountExport {
        String accountId;
        int roles;
        int users;
        int groups;
        int customerPolicies;
        int maxAttachments;
        int rolesTrustingAccount;
        int assumeOrPassAny;
        int passAny;
        final Set<String> assumeAny = new HashSet<>();
        final Set<String> bounded = new HashSet<>();
        final Set<String> principals = new HashSet<>();
        final Map<String, Set<String>> trustSids = new HashMap<>();

        static AccountExport of(JsonNode export) {
            AccountExport counts = new AccountExport();
            counts.roles = export.get("RoleDetailList").size();
            counts.users = export.get("UserDetailList").size();
            counts.groups = export.get("GroupDetailList").size();
            for (JsonNode policy : export.get("Policies")) {
                if (!policy.get("Arn").asText().startsWith("arn:aws:iam::aws:")) {
                    counts.customerPolicies++;
                }
            }
            for (String list : List.of("RoleDetailList", "UserDetailList")) {
                String inlineList = list.equals("RoleDetailList") ? "RolePolicyList" : "UserPolicyList";
                for (JsonNode principal : export.get(list)) {
                    String arn = principal.get("Arn").asText();
                    counts.accountId = arn.split(":")[4];
                    counts.principals.add(arn);
                    counts.maxAttachments = Math.max(counts.maxAttachments, principal.get("AttachedManagedPolicies").size());
                    if (principal.has("PermissionsBoundary")) {
                        counts.bounded.add(arn);
                    }
                    boolean assume = allowsOnAny(principal.path(inlineList), "sts:AssumeRole");
                    boolean pass = allowsOnAny(principal.path(inlineList), "iam:PassRole");
                    if (assume) {
                        counts.assumeAny.add(arn);
                    }
                    counts.passAny += pass ? 1 : 0;
                    counts.assumeOrPassAny += assume || pass ? 1 : 0;
                }
            }
            for (JsonNode role : export.get("RoleDetailList")) {
                Set<String> sids = new HashSet<>();
                String root = "arn:aws:iam::" + counts.accountId + ":root";
                boolean trustsAccount = false;
                for (JsonNode statement : role.get("AssumeRolePolicyDocument").get("Statement")) {
                    sids.add(statement.path("Sid").asText());
                    trustsAccount |= statement.path("Principal").path("AWS").asText().equals(root)
                            && !statement.has("Condition");
                }
                counts.trustSids.put(role.get("Arn").asText(), sids);
                counts.rolesTrustingAccount += trustsAccount ? 1 : 0;
            }
            return counts;
        }

        /** Tells whether an inline policy of the list has an Allow of {@code action} with the only Resource "*". */
        private static boolean allowsOnAny(JsonNode inlinePolicies, String action) {
            for (JsonNode policy : inlinePolicies) {
                for (JsonNode statement : policy.get("PolicyDocument").get("Statement")) {
                    JsonNode actions = statement.path("Action");
                    boolean named = actions.isArray() ? contains(actions, action) : actions.asText().equals(action);
                    if (statement.get("Effect").asText().equals("Allow") && named
                            && statement.path("Resource").asText().equals("*")) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static boolean contains(JsonNode list, String value) {
            for (JsonNode item : list) {
                if (item.asText().equals(value)) {
                    return true;
                }
            }
            return false;
        }
    }
}
