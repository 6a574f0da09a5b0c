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
            new ScenarioAccounts("workload", "workload", "workload", "workload", null));

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
        int[] roleShares = apportion(roles, weights);
        int[] userShares = apportion(users, weights);
        int[] groupShares = apportion(groups, weights);
        int[] policyShares = apportion(customerPolicies, weights);
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

    /** Splits {@code total} in proportion to {@code weights}, giving the rounding remainder to the largest fractions. */
    static int[] apportion(int total, double[] weights) {
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
