package dev.nhigraph.generate;

import dev.nhigraph.generate.SyntheticAccount.Group;
import dev.nhigraph.generate.SyntheticAccount.ManagedPolicy;
import dev.nhigraph.generate.SyntheticAccount.Principal;
import dev.nhigraph.generate.SyntheticAccount.User;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fills every exported account up to the sizes of its plan, around the planted principals: resources,
 * customer-managed policies, groups, users and roles, then the trusts that name principals of other accounts, then
 * the principals that may assume any role.
 *
 * <p>Planted principals never receive random policies, group memberships or trust, and random trusts and resource
 * policies never name them, so the ground truth stays exact.
 */
final class AccountPopulator {

    /** Share of all users and roles that get an explicit Allow on "*" of sts:AssumeRole (M and L: or iam:PassRole). */
    static final double ASSUME_ANY_SHARE = 0.03;
    /** Share of ordinary users and roles that get a permissions boundary. */
    static final double BOUNDARY_SHARE = 0.10;

    private final SyntheticOrg org;
    private final SeededRandom random;
    private final AwsIdentifiers ids;
    private final Map<String, AccountFill> fills = new LinkedHashMap<>();

    AccountPopulator(SyntheticOrg org, SeededRandom random, AwsIdentifiers ids) {
        this.org = org;
        this.random = random;
        this.ids = ids;
    }

    void populate() {
        List<SyntheticAccount> exported = org.exported();
        for (SyntheticAccount account : exported) {
            SeededRandom accountRandom = random.fork("account-" + account.key());
            account.inventory.populate(account.plan.inventory() - account.inventory.size(), accountRandom, ids);
            List<SyntheticAccount> others = exported.stream().filter(a -> a != account).toList();
            fills.put(account.key(), new AccountFill(account, accountRandom, others));
        }
        for (AccountFill fill : fills.values()) {
            addPolicies(fill);
            addGroups(fill);
            addUsers(fill);
        }
        RolePopulator roles = RolePopulator.withAllRoles(org, ids, fills);
        for (AccountFill fill : fills.values()) {
            roles.addRoles(fill);
        }
        for (AccountFill fill : fills.values()) {
            roles.addTrustInPrincipals(fill);
        }
        for (AccountFill fill : fills.values()) {
            addBoundaries(fill);
        }
        addAssumeAny();
    }

    /**
     * Starts the fill of one account of a tier written account by account: adds the rest of its resources and
     * returns its fill state. The policies of the account may name resources of {@code others}.
     */
    AccountFill startAccount(SyntheticAccount account, List<SyntheticAccount> others) {
        SeededRandom accountRandom = random.fork("account-" + account.key());
        account.inventory.populate(account.plan.inventory() - account.inventory.size(), accountRandom, ids);
        return new AccountFill(account, accountRandom, others);
    }

    /** Fills one account completely, in the order in which {@link #populate} fills all accounts of S and Q. */
    void populateAccount(AccountFill fill, RolePopulator roles) {
        addPolicies(fill);
        addGroups(fill);
        addUsers(fill);
        roles.addRoles(fill);
        roles.addTrustInPrincipals(fill);
        addBoundaries(fill);
        addAnyRoleGrants(fill);
    }

    /** Returns the state of each account's fill, for the resource policies written after it. */
    Map<String, AccountFill> fills() {
        return fills;
    }

