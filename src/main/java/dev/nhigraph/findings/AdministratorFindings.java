package dev.nhigraph.findings;

import dev.nhigraph.policy.Evidence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Lists the toxic combinations of an administrator once, in its administrator finding, instead of once per rule.
 *
 * <p>An administrator whose policies allow every action, or a principal that can become one, holds every part of
 * every AWS toxic combination, so each rule gives it a finding, and a dozen findings would repeat one fact. (A
 * principal that is an administrator only through a technique on itself, such as iam:CreatePolicyVersion, holds only
 * the combinations that its policies grant.)
 *
 * <p>The administrator finding ({@code escalation-to-admin} for a principal with a path,
 * {@code admin-equivalent-non-human-identity} for one that is an administrator itself) carries the path and the
 * statements that make it one. It names the folded rules in {@link Finding#toxicCombinations()}.
 * Separation-of-duties findings of principals that are not administrators stay one per rule.
 *
 * <p>A toxic combination is folded only into an open administrator finding. It is also folded only when that finding
 * is unconditional, or when the combination depends on a condition too. So a combination held outright by a
 * principal whose administrator path depends on a condition stays a finding of its own. Exceptions are applied
 * before folding, so an exception accepts the same findings as it did when every rule gave its own.
 *
 * <p>NOTE: principals that no administrator rule reports, such as AWS SSO permission-set roles and service-linked
 * roles (left out of {@code admin-equivalent-non-human-identity} because people or AWS use them) and GCP users and
 * groups, keep one finding per rule.
 */
final class AdministratorFindings {

    /** The rules whose findings report that a principal is, or can become, an administrator. */
    static final Set<String> ADMINISTRATOR_RULES = Set.of("escalation-to-admin", "admin-equivalent-non-human-identity");

    /** The part that an administrator finding without a path gets, named as the escalation finding names its part. */
    static final String ADMINISTRATOR_PART = "be an administrator";

    /**
     * The open findings as the report lists them, and the toxic combinations folded into administrator findings.
     *
     * @param listed the open findings, in their order, with each administrator finding naming its toxic combinations
     * @param folded the toxic-combination findings that an administrator finding names, in their order
     */
    record Folded(List<Finding> listed, List<Finding> folded) {

        /** Returns the number of distinct principals with an administrator finding among the listed ones. */
        int administrators() {
            Set<String> principals = new HashSet<>();
            listed.stream().filter(finding -> ADMINISTRATOR_RULES.contains(finding.rule()))
                    .forEach(finding -> principals.add(finding.principal()));
            return principals.size();
        }
    }

    private AdministratorFindings() {
    }

    /**
     * Folds the toxic combinations of {@code open} into the administrator finding of the same principal.
     *
     * @param adminEvidence returns the statements or bindings that make a principal an administrator, for the
     *                      administrator findings that have no path and so no evidence of their own
     */
    static Folded fold(List<Finding> open, Function<String, List<Evidence>> adminEvidence) {
        Map<String, Finding> adminFindingOf = new LinkedHashMap<>();
        for (Finding finding : open) {
            if (ADMINISTRATOR_RULES.contains(finding.rule())) {
                adminFindingOf.putIfAbsent(finding.principal(), finding);
            }
        }

        Map<Finding, List<String>> rulesOf = new IdentityHashMap<>();
        List<Finding> folded = new ArrayList<>();
        for (Finding finding : open) {
            Finding admin = adminFindingOf.get(finding.principal());
            if (admin == null || !Rule.TOXIC_COMBINATION.equals(finding.kind())) {
                continue;
            }
            // An unconditional combination is a stronger finding than an administrator path that needs a condition.
            if (admin.conditional() && !finding.conditional()) {
                continue;
            }
            rulesOf.computeIfAbsent(admin, key -> new ArrayList<>()).add(finding.rule());
            folded.add(finding);
        }

        List<Finding> listed = new ArrayList<>();
        Set<Finding> foldedSet = Collections.newSetFromMap(new IdentityHashMap<>());
        foldedSet.addAll(folded);
        for (Finding finding : open) {
            if (foldedSet.contains(finding)) {
                continue;
            }
            Finding listedFinding = finding;
            if (ADMINISTRATOR_RULES.contains(finding.rule()) && finding.parts() == null) {
                listedFinding = listedFinding.withParts(List.of(new Finding.PartHeld(ADMINISTRATOR_PART, finding.principal(), List.of(),
                        List.of(), finding.conditional(), adminEvidence.apply(finding.principal()))));
            }
            if (rulesOf.containsKey(finding)) {
                listedFinding = listedFinding.withToxicCombinations(List.copyOf(rulesOf.get(finding)));
            }
            listed.add(listedFinding);
        }
        return new Folded(listed, folded);
    }
}
