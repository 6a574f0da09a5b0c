package dev.nhigraph.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.generate.SyntheticAccount.Principal;
import dev.nhigraph.generate.SyntheticAccount.Role;
import dev.nhigraph.generate.gcp.GcpOrganization;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates tiers M and L one account at a time: each account is filled, written, counted and then dropped, so
 * that memory contains one account's entities, the organisation tree, the ground truth and the few roles and
 * resources that accounts publish to each other ({@link CrossAccountDirectory}).
 *
 * <p>The ground truth is planted first, as in S, because its principals span accounts. Credential reports, with
 * the access keys and their ages, and the users' key listings go into the bundle's {@code iam/} folder, as in S.
 */
final class StreamedOrganization {

    /** Users and roles of a dense core, each of which may assume every one of the core's roles in its account. */
    static final int DENSE_CORE_PRINCIPALS = 200;
    static final int DENSE_CORE_ROLES = 1_000;
    /** Accounts between two progress lines in the log. */
    private static final int PROGRESS_EVERY = 50;

    private static final Logger log = LoggerFactory.getLogger(StreamedOrganization.class);

    private final Tier tier;
    private final long seed;
    private final Path out;
    private final Path bundle;
    private final SeededRandom random;
    private final AwsIdentifiers ids;
    private final SyntheticOrg org;
    private final GroundTruth truth = new GroundTruth();
    private final ResourcePolicies resourcePolicies = new ResourcePolicies();
    private final OrganizationCounts counts = new OrganizationCounts();
    private final CredentialReportFile.KeyCounts keys = new CredentialReportFile.KeyCounts();
    private final ArrayNode accountRows = PolicyStatement.NODES.arrayNode();
    private final ArrayNode denseCoreRows = PolicyStatement.NODES.arrayNode();
    private int files;
    private long bytes;

    private StreamedOrganization(Tier tier, long seed, Path out) {
        this.tier = tier;
        this.seed = seed;
        this.out = out;
        this.bundle = out.resolve(SyntheticOrganization.BUNDLE_FOLDER);
        this.random = SeededRandom.sampledByIndex(seed);
        this.ids = new AwsIdentifiers(random.fork("ids"));
        this.org = new SyntheticOrg(tier, seed, ids);
    }

    static SyntheticOrganization.Result generate(Tier tier, long seed, Path out, long started) {
        return new StreamedOrganization(tier, seed, out).generate(started);
    }

