package dev.nhigraph.generate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The roles and resources of each account that other accounts may name, fixed before any account is filled.
 *
 * <p>M and L are filled and written one account at a time, and an account's entities are dropped once written.
 * A trust, identity or resource policy can therefore name a role or resource of another account only if it is
 * known in advance. Each account publishes {@link #PUBLISHED_ROLES} role names, which its own fill later
 * creates, and {@link #PUBLISHED_RESOURCES} resources, which stay in its inventory after it is written. Cross-account
 * references of M and L concentrate on these few, where in S they may name any role or resource.
 */
final class CrossAccountDirectory {

    static final int PUBLISHED_ROLES = 4;
    static final int PUBLISHED_RESOURCES = 20;

    /** A role that the account's fill creates with this name; {@code team} goes into its tags. */
    record PublishedRole(String name, String team, String arn) {
    }

    private final Map<String, List<PublishedRole>> rolesByAccount = new LinkedHashMap<>();
    private final Map<String, String> accountIds = new LinkedHashMap<>();
    private final List<String> allRoleArns = new ArrayList<>();

    private CrossAccountDirectory() {
    }

    /**
     * Publishes the roles and resources of every exported account. Call it after the ground truth is planted,
     * so that the planted resources are kept too.
     */
    static CrossAccountDirectory publish(SyntheticOrg org, SeededRandom random, AwsIdentifiers ids) {
        CrossAccountDirectory directory = new CrossAccountDirectory();
        for (SyntheticAccount account : org.exported()) {
            SeededRandom accountRandom = random.fork(account.key());
            account.inventory.populate(PUBLISHED_RESOURCES, accountRandom, ids);
            account.inventory.markRetained();

            List<PublishedRole> roles = new ArrayList<>();
            Set<String> names = new HashSet<>();
            while (roles.size() < PUBLISHED_ROLES) {
                String team = accountRandom.pick(Vocabulary.TEAMS);
                // The suffix is used by no other role of the generator, so the fill creates the role under this name.
                String name = team + "-" + accountRandom.pick(Vocabulary.COMPONENTS) + "-shared-task-role";
                if (names.add(name)) {
                    roles.add(new PublishedRole(name, team, account.roleArn("/", name)));
                }
            }
            directory.rolesByAccount.put(account.key(), roles);
            directory.accountIds.put(account.key(), account.id);
            roles.forEach(role -> directory.allRoleArns.add(role.arn()));
        }
        return directory;
    }

    List<PublishedRole> rolesOf(SyntheticAccount account) {
        return rolesByAccount.get(account.key());
    }

    /** Returns the published role ARNs of every account, in the order of the accounts. */
    List<String> allRoleArns() {
        return allRoleArns;
    }

    /** Returns the published role ARNs of the accounts other than {@code account}. */
    List<String> roleArnsOutside(SyntheticAccount account) {
        List<String> arns = new ArrayList<>();
        rolesByAccount.forEach((key, roles) -> {
            if (!key.equals(account.key())) {
                roles.forEach(role -> arns.add(role.arn()));
            }
        });
        return arns;
    }

    /** Returns the ids of the exported accounts other than {@code account}. */
    List<String> accountIdsOutside(SyntheticAccount account) {
        return accountIds.entrySet().stream().filter(entry -> !entry.getKey().equals(account.key()))
                .map(Map.Entry::getValue).toList();
    }
}
