package dev.nhigraph.aws.org;

import dev.nhigraph.aws.bundle.CliJsonFields;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.BadInputException;
import dev.nhigraph.aws.IamModel.SkippedItem;
import dev.nhigraph.aws.org.OrganizationModel.Account;
import dev.nhigraph.aws.org.OrganizationModel.ControlPolicy;
import dev.nhigraph.aws.org.OrganizationModel.ControlPolicyKind;
import dev.nhigraph.aws.org.OrganizationModel.OrganizationalUnit;
import dev.nhigraph.aws.org.OrganizationModel.PolicyTarget;
import dev.nhigraph.aws.org.OrganizationModel.TargetType;
import dev.nhigraph.policy.PolicyDocuments;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the JSON output of the AWS Organizations commands of the AWS CLI into one {@link Organization}.
 *
 * <p>Call {@link #recognise} on each file's JSON, {@link #add} for each recognised file, then {@link #build}
 * once. Some outputs do not name what they belong to: {@code list-organizational-units-for-parent} and
 * {@code list-accounts-for-parent} omit the parent, {@code list-parents} the child, and
 * {@code list-targets-for-policy} the policy. For those, the id comes from the file's layout: the file name
 * without {@code .json}, or else the name of the folder that contains the file, must be the id. An OU whose
 * parent neither the layout nor {@code list-parents} gives, and a targets file without a policy id, are
 * listed as skipped, never placed by guess.
 *
 * <p>A policy whose content is not a valid IAM policy is listed as skipped and left out with its targets.
 */
public final class OrganizationParser {

    /** The outputs this parser reads, with the command that produces each one. */
    public enum FileKind {
        DESCRIBE_ORGANIZATION("aws organizations describe-organization"),
        LIST_ROOTS("aws organizations list-roots"),
        LIST_ORGANIZATIONAL_UNITS("aws organizations list-organizational-units-for-parent --parent-id ID"),
        LIST_ACCOUNTS("aws organizations list-accounts, or list-accounts-for-parent --parent-id ID"),
        LIST_PARENTS("aws organizations list-parents --child-id ID"),
        LIST_POLICIES("aws organizations list-policies --filter TYPE"),
        DESCRIBE_POLICY("aws organizations describe-policy --policy-id ID"),
        LIST_TARGETS_FOR_POLICY("aws organizations list-targets-for-policy --policy-id ID");

        private final String command;

        FileKind(String command) {
            this.command = command;
        }

        public String command() {
            return command;
        }
    }

    static final Pattern ORGANIZATION_ID = Pattern.compile("o-[a-z0-9]{10,32}");
    static final Pattern ROOT_ID = Pattern.compile("r-[0-9a-z]{4,32}");
    static final Pattern OU_ID = Pattern.compile("ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}");
    static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    static final Pattern POLICY_ID = Pattern.compile("p-[0-9a-zA-Z_]{8,128}");
    private static final Pattern PARENT_ID = Pattern.compile(ROOT_ID.pattern() + "|" + OU_ID.pattern());
    private static final Pattern CHILD_ID = Pattern.compile(OU_ID.pattern() + "|" + ACCOUNT_ID.pattern());
    private static final Pattern ORGANIZATION_IN_ARN = Pattern.compile("^arn:[^:]+:organizations::[^:]*:[a-z_]+/(o-[a-z0-9]{10,32})(/|$)");
    private static final Logger log = LoggerFactory.getLogger(OrganizationParser.class);

    private Info info;
    private final Map<String, UnitEntry> roots = new LinkedHashMap<>();
    private final Map<String, UnitEntry> units = new LinkedHashMap<>();
    private final Map<String, AccountEntry> accounts = new LinkedHashMap<>();
    private final Map<String, ParentClaim> parents = new LinkedHashMap<>();
    private final Map<String, PolicyEntry> policies = new LinkedHashMap<>();
    private final Map<String, TargetsEntry> targets = new LinkedHashMap<>();
    /** Organization ids seen in ARNs and describe-organization, with the first file that names each. */
    private final Map<String, String> organizationIds = new TreeMap<>();
    private final List<SkippedItem> skipped = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private boolean anyFile;

    /** Returns the kind of AWS Organizations output {@code root} is, or null for any other JSON. */
    public static FileKind recognise(JsonNode root) {
        if (root == null || !root.isObject()) {
            return null;
        }
        if (root.path("Organization").isObject()) {
            return FileKind.DESCRIBE_ORGANIZATION;
        }
        if (root.path("Policy").isObject() && root.path("Policy").has("PolicySummary")) {
            return FileKind.DESCRIBE_POLICY;
        }
        if (root.path("Roots").isArray()) {
            return FileKind.LIST_ROOTS;
        }
        if (root.path("OrganizationalUnits").isArray()) {
            return FileKind.LIST_ORGANIZATIONAL_UNITS;
        }
        if (root.path("Accounts").isArray()) {
            return FileKind.LIST_ACCOUNTS;
        }
        if (root.path("Parents").isArray()) {
            return FileKind.LIST_PARENTS;
        }
        if (root.path("Targets").isArray()) {
            return FileKind.LIST_TARGETS_FOR_POLICY;
        }
        JsonNode policyList = root.path("Policies");
        if (policyList.isArray()) {
            // get-account-authorization-details also has "Policies", but its items have PolicyName and
            // PolicyVersionList, where an Organizations policy summary has Id, Type and AwsManaged.
            JsonNode first = policyList.path(0);
            if (policyList.isEmpty() && root.size() == 1) {
                return FileKind.LIST_POLICIES;
            }
            if (first.has("Id") && (first.has("Type") || first.has("AwsManaged")) && !first.has("PolicyName")) {
                return FileKind.LIST_POLICIES;
            }
        }
        return null;
    }

    /** Reads one file of the given kind; {@code file} is used for messages and, where needed, for its layout. */
    public void add(FileKind kind, JsonNode root, Path file) {
        anyFile = true;
        String name = file.toString();
        warnIfPaginated(root, name, kind);
        switch (kind) {
            case DESCRIBE_ORGANIZATION -> addOrganization(root.get("Organization"), name);
            case LIST_ROOTS -> addRoots(root.get("Roots"), name);
            case LIST_ORGANIZATIONAL_UNITS -> addUnits(root.get("OrganizationalUnits"), file);
            case LIST_ACCOUNTS -> addAccounts(root.get("Accounts"), file);
            case LIST_PARENTS -> addParents(root.get("Parents"), file);
            case LIST_POLICIES -> addPolicySummaries(root.get("Policies"), name);
            case DESCRIBE_POLICY -> addPolicyDetail(root.get("Policy"), name);
            case LIST_TARGETS_FOR_POLICY -> addTargets(root.get("Targets"), file);
        }
    }

    /** Returns what was left out, each with its file and the reason. */
    public List<SkippedItem> skipped() {
        return skipped;
    }

    private void warnIfPaginated(JsonNode root, String file, FileKind kind) {
        JsonNode next = root.get("NextToken");
        if (next != null && !next.isNull() && !next.asText().isEmpty()) {
            warnings.add(file + " contains a NextToken, so it is one page of several and its list is incomplete;"
                    + " run `" + kind.command() + "` again without --max-items");
        }
    }

    private void addOrganization(JsonNode node, String file) {
        String id = CliJsonFields.text(node, "Id");
        if (id == null || !ORGANIZATION_ID.matcher(id).matches()) {
            skip(file, "describe-organization output", "its Organization has Id \"" + id
                    + "\", which is not an organization id (o-...). Export it again with"
                    + " `aws organizations describe-organization --output json`.");
            return;
        }
        noteOrganization(id, file);
        if (info != null) {
            // A second describe-organization file of the same organization adds nothing; one of another
            // organization makes build() reject the bundle.
            return;
        }
        info = new Info(id, CliJsonFields.text(node, "Arn"), CliJsonFields.text(node, "MasterAccountId"), CliJsonFields.text(node, "FeatureSet"), file);
        if (info.managementAccount == null) {
            warnings.add(file + ": the organization has no MasterAccountId, so the management account is unknown"
                    + " and SCPs and RCPs may look as if they apply to it");
        }
    }

    private void addRoots(JsonNode list, String file) {
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String id = validId(node, ROOT_ID, "a root id (r-...)", file, "Roots", i);
            if (id != null) {
                UnitEntry root = new UnitEntry(id, CliJsonFields.text(node, "Arn"), CliJsonFields.text(node, "Name"), true, file);
                roots.put(id, root);
                noteOrganizationInArn(root.arn, file);
            }
        }
        log.info("Read {} roots from {}", list.size(), file);
    }

    private void addUnits(JsonNode list, Path file) {
        String name = file.toString();
        String parent = idFromLayout(file, PARENT_ID);
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String id = validId(node, OU_ID, "an OU id (ou-...)", name, "OrganizationalUnits", i);
            if (id == null) {
                continue;
            }
            UnitEntry unit = new UnitEntry(id, CliJsonFields.text(node, "Arn"), CliJsonFields.text(node, "Name"), false, name);
            units.putIfAbsent(id, unit);
            noteOrganizationInArn(unit.arn, name);
            if (parent != null) {
                claimParent(id, parent, name);
            }
        }
        log.info("Read {} OUs from {} (parent {})", list.size(), name, parent == null ? "not in the layout" : parent);
    }

    private void addAccounts(JsonNode list, Path file) {
        String name = file.toString();
        // Without a parent id in the layout, the file is list-accounts: every account, placed by other files.
        String parent = idFromLayout(file, PARENT_ID);
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String id = validId(node, ACCOUNT_ID, "a 12-digit account id", name, "Accounts", i);
            if (id == null) {
                continue;
            }
            AccountEntry account = accounts.computeIfAbsent(id, AccountEntry::new);
            account.merge(node);
            noteOrganizationInArn(account.arn, name);
            if (parent != null) {
                claimParent(id, parent, name);
            }
        }
        log.info("Read {} accounts from {} (parent {})", list.size(), name, parent == null ? "not in the layout" : parent);
    }

    private void addParents(JsonNode list, Path file) {
        String name = file.toString();
        String child = idFromLayout(file, CHILD_ID);
        if (child == null) {
            skip(name, "list-parents output", "the output does not name its child, and neither the file name nor its"
                    + " folder is an OU id or account id. Save the output of `aws organizations list-parents"
                    + " --child-id ID` as ID.json, for example organizations/parents/111111111111.json.");
            return;
        }
        if (list.size() != 1) {
            warnings.add(name + ": list-parents gives " + list.size() + " parents for " + child
                    + ", where AWS Organizations allows exactly one; the first is used");
        }
        if (!list.isEmpty()) {
            String parent = CliJsonFields.text(list.get(0), "Id");
            if (parent == null || !PARENT_ID.matcher(parent).matches()) {
                skip(name, "parent of " + child, "Parents[0] has Id \"" + parent + "\", which is not a root or OU id");
                return;
            }
            claimParent(child, parent, name);
            if (ACCOUNT_ID.matcher(child).matches()) {
                accounts.computeIfAbsent(child, AccountEntry::new);
            }
        }
    }

    private void addPolicySummaries(JsonNode list, String file) {
        for (int i = 0; i < list.size(); i++) {
            policySummary(list.get(i), file, "Policies[" + i + "]");
        }
        log.info("Read {} policy summaries from {}", list.size(), file);
    }

    private void addPolicyDetail(JsonNode node, String file) {
        PolicyEntry policy = policySummary(node.get("PolicySummary"), file, "Policy.PolicySummary");
        if (policy == null) {
            return;
        }
        String item = policy.kind.graphKind().toUpperCase() + " " + policy.id + " (" + policy.arn + ")";
        try {
            JsonNode document = PolicyDocuments.decode(node.get("Content"));
            String reason = PolicyDocuments.invalidReason(document);
            if (reason != null) {
                rejectDocument(policy, file, item, "not a valid IAM policy: " + reason);
                return;
            }
            policy.document = PolicyDocuments.JSON.writeValueAsString(document);
        } catch (IllegalArgumentException | JsonProcessingException e) {
            rejectDocument(policy, file, item, e.getMessage());
        }
    }

    private void rejectDocument(PolicyEntry policy, String file, String item, String reason) {
        policy.invalid = true;
        skip(file, item, reason + "; the policy and its targets are left out. Check that the file is an unedited"
                + " `aws organizations describe-policy --policy-id " + policy.id + " --output json` export.");
    }

    /** Records one policy summary and returns its entry, or null when it is left out. */
    private PolicyEntry policySummary(JsonNode node, String file, String position) {
        String id = node == null ? null : CliJsonFields.text(node, "Id");
        String arn = node == null ? null : CliJsonFields.text(node, "Arn");
        if (id == null || !POLICY_ID.matcher(id).matches() || arn == null) {
            skip(file, position, "the policy summary has no valid Id (p-...) or no Arn. Check that the file is an"
                    + " unedited export.");
            return null;
        }
        String type = CliJsonFields.text(node, "Type");
        ControlPolicyKind kind = ControlPolicyKind.ofAwsType(type);
        if (kind == null) {
            skip(file, "policy " + id + " (" + type + ")", "nhigraph loads only SERVICE_CONTROL_POLICY and"
                    + " RESOURCE_CONTROL_POLICY policies");
            return null;
        }
        noteOrganizationInArn(arn, file);
        PolicyEntry policy = policies.computeIfAbsent(id, key -> new PolicyEntry(id, arn, kind, file));
        policy.name = firstNonNull(policy.name, CliJsonFields.text(node, "Name"));
        policy.description = firstNonNull(policy.description, CliJsonFields.text(node, "Description"));
        policy.awsManaged = policy.awsManaged || node.path("AwsManaged").asBoolean(false);
        return policy;
    }

    private void addTargets(JsonNode list, Path file) {
        String name = file.toString();
        String policy = idFromLayout(file, POLICY_ID);
        if (policy == null) {
            skip(name, "list-targets-for-policy output", "the output does not name its policy, and neither the"
                    + " file name nor its folder is a policy id (p-...). Save the output of `aws organizations"
                    + " list-targets-for-policy --policy-id ID` as ID.json or in a folder named ID, for example"
                    + " organizations/policies/p-examplepolicy/targets.json.");
            return;
        }
        TargetsEntry entry = targets.computeIfAbsent(policy, key -> new TargetsEntry(name));
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String id = CliJsonFields.text(node, "TargetId");
            TargetType type = targetType(CliJsonFields.text(node, "Type"));
            if (id == null || type == null) {
                skip(name, "Targets[" + i + "]", "the target has no TargetId or a Type other than ROOT,"
                        + " ORGANIZATIONAL_UNIT or ACCOUNT");
                continue;
            }
            entry.targets.add(new PolicyTarget(id, CliJsonFields.text(node, "Arn"), CliJsonFields.text(node, "Name"), type));
        }
        log.info("Read {} targets of {} from {}", list.size(), policy, name);
    }

    private static TargetType targetType(String type) {
        for (TargetType value : TargetType.values()) {
            if (value.name().equals(type)) {
                return value;
            }
        }
        return null;
    }

    private void claimParent(String child, String parent, String file) {
        ParentClaim existing = parents.get(child);
        if (existing == null) {
            parents.put(child, new ParentClaim(parent, file));
        } else if (!existing.parentId.equals(parent)) {
            warnings.add(child + " has parent " + existing.parentId + " in " + existing.file + " but " + parent
                    + " in " + file + "; kept " + existing.parentId
                    + ". The files come from different times: export the organization again in one run");
        }
    }

    /**
     * Returns the organization read so far, or null when no AWS Organizations file was added.
     *
     * @throws BadInputException when the files belong to more than one organization
     */
    public Organization build() {
        if (!anyFile) {
            return null;
        }
        if (organizationIds.size() > 1) {
            StringBuilder found = new StringBuilder();
            organizationIds.forEach((id, file) -> found.append(found.isEmpty() ? "" : ", ").append(id).append(" in ").append(file));
            throw new BadInputException("The bundle contains files of more than one organization (" + found
                    + "). Load the files of each organization separately.");
        }
        String organizationId = info != null ? info.id : organizationIds.isEmpty() ? null : organizationIds.keySet().iterator().next();
        if (info == null) {
            warnings.add("The bundle has no `aws organizations describe-organization` output, so the management"
                    + " account is unknown and SCPs and RCPs may look as if they apply to it");
        }

        List<OrganizationalUnit> builtUnits = buildUnits();
        List<Account> builtAccounts = buildAccounts();
        List<ControlPolicy> builtPolicies = buildPolicies();
        warnUnknownParents(builtUnits);
        log.info("Read organization {}: {} roots and OUs, {} accounts, {} SCPs and RCPs, {} items skipped",
                organizationId, builtUnits.size(), builtAccounts.size(), builtPolicies.size(), skipped.size());
        return new Organization(organizationId, info == null ? null : info.arn, info == null ? null : info.managementAccount,
                info == null ? null : info.featureSet, builtUnits, builtAccounts, builtPolicies, List.copyOf(warnings));
    }

    private List<OrganizationalUnit> buildUnits() {
        List<OrganizationalUnit> built = new ArrayList<>();
        roots.values().forEach(root -> built.add(new OrganizationalUnit(root.id, root.arn, root.name, true, null)));
        for (UnitEntry unit : units.values()) {
            ParentClaim parent = parents.get(unit.id);
            if (parent == null) {
                skip(unit.file, "OU " + unit.id + " (" + unit.name + ")", "the bundle does not give its parent, so its"
                        + " place in the tree is unknown. Save the output of `aws organizations"
                        + " list-organizational-units-for-parent --parent-id PARENT` in a folder named after the"
                        + " parent id (organizations/children/PARENT/ous.json), or add the output of"
                        + " `aws organizations list-parents --child-id " + unit.id + "`.");
                continue;
            }
            built.add(new OrganizationalUnit(unit.id, unit.arn, unit.name, false, parent.parentId));
        }
        for (Map.Entry<String, ParentClaim> claim : parents.entrySet()) {
            String child = claim.getKey();
            if (OU_ID.matcher(child).matches() && !units.containsKey(child)) {
                warnings.add(claim.getValue().file + " gives the parent of OU " + child + ", but no"
                        + " list-organizational-units-for-parent output lists that OU, so it is left out");
            }
        }
        return built;
    }

    private List<Account> buildAccounts() {
        List<Account> built = new ArrayList<>();
        List<String> withoutParent = new ArrayList<>();
        for (AccountEntry account : accounts.values()) {
            ParentClaim parent = parents.get(account.id);
            if (parent == null) {
                withoutParent.add(account.id);
            }
            built.add(new Account(account.id, account.arn, account.name, account.email, account.status, account.state,
                    account.joinedMethod, account.joinedTimestamp, parent == null ? null : parent.parentId));
        }
        if (!withoutParent.isEmpty()) {
            warnings.add(withoutParent.size() + " accounts have no parent in the bundle, so the SCPs and RCPs of their"
                    + " OUs cannot be applied to them: " + String.join(", ", withoutParent) + ". Add the output of"
                    + " `aws organizations list-accounts-for-parent --parent-id ID` for every root and OU");
        }
        return built;
    }

    private List<ControlPolicy> buildPolicies() {
        List<ControlPolicy> built = new ArrayList<>();
        for (PolicyEntry policy : policies.values()) {
            if (policy.invalid) {
                continue;
            }
            TargetsEntry attached = targets.get(policy.id);
            String label = policy.kind.graphKind().toUpperCase() + " " + policy.id
                    + (policy.name == null ? "" : " (" + policy.name + ")");
            if (policy.document == null) {
                warnings.add(label + " has no describe-policy output in the bundle, so its document is unknown;"
                        + " add the output of `aws organizations describe-policy --policy-id " + policy.id + "`");
            }
            if (attached == null) {
                warnings.add(label + " has no list-targets-for-policy output in the bundle, so the roots, OUs and"
                        + " accounts it is attached to are unknown; add the output of"
                        + " `aws organizations list-targets-for-policy --policy-id " + policy.id + "`");
            }
            built.add(new ControlPolicy(policy.id, policy.arn, policy.name, policy.description, policy.kind,
                    policy.awsManaged, policy.document, attached == null ? null : List.copyOf(attached.targets)));
        }
        for (Map.Entry<String, TargetsEntry> entry : targets.entrySet()) {
            if (!policies.containsKey(entry.getKey())) {
                skip(entry.getValue().file, "targets of " + entry.getKey(), "no list-policies or describe-policy output"
                        + " in the bundle names policy " + entry.getKey() + ", so its type and ARN are unknown. Add the"
                        + " output of `aws organizations describe-policy --policy-id " + entry.getKey() + "`.");
            }
        }
        return built;
    }

    private void warnUnknownParents(List<OrganizationalUnit> builtUnits) {
        Map<String, String> known = new LinkedHashMap<>();
        builtUnits.forEach(unit -> known.put(unit.id(), unit.name()));
        for (Map.Entry<String, ParentClaim> claim : parents.entrySet()) {
            String parent = claim.getValue().parentId;
            if (!known.containsKey(parent)) {
                known.put(parent, null);
                warnings.add(claim.getValue().file + " names " + parent + " as a parent, but no list-roots or"
                        + " list-organizational-units-for-parent output places it in the tree, so its name and"
                        + " parent are unknown");
            }
        }
    }

    private String validId(JsonNode node, Pattern pattern, String expected, String file, String list, int index) {
        String id = CliJsonFields.text(node, "Id");
        if (id == null || !pattern.matcher(id).matches()) {
            skip(file, list + "[" + index + "]", "it has Id \"" + id + "\", where " + expected
                    + " was expected. Check that the file is an unedited export.");
            return null;
        }
        return id;
    }

    private void noteOrganization(String id, String file) {
        organizationIds.putIfAbsent(id, file);
    }

    private void noteOrganizationInArn(String arn, String file) {
        if (arn == null) {
            return;
        }
        Matcher matcher = ORGANIZATION_IN_ARN.matcher(arn);
        if (matcher.find()) {
            noteOrganization(matcher.group(1), file);
        }
    }

    private void skip(String file, String item, String reason) {
        skipped.add(new SkippedItem(file, item, reason));
        // Logged at INFO because the load result lists the skipped item and the command line prints it.
        log.info("Skipped {} in {}: {}", item, file, reason);
    }

    /**
     * Returns the id that the file's layout gives: the file name without {@code .json} when it matches
     * {@code pattern}, else the name of the folder that contains the file when that matches, else null.
     */
    static String idFromLayout(Path file, Pattern pattern) {
        String fileName = file.getFileName().toString();
        String stem = fileName.toLowerCase().endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
        if (pattern.matcher(stem).matches()) {
            return stem;
        }
        Path folder = file.getParent() == null ? null : file.getParent().getFileName();
        if (folder != null && pattern.matcher(folder.toString()).matches()) {
            return folder.toString();
        }
        return null;
    }

    private static String firstNonNull(String first, String second) {
        return first != null ? first : second;
    }

    private record Info(String id, String arn, String managementAccount, String featureSet, String file) {
    }

    private record UnitEntry(String id, String arn, String name, boolean root, String file) {
    }

    private record ParentClaim(String parentId, String file) {
    }

    private static final class AccountEntry {
        final String id;
        String arn;
        String name;
        String email;
        String status;
        String state;
        String joinedMethod;
        String joinedTimestamp;

        AccountEntry(String id) {
            this.id = id;
        }

        /** Fills the fields that are still unknown from one entry of an Accounts list. */
        void merge(JsonNode node) {
            arn = firstNonNull(arn, CliJsonFields.text(node, "Arn"));
            name = firstNonNull(name, CliJsonFields.text(node, "Name"));
            email = firstNonNull(email, CliJsonFields.text(node, "Email"));
            status = firstNonNull(status, CliJsonFields.text(node, "Status"));
            state = firstNonNull(state, CliJsonFields.text(node, "State"));
            joinedMethod = firstNonNull(joinedMethod, CliJsonFields.text(node, "JoinedMethod"));
            joinedTimestamp = firstNonNull(joinedTimestamp, CliJsonFields.text(node, "JoinedTimestamp"));
        }
    }

    private static final class PolicyEntry {
        final String id;
        final String arn;
        final ControlPolicyKind kind;
        final String file;
        String name;
        String description;
        boolean awsManaged;
        String document;
        boolean invalid;

        PolicyEntry(String id, String arn, ControlPolicyKind kind, String file) {
            this.id = id;
            this.arn = arn;
            this.kind = kind;
            this.file = file;
        }
    }

    private static final class TargetsEntry {
        final String file;
        final List<PolicyTarget> targets = new ArrayList<>();

        TargetsEntry(String file) {
            this.file = file;
        }
    }
}
