package dev.nhigraph.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * The sizes of a synthetic organisation. Every count here is exact for every seed; the seed changes only the
 * content (names, policies, trusts, which principals get what).
 *
 * <p>Counts include the planted ground-truth principals and policies. The management account of Q is listed by
 * AWS Organizations but has no IAM export, so Q loads as one account.
 */
public enum Tier {

    /** Five accounts in an organisation with a security hub: 750 roles, 100 users, 400 customer-managed policies. */
    S(750, 100, 25, 400, 2_000, new ResourcePolicyCounts(80, 50, 40, 30),
            List.of(new OuPlan("security", "Security", null), new OuPlan("workloads", "Workloads", null),
                    new OuPlan("prod", "Prod", "workloads"), new OuPlan("nonprod", "NonProd", "workloads"),
                    new OuPlan("sandbox", "Sandbox", null)),
            // Ranked from the largest account down; sizes follow a Zipf law with exponent 1 over this order.
            List.of(new AccountSlot("prod", "workload-prod", "prod", true),
                    new AccountSlot("dev", "workload-dev", "nonprod", true),
                    new AccountSlot("security", "security-tooling", "security", true),
                    new AccountSlot("sandbox", "sandbox", "sandbox", true),
                    new AccountSlot("management", "management", null, true)),
            "sandbox",
            new ScenarioAccounts("security", "prod", "dev", "sandbox", "management")),

    /** One account at the IAM quotas: 5,000 roles, 5,000 users, 5,000 customer-managed policies, 300 groups. */
    Q(5_000, 5_000, 300, 5_000, 2_000, new ResourcePolicyCounts(80, 50, 40, 30),
            List.of(new OuPlan("workloads", "Workloads", null)),
            List.of(new AccountSlot("workload", "workload-quota", "workloads", true),
                    new AccountSlot("management", "management", null, false)),
            "workloads",
            new ScenarioAccounts("workload", "workload", "workload", "workload", null)),

    /**
     * A mid-sized enterprise: 50 accounts, 20,000 roles, 2,000 users, 12,500 customer-managed policies, with one
     * dense core of 200 principals that may assume 1,000 roles of their account.
     */
    M(20_000, 2_000, 250, 12_500, 100_000, new ResourcePolicyCounts(4_000, 2_500, 2_000, 1_500),
            LargeTierLayout.UNITS, LargeTierLayout.slots(20, 16, 8), "sandbox", LargeTierLayout.SCENARIO_ACCOUNTS),

    /** A large organisation: 500 accounts, 250,000 roles, 15,000 users, 125,000 customer-managed policies. */
    L(250_000, 15_000, 1_500, 125_000, 1_000_000, new ResourcePolicyCounts(20_000, 12_500, 10_000, 7_500),
            LargeTierLayout.UNITS, LargeTierLayout.slots(220, 200, 74), "sandbox", LargeTierLayout.SCENARIO_ACCOUNTS);

    /**
     * Per-account IAM quotas as this project takes them (roles and managed policies raised from their defaults).
     * They were not checked against AWS's current quota page; Q is sized at them, and M and L stay below them.
     */
    static final int MAX_ROLES_PER_ACCOUNT = 5_000;
    static final int MAX_USERS_PER_ACCOUNT = 5_000;
    static final int MAX_GROUPS_PER_ACCOUNT = 300;
    static final int MAX_POLICIES_PER_ACCOUNT = 5_000;

    /** An organizational unit; {@code parent} is the key of its parent OU, or null under the root. */
    record OuPlan(String key, String name, String parent) {
    }

    /** An account before sizing; {@code ou} is null for an account directly under the root. */
    record AccountSlot(String key, String name, String ou, boolean exported) {
    }

    /** The numbers of resource policies written, by service. */
    record ResourcePolicyCounts(int buckets, int keys, int secrets, int queues) {

        int total() {
            return buckets + keys + secrets + queues;
        }
    }

    /**
     * The accounts that play each part in the planted scenarios: the security hub, the production workload, the
     * development workload, the sandbox, and the management account (null when it has no IAM export).
     */
    record ScenarioAccounts(String hub, String workload, String dev, String sandbox, String management) {
    }

    /** One account with its exact sizes. */
    record AccountPlan(String key, String name, String ou, boolean exported, int roles, int users, int groups,
                       int customerPolicies, int inventory, ResourcePolicyCounts resourcePolicies) {
    }

    private final int roles;
    private final int users;
    private final int groups;
    private final int customerPolicies;
    private final int inventory;
    private final ResourcePolicyCounts resourcePolicies;
    private final List<OuPlan> units;
    private final List<AccountSlot> slots;
    private final String restrictedOu;
    private final ScenarioAccounts scenarioAccounts;

    Tier(int roles, int users, int groups, int customerPolicies, int inventory, ResourcePolicyCounts resourcePolicies,
         List<OuPlan> units, List<AccountSlot> slots, String restrictedOu, ScenarioAccounts scenarioAccounts) {
        this.roles = roles;
        this.users = users;
        this.groups = groups;
        this.customerPolicies = customerPolicies;
        this.inventory = inventory;
        this.resourcePolicies = resourcePolicies;
        this.units = units;
        this.slots = slots;
        this.restrictedOu = restrictedOu;
        this.scenarioAccounts = scenarioAccounts;
    }

    public int roles() {
        return roles;
    }

    public int users() {
        return users;
    }