    private SyntheticOrganization.Result generate(long started) {
        PlantedPrincipals planted = new PlantedPrincipals(random.fork("planted-principals"), ids);
        PlantedChains chains = new PlantedChains(org, random.fork("planted-chains"), planted, truth);
        chains.plantChains();
        chains.plantDecoys();
        new PlantedAccess(org, random.fork("planted-access"), ids, planted, resourcePolicies, truth).plant();
        CrossAccountDirectory directory = CrossAccountDirectory.publish(org, random.fork("published"), ids);
        log.info("Planted the {} organisation for seed {}: {} accounts, {} chains, {} decoys", tier, seed,
                org.exported().size(), truth.chains.size(), truth.decoys.size());

        List<SyntheticAccount> exported = org.exported();
        List<String> denseCores = LargeTierLayout.denseCoreAccounts(tier);
        int[] grants = anyRoleGrants(exported, denseCores);
        AccountPopulator populator = new AccountPopulator(org, random.fork("accounts"), ids);
        RolePopulator roles = new RolePopulator(org, ids, directory::roleArnsOutside);
        for (int i = 0; i < exported.size(); i++) {
            SyntheticAccount account = exported.get(i);
            AccountFill fill = populator.startAccount(account, exported.stream().filter(a -> a != account).toList());
            fill.publishedRoles = directory.rolesOf(account);
            fill.denseCoreRoles = denseCores.contains(account.key()) ? DENSE_CORE_ROLES : 0;
            fill.anyRoleGrants = grants[i];
            populator.populateAccount(fill, roles);
            resourcePolicies.addRandom(org, fill, directory.allRoleArns(), directory.accountIdsOutside(account));
            if (fill.denseCoreRoles > 0) {
                addDenseCore(fill);
            }

            writeAccount(account);
            account.release();
            if ((i + 1) % PROGRESS_EVERY == 0) {
                log.info("Wrote {} of {} accounts in {} ms", i + 1, exported.size(), (System.nanoTime() - started) / 1_000_000);
            }
        }
        if (!resourcePolicies.files.isEmpty()) {
            throw new IllegalStateException(resourcePolicies.files.size() + " resource policies belong to no exported account");
        }

        for (Map.Entry<String, ObjectNode> file : OrganizationFiles.build(org, ids).entrySet()) {
            writeBundleFile(file.getKey(), file.getValue());
        }
        ObjectNode expectedJson = truth.toJson(tier, seed, countsJson());
        GcpOrganization.generate(tier, seed, bundle).ifPresent(gcp -> {
            expectedJson.set("gcp", gcp.expected());
            files += gcp.files();
            bytes += gcp.bytes();
        });
        Path expected = out.resolve(SyntheticOrganization.EXPECTED_FILE);
        JsonOutput.write(expected, expectedJson);
        long millis = (System.nanoTime() - started) / 1_000_000;
        log.info("Wrote {} files ({} bytes) to {} and the ground truth to {} in {} ms", files, bytes, bundle, expected, millis);
        return new SyntheticOrganization.Result(bundle, expected, files, bytes, truth, millis);
    }

    /**
     * Splits the exact share {@link AccountPopulator#ASSUME_ANY_SHARE} of all users and roles that get an Allow of
     * sts:AssumeRole or iam:PassRole on "*" over the accounts: {@link #DENSE_CORE_PRINCIPALS} to each dense-core
     * account, the rest in proportion to the users and roles of the other accounts.
     */
    private int[] anyRoleGrants(List<SyntheticAccount> exported, List<String> denseCores) {
        int total = (int) Math.round(AccountPopulator.ASSUME_ANY_SHARE * (tier.roles() + tier.users()));
        double[] weights = new double[exported.size()];
        for (int i = 0; i < weights.length; i++) {
            SyntheticAccount account = exported.get(i);
            weights[i] = denseCores.contains(account.key()) ? 0 : account.plan.roles() + account.plan.users();
        }
        int[] grants = Tier.apportion(total - DENSE_CORE_PRINCIPALS * denseCores.size(), weights);
        for (int i = 0; i < grants.length; i++) {
            if (denseCores.contains(exported.get(i).key())) {
                grants[i] = DENSE_CORE_PRINCIPALS;
            }
        }
        return grants;
    }

    /** Records the dense core of a filled account in the counts, and plants a query of a core principal for a core role. */
    private void addDenseCore(AccountFill fill) {
        SyntheticAccount account = fill.account;
        Principal principal = fill.assumeAnyHolders.get(0);
        Role target = fill.denseCore.stream().filter(role -> role != principal).findFirst().orElseThrow();
        truth.addQuery(principal.arn, "sts:AssumeRole", target.arn, Map.of(), "ALLOWED", null,
                "dense core of " + account.plan.name() + ": an inline policy of the principal allows sts:AssumeRole on"
                        + " \"*\", and the role trusts its account without a condition");

        ObjectNode row = denseCoreRows.addObject();
        row.put("account", account.plan.name());
        row.put("accountId", account.id);
        row.put("principalsWithAssumeRoleOnAnyResource", fill.assumeAnyHolders.size());
        row.put("rolesTrustingAccountWithoutCondition",
                account.roles.stream().filter(role -> trustsAccountWithoutCondition(role, account)).count());
    }

