package dev.nhigraph.policy;

import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The access one principal's own policies allow, grouped by service.
 *
 * @param allowed       catalogue indices of actions allowed on at least one resource without a condition
 * @param conditional   catalogue indices of actions allowed only under a condition, or under a conditional Deny
 * @param admin         every action of the catalogue is allowed on every resource without a condition
 * @param services      per service prefix, the access it gives
 * @param unknownActions action names in Allow statements that the catalogue does not list
 */
public record PrincipalAccess(BitSet allowed, BitSet conditional, boolean admin,
                              Map<String, ServiceAccess> services, Set<String> unknownActions) {

    /**
     * The access to one service.
     *
     * @param actionsByLevel the number of allowed or conditional actions per access level
     * @param conditional    every action of this service that is allowed depends on a condition
     * @param resources      the resource patterns of the granting statements, as written
     * @param evidence       the Allow statements that grant the actions, and Deny statements that limit them
     */
    public record ServiceAccess(EnumMap<AccessLevel, Integer> actionsByLevel, boolean conditional,
                                Set<String> resources, List<Evidence> evidence) {

        public int actionCount() {
            return actionsByLevel.values().stream().mapToInt(Integer::intValue).sum();
        }
    }
}
