package dev.nhigraph.gcp.analysis;

import dev.nhigraph.gcp.analysis.GcpAnalysis.AdminGrant;
import dev.nhigraph.gcp.analysis.GcpAnalysis.Result;
import dev.nhigraph.gcp.analysis.GcpAnalysis.Step;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small breadth-first search over {@link Result#steps()} for the tests: which principals a start can reach, and
 * whether one of them administers a scope. Conditional steps are followed, because a conditional reach is still a
 * finding to report.
 */
final class AdminReach {

    private final Map<String, List<Step>> stepsFrom = new HashMap<>();
    private final Map<String, List<AdminGrant>> adminsOf = new HashMap<>();

    AdminReach(Result result) {
        for (Step step : result.steps()) {
            stepsFrom.computeIfAbsent(step.source(), k -> new ArrayList<>()).add(step);
        }
        for (AdminGrant grant : result.admins()) {
            adminsOf.computeIfAbsent(grant.principal(), k -> new ArrayList<>()).add(grant);
        }
    }

    List<Step> stepsFrom(String principal) {
        return stepsFrom.getOrDefault(principal, List.of());
    }

    /** Returns the admin grant of {@code principal} on one of {@code scopes}, or null. */
    AdminGrant adminGrant(String principal, Set<String> scopes) {
        for (AdminGrant grant : adminsOf.getOrDefault(principal, List.of())) {
            if (scopes.contains(grant.scope())) {
                return grant;
            }
        }
        return null;
    }

    /**
     * Returns a shortest chain of steps from {@code start} to a principal that administers one of {@code scopes}:
     * empty when the start is one itself, null when none is reachable.
     */
    List<Step> pathToAdmin(String start, Set<String> scopes) {
        Map<String, Step> reachedBy = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(start);
        seen.add(start);
        while (!queue.isEmpty()) {
            String principal = queue.poll();
            if (adminGrant(principal, scopes) != null) {
                List<Step> path = new ArrayList<>();
                for (String at = principal; reachedBy.containsKey(at); at = reachedBy.get(at).source()) {
                    path.add(0, reachedBy.get(at));
                }
                return path;
            }
            for (Step step : stepsFrom(principal)) {
                if (seen.add(step.target())) {
                    reachedBy.put(step.target(), step);
                    queue.add(step.target());
                }
            }
        }
        return null;
    }

    /** Returns the first steps from {@code start} after which an administrator of {@code scopes} is reachable. */
    List<Step> firstStepsToAdmin(String start, Set<String> scopes) {
        List<Step> result = new ArrayList<>();
        for (Step step : stepsFrom(start)) {
            if (pathToAdmin(step.target(), scopes) != null) {
                result.add(step);
            }
        }
        return result;
    }
}