    private void addPolicies(AccountFill fill) {
        SyntheticAccount account = fill.account;
        SeededRandom accountRandom = fill.random;
        int remaining = account.plan.customerPolicies() - account.policies.size();
        int boundaries = Math.max(2, (int) Math.round(remaining * 0.02));
        int admins = Math.max(1, (int) Math.round(remaining * 0.01));

        List<ManagedPolicy> ordinary = new ArrayList<>();
        for (int i = 0; i < remaining - boundaries - admins; i++) {
            ManagedPolicy policy = account.addPolicy(policyName(accountRandom), accountRandom.chance(0.1) ? "/app/" : "/",
                    fill.policies.document(), ids);
            if (accountRandom.chance(0.2)) {
                int older = accountRandom.between(1, 2);
                for (int v = 0; v < older; v++) {
                    policy.olderVersions.add(fill.policies.document());
                }
            }
            ordinary.add(policy);
        }

        for (int i = 0; i < boundaries; i++) {
            ManagedPolicy policy = account.addPolicy(accountRandom.pick(Vocabulary.TEAMS) + "-permissions-boundary", "/boundaries/",
                    fill.policies.boundaryDocument(i % 2 == 0), ids);
            policy.boundary = true;
            fill.boundaries.add(policy);
        }

        accountRandom.shuffle(ordinary);
        List<ManagedPolicy> admin = new ArrayList<>();
        for (int i = 0; i < admins; i++) {
            ManagedPolicy policy = account.addPolicy(accountRandom.pick(Vocabulary.TEAMS) + "-full-access", "/",
                    IdentityPolicies.adminDocument(), ids);
            policy.grantsAssumeAny = true;
            admin.add(policy);
        }

        int principals = account.plan.roles() + account.plan.users() + account.plan.groups()
                - account.roles.size() - account.users.size() - account.groups.size();
        fill.rankPolicies(ordinary, admin, principals);
    }

    private static String policyName(SeededRandom random) {
        String team = random.pick(Vocabulary.TEAMS);
        String component = random.pick(Vocabulary.COMPONENTS);
        return switch (random.nextInt(3)) {
            case 0 -> team + "-" + component + "-" + random.pick(List.of(ResourceInventory.Kind.values())).service + "-access";
            case 1 -> team + "-" + component + "-policy";
            default -> component + "-" + random.pick(Vocabulary.PURPOSES) + "-rw";
        };
    }

    private void addGroups(AccountFill fill) {
        SyntheticAccount account = fill.account;
        SeededRandom accountRandom = fill.random;
        int remaining = account.plan.groups() - account.groups.size();
        for (int i = 0; i < remaining; i++) {
            Group group;
            if (i == 0) {
                group = account.addGroup("admins", ids);
                group.attach(AwsManagedPolicies.ADMINISTRATOR_ACCESS.arn());
            } else {
                String team = accountRandom.pick(Vocabulary.TEAMS);
                group = account.addGroup(switch (accountRandom.nextInt(4)) {
                    case 0 -> team + "-developers";
                    case 1 -> team + "-readonly";
                    case 2 -> team + "-oncall";
                    default -> "ci-" + team;
                }, ids);
                fill.attachPolicies(group, 1 + accountRandom.weighted(40, 30, 20, 10));
                switch (accountRandom.weighted(70, 15, 10, 5)) {
                    case 1 -> group.attach(AwsManagedPolicies.READ_ONLY_ACCESS.arn());
                    case 2 -> group.attach(AwsManagedPolicies.S3_READ_ONLY.arn());
                    case 3 -> group.attach(AwsManagedPolicies.POWER_USER_ACCESS.arn());
                    default -> {
                    }
                }
            }
            if (accountRandom.chance(0.2)) {
                fill.addInlinePolicies(group);
            }
        }
    }

    private void addUsers(AccountFill fill) {
        SyntheticAccount account = fill.account;
        SeededRandom accountRandom = fill.random;
        List<Group> groups = account.groups.stream().filter(g -> !g.planted).toList();
        int remaining = account.plan.users() - account.users.size();
        for (int i = 0; i < remaining; i++) {
            String team = accountRandom.pick(Vocabulary.TEAMS);
            boolean human = accountRandom.chance(0.1);
            User user;
            if (human) {
                user = account.addUser(accountRandom.pick(Vocabulary.GIVEN_NAMES) + "." + accountRandom.pick(Vocabulary.FAMILY_NAMES), "/", ids);
                user.human = true;
            } else {
                String component = accountRandom.pick(Vocabulary.COMPONENTS);
                String name = switch (accountRandom.nextInt(5)) {
                    case 0 -> "svc-" + team + "-" + component;
                    case 1 -> "ci-" + team;
                    case 2 -> team + "-" + component + "-bot";
                    case 3 -> "terraform-" + accountRandom.pick(Vocabulary.ENVIRONMENTS);
                    default -> "jenkins-" + team;
                };
                user = account.addUser(name, accountRandom.chance(0.3) ? "/service-accounts/" : "/", ids);
            }
            if (accountRandom.chance(0.6)) {
                fill.addTags(user, team);
            }
            int memberships = human ? accountRandom.between(1, 2) : accountRandom.weighted(50, 30, 20);
            for (Group group : accountRandom.sample(groups, memberships)) {
                user.groupNames.add(group.name);
            }
            fill.attachPolicies(user, accountRandom.weighted(30, 35, 20, 8, 4, 2, 1));
            switch (accountRandom.weighted(89, 5, 5, 1)) {
                case 1 -> user.attach(AwsManagedPolicies.READ_ONLY_ACCESS.arn());
                case 2 -> user.attach(AwsManagedPolicies.S3_READ_ONLY.arn());
                case 3 -> user.attach(AwsManagedPolicies.ADMINISTRATOR_ACCESS.arn());
                default -> {
                }
            }
            if (accountRandom.chance(0.25)) {
                fill.addInlinePolicies(user);
            }
            fill.namable.add(user);
        }
    }

