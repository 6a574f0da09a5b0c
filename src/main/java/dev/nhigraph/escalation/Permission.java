package dev.nhigraph.escalation;

/**
 * One action that a technique needs, and the resource on which the caller must be allowed it.
 *
 * @param action the action as AWS spells it, for example {@code iam:PassRole}
 * @param resource {@value #TARGET} for the target's ARN, {@value #SELF} for the caller's own ARN,
 *     {@value #TARGET_ATTACHED_POLICY} for any customer-managed policy attached to the target, or
 *     an ARN template. In a template {@code {account}} is the caller's account, {@code {region}} a
 *     region, and {@code *} a part the caller chooses, such as the name of a function it creates.
 */
public record Permission(String action, String resource) {

    public static final String TARGET = "target";
    public static final String SELF = "self";
    public static final String TARGET_ATTACHED_POLICY = "target-attached-policy";

    /** Tells whether the resource is an ARN template or {@code "*"}, not a reference to a principal. */
    public boolean isTemplate() {
        return resource != null && (resource.equals("*") || resource.startsWith("arn:"));
    }
}
