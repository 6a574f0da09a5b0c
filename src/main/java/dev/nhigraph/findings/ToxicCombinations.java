package dev.nhigraph.findings;

import dev.nhigraph.analysis.AccessSummaries;
import dev.nhigraph.analysis.AwsProjection;
import dev.nhigraph.analysis.AwsProjection.PrincipalNode;
import dev.nhigraph.analysis.AwsProjection.Step;
import dev.nhigraph.gcp.analysis.PermissionHolding;
import dev.nhigraph.policy.AccessSummarizer;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.PrincipalAccess;
import dev.nhigraph.policy.PrincipalAccess.ServiceAccess;
import dev.nhigraph.policy.Wildcards;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jgrapht.Graph;

/**
 * Evaluates the toxic-combination rules on transitive effective permissions: a principal holds a part of a rule when
 * its own policies or bindings grant one of the part's rights, or when those of a principal it can become through
 * CAN_ASSUME, CAN_ESCALATE or CAN_IMPERSONATE steps do. A rule fires when every part is held.
 *
 * <p>AWS rights come from the access summaries that the blast radius uses (identity policies, groups, boundary and
 * SCPs, with conditions evaluated for the principal), GCP rights from {@link PermissionHolding}, which decides each
 * candidate binding with the GCP evaluator. For each part the finding names the nearest principal that holds it,
 * the path to it and the statements that grant it.
 *
 * <p>Each principal's reach is walked once, breadth first, for all rules, so the cost is the sum of the reachable
 * parts of the graph. Three bounds keep it finite on big graphs: the walk stops at {@code maxDepth} steps and
 * {@link #MAX_REACHED} principals; each rule keeps at most {@code maxFindingsPerRule} findings; and the whole
 * evaluation stops at its time limit. The result says which bound cut it short.
 *
 * <p>NOTE: grants of resource-based policies (a bucket policy naming a role) and AWS users' access keys are not part
 * of the rights; only identity policies and GCP allow bindings are.
 */
public final class ToxicCombinations {

    /** The maximum number of principals one walk reaches, as for a blast radius. */
    public static final int MAX_REACHED = 2_000;

    /** Principal kinds that act and so can hold a combination; groups act only through their members. */
    private static final Set<String> AWS_ACTORS = Set.of("AwsUser", "AwsRole");
    private static final Set<String> GCP_ACTORS = Set.of("GcpServiceAccount", "GcpMember");
    /** GCP members that name one identity; sets such as allUsers or projectEditor:P are not actors of their own. */
    private static final Set<String> GCP_MEMBER_TYPES = Set.of("user", "group", "serviceAccount", "kubernetesServiceAccount");

    /** The bounds of one evaluation. */
    public record Limits(int maxDepth, int maxFindingsPerRule, long timeLimitMillis) {
    }

    /** How one principal holds the rights of a part, before the path to it is known. */
    private record Holding(boolean conditional, List<String> rights, List<Evidence> evidence) {
    }

    private final AwsProjection projection;
    private final AccessSummaries summaries;
    private final AccessSummarizer summarizer;
    private final PermissionHolding gcp;
    private final List<Rule> rules;
    private final Map<Rule.Part, BitSet> partActions = new IdentityHashMap<>();
    private final Map<PrincipalAccess, Map<Rule.Part, Holding>> awsHoldings = new IdentityHashMap<>();
    private final Map<String, Map<Rule.Part, Holding>> gcpHoldings = new HashMap<>();

    /**
     * @param gcp   decides GCP permissions; null when the graph has no GCP principals
     * @param rules the catalogue; only its toxic-combination rules are evaluated
     */
    public ToxicCombinations(AccessSummaries summaries, PermissionHolding gcp, List<Rule> rules) {
        this.projection = summaries.projection();
        this.summaries = summaries;
        this.summarizer = summaries.summarizer();
        this.gcp = gcp;
        this.rules = rules.stream().filter(Rule::toxicCombination).toList();
        for (Rule rule : this.rules) {
            if ("aws".equals(rule.cloud())) {
                rule.parts().forEach(part -> partActions.put(part, actionBits(part)));
            }
        }
    }

