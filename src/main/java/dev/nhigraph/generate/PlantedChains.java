package dev.nhigraph.generate;

import dev.nhigraph.generate.GroundTruth.Chain;
import dev.nhigraph.generate.GroundTruth.Decoy;
import dev.nhigraph.generate.GroundTruth.Hop;
import dev.nhigraph.generate.GroundTruth.StatementRef;
import dev.nhigraph.generate.SyntheticAccount.Group;
import dev.nhigraph.generate.SyntheticAccount.ManagedPolicy;
import dev.nhigraph.generate.SyntheticAccount.Principal;
import dev.nhigraph.generate.SyntheticAccount.Role;
import dev.nhigraph.generate.SyntheticAccount.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plants the CAN_ASSUME ground truth: {@link #CHAIN_LENGTHS chains} from a start principal to an administrator
 * role, and decoys that look like hops but are blocked.
 *
 * <p>Each hop needs both its trust statement and its identity statement. Within one account the trust names the
 * account, which delegates to identity policies, and half of these statements also require aws:PrincipalArn to be
 * the source. Across accounts the trust names the source principal, and AWS requires the source's identity policy
 * as well. The statements are numbered TrustHopN and AssumeHopN over chains and decoys alike.
 */
final class PlantedChains {

    /** The lengths of the planted chains, one chain per entry. */
    static final int[] CHAIN_LENGTHS = {1, 2, 3, 4, 1, 2, 3, 4, 2, 3};

    static final String TRUST_WITHOUT_IDENTITY = "trust-without-identity";
    static final String SCP_DENY = "scp-deny";
    static final String BOUNDARY_WITHOUT_ASSUME = "boundary-without-assume";
    static final String EXPLICIT_DENY = "explicit-deny";

    private static final Map<String, List<String>> NO_CONTEXT = Map.of();

    private final SyntheticOrg org;
    private final SeededRandom random;
    private final PlantedPrincipals planted;
    private final GroundTruth truth;
    private int hops;

    PlantedChains(SyntheticOrg org, SeededRandom random, PlantedPrincipals planted, GroundTruth truth) {
        this.org = org;
        this.random = random;
        this.planted = planted;
        this.truth = truth;
    }

    /** Plants {@link #CHAIN_LENGTHS} once per planted round of the tier. */
    void plantChains() {
        List<SyntheticAccount> accounts = org.exported();
        for (int c = 0; c < CHAIN_LENGTHS.length * org.tier.plantedRounds(); c++) {
            int length = CHAIN_LENGTHS[c % CHAIN_LENGTHS.length];
            List<SyntheticAccount> path = new ArrayList<>();
            path.add(random.pick(accounts));
            for (int i = 1; i <= length; i++) {
                SyntheticAccount previous = path.get(i - 1);
                if (accounts.size() == 1 || random.chance(0.5)) {
                    path.add(previous);
                } else {
                    path.add(random.pick(accounts.stream().filter(a -> a != previous).toList()));
                }
            }
            List<Principal> nodes = new ArrayList<>();
            nodes.add(c % 2 == 0 ? planted.user(path.get(0)) : planted.serviceRole(path.get(0)));
            for (int i = 1; i < length; i++) {
                nodes.add(planted.role(path.get(i), random.chance(0.3) ? "/deploy/" : "/"));
            }
            nodes.add(planted.admin(path.get(length)));

            List<Hop> chainHops = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                Hop hop = plantHop(nodes.get(i), path.get(i), (Role) nodes.get(i + 1), path.get(i + 1));
                chainHops.add(hop);
                truth.addQuery(hop.source(), "sts:AssumeRole", hop.target(), NO_CONTEXT, "ALLOWED", null,
                        "hop " + (i + 1) + " of chain " + chainId(c) + ": " + hop.trust().sid() + " and " + hop.identity().sid());
            }
            truth.chains.add(new Chain(chainId(c), nodes.get(0).arn, nodes.get(length).arn, length, chainHops));
        }
    }

    private static String chainId(int index) {
        return String.format("chain-%02d", index + 1);
    }

    /** Writes the trust statement on the target and the identity statement for the source, and returns the hop. */
    private Hop plantHop(Principal source, SyntheticAccount sourceAccount, Role target, SyntheticAccount targetAccount) {
        int number = ++hops;
        StatementRef trust = addTrust(target, source, sourceAccount == targetAccount, number);
        PolicyStatement identity = PolicyStatement.allow().sid("AssumeHop" + number).actions("sts:AssumeRole")
                .resources(target.arn);
        StatementRef identityRef = addIdentity(source, sourceAccount, identity, number);
        return new Hop(source.arn, target.arn, trust, identityRef);
    }

    /** Adds TrustHopN to the target: the account (with aws:PrincipalArn for even N) in the same account, else the source. */
    private StatementRef addTrust(Role target, Principal source, boolean sameAccount, int number) {
        String sid = "TrustHop" + number;
        PolicyStatement statement = PolicyStatement.allow().sid(sid).actions("sts:AssumeRole");
        if (sameAccount) {
            statement.principal("AWS", rootOf(source));
            if (number % 2 == 0) {
                statement.condition("ArnEquals", "aws:PrincipalArn", source.arn);
            }
        } else {
            statement.principal("AWS", source.arn);
        }
        target.trust.add(statement.build());
        return new StatementRef(target.trustPolicyId(), sid);
    }

    /**
     * Gives the statement to the source through one of three carriers, in turn: an inline policy, a
     * customer-managed policy attached to the source only, or for users an inline policy of a planted group.
     */
    private StatementRef addIdentity(Principal source, SyntheticAccount account, PolicyStatement statement, int number) {
        String sid = "AssumeHop" + number;
        switch (number % 3) {
            case 1 -> {
                ManagedPolicy policy = planted.policy(account, source.name + "-assume", statement);
                source.attach(policy.arn);
                return new StatementRef(policy.arn, sid);
            }
            case 2 -> {
                // In M and L a small account may plan fewer groups than its chains would plant, and its group
                // count must stay exact; S and Q keep their planted groups so that their bytes stay the same.
                boolean groupLeft = !org.tier.streamed() || account.groups.size() < account.plan.groups();
                if (source instanceof User user && groupLeft) {
                    Group group = planted.group(account);
                    user.groupNames.add(group.name);
                    String name = "assume-release-roles";
                    group.inlinePolicy(name).statements.add(statement.build());
                    return new StatementRef(group.inlinePolicyId(name), sid);
                }
                return inline(source, statement, sid);
            }
            default -> {
                return inline(source, statement, sid);
            }
        }
    }

    private static StatementRef inline(Principal source, PolicyStatement statement, String sid) {
        String name = "assume-roles";
        source.inlinePolicy(name).statements.add(statement.build());
        return new StatementRef(source.inlinePolicyId(name), sid);
    }

    private static String rootOf(Principal principal) {
        String account = principal.arn.split(":")[4];
        return "arn:aws:iam::" + account + ":root";
    }

    /**
     * Plants two decoys of each kind, once per planted round of the tier: in the scenario accounts first, then in
     * accounts drawn from the hub, production, development and sandbox accounts. Across accounts the trust names the source, or the source's account for the
     * first decoy. Within one account it names the account, because naming a user or role of the same account
     * grants without identity policies.
     */
    void plantDecoys() {
        Tier.ScenarioAccounts parts = org.tier.scenarioAccounts();
        plantDecoys(org.account(parts.hub()), org.account(parts.workload()), org.account(parts.dev()),
                org.account(parts.sandbox()));
        for (int round = 1; round < org.tier.plantedRounds(); round++) {
            plantDecoys(random.pick(accountsWhere(org::hostsHubRoles)), random.pick(accountsIn("prod")),
                    random.pick(accountsIn("nonprod")), random.pick(accountsIn(org.tier.restrictedOu())));
        }
    }

    private List<SyntheticAccount> accountsIn(String unit) {
        return accountsWhere(account -> unit.equals(account.plan.ou()));
    }

    private List<SyntheticAccount> accountsWhere(java.util.function.Predicate<SyntheticAccount> test) {
        return org.exported().stream().filter(test).toList();
    }

    /**
     * Plants two decoys of each kind between these accounts. The scp-deny sources are in {@code sandbox}, which
     * must lie in the OU that carries DenyAssumeRestrictedRoles.
     */
    private void plantDecoys(SyntheticAccount hub, SyntheticAccount workload, SyntheticAccount dev, SyntheticAccount sandbox) {
        trustWithoutIdentity(planted.user(dev), dev, hub, true);
        trustWithoutIdentity(planted.serviceRole(workload), workload, hub, false);
        scpDeny(planted.user(sandbox), sandbox, hub);
        scpDeny(planted.serviceRole(sandbox), sandbox, hub);
        boundaryWithoutAssume(planted.user(dev), dev, workload);
        boundaryWithoutAssume(planted.serviceRole(dev), dev, dev);
        explicitDeny(planted.serviceRole(workload), workload, hub);
        explicitDeny(planted.user(workload), workload, workload);
    }

    /** Plants a target that trusts the source's account or the source, while the source's only sts:AssumeRole names another role. */
    private void trustWithoutIdentity(Principal source, SyntheticAccount sourceAccount, SyntheticAccount targetAccount,
                                      boolean trustAccount) {
        int number = ++hops;
        Role target = planted.role(targetAccount, "/");
        String sid = "TrustHop" + number;
        boolean named = sourceAccount != targetAccount && !trustAccount;
        target.trust.add(PolicyStatement.allow().sid(sid).principal("AWS", named ? source.arn : rootOf(source))
                .actions("sts:AssumeRole").build());
        String lookAlike = target.arn + "-v2";
        PolicyStatement near = PolicyStatement.allow().sid("AssumeHop" + number).actions("sts:AssumeRole").resources(lookAlike);
        StatementRef nearRef = inline(source, near, "AssumeHop" + number);
        addDecoy(TRUST_WITHOUT_IDENTITY, source, target, new StatementRef(target.trustPolicyId(), sid), nearRef, null,
                "DENIED", "implicit", "the trust policy names " + (named ? "the source" : "account " + sourceAccount.id)
                        + ", but no identity policy of the source allows sts:AssumeRole on the target;"
                        + " its statement names " + lookAlike + " instead");
    }

    /** Plants a trust and identity grant to a target under /restricted/, which the SCP on the source's OU denies. */
    private void scpDeny(Principal source, SyntheticAccount sourceAccount, SyntheticAccount targetAccount) {
        Role target = planted.role(targetAccount, "/restricted/");
        Hop hop = plantLookAlike(source, sourceAccount, target, targetAccount);
        SyntheticOrg.ControlPolicy scp = org.policyNamed("DenyAssumeRestrictedRoles");
        addDecoy(SCP_DENY, source, target, hop.trust(), hop.identity(), new StatementRef(scp.arn(), SyntheticOrg.RESTRICTED_ROLES_SID),
                "DENIED", "explicit", "the SCP " + scp.name() + " on the source's OU denies sts:AssumeRole on roles under /restricted/");
    }

    /** Plants a trust and identity grant to a source whose permissions boundary does not allow sts:AssumeRole. */
    private void boundaryWithoutAssume(Principal source, SyntheticAccount sourceAccount, SyntheticAccount targetAccount) {
        Role target = planted.role(targetAccount, "/");
        Hop hop = plantLookAlike(source, sourceAccount, target, targetAccount);
        ManagedPolicy boundary = planted.boundary(sourceAccount);
        source.boundaryArn = boundary.arn;
        addDecoy(BOUNDARY_WITHOUT_ASSUME, source, target, hop.trust(), hop.identity(), new StatementRef(boundary.arn, null),
                "DENIED", "implicit", "the permissions boundary " + boundary.name + " allows no sts action");
    }

    /** Plants a trust and identity grant together with an inline Deny of the source that names the target. */
    private void explicitDeny(Principal source, SyntheticAccount sourceAccount, SyntheticAccount targetAccount) {
        Role target = planted.role(targetAccount, "/");
        Hop hop = plantLookAlike(source, sourceAccount, target, targetAccount);
        String name = "guardrails";
        String sid = "DenyHop" + hops;
        source.inlinePolicy(name).statements.add(PolicyStatement.deny().sid(sid).actions("sts:AssumeRole")
                .resources(target.arn).build());
        addDecoy(EXPLICIT_DENY, source, target, hop.trust(), hop.identity(), new StatementRef(source.inlinePolicyId(name), sid),
                "DENIED", "explicit", "an inline Deny of the source names the target");
    }

    /** Plants a trust and identity statement as for a hop; the within-account trust always names the account. */
    private Hop plantLookAlike(Principal source, SyntheticAccount sourceAccount, Role target, SyntheticAccount targetAccount) {
        int number = ++hops;
        String sid = "TrustHop" + number;
        boolean sameAccount = sourceAccount == targetAccount;
        target.trust.add(PolicyStatement.allow().sid(sid).principal("AWS", sameAccount ? rootOf(source) : source.arn)
                .actions("sts:AssumeRole").build());
        PolicyStatement identity = PolicyStatement.allow().sid("AssumeHop" + number).actions("sts:AssumeRole").resources(target.arn);
        StatementRef identityRef = inline(source, identity, "AssumeHop" + number);
        return new Hop(source.arn, target.arn, new StatementRef(target.trustPolicyId(), sid), identityRef);
    }

    private void addDecoy(String kind, Principal source, Role target, StatementRef trust, StatementRef identity,
                          StatementRef blockedBy, String decision, String denial, String reason) {
        String id = String.format("decoy-%02d", truth.decoys.size() + 1);
        truth.decoys.add(new Decoy(id, kind, source.arn, target.arn, trust, identity, blockedBy, decision, denial, reason));
        truth.addQuery(source.arn, "sts:AssumeRole", target.arn, NO_CONTEXT, decision, denial, id + " (" + kind + "): " + reason);
    }
}