    /** Gives {@link #BOUNDARY_SHARE} of the namable users and roles one of the account's boundary policies. */
    private void addBoundaries(AccountFill fill) {
        int count = (int) Math.round(fill.namable.size() * BOUNDARY_SHARE);
        for (Principal principal : fill.random.sample(fill.namable, count)) {
            principal.boundaryArn = fill.random.pick(fill.boundaries).arn;
        }
    }

    /**
     * Gives {@link AccountFill#anyRoleGrants} users and roles of one account an inline Allow on "*" of
     * sts:AssumeRole, iam:PassRole or both. In an account with a dense core each of them gets sts:AssumeRole, and
     * none of them has a permissions boundary, because half of the boundaries leave sts:AssumeRole out.
     */
    private void addAnyRoleGrants(AccountFill fill) {
        SeededRandom grantRandom = fill.random.fork("any-role-grants");
        boolean core = fill.denseCoreRoles > 0;
        List<Principal> candidates = core ? fill.namable.stream().filter(p -> p.boundaryArn == null).toList() : fill.namable;
        if (candidates.size() < fill.anyRoleGrants) {
            throw new IllegalStateException("account " + fill.account.key() + " has " + candidates.size()
                    + " users and roles to give sts:AssumeRole or iam:PassRole on \"*\", fewer than " + fill.anyRoleGrants);
        }
        for (Principal principal : grantRandom.sample(candidates, fill.anyRoleGrants)) {
            // 0: sts:AssumeRole, 1: iam:PassRole, 2: both.
            int grant = core ? grantRandom.weighted(75, 0, 25) : grantRandom.weighted(70, 15, 15);
            if (grant != 1) {
                String name = grantRandom.pick(List.of("assume-any-role", "cross-account-access", "sts-assume"));
                PolicyStatement statement = PolicyStatement.allow().actions("sts:AssumeRole").resources("*");
                if (grantRandom.chance(0.3)) {
                    statement.actions("sts:AssumeRole", "sts:TagSession");
                }
                principal.inlinePolicy(name).statements.add(statement.build());
                fill.assumeAnyHolders.add(principal);
            }
            if (grant != 0) {
                principal.inlinePolicy("pass-any-role").statements.add(PolicyStatement.allow().sid("PassAnyRole")
                        .actions("iam:PassRole").resources("*").build());
            }
        }
    }

    /** Gives exactly {@link #ASSUME_ANY_SHARE} of all users and roles an inline Allow of sts:AssumeRole on "*". */
    private void addAssumeAny() {
        int principals = org.exported().stream().mapToInt(a -> a.users.size() + a.roles.size()).sum();
        List<Principal> candidates = new ArrayList<>();
        fills.values().forEach(fill -> candidates.addAll(fill.namable));
        SeededRandom assumeRandom = random.fork("assume-any");
        for (Principal principal : assumeRandom.sample(candidates, (int) Math.round(principals * ASSUME_ANY_SHARE))) {
            String name = assumeRandom.pick(List.of("assume-any-role", "cross-account-access", "sts-assume"));
            PolicyStatement statement = PolicyStatement.allow().actions("sts:AssumeRole").resources("*");
            if (assumeRandom.chance(0.3)) {
                statement.actions("sts:AssumeRole", "sts:TagSession");
            }
            principal.inlinePolicy(name).statements.add(statement.build());
        }
    }
}