    /** Evaluates every toxic-combination rule for every principal that acts, and returns the outcome per rule id. */
    public Map<String, RuleOutcome> evaluate(Limits limits) {
        long deadline = System.currentTimeMillis() + limits.timeLimitMillis();
        Map<String, List<Finding>> found = new LinkedHashMap<>();
        Map<String, String> stoppedBy = new HashMap<>();
        rules.forEach(rule -> found.put(rule.id(), new ArrayList<>()));

        List<PrincipalNode> actors = projection.principals().values().stream().filter(ToxicCombinations::acts)
                .sorted((a, b) -> a.id().compareTo(b.id())).toList();
        int evaluated = 0;
        for (PrincipalNode actor : actors) {
            if (System.currentTimeMillis() > deadline) {
                String reason = "time limit of " + limits.timeLimitMillis() + " ms reached after " + evaluated + " of "
                        + actors.size() + " principals";
                rules.forEach(rule -> stoppedBy.putIfAbsent(rule.id(), reason));
                break;
            }
            Reach reach = walk(actor.id(), limits.maxDepth());
            for (Rule rule : rules) {
                List<Finding> ruleFindings = found.get(rule.id());
                if (ruleFindings.size() >= limits.maxFindingsPerRule()) {
                    stoppedBy.putIfAbsent(rule.id(), "result cap of " + limits.maxFindingsPerRule() + " findings reached");
                    continue;
                }
                Finding finding = check(rule, actor, reach);
                if (finding != null) {
                    ruleFindings.add(finding);
                }
            }
            evaluated++;
        }
        Map<String, RuleOutcome> outcomes = new LinkedHashMap<>();
        found.forEach((id, list) -> outcomes.put(id, new RuleOutcome(list, stoppedBy.get(id))));
        return outcomes;
    }

    /** The principals one actor can become, in breadth-first order, with the step that first reached each. */
    private record Reach(List<String> order, Map<String, Integer> depthOf, Map<String, Step> firstStep, String cutShort) {

        int depth(String id) {
            return depthOf.get(id);
        }
    }

    /** The order in which a walk prefers one of several steps that reach a principal equally soon. */
    private static final Comparator<Step> FIRST_STEP_ORDER = Comparator.comparing(Step::source).thenComparing(Step::kind)
            .thenComparing(step -> step.technique() == null ? "" : step.technique());

    private Reach walk(String rootId, int maxDepth) {
        Graph<String, Step> graph = projection.stepGraph();
        List<String> order = new ArrayList<>();
        Map<String, Integer> depthOf = new HashMap<>();
        Map<String, Step> firstStep = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        order.add(rootId);
        depthOf.put(rootId, 0);
        queue.add(rootId);
        String cutShort = null;
        while (!queue.isEmpty()) {
            String current = queue.poll();
            int depth = depthOf.get(current);
            if (!graph.containsVertex(current) || depth == maxDepth) {
                continue;
            }
            for (Step step : graph.outgoingEdgesOf(current)) {
                Integer known = depthOf.get(step.target());
                if (known != null) {
                    // Of two steps that reach a principal equally soon, the path shows the first by source, so that
                    // the finding does not depend on the order in which Neo4j returned the steps.
                    if (known == depth + 1 && FIRST_STEP_ORDER.compare(step, firstStep.get(step.target())) < 0) {
                        firstStep.put(step.target(), step);
                    }
                    continue;
                }
                if (order.size() >= MAX_REACHED) {
                    cutShort = "more than " + MAX_REACHED + " principals reachable";
                    return new Reach(order, depthOf, firstStep, cutShort);
                }
                depthOf.put(step.target(), depth + 1);
                firstStep.put(step.target(), step);
                order.add(step.target());
                queue.add(step.target());
            }
        }
        return new Reach(order, depthOf, firstStep, cutShort);
    }

    /** Returns the finding of {@code rule} for {@code actor}, or null when a part is not held within its reach. */
    private Finding check(Rule rule, PrincipalNode actor, Reach reach) {
        List<Finding.PartHeld> parts = new ArrayList<>();
        boolean conditional = false;
        for (Rule.Part part : rule.parts()) {
            Finding.PartHeld held = nearestHolder(rule, part, reach);
            if (held == null) {
                return null;
            }
            conditional |= held.conditional();
            parts.add(held);
        }
        String detail = parts.stream()
                .map(held -> held.name() + (held.heldBy().equals(actor.id()) ? " (itself)" : " (as " + held.heldBy() + ")"))
                .reduce((a, b) -> a + "; " + b).orElse("");
        return Finding.of(rule, actor.id(), actor.kind(), null, detail, conditional, parts, null);
    }

    /**
     * Returns how the nearest principal of the reach holds {@code part}: the nearest that holds it without a
     * condition on the grant or the path, or else the nearest that holds it at all, the first by id among equals.
     */
    private Finding.PartHeld nearestHolder(Rule rule, Rule.Part part, Reach reach) {
        Finding.PartHeld held = null;
        Finding.PartHeld fallback = null;
        int heldAt = -1;
        int fallbackAt = -1;
        for (String id : reach.order()) {
            int steps = reach.depth(id);
            if (held != null && steps > heldAt) {
                break;
            }
            PrincipalNode principal = projection.principal(id);
            if (principal == null) {
                continue;
            }
            Holding holding = holding(rule, part, principal);
            if (holding == null) {
                continue;
            }
            List<Finding.PathStep> path = pathTo(id, reach);
            boolean conditional = holding.conditional() || path.stream().anyMatch(Finding.PathStep::conditional);
            Finding.PartHeld candidate = new Finding.PartHeld(part.name(), id, path, holding.rights(), conditional,
                    holding.evidence());
            // Of the holders equally near, the first by id, whatever order the walk met them in.
            if (!conditional && (held == null || id.compareTo(held.heldBy()) < 0)) {
                held = candidate;
                heldAt = steps;
            } else if (conditional && (fallback == null || (steps == fallbackAt && id.compareTo(fallback.heldBy()) < 0))) {
                fallback = candidate;
                fallbackAt = steps;
            }
        }
        return held != null ? held : fallback;
    }

