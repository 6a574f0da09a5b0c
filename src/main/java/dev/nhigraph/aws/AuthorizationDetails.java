package dev.nhigraph.aws;

import dev.nhigraph.aws.IamModel.Group;
import dev.nhigraph.aws.IamModel.ManagedPolicy;
import dev.nhigraph.aws.IamModel.Role;
import dev.nhigraph.aws.IamModel.SkippedItem;
import dev.nhigraph.aws.IamModel.User;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The merged content of one or more authorization-details files, validated and ready to load.
 *
 * <p>Entities are keyed by ARN, so the pages of a paginated export, or the same file given twice,
 * merge instead of duplicating.
 */
public final class AuthorizationDetails {

    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Role> roles = new LinkedHashMap<>();
    private final Map<String, ManagedPolicy> policies = new LinkedHashMap<>();
    private final List<SkippedItem> skipped = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> files = new ArrayList<>();
    private final Map<String, Set<String>> listedKinds = new TreeMap<>();
    private final Set<String> truncatedAccounts = new TreeSet<>();

    void addFile(String file) {
        files.add(file);
    }

    void add(User user) {
        users.put(user.arn(), user);
    }

    void add(Group group) {
        groups.put(group.arn(), group);
    }

    void add(Role role) {
        roles.put(role.arn(), role);
    }

    void add(ManagedPolicy policy) {
        policies.put(policy.arn(), policy);
    }

    /**
     * Records that a file lists every principal of {@code kinds} (AwsUser, AwsGroup, AwsRole) in {@code account}, as
     * an export of the account does: its UserDetailList, GroupDetailList or RoleDetailList was present.
     */
    void listed(String account, Set<String> kinds, boolean truncated) {
        listedKinds.computeIfAbsent(account, a -> new TreeSet<>()).addAll(kinds);
        if (truncated) {
            truncatedAccounts.add(account);
        }
    }

    /**
     * Returns, per account, the principal kinds whose every member these files list, so that a stored principal of
     * that kind and account which they do not name was deleted since an earlier export. An account with a page that
     * has IsTruncated=true is left out, because the other pages may be missing.
     */
    public Map<String, Set<String>> completeKinds() {
        Map<String, Set<String>> complete = new TreeMap<>(listedKinds);
        truncatedAccounts.forEach(complete::remove);
        return complete;
    }

    /** Returns the accounts with an export page that has IsTruncated=true. */
    public Set<String> truncatedAccounts() {
        return truncatedAccounts;
    }

    void skip(SkippedItem item) {
        skipped.add(item);
    }

    void warn(String warning) {
        warnings.add(warning);
    }

    public Collection<User> users() {
        return users.values();
    }

    public Collection<Group> groups() {
        return groups.values();
    }

    public Collection<Role> roles() {
        return roles.values();
    }

    public Collection<ManagedPolicy> policies() {
        return policies.values();
    }

    public List<SkippedItem> skipped() {
        return skipped;
    }

    public List<String> warnings() {
        return warnings;
    }

    public List<String> files() {
        return files;
    }

    /** Returns the accounts that own at least one loaded principal or customer-managed policy. */
    public TreeSet<String> accounts() {
        TreeSet<String> accounts = new TreeSet<>();
        users.values().forEach(u -> accounts.add(u.account()));
        groups.values().forEach(g -> accounts.add(g.account()));
        roles.values().forEach(r -> accounts.add(r.account()));
        policies.values().stream().filter(p -> !p.awsManaged()).forEach(p -> accounts.add(p.account()));
        return accounts;
    }

    public int inlinePolicyCount() {
        return users.values().stream().mapToInt(u -> u.inlinePolicies().size()).sum()
                + groups.values().stream().mapToInt(g -> g.inlinePolicies().size()).sum()
                + roles.values().stream().mapToInt(r -> r.inlinePolicies().size()).sum();
    }

    public int principalCount() {
        return users.size() + groups.size() + roles.size();
    }

    /** Returns the group ARN for a user's group name, looked up among the loaded groups of the same account. */
    public String groupArn(String account, String partition, String groupName) {
        for (Group group : groups.values()) {
            if (group.account().equals(account) && group.name().equals(groupName)) {
                return group.arn();
            }
        }
        // NOTE: a group outside the export is assumed to have the path "/"; its real ARN may differ.
        return "arn:" + partition + ":iam::" + account + ":group/" + groupName;
    }
}