    public int groups() {
        return groups;
    }

    public int customerPolicies() {
        return customerPolicies;
    }

    /** Returns the number of resources that identity policies name (buckets, tables, queues, keys and so on). */
    public int inventory() {
        return inventory;
    }

    ResourcePolicyCounts resourcePolicies() {
        return resourcePolicies;
    }

    List<OuPlan> units() {
        return units;
    }

    /** Returns the key of the OU that carries the SCP denying sts:AssumeRole on roles under /restricted/. */
    String restrictedOu() {
        return restrictedOu;
    }

    ScenarioAccounts scenarioAccounts() {
        return scenarioAccounts;
    }

    /**
     * Tells whether the tier is generated and written one account at a time. M and L are, so that L is never in
     * memory whole; S and Q are built whole, as before, and keep their bytes.
     */
    boolean streamed() {
        return this == M || this == L;
    }

    /** Returns how many times the planted chains and decoys are repeated: once in S and Q, more in larger tiers. */
    int plantedRounds() {
        return switch (this) {
            case S, Q -> 1;
            case M -> 5;
            case L -> 20;
        };
    }

    /**
     * Returns the accounts with their sizes: each total is split over the exported accounts by a Zipf law
     * (weights 1, 1/2, 1/3, ... in the order of the slots) and rounded by largest remainder, so the parts add up to
     * the total exactly.
     */
    List<AccountPlan> accounts() {
        List<AccountSlot> exported = slots.stream().filter(AccountSlot::exported).toList();
        double[] weights = new double[exported.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 1.0 / (i + 1);
        }
        int[] roleShares = apportionCapped(roles, weights, MAX_ROLES_PER_ACCOUNT);
        if (streamed()) {
            // The other sizes follow the capped roles, so an account at the roles quota does not also get a
            // seventh of all users and resources, as the plain Zipf weight of rank 1 of 500 would give it.
            weights = java.util.Arrays.stream(roleShares).asDoubleStream().toArray();
        }
        int[] userShares = apportionCapped(users, weights, MAX_USERS_PER_ACCOUNT);
        int[] groupShares = apportionCapped(groups, weights, MAX_GROUPS_PER_ACCOUNT);
        int[] policyShares = apportionCapped(customerPolicies, weights, MAX_POLICIES_PER_ACCOUNT);
        int[] inventoryShares = apportion(inventory, weights);
        int[] bucketShares = apportion(resourcePolicies.buckets(), weights);
        int[] keyShares = apportion(resourcePolicies.keys(), weights);
        int[] secretShares = apportion(resourcePolicies.secrets(), weights);
        int[] queueShares = apportion(resourcePolicies.queues(), weights);

        List<AccountPlan> plans = new ArrayList<>();
        int index = 0;
        for (AccountSlot slot : slots) {
            if (!slot.exported()) {
                plans.add(new AccountPlan(slot.key(), slot.name(), slot.ou(), false, 0, 0, 0, 0, 0,
                        new ResourcePolicyCounts(0, 0, 0, 0)));
                continue;
            }
            plans.add(new AccountPlan(slot.key(), slot.name(), slot.ou(), true, roleShares[index], userShares[index],
                    groupShares[index], policyShares[index], inventoryShares[index],
                    new ResourcePolicyCounts(bucketShares[index], keyShares[index], secretShares[index], queueShares[index])));
            index++;
        }
        return plans;
    }

    /**
     * Splits {@code total} as {@link #apportion} does, but no share exceeds {@code cap}: the shares above it are set
     * to it and the rest is split again over the others, until none exceeds it. Without a share above the cap the
     * result equals {@link #apportion}'s.
     *
     * @throws IllegalArgumentException when {@code total} exceeds {@code cap} times the number of shares
     */
    public static int[] apportionCapped(int total, double[] weights, int cap) {
        if ((long) cap * weights.length < total) {
            throw new IllegalArgumentException(total + " does not fit in " + weights.length + " shares of at most " + cap);
        }
        double[] open = weights.clone();
        int[] shares = apportion(total, open);
        int capped = 0;
        while (true) {
            boolean over = false;
            for (int i = 0; i < shares.length; i++) {
                if (open[i] > 0 && shares[i] >= cap) {
                    open[i] = 0;
                    capped++;
                    over |= shares[i] > cap;
                }
            }
            if (!over) {
                return shares;
            }
            int[] rest = apportion(total - capped * cap, open);
            for (int i = 0; i < shares.length; i++) {
                shares[i] = open[i] > 0 ? rest[i] : cap;
            }
        }
    }

    /** Splits {@code total} in proportion to {@code weights}, giving the rounding remainder to the largest fractions. */
    public static int[] apportion(int total, double[] weights) {
        double sum = 0;
        for (double weight : weights) {
            sum += weight;
        }
        int[] shares = new int[weights.length];
        double[] fractions = new double[weights.length];
        int assigned = 0;
        for (int i = 0; i < weights.length; i++) {
            double exact = total * weights[i] / sum;
            shares[i] = (int) Math.floor(exact);
            fractions[i] = exact - shares[i];
            assigned += shares[i];
        }
        for (int left = total - assigned; left > 0; left--) {
            int largest = 0;
            for (int i = 1; i < fractions.length; i++) {
                if (fractions[i] > fractions[largest]) {
                    largest = i;
                }
            }
            shares[largest]++;
            fractions[largest] = -1;
        }
        return shares;
    }
}