    private static List<Finding.PathStep> pathTo(String id, Reach reach) {
        List<Finding.PathStep> path = new ArrayList<>();
        String current = id;
        while (reach.firstStep().containsKey(current)) {
            Step step = reach.firstStep().get(current);
            path.add(new Finding.PathStep(step.source(), step.target(), step.kind(), step.technique(), step.conditional()));
            current = step.source();
        }
        Collections.reverse(path);
        return path;
    }

    private Holding holding(Rule rule, Rule.Part part, PrincipalNode principal) {
        if ("aws".equals(rule.cloud())) {
            if (principal.external() || !isAwsIdentity(principal)) {
                return null;
            }
            PrincipalAccess access = summaries.of(principal);
            return awsHoldings.computeIfAbsent(access, a -> new IdentityHashMap<>())
                    .computeIfAbsent(part, p -> awsHolding(access, p));
        }
        if (gcp == null || !GCP_ACTORS.contains(principal.kind())) {
            return null;
        }
        return gcpHoldings.computeIfAbsent(principal.id(), k -> new IdentityHashMap<>())
                .computeIfAbsent(part, p -> gcpHolding(principal.id(), p));
    }

    /** Returns what of {@code part} the summary allows, preferring actions allowed without a condition. */
    private Holding awsHolding(PrincipalAccess access, Rule.Part part) {
        BitSet wanted = partActions.get(part);
        BitSet held = (BitSet) wanted.clone();
        held.and(access.allowed());
        boolean conditional = false;
        if (held.isEmpty()) {
            held = (BitSet) wanted.clone();
            held.and(access.conditional());
            conditional = true;
        }
        if (held.isEmpty()) {
            return null;
        }
        List<String> rights = new ArrayList<>();
        Set<Evidence> evidence = new LinkedHashSet<>();
        for (int i = held.nextSetBit(0); i >= 0; i = held.nextSetBit(i + 1)) {
            String action = summarizer.action(i).fullName();
            if (rights.size() < 10) {
                rights.add(action);
            }
            ServiceAccess service = access.services().get(summarizer.action(i).service());
            if (service != null) {
                service.evidence().stream().filter(statement -> grants(statement, action)).forEach(evidence::add);
            }
        }
        return new Holding(conditional, rights, List.copyOf(evidence));
    }

    /** Tells whether an Allow statement's Action or NotAction list covers {@code action}. */
    private static boolean grants(Evidence statement, String action) {
        if (!"Allow".equals(statement.effect()) || statement.actions() == null) {
            return false;
        }
        boolean notAction = statement.actions().stream().anyMatch(a -> a.startsWith("NotAction "));
        boolean listed = statement.actions().stream()
                .map(a -> a.startsWith("NotAction ") ? a.substring("NotAction ".length()) : a)
                .anyMatch(pattern -> Wildcards.matchesIgnoreCase(pattern, action));
        return notAction != listed;
    }

    private Holding gcpHolding(String principal, Rule.Part part) {
        PermissionHolding.Held held = gcp.anyOf(principal, part.permissions());
        if (held == null) {
            return null;
        }
        return new Holding(held.conditional(), List.of(held.permission() + " on " + held.resource()), held.evidence());
    }

    private BitSet actionBits(Rule.Part part) {
        BitSet bits = new BitSet(summarizer.catalogSize());
        for (int i = 0; i < summarizer.catalogSize(); i++) {
            String name = summarizer.action(i).fullName().toLowerCase(Locale.ROOT);
            for (String pattern : part.actions()) {
                if (Wildcards.matchesIgnoreCase(pattern, name)) {
                    bits.set(i);
                    break;
                }
            }
        }
        return bits;
    }

    /** Group policies are part of each member's summary, and groups are never a step's target. */
    private static boolean isAwsIdentity(PrincipalNode node) {
        return AWS_ACTORS.contains(node.kind());
    }

    /** Tells whether a principal acts on its own: an AWS user or role, a GCP service account or a single member. */
    private static boolean acts(PrincipalNode node) {
        if (node.external()) {
            return false;
        }
        if (AWS_ACTORS.contains(node.kind()) || "GcpServiceAccount".equals(node.kind())) {
            return true;
        }
        return "GcpMember".equals(node.kind()) && GCP_MEMBER_TYPES.contains(String.valueOf(node.properties().get("memberType")));
    }
}
