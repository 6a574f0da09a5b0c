package dev.nhigraph.analysis;

import dev.nhigraph.analysis.AwsProjection.PrincipalNode;
import dev.nhigraph.policy.AccessSummarizer;
import dev.nhigraph.policy.PrincipalAccess;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access each principal's own policies give it, summarised once per projection and then shared by every blast
 * radius, so a principal that a thousand blast radii reach is summarised once rather than a thousand times.
 *
 * <p>Equal summaries are stored once, and principals that share policies usually have equal ones. NOTE: the
 * summary is still computed once per principal; for hundreds of thousands of principals, key the computation
 * by identical policy sets too.
 */
public final class AccessSummaries {

    private final AwsProjection projection;
    private final AccessSummarizer summarizer;
    private final AwsAuthorization authorization;
    private final Map<String, PrincipalAccess> byPrincipal = new ConcurrentHashMap<>();
    private final Map<PrincipalAccess, PrincipalAccess> distinct = new ConcurrentHashMap<>();

    public AccessSummaries(AwsProjection projection, AccessSummarizer summarizer, AwsAuthorization authorization) {
        this.projection = projection;
        this.summarizer = summarizer;
        this.authorization = authorization;
    }

    /**
     * Returns the access of a user, role or group under its conditions and its account's SCPs. Principals whose
     * access is equal get the same instance, so callers can union distinct summaries only.
     */
    public PrincipalAccess of(PrincipalNode principal) {
        return byPrincipal.computeIfAbsent(principal.id(), id -> {
            PrincipalAccess access = summarize(principal);
            PrincipalAccess earlier = distinct.putIfAbsent(access, access);
            return earlier == null ? access : earlier;
        });
    }

    public AccessSummarizer summarizer() {
        return summarizer;
    }

    public AwsProjection projection() {
        return projection;
    }

    private PrincipalAccess summarize(PrincipalNode principal) {
        if ("AwsGroup".equals(principal.kind())) {
            return summarizer.summarize(projection.policySet(principal.id()));
        }
        AwsAuthorization.AccessScope scope = authorization.scope(principal);
        return summarizer.summarize(projection.policySet(principal.id()), scope.context(), scope.scpLevels());
    }
}
