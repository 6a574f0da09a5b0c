package dev.nhigraph.cli;

import dev.nhigraph.analysis.PathAnswers;
import dev.nhigraph.analysis.RevokePlan;
import java.util.LinkedHashSet;
import java.util.Set;

/** The text form of {@code paths --from ID --cut}: what to change, the keys to revoke, and how far the search went. */
final class RevokePlanText {

    private RevokePlanText() {
    }

    static String text(RevokePlan.Plan plan) {
        StringBuilder out = new StringBuilder();
        String target = PathAnswers.ADMIN.equals(plan.to()) ? "an administrator" : plan.to();
        out.append("What to revoke so that ").append(plan.from()).append(" no longer reaches ").append(target).append('\n');
        RevokePlan.Bounds bounds = plan.bounded();
        out.append("  searched ").append(count(bounds.principalsSearched(), "principal")).append(" and ")
                .append(count(bounds.stepsSearched(), "step")).append(" within ").append(count(bounds.maxDepth(), "step"))
                .append(bounds.truncated() ? " (truncated: " + bounds.reason() + ")" : " (complete)").append('\n');
        long steps = plan.cut().stream().filter(item -> !RevokePlan.OWN_ADMIN_RIGHTS.equals(item.kind())).count();
        if (steps < plan.cut().size()) {
            out.append("  it is an administrator itself: change the statements that make it one\n");
        }
        if (!plan.cuttable()) {
            out.append("  no set of steps cuts every path\n");
        } else if (plan.targetsReached() == 0) {
            out.append("  no path to ").append(steps < plan.cut().size() ? "another administrator" : target)
                    .append(" found, so no step needs cutting\n");
        } else {
            out.append("  cut ").append(count((int) steps, "step")).append(" to end every path found to ")
                    .append(count(plan.targetsReached(), "target")).append('\n');
        }

        int number = 1;
        for (RevokePlan.Item item : plan.cut()) {
            out.append('\n').append("  ").append(number++).append(". ");
            if (RevokePlan.OWN_ADMIN_RIGHTS.equals(item.kind())) {
                out.append(item.from()).append(" is an administrator itself").append(item.conditional() ? " (conditional)" : "");
            } else {
                out.append(item.from()).append('\n').append("       --").append(item.kind())
                        .append(item.technique() == null ? "" : " " + item.technique())
                        .append(item.conditional() ? " (conditional)" : "").append("--> ").append(item.to());
            }
            out.append('\n').append("       ").append(item.change()).append('\n');
            Set<String> lines = new LinkedHashSet<>();
            item.evidence().stream().map(PathsCommand::evidenceLine).filter(line -> !PathsCommand.isTechniqueNote(line))
                    .forEach(lines::add);
            lines.forEach(line -> out.append("         ").append(line).append('\n'));
        }

        out.append("\n  Keys of the ").append(count(plan.principalsOnPaths(), "principal")).append(" on the paths: ")
                .append(plan.keys().size()).append('\n');
        for (RevokePlan.Key key : plan.keys()) {
            out.append("    ").append(key.keyId()).append(key.leaked() ? " (the leaked key)" : "").append("  ")
                    .append(key.status() == null ? "status unknown" : key.status()).append("  of ").append(key.principal())
                    .append(key.lastUsedAt() == null ? "" : ", last used " + key.lastUsedAt()).append('\n');
        }

        RevokePlan.Check check = plan.check();
        out.append("\n  check: ").append(check.cutVerified() ? "without the cut, no path searched reaches a target"
                : "the cut does not end every path searched");
        if (check.wholeGraphChecked()) {
            out.append(check.remainingTarget() == null ? "; nor does any longer path in the whole graph"
                    : "; a path longer than the bounds still reaches " + check.remainingTarget());
        }
        out.append('\n');
        if (plan.note() != null) {
            out.append("  ").append(plan.note()).append('\n');
        }
        return out.toString();
    }

    private static String count(int number, String noun) {
        return number + " " + noun + (number == 1 ? "" : "s");
    }
}
