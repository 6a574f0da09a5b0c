package dev.nhigraph.escalation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Conditions that the target of a technique must meet. A null field means no condition.
 *
 * @param kind graph label of the target: {@code AwsRole}, {@code AwsUser}, {@code AwsGroup} or
 *     {@code AwsPolicy}
 * @param trustsService a service principal, such as {@code lambda.amazonaws.com}, that the target
 *     role's trust policy must allow
 * @param trustsCaller whether the target role's trust policy must already allow the caller
 * @param hasInstanceProfile whether the target role must be in an instance profile
 * @param userHasLoginProfile whether the target user must have (true) or lack (false) a console
 *     password
 * @param accessKeysBelow the target user must have fewer access keys than this
 * @param attachedTo {@code caller}: the target policy must be attached to the caller or to one of
 *     its groups
 * @param hasMember {@code caller}: the caller must be a member of the target group
 * @param existing kind of resource that must already exist, such as {@code lambda-function};
 *     offline data may not show it, or which role it runs with
 * @param allows actions that the target's own policies must allow for the technique to work
 */
public record TargetRequirements(String kind, String trustsService, Boolean trustsCaller, Boolean hasInstanceProfile,
        Boolean userHasLoginProfile, Integer accessKeysBelow, String attachedTo, String hasMember, String existing,
        List<String> allows) {

    /** No conditions. */
    public static final TargetRequirements NONE =
            new TargetRequirements(null, null, null, null, null, null, null, null, null, null);

    public static final String CALLER = "caller";

    public TargetRequirements {
        // Null elements are kept so that validation can report them with the technique id.
        allows = allows == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(allows));
    }

    /** Tells whether no condition is set. */
    public boolean isEmpty() {
        return equals(NONE);
    }
}
