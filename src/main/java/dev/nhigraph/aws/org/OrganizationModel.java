package dev.nhigraph.aws.org;

import java.util.List;

/**
 * The parts of an AWS Organizations export, as plain records.
 *
 * <p>Optional fields that the export leaves out are null. Ids keep the forms that AWS Organizations uses:
 * {@code o-} for the organization, {@code r-} for a root, {@code ou-} for an OU, {@code p-} for a policy and
 * twelve digits for an account.
 */
public final class OrganizationModel {

    private OrganizationModel() {
    }

    /** A root or an OU. {@code parentId} is null for a root, and for an OU whose parent the bundle does not give. */
    public record OrganizationalUnit(String id, String arn, String name, boolean root, String parentId) {
    }

    /**
     * A member account. {@code parentId} is the root or OU that contains it, or null when the bundle has no
     * {@code list-accounts-for-parent} or {@code list-parents} output for it.
     */
    public record Account(String id, String arn, String name, String email, String status, String state,
                          String joinedMethod, String joinedTimestamp, String parentId) {
    }

    /** The AWS Organizations policy types that nhigraph loads. */
    public enum ControlPolicyKind {
        SCP("SERVICE_CONTROL_POLICY", "HAS_SCP"),
        RCP("RESOURCE_CONTROL_POLICY", "HAS_RCP");

        private final String awsType;
        private final String relationship;

        ControlPolicyKind(String awsType, String relationship) {
            this.awsType = awsType;
            this.relationship = relationship;
        }

        /** Returns the kind for the Type field of a policy summary, or null for types that are not loaded. */
        public static ControlPolicyKind ofAwsType(String type) {
            for (ControlPolicyKind kind : values()) {
                if (kind.awsType.equals(type)) {
                    return kind;
                }
            }
            return null;
        }

        /** Returns the value of {@code AwsPolicy.kind}: scp or rcp. */
        public String graphKind() {
            return name().toLowerCase();
        }

        /** Returns the type of the relationship from a target to the policy. */
        public String relationship() {
            return relationship;
        }

        public String awsType() {
            return awsType;
        }
    }

    /** The kinds of entity that an AWS Organizations policy can be attached to. */
    public enum TargetType {
        ROOT, ORGANIZATIONAL_UNIT, ACCOUNT
    }

    /** A root, OU or account that a policy is attached to, as {@code list-targets-for-policy} prints it. */
    public record PolicyTarget(String id, String arn, String name, TargetType type) {
    }

    /**
     * A service control policy or resource control policy.
     *
     * @param document the policy as compact JSON, or null when the bundle has only the policy's summary
     *                 from {@code list-policies} and no {@code describe-policy} output
     * @param targets  the roots, OUs and accounts the policy is attached to, or null when the bundle has no
     *                 {@code list-targets-for-policy} output for it (unknown, as opposed to empty)
     */
    public record ControlPolicy(String id, String arn, String name, String description, ControlPolicyKind kind,
                                boolean awsManaged, String document, List<PolicyTarget> targets) {
    }
}
