package dev.nhigraph.gcp.analysis;

import dev.nhigraph.gcp.analysis.GcpAuthorization.IndexedBinding;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.eval.Tri;
import java.util.List;

/**
 * Tells whether a GCP principal holds any of a set of permissions somewhere in the hierarchy, and through which
 * binding, for rules that ask "can this principal do X anywhere" rather than "on this resource".
 *
 * <p>Candidates are the bindings whose role contains the permission and one of whose members may include the
 * principal. Each candidate is then decided by {@link GcpAuthorization#decide} on the resource the binding is set
 * on, so conditions and deny rules count exactly as they do for {@code nhigraph can}.
 */
public final class PermissionHolding {

    /**
     * A permission that the principal holds.
     *
     * @param conditional true when a condition of the binding or of a deny rule may take it away
     * @param resource    the organization, folder, project or resource that the granting binding is set on
     * @param evidence    the bindings that grant it, and the deny rules that may deny it
     */
    public record Held(String permission, String resource, boolean conditional, List<Evidence> evidence) {
    }

    private final GcpAuthorization authorization;

    public PermissionHolding(GcpAuthorization authorization) {
        this.authorization = authorization;
    }

    /**
     * Returns the first permission of {@code permissions} that {@code principal} holds without a condition, or else
     * the first it holds under one, or null when it holds none.
     *
     * @param principal a member as IAM writes it, such as {@code serviceAccount:EMAIL}
     */
    public Held anyOf(String principal, List<String> permissions) {
        Principals.Principal parsed = authorization.principals().parse(principal);
        Held conditional = null;
        for (String permission : permissions) {
            for (IndexedBinding binding : authorization.bindingsGranting(permission)) {
                if (authorization.match(binding, parsed).value() == Tri.FALSE) {
                    continue;
                }
                GcpAuthorization.Decision decision = authorization.decide(parsed, permission, binding.resource());
                if (decision.result() == Tri.TRUE) {
                    return new Held(permission, binding.resource(), false, decision.allowing());
                }
                if (decision.result() == Tri.UNKNOWN && conditional == null) {
                    List<Evidence> evidence = new java.util.ArrayList<>(decision.allowing());
                    evidence.addAll(decision.denying());
                    conditional = new Held(permission, binding.resource(), true, List.copyOf(evidence));
                }
            }
        }
        return conditional;
    }
}
