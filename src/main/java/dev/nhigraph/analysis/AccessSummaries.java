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
 * <p>NOTE: the cache holds every principal summarised so far, a few kilobytes each (bit sets over the action
 * catalogue); an organisation with hundreds of thousands of principals needs summaries keyed by identical policy
 * sets instead.
 */
public final class AccessSummaries {

    private final AwsProjection projection;
    private final AccessSummarizer summarizer;
    private final AwsAuthorization authorization;
    private final Map<String, PrincipalAccess> byPrincipal = new ConcurrentHashMap<>();

    public AccessSummaries(AwsProjection projection, AccessSummarizer summarizer, AwsAuthorization authorization) {
        this.projection = projection;
        this.summarizer = summarizer;
        this.authorization = authorization;
    }

    /** Returns the access of a user, role or group under its conditions and its account's SCPs. */
    public PrincipalAccess of(PrincipalNode principal) {
        return byPrincipal.computeIfAbsent(principal.id(), id -> summarize(principal));
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