    /** Tells whether a statement of the role's trust allows sts:AssumeRole to the account root without a condition. */
    private static boolean trustsAccountWithoutCondition(Role role, SyntheticAccount account) {
        for (ObjectNode statement : role.trust) {
            JsonNode principal = statement.path("Principal").path("AWS");
            boolean namesRoot = principal.isArray() ? contains(principal, account.rootArn())
                    : principal.asText().equals(account.rootArn());
            JsonNode action = statement.path("Action");
            boolean assume = action.isArray() ? contains(action, "sts:AssumeRole") : action.asText().equals("sts:AssumeRole");
            if ("Allow".equals(statement.path("Effect").asText()) && namesRoot && assume && !statement.has("Condition")) {
                return true;
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

    /** Writes the export, resource policies and credential report of a filled account and counts them. */
    private void writeAccount(SyntheticAccount account) {
        checkPlan(account);
        Path export = bundle.resolve(SyntheticOrganization.authorizationDetailsPath(account));
        AuthorizationDetailsFile.write(account, export);
        files++;
        bytes += SyntheticOrganization.size(export);

        List<ResourcePolicies.PolicyFile> policyFiles = resourcePolicies.takeFiles(account.id);
        for (ResourcePolicies.PolicyFile file : policyFiles) {
            writeBundleFile(file.path(), file.content());
        }

        CredentialReportFile.Report report = CredentialReportFile.build(account, random.fork("credentials-" + account.key()));
        writeBundleFile(SyntheticOrganization.credentialReportPath(account.id), report.content());
        report.listings().forEach(this::writeBundleFile);
        keys.add(report.counts());

        counts.addAccount(account);
        counts.addResourcePolicies(policyFiles);
        ObjectNode row = accountRows.addObject();
        row.put("name", account.plan.name());
        row.put("id", account.id);
        row.put("organizationalUnit", account.plan.ou());
        row.put("roles", account.roles.size());
        row.put("users", account.users.size());
        row.put("groups", account.groups.size());
        row.put("customerManagedPolicies", account.policies.size());
        row.put("inventoryResources", account.inventory.size());
        row.put("resourcePolicies", policyFiles.size());
        row.put("accessKeys", report.counts().keys);
    }

    /**
     * Checks that a filled account has the sizes of its plan. The planted principals count towards the plan, so a
     * small account that received more of them than its plan allows would exceed it.
     */
    private static void checkPlan(SyntheticAccount account) {
        Tier.AccountPlan plan = account.plan;
        boolean exact = account.roles.size() == plan.roles() && account.users.size() == plan.users()
                && account.groups.size() == plan.groups() && account.policies.size() == plan.customerPolicies()
                && account.inventory.size() == plan.inventory();
        if (!exact) {
            throw new IllegalStateException("account " + plan.name() + " has " + account.roles.size() + " roles, "
                    + account.users.size() + " users, " + account.groups.size() + " groups, " + account.policies.size()
                    + " policies and " + account.inventory.size() + " resources, where its plan has " + plan.roles()
                    + ", " + plan.users() + ", " + plan.groups() + ", " + plan.customerPolicies() + " and "
                    + plan.inventory() + "; its planted principals exceed the plan");
        }
    }

    private void writeBundleFile(String path, JsonNode content) {
        Path file = bundle.resolve(path);
        JsonOutput.write(file, content);
        files++;
        bytes += SyntheticOrganization.size(file);
    }

    /** Returns the counts of S and Q followed by those that only M and L have. */
    private ObjectNode countsJson() {
        ObjectNode node = counts.toJson(org);
        node.put("principalsWithExplicitPassRoleOnAnyResource", counts.explicitPassAny());
        node.put("principalsWithExplicitAssumeRoleOrPassRoleOnAnyResource", counts.explicitAssumeOrPassAny());
        node.put("inventoryResourcesNamedByPolicies",
                org.exported().stream().mapToInt(account -> account.inventory.namedCount()).sum());
        node.set("accessKeys", keys.toJson());
        node.set("denseCores", denseCoreRows);
        node.set("accounts", accountRows);
        return node;
    }
}
