package dev.nhigraph.generate;

import dev.nhigraph.generate.Tier.AccountSlot;
import dev.nhigraph.generate.Tier.OuPlan;
import dev.nhigraph.generate.Tier.ScenarioAccounts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The organisation tree of tiers M and L: a landing zone with security, infrastructure, workload and sandbox OUs.
 * Account names depend on the tier only, never on the seed, so the documentation can name them.
 *
 * <p>Workload accounts are named after a team, and after a team and a component once the teams run out:
 * {@code payments-prod}, {@code payments-dev}, then {@code payments-api-prod} and so on.
 */
final class LargeTierLayout {

    static final List<OuPlan> UNITS = List.of(new OuPlan("security", "Security", null),
            new OuPlan("infrastructure", "Infrastructure", null), new OuPlan("workloads", "Workloads", null),
            new OuPlan("prod", "Prod", "workloads"), new OuPlan("nonprod", "NonProd", "workloads"),
            new OuPlan("sandbox", "Sandbox", null));

    static final String SECURITY_ACCOUNT = "security-tooling";
    static final String TOOLING_ACCOUNT = "shared-tooling";
    static final String CI_ACCOUNT = "ci-cd";

    /**
     * The decoys and access scenarios of the first round use these accounts. The workload is not a dense-core
     * account, so the principals there that may assume any role do not crowd the scenario's account.
     */
    static final ScenarioAccounts SCENARIO_ACCOUNTS = new ScenarioAccounts(SECURITY_ACCOUNT, "search-prod",
            "search-dev", "sandbox-001", "management");

    /** The account of each hub role: workload accounts trust the security, tooling and CI accounts. */
    static final Map<String, String> HUB_ACCOUNTS = hubAccounts();

    private LargeTierLayout() {
    }

    /**
     * Returns the accounts from the largest down: production and development accounts in turn, then the
     * infrastructure and security accounts, the sandboxes and the management account.
     */
    static List<AccountSlot> slots(int prodAccounts, int devAccounts, int sandboxAccounts) {
        List<AccountSlot> slots = new ArrayList<>();
        for (int i = 0; i < Math.max(prodAccounts, devAccounts); i++) {
            if (i < prodAccounts) {
                slots.add(slot(workloadName(i) + "-prod", "prod"));
            }
            if (i < devAccounts) {
                slots.add(slot(workloadName(i) + "-dev", "nonprod"));
            }
        }
        slots.add(slot(CI_ACCOUNT, "infrastructure"));
        slots.add(slot(TOOLING_ACCOUNT, "infrastructure"));
        slots.add(slot(SECURITY_ACCOUNT, "security"));
        slots.add(slot("network", "infrastructure"));
        slots.add(slot("log-archive", "security"));
        for (int i = 1; i <= sandboxAccounts; i++) {
            slots.add(slot(String.format("sandbox-%03d", i), "sandbox"));
        }
        slots.add(slot("management", null));
        return slots;
    }

    /** Returns the names of the accounts with a dense core in {@code tier}: its largest production accounts. */
    static List<String> denseCoreAccounts(Tier tier) {
        return switch (tier) {
            case M -> List.of("payments-prod");
            case L -> List.of("payments-prod", "checkout-prod", "identity-prod", "data-prod", "platform-prod");
            default -> List.of();
        };
    }

    private static AccountSlot slot(String name, String ou) {
        return new AccountSlot(name, name, ou, true);
    }

    private static String workloadName(int index) {
        String team = Vocabulary.TEAMS.get(index % Vocabulary.TEAMS.size());
        int round = index / Vocabulary.TEAMS.size();
        return round == 0 ? team : team + "-" + Vocabulary.COMPONENTS.get(round - 1);
    }

    private static Map<String, String> hubAccounts() {
        Map<String, String> accounts = new LinkedHashMap<>();
        accounts.put("security-audit", SECURITY_ACCOUNT);
        accounts.put("incident-response", SECURITY_ACCOUNT);
        accounts.put("ci-deployer", CI_ACCOUNT);
        accounts.put("inventory-collector", SECURITY_ACCOUNT);
        accounts.put("backup-orchestrator", TOOLING_ACCOUNT);
        return accounts;
    }
}
