package dev.nhigraph.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.generate.SyntheticAccount.ManagedPolicy;
import dev.nhigraph.generate.SyntheticAccount.Principal;
import java.util.ArrayList;
import java.util.List;

/**
 * The random state of one account while it is filled: its random stream, its policy factory, and how its
 * customer-managed policies get attached.
 *
 * <p>Attachment follows the way accounts grow: a quarter of the policies are shared and drawn by a Zipf law, so a
 * few of them carry most attachments, and the rest are written for one principal each, as infrastructure-as-code
 * modules do, so that few policies stay unattached.
 */
final class AccountFill {

    /** Zipf exponent of the popularity of the shared policies. */
    static final double POPULARITY_EXPONENT = 1.5;
    /** Share of the ordinary policies that are shared; the others are attached to one principal each. */
    static final double SHARED_SHARE = 0.25;

    final SyntheticAccount account;
    final SeededRandom random;
    final IdentityPolicies policies;
    /** Shared policies, most popular first; admin policies come last, so they stay rare. */
    final List<ManagedPolicy> shared = new ArrayList<>();
    /** Policies written for one principal each, handed out in order. */
    final List<ManagedPolicy> dedicated = new ArrayList<>();
    final List<ManagedPolicy> boundaries = new ArrayList<>();
    /** Users and roles created by the random fill that ordinary trusts and resource policies may name. */
    final List<Principal> namable = new ArrayList<>();
    /** In M and L: the roles this account publishes, which other accounts' policies name before it is filled. */
    List<CrossAccountDirectory.PublishedRole> publishedRoles = List.of();
    /** In M and L: how many roles of a dense core to add, or 0 in an account without one. */
    int denseCoreRoles;
    /** In M and L: how many users and roles get an Allow of sts:AssumeRole or iam:PassRole on "*". */
    int anyRoleGrants;
    /** The roles of the dense core, once added. */
    final List<SyntheticAccount.Role> denseCore = new ArrayList<>();
    /** The users and roles that got an Allow of sts:AssumeRole on "*" from {@link #anyRoleGrants}. */
    final List<Principal> assumeAnyHolders = new ArrayList<>();
    private SeededRandom.Zipf popularity;
    private double dedicatedChance;
    private int nextDedicated;

    AccountFill(SyntheticAccount account, SeededRandom random, List<SyntheticAccount> otherAccounts) {
        this.account = account;
        this.random = random;
        this.policies = new IdentityPolicies(random, account, otherAccounts);
    }

    /**
     * Splits the policies into shared and dedicated ones and fixes the popularity order. {@code principals} is the
     * number of users, groups and roles still to create; about four in five of them get customer-managed policies,
     * so a chance of 1.1 times dedicated over principals hands out about 90 % of the dedicated policies.
     */
    void rankPolicies(List<ManagedPolicy> ordinary, List<ManagedPolicy> admins, int principals) {
        int sharedCount = Math.min(ordinary.size(), Math.max(10, (int) Math.round(ordinary.size() * SHARED_SHARE)));
        shared.addAll(ordinary.subList(0, sharedCount));
        shared.addAll(admins);
        dedicated.addAll(ordinary.subList(sharedCount, ordinary.size()));
        popularity = new SeededRandom.Zipf(shared.size(), POPULARITY_EXPONENT);
        dedicatedChance = principals == 0 ? 0 : Math.min(1.0, 1.1 * dedicated.size() / principals);
    }

    /** Attaches {@code count} distinct customer-managed policies: now and then a dedicated one, the rest shared. */
    void attachPolicies(Principal principal, int count) {
        int limit = Math.min(count, shared.size());
        if (limit > 0 && nextDedicated < dedicated.size() && random.chance(dedicatedChance)) {
            principal.attach(dedicated.get(nextDedicated++).arn);
        }
        for (int tries = 0; principal.attached.size() < limit && tries < limit * 20; tries++) {
            principal.attach(shared.get(popularity.sample(random)).arn);
        }
    }

    /** Adds one or two inline policies with random statements. */
    void addInlinePolicies(Principal principal) {
        int count = random.chance(0.75) ? 1 : 2;
        for (int i = 0; i < count; i++) {
            String name = switch (random.nextInt(3)) {
                case 0 -> random.pick(Vocabulary.COMPONENTS) + "-inline";
                case 1 -> random.pick(Vocabulary.TEAMS) + "-access";
                default -> "allow-" + random.pick(Vocabulary.PURPOSES);
            };
            if (principal.inline.stream().anyMatch(p -> p.name.equals(name))) {
                continue;
            }
            for (JsonNode statement : policies.document().get("Statement")) {
                principal.inlinePolicy(name).statements.add((ObjectNode) statement);
            }
        }
    }

    /** Adds a team tag, and an environment tag to some. */
    void addTags(Principal principal, String team) {
        principal.tags.put("team", team);
        if (random.chance(0.5)) {
            principal.tags.put("env", random.pick(Vocabulary.ENVIRONMENTS));
        }
    }
}
