package dev.nhigraph.analysis;

import dev.nhigraph.analysis.AwsProjection.AssumeEdge;
import dev.nhigraph.analysis.AwsProjection.PrincipalNode;
import dev.nhigraph.aws.FederatedSubject;
import dev.nhigraph.aws.FederatedSubjects;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.Statement;
import dev.nhigraph.policy.eval.ConditionEvaluator;
import dev.nhigraph.policy.eval.ConditionResult;
import dev.nhigraph.policy.eval.Tri;
import dev.nhigraph.policy.eval.UnresolvedCondition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives the CAN_ASSUME edges from the subjects of OIDC and SAML providers ({@link FederatedSubjects}) into the
 * roles whose trust policies admit them.
 *
 * <p>Each subject's Allow statement is decided by {@link ConditionEvaluator} with the subject's {@code sub} and
 * {@code aud} values in the context, so a second condition on {@code sub} that rejects the subject drops the
 * edge, and a condition on another claim (such as {@code job_workflow_ref}) leaves it conditional. A Deny
 * statement that names the provider, or {@code "*"}, is decided the same way: it removes the edge when its
 * conditions hold for the subject and makes the edge conditional when they may.
 */
final class FederatedAssumeEdges {

    private final AwsProjection projection;

    FederatedAssumeEdges(AwsProjection projection) {
        this.projection = projection;
    }

    /** The edge of one subject while its statements are collected. */
    private static final class Pending {
        boolean conditional = true;
        final List<Evidence> evidence = new ArrayList<>();
    }

    /** Returns the edges from the provider subjects that {@code trust}, the trust policy of {@code role}, admits. */
    List<AssumeEdge> edgesInto(PrincipalNode role, Policy trust) {
        Map<String, Pending> pending = new LinkedHashMap<>();
        for (Statement statement : trust.statements()) {
            for (String provider : statement.principals().getOrDefault("Federated", List.of())) {
                for (FederatedSubject subject : FederatedSubjects.admittedBy(provider, statement)) {
                    if (projection.principal(subject.id()) != null) {
                        decide(trust, statement, subject, pending);
                    }
                }
            }
        }

        List<AssumeEdge> edges = new ArrayList<>();
        pending.forEach((subject, edge) -> edges.add(new AssumeEdge(subject, role.id(), edge.conditional, edge.evidence)));
        return edges;
    }

    private void decide(Policy trust, Statement statement, FederatedSubject subject, Map<String, Pending> pending) {
        ConditionResult allow = evaluate(trust, statement, subject);
        if (allow.value() == Tri.FALSE) {
            return;
        }
        List<Evidence> evidence = new ArrayList<>();
        boolean conditional = allow.value() == Tri.UNKNOWN;
        String note = "the conditions admit " + subject.description()
                + (conditional ? "; it depends on " + describe(allow.unresolved()) : "");
        evidence.add(Evidence.of(trust, null, statement, List.of("Federated: " + subject.provider()), note));
        if (!subject.standardAudience()) {
            // The evaluator took the token to carry the statement's audience. STS accepts that audience only when
            // the provider's client id list in IAM contains it, and authorization details do not include that list.
            conditional = true;
            evidence.add(AssumeRoleAnalysis.note("the aud condition admits " + subject.audiences() + ", not "
                    + FederatedSubject.STS_AUDIENCE + " that the provider's tokens for AWS carry by default, so the role"
                    + " can be assumed only if the provider's client id list in IAM contains one of them"));
        }

        for (Statement deny : trust.statements()) {
            if (deny.allow() || deny.notPrincipal() || !namesProvider(deny, subject.provider())
                    || !deny.coversAction(subject.assumeAction())) {
                continue;
            }
            ConditionResult denied = evaluate(trust, deny, subject);
            if (denied.value() == Tri.TRUE) {
                return;
            }
            if (denied.value() == Tri.UNKNOWN) {
                conditional = true;
                evidence.add(Evidence.of(trust, null, deny, List.of("Federated: " + subject.provider()),
                        "Deny under a condition: the role can be assumed only when it does not match"));
            }
        }

        Pending edge = pending.computeIfAbsent(subject.id(), id -> new Pending());
        edge.conditional = edge.conditional && conditional;
        edge.evidence.addAll(evidence);
    }

    private static ConditionResult evaluate(Policy trust, Statement statement, FederatedSubject subject) {
        if (!statement.conditional()) {
            return ConditionResult.TRUE;
        }
        return ConditionEvaluator.compile(statement.condition(), trust.policyVariables())
                .evaluate(subject.conditionContext());
    }

    private static boolean namesProvider(Statement statement, String provider) {
        List<String> any = statement.principals().getOrDefault("*", List.of());
        List<String> federated = statement.principals().getOrDefault("Federated", List.of());
        return !any.isEmpty() || federated.contains(provider) || federated.contains("*");
    }

    private static String describe(List<UnresolvedCondition> conditions) {
        return String.join(" and ", conditions.stream()
                .map(c -> c.operator() + " " + c.key() + " " + c.values()).toList());
    }
}
