package dev.nhigraph.generate;

import dev.nhigraph.generate.SyntheticAccount.Principal;
import dev.nhigraph.generate.SyntheticAccount.Role;
import dev.nhigraph.generate.TrustPolicies.HubRole;
import dev.nhigraph.generate.TrustPolicies.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Creates the random roles of each account with their trust policies, identity policies and instance profiles.
 *
 * <p>Every account gets two service-linked roles; member accounts get OrganizationAccountAccessRole, trusted by
 * the management account as AWS Organizations creates it. The {@link TrustPolicies#HUB_ROLES} go to the security
 * account in S and are split over the security, tooling and CI accounts in M and L. In M and L an account also
 * gets the roles it published to other accounts and the roles of its dense core, if it has one. The other roles are dealt their kind of trust from a shuffled deck with the exact shares of {@link Kind}, at most
 * {@link #MAX_IDENTITY_CENTER_ROLES} of them for Identity Center.
 */
final class RolePopulator {

    static final int MAX_IDENTITY_CENTER_ROLES = Vocabulary.PERMISSION_SETS.size();

    private final SyntheticOrg org;
    private final AwsIdentifiers ids;
    /** Returns the ARNs of the roles of other accounts that the cross-account roles of a hub account may trust. */
    private final Function<SyntheticAccount, List<String>> rolesOutside;

    RolePopulator(SyntheticOrg org, AwsIdentifiers ids, Function<SyntheticAccount, List<String>> rolesOutside) {
        this.org = org;
        this.ids = ids;
        this.rolesOutside = rolesOutside;
    }

    /** Returns a populator for S and Q, whose hub trusts may name every namable role of the other accounts. */
    static RolePopulator withAllRoles(SyntheticOrg org, AwsIdentifiers ids, Map<String, AccountFill> fills) {
        return new RolePopulator(org, ids, account -> {
            List<String> others = new ArrayList<>();
            fills.values().stream().filter(f -> f.account != account)
                    .forEach(f -> f.namable.stream().filter(p -> p instanceof Role).forEach(p -> others.add(p.arn)));
            return others;
        });
    }

    void addRoles(AccountFill fill) {
        SyntheticAccount account = fill.account;
        int before = account.roles.size();
        addServiceLinkedRoles(account);
        if (!account.id.equals(org.managementAccountId)) {
            Role access = account.addRole("OrganizationAccountAccessRole", "/", ids);
            access.trustKind = Kind.ORGANIZATION_ACCESS;
            access.trust.add(TrustPolicies.principalStatement(List.of("arn:aws:iam::" + org.managementAccountId + ":root")));
            access.attach(AwsManagedPolicies.ADMINISTRATOR_ACCESS.arn());
        }
        if (org.hostsHubRoles(account)) {
            addHubRoles(fill);
        }
        for (CrossAccountDirectory.PublishedRole published : fill.publishedRoles) {
            addPublishedRole(fill, published);
        }
        for (int i = 0; i < fill.denseCoreRoles; i++) {
            addDenseCoreRole(fill);
        }
        int remaining = account.plan.roles() - (account.roles.size() - before) - countPlanted(account);
        for (Kind kind : deck(remaining, fill.random)) {
            addRole(fill, kind);
        }
    }

    /** Writes the trusts that name other principals, once every account has its principals. */
    void addTrustInPrincipals(AccountFill fill) {
        for (Role role : fill.account.roles) {
            if (role.trustKind == Kind.SAME_ACCOUNT_PRINCIPAL) {
                List<Principal> others = fill.namable.stream().filter(p -> p != role).toList();
                if (others.isEmpty()) {
                    role.trust.add(PolicyStatement.allow().principal("AWS", fill.account.rootArn()).actions("sts:AssumeRole").build());
                    continue;
                }
                List<String> named = fill.random.sample(others, fill.random.chance(0.7) ? 1 : 2).stream().map(p -> p.arn).toList();
                role.trust.add(TrustPolicies.principalStatement(named));
            } else if (role.trustKind == Kind.CROSS_ACCOUNT && org.hostsHubRoles(fill.account)) {
                List<String> others = rolesOutside.apply(fill.account);
                role.trust.add(TrustPolicies.principalStatement(List.of(fill.random.pick(others))));
            }
        }
    }

    private static int countPlanted(SyntheticAccount account) {
        return (int) account.roles.stream().filter(r -> r.planted).count();
    }

    private void addServiceLinkedRoles(SyntheticAccount account) {
        Role support = account.addRole("AWSServiceRoleForSupport", "/aws-service-role/support.amazonaws.com/", ids);
        support.trustKind = Kind.SERVICE_LINKED;
        support.trust.add(TrustPolicies.serviceStatement("support.amazonaws.com"));
        support.attach(AwsManagedPolicies.SUPPORT_SERVICE_ROLE.arn());
        Role advisor = account.addRole("AWSServiceRoleForTrustedAdvisor", "/aws-service-role/trustedadvisor.amazonaws.com/", ids);
        advisor.trustKind = Kind.SERVICE_LINKED;
        advisor.trust.add(TrustPolicies.serviceStatement("trustedadvisor.amazonaws.com"));
        advisor.attach(AwsManagedPolicies.TRUSTED_ADVISOR_SERVICE_ROLE.arn());
    }

    /** Adds the hub roles that the account hosts: each may assume its spoke roles in every account. */
    private void addHubRoles(AccountFill fill) {
        for (HubRole hub : TrustPolicies.HUB_ROLES) {
            if (!org.hostsHubRole(fill.account, hub)) {
                continue;
            }
            Role role = fill.account.addRole(hub.name(), "/", ids);
            role.trustKind = Kind.HUB;
            role.trust.add(TrustPolicies.serviceStatement("ecs-tasks.amazonaws.com"));
            role.inlinePolicy("assume-spokes").statements.add(PolicyStatement.allow().sid("AssumeSpokeRoles")
                    .actions("sts:AssumeRole").resources("arn:aws:iam::*:role/" + hub.spokePrefix() + "*").build());
            role.attach(AwsManagedPolicies.SECURITY_AUDIT.arn());
            fill.addTags(role, "security");
        }
    }

    /** Returns {@code count} kinds with the exact shares of {@link Kind}, in random order. */
    private static List<Kind> deck(int count, SeededRandom random) {
        List<Kind> shared = List.of(Kind.SERVICE, Kind.SAME_ACCOUNT_ROOT, Kind.SAME_ACCOUNT_PRINCIPAL, Kind.CROSS_ACCOUNT,
                Kind.GITHUB_OIDC, Kind.THIRD_PARTY, Kind.IDENTITY_CENTER);
        double[] weights = shared.stream().mapToDouble(k -> k.share).toArray();
        int[] counts = Tier.apportion(count, weights);
        int identityCenter = shared.indexOf(Kind.IDENTITY_CENTER);
        if (counts[identityCenter] > MAX_IDENTITY_CENTER_ROLES) {
            counts[0] += counts[identityCenter] - MAX_IDENTITY_CENTER_ROLES;
            counts[identityCenter] = MAX_IDENTITY_CENTER_ROLES;
        }
        List<Kind> deck = new ArrayList<>();
        for (int i = 0; i < shared.size(); i++) {
            for (int n = 0; n < counts[i]; n++) {
                deck.add(shared.get(i));
            }
        }
        random.shuffle(deck);
        return deck;
    }

    private void addRole(AccountFill fill, Kind kind) {
        SyntheticAccount account = fill.account;
        SeededRandom random = fill.random;
        TrustPolicies trusts = new TrustPolicies(random);
        String team = random.pick(Vocabulary.TEAMS);
        String component = random.pick(Vocabulary.COMPONENTS);
        Role role;
        switch (kind) {
            case SERVICE -> {
                TrustPolicies.TrustedService service = trusts.service();
                role = account.addRole(team + "-" + component + "-" + service.roleSuffix(),
                        random.chance(0.3) ? "/service-role/" : "/", ids);
                role.trust.add(TrustPolicies.serviceStatement(service.principal()));
                attachServiceDefaults(role, service, random);
            }
            case SAME_ACCOUNT_ROOT -> {
                role = account.addRole(team + "-" + component + (random.chance(0.5) ? "-access" : "-operator"), "/", ids);
                role.trust.add(trusts.sameAccountRoot(account));
            }
            case SAME_ACCOUNT_PRINCIPAL -> role = account.addRole(team + "-" + component + "-delegate", "/", ids);
            case CROSS_ACCOUNT -> role = addCrossAccountRole(fill, trusts, team, component);
            case GITHUB_OIDC -> {
                String repository = random.pick(Vocabulary.REPOSITORIES);
                role = account.addRole("gha-" + repository + "-" + random.pick(List.of("deploy", "plan", "publish")), "/", ids);
                role.trust.add(trusts.githubOidc(account, repository));
            }
            case THIRD_PARTY -> {
                String vendor = random.pick(Vocabulary.VENDORS);
                role = account.addRole(vendor + "-integration", "/", ids);
                role.trust.add(trusts.thirdParty(org.vendorAccounts.get(vendor), random.chance(0.6)));
            }
            case IDENTITY_CENTER -> role = addIdentityCenterRole(fill);
            default -> throw new IllegalArgumentException("no random roles of kind " + kind);
        }
        finishRole(fill, role, kind, team);
    }

    /**
     * Adds a role whose name other accounts already use: an ECS task role, with the policies of any service
     * role.
     */
    private void addPublishedRole(AccountFill fill, CrossAccountDirectory.PublishedRole published) {
        Role role = fill.account.addRole(published.name(), "/", ids);
        if (!role.arn.equals(published.arn())) {
            throw new IllegalStateException("published role " + published.arn() + " was created as " + role.arn
                    + " because the name was in use");
        }
        TrustPolicies.TrustedService tasks = TrustPolicies.SERVICES.stream()
                .filter(service -> service.principal().equals("ecs-tasks.amazonaws.com")).findFirst().orElseThrow();
        role.trust.add(TrustPolicies.serviceStatement(tasks.principal()));
        attachServiceDefaults(role, tasks, fill.random);
        finishRole(fill, role, Kind.SERVICE, published.team());
    }

    /** Adds a role of the account's dense core: its trust names the account without a condition. */
    private void addDenseCoreRole(AccountFill fill) {
        SyntheticAccount account = fill.account;
        String team = fill.random.pick(Vocabulary.TEAMS);
        String component = fill.random.pick(Vocabulary.COMPONENTS);
        Role role = account.addRole(team + "-" + component + "-access", "/", ids);
        role.trust.add(PolicyStatement.allow().principal("AWS", account.rootArn()).actions("sts:AssumeRole").build());
        finishRole(fill, role, Kind.DENSE_CORE, team);
        fill.denseCore.add(role);
    }

    /** Gives a new role its tags, last use and, outside Identity Center, its policies, and makes it namable. */
    private void finishRole(AccountFill fill, Role role, Kind kind, String team) {
        SeededRandom random = fill.random;
        role.trustKind = kind;
        if (random.chance(0.6)) {
            fill.addTags(role, team);
        }
        if (random.chance(0.7)) {
            role.lastUsedDate = ids.lastUsedDate();
            role.lastUsedRegion = random.chance(0.8) ? "us-east-1" : "eu-west-1";
        }
        if (kind != Kind.IDENTITY_CENTER) {
            fill.attachPolicies(role, random.weighted(10, 45, 25, 12, 4, 2, 2));
            if (random.chance(0.4)) {
                fill.addInlinePolicies(role);
            }
            fill.namable.add(role);
        }
    }

    private void attachServiceDefaults(Role role, TrustPolicies.TrustedService service, SeededRandom random) {
        switch (service.principal()) {
            case "lambda.amazonaws.com" -> {
                if (random.chance(0.7)) {
                    role.attach(AwsManagedPolicies.LAMBDA_BASIC_EXECUTION.arn());
                }
            }
            case "ec2.amazonaws.com" -> {
                role.instanceProfileId = ids.uniqueId("AIPA");
                role.instanceProfileCreateDate = role.createDate;
                if (random.chance(0.7)) {
                    role.attach(AwsManagedPolicies.SSM_MANAGED_INSTANCE_CORE.arn());
                }
            }
            case "ecs-tasks.amazonaws.com" -> {
                if (random.chance(0.3)) {
                    role.attach(AwsManagedPolicies.ECR_READ_ONLY.arn());
                }
            }
            default -> {
            }
        }
    }

    /**
     * Adds a role that another account uses. In S it is a spoke of a hub role of the security account, or, in the
     * hub itself, a role that a workload role may assume. In Q it is a spoke of a hub account outside the bundle.
     */
    private Role addCrossAccountRole(AccountFill fill, TrustPolicies trusts, String team, String component) {
        SyntheticAccount account = fill.account;
        if (org.hostsHubRoles(account)) {
            return account.addRole(team + "-cross-account-" + component, "/", ids);
        }
        HubRole hub = fill.random.pick(TrustPolicies.HUB_ROLES);
        Role role = account.addRole(hub.spokePrefix() + "-" + team, "/", ids);
        role.trust.add(trusts.hub(org.hubAccountId(hub), hub.name()));
        if (hub.name().equals("security-audit") || hub.name().equals("inventory-collector")) {
            role.attach(AwsManagedPolicies.SECURITY_AUDIT.arn());
        } else if (hub.name().equals("incident-response")) {
            role.attach(AwsManagedPolicies.READ_ONLY_ACCESS.arn());
        }
        return role;
    }

    /** Adds an AWSReservedSSO_ role for the next permission set that the account does not have yet. */
    private Role addIdentityCenterRole(AccountFill fill) {
        SyntheticAccount account = fill.account;
        long existing = account.roles.stream().filter(r -> r.trustKind == Kind.IDENTITY_CENTER).count();
        String permissionSet = Vocabulary.PERMISSION_SETS.get((int) existing);
        Role role = account.addRole("AWSReservedSSO_" + permissionSet + "_" + fill.random.hex(16),
                "/aws-reserved/sso.amazonaws.com/", ids);
        role.trust.add(TrustPolicies.identityCenter(account.iamArn("saml-provider/AWSSSO_"
                + account.id.substring(0, 8) + "_DO_NOT_DELETE")));
        switch (permissionSet) {
            case "AdministratorAccess" -> role.attach(AwsManagedPolicies.ADMINISTRATOR_ACCESS.arn());
            case "PowerUserAccess" -> role.attach(AwsManagedPolicies.POWER_USER_ACCESS.arn());
            case "ReadOnlyAccess" -> role.attach(AwsManagedPolicies.READ_ONLY_ACCESS.arn());
            case "SecurityAudit" -> role.attach(AwsManagedPolicies.SECURITY_AUDIT.arn());
            default -> fill.addInlinePolicies(role);
        }
        return role;
    }
}
