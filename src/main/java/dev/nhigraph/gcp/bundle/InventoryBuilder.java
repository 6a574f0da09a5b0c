package dev.nhigraph.gcp.bundle;

import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpInventory.Binding;
import dev.nhigraph.gcp.GcpInventory.DenyRule;
import dev.nhigraph.gcp.GcpInventory.Resource;
import dev.nhigraph.gcp.GcpInventory.Role;
import dev.nhigraph.gcp.GcpInventory.ServiceAccount;
import dev.nhigraph.gcp.GcpInventory.ServiceAccountKey;
import dev.nhigraph.db.Messages;
import dev.nhigraph.gcp.GcpNames;
import dev.nhigraph.gcp.bundle.RawInventory.BindingFact;
import dev.nhigraph.gcp.bundle.RawInventory.DenyPolicyFact;
import dev.nhigraph.gcp.bundle.RawInventory.KeyFact;
import dev.nhigraph.gcp.bundle.RawInventory.ListedDenyPolicy;
import dev.nhigraph.gcp.bundle.RawInventory.PolicyFact;
import dev.nhigraph.gcp.bundle.RawInventory.ProjectNumberFact;
import dev.nhigraph.gcp.bundle.RawInventory.ResourceFact;
import dev.nhigraph.gcp.bundle.RawInventory.RoleFact;
import dev.nhigraph.gcp.bundle.RawInventory.RunsAsFact;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the facts of all files into one {@link GcpInventory}: names canonical, duplicates merged, conflicts warned.
 *
 * <p>The project-number and unique-id maps are built first from the whole bundle, then every name goes through
 * {@link GcpNames#canonical}, so a project named by number in one file and by id in another is one resource.
 * Where two files state different values for the same fact, the first file read wins and a warning names both.
 */
final class InventoryBuilder {

    /** How many names a warning lists before it gives only the count of the rest. */
    private static final int MAX_NAMES_IN_WARNING = 20;
    /** How many resources a warning about missing parents names; the first few show which export is missing. */
    private static final int MAX_NAMES_WITHOUT_PARENT = 5;
    private static final Pattern PROJECT_BY_NUMBER = Pattern.compile("/projects/(\\d+)(/|$)");
    private static final Logger log = LoggerFactory.getLogger(InventoryBuilder.class);

    private final RawInventory raw;
    private final Map<String, String> projectNumbers = new LinkedHashMap<>();
    private final Map<String, String> accountsByUniqueId = new HashMap<>();
    private final Set<String> unmappedNumbers = new TreeSet<>();

    InventoryBuilder(RawInventory raw) {
        this.raw = raw;
    }

    GcpInventory build() {
        mapProjectNumbers();
        List<ServiceAccount> accounts = mergeAccounts();
        List<Resource> resources = mergeResources();
        List<Binding> bindings = bindings();
        List<ServiceAccountKey> keys = keys(accounts);
        List<Role> roles = roles();
        List<DenyRule> denyRules = denyRules();
        Map<String, List<String>> runsAs = runsAs();
        warnUnmappedNumbers();

        GcpInventory inventory = new GcpInventory(resources, accounts, keys, roles, bindings, denyRules,
                Map.copyOf(projectNumbers), List.copyOf(raw.skipped), List.copyOf(raw.warnings), Map.copyOf(runsAs));
        log.info("Read GCP inventory: {} resources, {} service accounts, {} keys, {} custom roles, {} bindings,"
                        + " {} deny rules, {} workloads with a known service account, {} items skipped", resources.size(),
                accounts.size(), keys.size(), roles.size(), bindings.size(), denyRules.size(), runsAs.size(),
                raw.skipped.size());
        return inventory;
    }

    private void mapProjectNumbers() {
        Map<String, String> firstFile = new HashMap<>();
        for (ProjectNumberFact fact : raw.projectNumbers) {
            String known = projectNumbers.putIfAbsent(fact.number(), fact.projectId());
            if (known == null) {
                firstFile.put(fact.number(), fact.file());
            } else if (!known.equals(fact.projectId())) {
                raw.warn("Project number " + fact.number() + " belongs to " + known + " in " + firstFile.get(fact.number())
                        + " but to " + fact.projectId() + " in " + fact.file() + "; kept " + known + ". The files come"
                        + " from different organizations or times: export them again in one run");
            }
        }
    }

    private String canonical(String name) {
        if (name == null) {
            return null;
        }
        String canonical = GcpNames.canonical(name, projectNumbers, accountsByUniqueId);
        Matcher number = PROJECT_BY_NUMBER.matcher(canonical);
        if (canonical.startsWith("//") && number.find()) {
            unmappedNumbers.add(number.group(1));
        }
        return canonical;
    }

    /** Returns the project id of {@code projectId} or {@code projects/NUMBER}, or null when the number is unknown. */
    private String projectId(String reference) {
        if (reference == null) {
            return null;
        }
        String project = reference.startsWith("projects/") ? reference.substring("projects/".length()) : reference;
        if (!Ancestry.isNumber(project)) {
            return project;
        }
        String id = projectNumbers.get(project);
        if (id == null) {
            unmappedNumbers.add(project);
        }
        return id;
    }

    private List<ServiceAccount> mergeAccounts() {
        Map<String, ServiceAccount> byEmail = new LinkedHashMap<>();
        for (ServiceAccount account : raw.accounts) {
            ServiceAccount known = byEmail.get(account.email());
            if (known == null) {
                byEmail.put(account.email(), account);
                continue;
            }
            String subject = "Service account " + account.email();
            String uniqueId = keep(subject, "unique id", known.uniqueId(), account.uniqueId(), known.sourceFile(), account.sourceFile());
            String displayName = keep(subject, "display name", known.displayName(), account.displayName(),
                    known.sourceFile(), account.sourceFile());
            keep(subject, "project", known.projectId(), account.projectId(), known.sourceFile(), account.sourceFile());
            keep(subject, "disabled flag", String.valueOf(known.disabled()), String.valueOf(account.disabled()),
                    known.sourceFile(), account.sourceFile());
            byEmail.put(account.email(), new ServiceAccount(known.email(), known.projectId(), uniqueId, displayName,
                    known.disabled(), known.sourceFile()));
        }
        accountsByUniqueId.putAll(GcpInventory.accountsByUniqueId(byEmail.values()));
        return List.copyOf(byEmail.values());
    }

    private List<Resource> mergeResources() {
        Map<String, ResourceEntry> entries = new LinkedHashMap<>();
        // Facts stated outright come first, so facts deduced from ancestry fields only fill what they leave open.
        for (ResourceFact fact : raw.resources) {
            if (!fact.inferred()) {
                merge(entries, fact);
            }
        }
        for (ResourceFact fact : raw.resources) {
            if (fact.inferred()) {
                merge(entries, fact);
            }
        }
        addNamedParents(entries);
        warnWithoutParent(entries);
        return entries.values().stream().map(ResourceEntry::resource).toList();
    }

    private void merge(Map<String, ResourceEntry> entries, ResourceFact fact) {
        String name = canonical(fact.name());
        ResourceEntry entry = entries.computeIfAbsent(name, key -> new ResourceEntry(key, fact.file()));
        String type = fact.assetType() != null ? fact.assetType() : Ancestry.containerType(name);
        String projectId = GcpNames.PROJECT_TYPE.equals(type) ? projectIdOfProject(name, fact) : projectId(fact.project());
        entry.assetType = entry.offer("asset type", entry.assetType, type, fact);
        entry.parent = entry.offer("parent", entry.parent, canonical(fact.parent()), fact);
        entry.projectId = entry.offer("project id", entry.projectId, projectId, fact);
        entry.displayName = entry.offer("display name", entry.displayName, fact.displayName(), fact);
        entry.state = entry.offer("state", entry.state, fact.state(), fact);
    }

    private String projectIdOfProject(String canonicalName, ResourceFact fact) {
        String last = canonicalName.substring(canonicalName.lastIndexOf('/') + 1);
        return Ancestry.isNumber(last) ? projectId(fact.project()) : last;
    }

    /** Adds each organization, folder or project that is named as a parent but that no file lists. */
    private void addNamedParents(Map<String, ResourceEntry> entries) {
        for (ResourceEntry child : List.copyOf(entries.values())) {
            String parent = child.parent;
            if (parent == null || entries.containsKey(parent) || !GcpNames.isContainer(parent)) {
                continue;
            }
            ResourceEntry added = new ResourceEntry(parent, child.fileOf.get("parent"));
            added.assetType = Ancestry.containerType(parent);
            String last = parent.substring(parent.lastIndexOf('/') + 1);
            added.projectId = GcpNames.PROJECT_TYPE.equals(added.assetType) && !Ancestry.isNumber(last) ? last : null;
            entries.put(parent, added);
        }
    }

    /**
     * Warns about the resources that no file gives a parent, by kind, because each kind's parent comes from a
     * different gcloud output.
     */
    private void warnWithoutParent(Map<String, ResourceEntry> entries) {
        List<String> projects = new ArrayList<>();
        List<String> folders = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (ResourceEntry entry : entries.values()) {
            if (entry.parent != null || GcpNames.ORGANIZATION_TYPE.equals(entry.assetType)) {
                continue;
            }
            if (GcpNames.PROJECT_TYPE.equals(entry.assetType)) {
                projects.add(entry.name);
            } else if (GcpNames.FOLDER_TYPE.equals(entry.assetType)) {
                folders.add(entry.name);
            } else {
                others.add(entry.name);
            }
        }
        if (!projects.isEmpty()) {
            raw.warn(withoutParent(projects, "project", "projects") + " Add the output of `gcloud projects list"
                    + " --format=json`, whose parent field names the folder or organization of each project. A project"
                    + " outside any organization has no parent, and for it nothing is missing");
        }
        if (!folders.isEmpty()) {
            raw.warn(withoutParent(folders, "folder", "folders") + " Add the output of `gcloud resource-manager folders"
                    + " list --organization=ORGANIZATION_ID --format=json`, and of `gcloud resource-manager folders list"
                    + " --folder=FOLDER_ID --format=json` for each folder that contains others, because each lists only"
                    + " the folders directly under it");
        }
        if (!others.isEmpty()) {
            raw.warn(withoutParent(others, "resource", "resources") + " Add the output of `gcloud asset"
                    + " search-all-resources --scope=organizations/ORGANIZATION_ID --format=json` (or with the scope of a"
                    + " folder or project that contains them), whose project and parentFullResourceName fields place"
                    + " each resource");
        }
    }

    /** Returns the start of a warning about resources of one kind without a parent, naming the first few. */
    private static String withoutParent(List<String> names, String singular, String plural) {
        boolean onlyOne = names.size() == 1;
        return Messages.count(names.size(), "GCP " + singular, "GCP " + plural) + (onlyOne ? " has" : " have")
                + " no parent in the bundle, so bindings on the folders and organization above " + (onlyOne ? "it" : "them")
                + " are not applied to " + (onlyOne ? "it" : "them") + ": " + names(names, MAX_NAMES_WITHOUT_PARENT) + ".";
    }

    private List<Binding> bindings() {
        Map<String, PolicyFact> first = new HashMap<>();
        List<Binding> bindings = new ArrayList<>();
        Map<String, String> unknownMembers = new LinkedHashMap<>();
        for (PolicyFact policy : raw.policies) {
            String resource = canonical(policy.resource());
            PolicyFact known = first.putIfAbsent(resource, policy);
            if (known != null) {
                if (!grants(known).equals(grants(policy))) {
                    raw.warn("The bundle contains two different allow policies for " + resource + ", in " + known.file()
                            + " and in " + policy.file() + "; kept the one in " + known.file() + ". The files come"
                            + " from different times: export them again in one run");
                }
                continue;
            }
            for (BindingFact binding : policy.bindings()) {
                bindings.add(new Binding(resource, binding.role(), binding.members(), binding.condition(),
                        binding.index(), policy.file()));
                binding.members().stream().filter(member -> !knownMemberForm(member)).forEach(member ->
                        unknownMembers.putIfAbsent(memberPrefix(member), "binding " + binding.index() + " ("
                                + binding.role() + ") on " + resource + " in " + policy.file() + " names " + member));
            }
        }
        // One warning per unknown prefix, since a typo in a script that writes policies repeats in every binding.
        unknownMembers.forEach((prefix, where) -> raw.warn("The " + where + ", a member of a form that IAM does not"
                + " have. It is kept as a principal of its own, so no service account, user or group gets its grants."
                + suggestion(prefix) + " Other bindings may name members with the same prefix."));
        return List.copyOf(bindings);
    }

    /** The member forms of IAM allow policies, by prefix before the colon, besides allUsers and allAuthenticatedUsers. */
    private static final List<String> MEMBER_PREFIXES = List.of("user", "group", "domain", "serviceAccount", "principal",
            "principalSet", "deleted", "projectOwner", "projectEditor", "projectViewer");

    private static boolean knownMemberForm(String member) {
        return member.equals("allUsers") || member.equals("allAuthenticatedUsers")
                || member.indexOf(':') > 0 && MEMBER_PREFIXES.contains(memberPrefix(member));
    }

    private static String memberPrefix(String member) {
        int colon = member.indexOf(':');
        return colon < 0 ? member : member.substring(0, colon);
    }

    /** Returns " Did you mean serviceAccount:?" for a prefix that differs from a known one only in case, else "". */
    private static String suggestion(String prefix) {
        return MEMBER_PREFIXES.stream().filter(known -> known.equalsIgnoreCase(prefix)).findFirst()
                .map(known -> " Did you mean " + known + ":?").orElse("");
    }

    /** Returns what a policy grants, independent of the order of its bindings and members. */
    private static Set<List<Object>> grants(PolicyFact policy) {
        Set<List<Object>> grants = new HashSet<>();
        for (BindingFact binding : policy.bindings()) {
            grants.add(List.of(binding.role(), Set.copyOf(binding.members()),
                    Objects.requireNonNullElse((Object) binding.condition(), "unconditional")));
        }
        return grants;
    }

    private List<ServiceAccountKey> keys(List<ServiceAccount> accounts) {
        Map<String, String> emailByUniqueId = new HashMap<>();
        accounts.stream().filter(account -> account.uniqueId() != null)
                .forEach(account -> emailByUniqueId.putIfAbsent(account.uniqueId(), account.email()));
        Map<String, ServiceAccountKey> keys = new LinkedHashMap<>();
        for (KeyFact fact : raw.keys) {
            String email = fact.account().contains("@") ? fact.account() : emailByUniqueId.get(fact.account());
            if (email == null) {
                raw.skip(fact.file(), fact.item(), "the key names its account by unique id " + fact.account() + ", and no"
                        + " service-accounts list in the bundle has that id, so the account is unknown. Add the output"
                        + " of `" + GcloudFileKind.SERVICE_ACCOUNT_LIST.source() + "` for the account's project.");
                continue;
            }
            ServiceAccountKey key = new ServiceAccountKey(fact.keyId(), email, fact.keyType(), fact.validAfter(),
                    fact.validBefore(), fact.disabled(), fact.keyOrigin(), fact.file());
            ServiceAccountKey known = keys.putIfAbsent(email + "/" + fact.keyId(), key);
            if (known != null && !sameKey(known, key)) {
                raw.warn("Key " + fact.keyId() + " of " + email + " differs between " + known.sourceFile() + " and "
                        + fact.file() + "; kept the one in " + known.sourceFile() + ". The files come from different"
                        + " times: export them again in one run");
            }
        }
        return List.copyOf(keys.values());
    }

    private static boolean sameKey(ServiceAccountKey a, ServiceAccountKey b) {
        return Objects.equals(a.keyType(), b.keyType()) && Objects.equals(a.validAfter(), b.validAfter())
                && Objects.equals(a.validBefore(), b.validBefore()) && a.disabled() == b.disabled()
                && Objects.equals(a.keyOrigin(), b.keyOrigin());
    }

    private List<Role> roles() {
        Map<String, RoleFact> roles = new LinkedHashMap<>();
        for (RoleFact fact : raw.roles) {
            RoleFact known = roles.get(fact.role().name());
            if (known == null || !known.described() && fact.described()) {
                // A describe output wins over a list output, which has no permissions.
                roles.put(fact.role().name(), fact);
            } else if (known.described() && fact.described() && !sameRole(known.role(), fact.role())) {
                raw.warn("Custom role " + fact.role().name() + " differs between " + known.role().sourceFile() + " and "
                        + fact.role().sourceFile() + "; kept the one in " + known.role().sourceFile() + ". The files"
                        + " come from different times: export them again in one run");
            }
        }
        List<String> undescribed = roles.values().stream()
                .filter(fact -> !fact.described() && !fact.role().deleted())
                .map(fact -> fact.role().name()).toList();
        if (!undescribed.isEmpty()) {
            boolean onlyOne = undescribed.size() == 1;
            raw.warn(Messages.count(undescribed.size(), "custom role has", "custom roles have") + " no permissions in"
                    + " the bundle, because `gcloud iam roles list` does not print them, so " + (onlyOne ? "its" : "their")
                    + " bindings grant nothing here: " + names(undescribed)
                    + ". Add the output of `gcloud iam roles describe ROLE_ID --project=PROJECT_ID --format=json`"
                    + " (or --organization=ORGANIZATION_ID) for each");
        }
        return roles.values().stream().map(RoleFact::role).toList();
    }

    private static boolean sameRole(Role a, Role b) {
        return Objects.equals(a.title(), b.title()) && Objects.equals(a.stage(), b.stage()) && a.deleted() == b.deleted()
                && Set.copyOf(a.permissions()).equals(Set.copyOf(b.permissions()));
    }

    private List<DenyRule> denyRules() {
        Set<String> read = new HashSet<>();
        List<DenyRule> rules = new ArrayList<>();
        for (DenyPolicyFact policy : raw.denyPolicies) {
            String attachmentPoint = canonical(policy.attachmentPoint());
            if (!read.add(policyKey(attachmentPoint, policy.policyName()))) {
                continue;
            }
            for (DenyRule rule : policy.rules()) {
                rules.add(new DenyRule(attachmentPoint, rule.policyName(), rule.deniedPrincipals(),
                        rule.exceptionPrincipals(), rule.deniedPermissions(), rule.exceptionPermissions(),
                        rule.condition(), rule.sourceFile()));
            }
        }
        List<String> withoutRules = new ArrayList<>();
        for (ListedDenyPolicy listed : raw.listedDenyPolicies) {
            String key = policyKey(canonical(listed.attachmentPoint()), listed.policyName());
            if (read.add(key)) {
                String policyId = listed.policyName().substring(listed.policyName().lastIndexOf('/') + 1);
                withoutRules.add("`gcloud iam policies get " + policyId + " --attachment-point="
                        + listed.attachmentPoint().substring(2) + " --kind=denypolicies --format=json`");
            }
        }
        if (!withoutRules.isEmpty()) {
            boolean onlyOne = withoutRules.size() == 1;
            raw.warn(Messages.count(withoutRules.size(), "deny policy is", "deny policies are") + " listed in the"
                    + " bundle without " + (onlyOne ? "its" : "their") + " rules, because `gcloud iam policies list` does"
                    + " not print them, so what " + (onlyOne ? "it denies" : "they deny") + " is unknown. Add the output"
                    + " of " + names(withoutRules));
        }
        return List.copyOf(rules);
    }

    /** Returns the accounts of each workload by canonical name; of two files that disagree, the first wins. */
    private Map<String, List<String>> runsAs() {
        Map<String, List<String>> runsAs = new LinkedHashMap<>();
        Map<String, String> firstFile = new HashMap<>();
        for (RunsAsFact fact : raw.runsAs) {
            String workload = canonical(fact.workload());
            List<String> known = runsAs.putIfAbsent(workload, fact.emails());
            if (known == null) {
                firstFile.put(workload, fact.file());
            } else if (!Set.copyOf(known).equals(Set.copyOf(fact.emails()))) {
                raw.warn(workload + " runs as " + accountsText(known) + " in " + firstFile.get(workload) + " but as "
                        + accountsText(fact.emails()) + " in " + fact.file() + "; kept the first. The files come from"
                        + " different times: export them again in one run");
            }
        }
        return runsAs;
    }

    private static String accountsText(List<String> emails) {
        return emails.isEmpty() ? "no service account" : String.join(", ", emails);
    }

    /** Returns a key for a deny policy that is the same whether its project is named by id or by number. */
    private static String policyKey(String canonicalAttachmentPoint, String policyName) {
        return canonicalAttachmentPoint + "/denypolicies/" + policyName.substring(policyName.lastIndexOf('/') + 1);
    }

    private void warnUnmappedNumbers() {
        if (!unmappedNumbers.isEmpty()) {
            raw.warn("The bundle names projects " + names(List.copyOf(unmappedNumbers)) + " by number only, so"
                    + " resources named by their project id are not joined to them. Add the output of `gcloud projects"
                    + " list --format=json`");
        }
    }

    /**
     * Keeps the first of two values of one fact, and warns when both are known and differ.
     *
     * @return {@code known} unless it is null
     */
    private String keep(String subject, String fact, String known, String offered, String knownFile, String offeredFile) {
        if (known == null) {
            return offered;
        }
        if (offered != null && !known.equals(offered)) {
            raw.warn(subject + " has " + fact + " " + known + " in " + knownFile + " but " + offered + " in " + offeredFile
                    + "; kept " + known + ". The files come from different times: export them again in one run");
        }
        return known;
    }

    private static String names(List<String> names) {
        return names(names, MAX_NAMES_IN_WARNING);
    }

    private static String names(List<String> names, int max) {
        if (names.size() <= max) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, max)) + " and " + (names.size() - max) + " more";
    }

    /** The facts gathered so far on one resource, with the file that gave each. */
    private final class ResourceEntry {
        final String name;
        final String sourceFile;
        final Map<String, String> fileOf = new HashMap<>();
        String assetType;
        String parent;
        String projectId;
        String displayName;
        String state;

        ResourceEntry(String name, String sourceFile) {
            this.name = name;
            this.sourceFile = sourceFile;
        }

        /** Returns the value to keep: {@code known}, or {@code offered} where nothing is known yet. */
        String offer(String fact, String known, String offered, ResourceFact from) {
            if (offered == null) {
                return known;
            }
            if (known == null) {
                fileOf.put(fact, from.file());
                return offered;
            }
            // A deduced fact only fills gaps, so only a stated one that disagrees is a conflict.
            if (!from.inferred()) {
                keep(name, fact, known, offered, fileOf.get(fact), from.file());
            }
            return known;
        }

        Resource resource() {
            return new Resource(name, assetType, parent, projectId, displayName, state, sourceFile);
        }
    }
}
