package dev.nhigraph.escalation;

import dev.nhigraph.escalation.Technique.Category;
import dev.nhigraph.escalation.Technique.Outcome;
import dev.nhigraph.escalation.Technique.Target;
import dev.nhigraph.policy.ActionCatalog;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the techniques of one catalogue, including that no id repeats. The rules are the ones
 * docs/escalation-techniques.md states for each field; one instance checks one catalogue.
 */
final class TechniqueValidator {

    /** pathfinding.cloud ids such as {@code iam-005} or {@code ec2instanceconnect-003}. */
    private static final Pattern PATHFINDING_ID = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*-\\d{3}");
    private static final Pattern NHIGRAPH_ID = Pattern.compile("nhigraph-[a-z0-9]+(?:-[a-z0-9]+)*");
    private static final Pattern RESOURCE_KIND = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final Set<String> PLACEHOLDERS = Set.of("account", "region");

    static final String PATHFINDING = "pathfinding.cloud";
    /** Source keys, in the order error messages list them. */
    static final List<String> SOURCES = List.of(PATHFINDING, "rhino", "cloudsplaining", "cloudsplaining-2020", "pmapper");
    private static final Set<String> CALLER_KINDS = Set.of("AwsUser", "AwsRole");
    private static final Map<Target, String> KIND_OF_TARGET = Map.of(
            Target.ROLE, "AwsRole", Target.USER, "AwsUser", Target.GROUP, "AwsGroup", Target.POLICY, "AwsPolicy");

    private final ActionCatalog actions;
    private final Set<String> seenIds = new HashSet<>();

    TechniqueValidator(ActionCatalog actions) {
        this.actions = actions;
    }

    /** Returns the problems of one technique, empty when it is valid. */
    List<String> check(Technique technique) {
        List<String> problems = new ArrayList<>();
        checkId(technique, problems);
        requireText(technique.name(), "name", problems);
        requireText(technique.note(), "note", problems);
        if (technique.category() == null) {
            problems.add("missing category");
        }
        if (technique.target() == null) {
            problems.add("missing target");
        }
        if (technique.outcome() == null) {
            problems.add("missing outcome");
        }
        if (technique.callerKind() != null && !CALLER_KINDS.contains(technique.callerKind())) {
            problems.add("unknown callerKind \"" + technique.callerKind() + "\", expected AwsUser or AwsRole");
        }
        checkPermissions(technique, problems);
        checkSources(technique, problems);

        // The rules below relate fields to the target, so they need one.
        if (technique.target() != null) {
            checkTargetRequirements(technique, problems);
            checkCategoryAndOutcome(technique, problems);
        }
        return problems;
    }

    private void checkId(Technique technique, List<String> problems) {
        String id = technique.id();
        if (id == null || id.isBlank()) {
            problems.add("missing id");
            return;
        }
        if (!PATHFINDING_ID.matcher(id).matches() && !NHIGRAPH_ID.matcher(id).matches()) {
            problems.add("invalid id \"" + id + "\", use a pathfinding.cloud id such as iam-005, or nhigraph-<short-name>"
                    + " in lower case with hyphens");
        }
        if (!seenIds.add(id)) {
            problems.add("duplicate id \"" + id + "\"");
        }
    }

    private static void requireText(String value, String field, List<String> problems) {
        if (value == null || value.isBlank()) {
            problems.add("missing " + field);
        }
    }

    private void checkPermissions(Technique technique, List<String> problems) {
        if (technique.permissions().isEmpty()) {
            problems.add("missing permissions, list at least one action");
            return;
        }
        for (int i = 0; i < technique.permissions().size(); i++) {
            Permission permission = technique.permissions().get(i);
            String where = "permissions[" + i + "]";
            if (permission == null) {
                problems.add(where + " is null");
                continue;
            }
            checkAction(permission.action(), where, problems);
            checkResource(permission.resource(), technique.target(), where, problems);
        }
    }

    private void checkAction(String action, String where, List<String> problems) {
        if (action == null || action.isBlank()) {
            problems.add(where + ": missing action");
            return;
        }
        Optional<ActionCatalog.Action> known = actions.find(action);
        if (known.isEmpty()) {
            problems.add(where + ": action " + action + " is not in the action catalogue");
        } else if (!known.get().fullName().equals(action)) {
            // Matching ignores case, but one spelling keeps the file searchable.
            problems.add(where + ": action " + action + " is spelled " + known.get().fullName() + " in the action catalogue");
        }
    }

    private static void checkResource(String resource, Target target, String where, List<String> problems) {
        if (resource == null || resource.isBlank()) {
            problems.add(where + ": missing resource");
            return;
        }
        switch (resource) {
            case Permission.SELF -> { }
            case Permission.TARGET -> {
                if (target == Target.SELF || target == Target.NONE) {
                    problems.add(where + ": resource \"target\" needs a target other than self or none,"
                            + " use \"self\" or an ARN template");
                }
            }
            case Permission.TARGET_ATTACHED_POLICY -> {
                if (target != Target.ROLE && target != Target.USER && target != Target.GROUP) {
                    problems.add(where + ": resource \"target-attached-policy\" needs a role, user or group target");
                }
            }
            default -> checkTemplate(resource, where, problems);
        }
    }

    private static void checkTemplate(String resource, String where, List<String> problems) {
        if (!resource.equals("*") && !resource.startsWith("arn:")) {
            problems.add(where + ": invalid resource \"" + resource + "\", expected target, self, "
                    + "target-attached-policy, \"*\" or an ARN template");
            return;
        }
        Matcher placeholder = PLACEHOLDER.matcher(resource);
        while (placeholder.find()) {
            if (!PLACEHOLDERS.contains(placeholder.group(1))) {
                problems.add(where + ": unknown placeholder {" + placeholder.group(1) + "} in " + resource
                        + ", only {account} and {region} are replaced");
            }
        }
    }

    private static void checkSources(Technique technique, List<String> problems) {
        for (Map.Entry<String, String> source : technique.sources().entrySet()) {
            if (!SOURCES.contains(source.getKey())) {
                problems.add("unknown source \"" + source.getKey() + "\", expected one of " + String.join(", ", SOURCES));
            }
            if (source.getValue() == null || source.getValue().isBlank()) {
                problems.add("source " + source.getKey() + " has no id or name");
            }
        }
        String id = technique.id();
        String pathfinding = technique.sources().get(PATHFINDING);
        if (id == null) {
            return;
        }
        if (pathfinding != null && !pathfinding.equals(id)) {
            problems.add("id must be the pathfinding.cloud id " + pathfinding);
        }
        if (pathfinding == null && !id.startsWith("nhigraph-")) {
            problems.add("id " + id + " looks like a pathfinding.cloud id but sources has no pathfinding.cloud entry;"
                    + " add it or use nhigraph-<short-name>");
        }
    }

    private void checkTargetRequirements(Technique technique, List<String> problems) {
        Target target = technique.target();
        TargetRequirements requires = technique.targetRequires();
        String expectedKind = KIND_OF_TARGET.get(target);
        if (expectedKind == null) {
            // The caller's own limits go in callerKind, so a self or none target has nothing to require.
            if (!requires.isEmpty()) {
                problems.add("targetRequires must be empty when target is " + target.label()
                        + ", put limits on the caller in callerKind");
            }
            return;
        }
        if (!expectedKind.equals(requires.kind())) {
            problems.add("targetRequires.kind must be " + expectedKind + " for target " + target.label()
                    + ", found " + requires.kind());
        }

        onlyFor(requires.trustsService() != null, "trustsService", target, Target.ROLE, problems);
        onlyFor(requires.trustsCaller() != null, "trustsCaller", target, Target.ROLE, problems);
        onlyFor(requires.hasInstanceProfile() != null, "hasInstanceProfile", target, Target.ROLE, problems);
        onlyFor(requires.userHasLoginProfile() != null, "userHasLoginProfile", target, Target.USER, problems);
        onlyFor(requires.accessKeysBelow() != null, "accessKeysBelow", target, Target.USER, problems);
        onlyFor(requires.attachedTo() != null, "attachedTo", target, Target.POLICY, problems);
        onlyFor(requires.hasMember() != null, "hasMember", target, Target.GROUP, problems);

        if (requires.trustsService() != null && !requires.trustsService().endsWith(".amazonaws.com")) {
            problems.add("targetRequires.trustsService \"" + requires.trustsService()
                    + "\" is not a service principal such as lambda.amazonaws.com");
        }
        // AWS allows at most two access keys per user, so only 1 and 2 are meaningful limits.
        if (requires.accessKeysBelow() != null && (requires.accessKeysBelow() < 1 || requires.accessKeysBelow() > 2)) {
            problems.add("targetRequires.accessKeysBelow must be 1 or 2, found " + requires.accessKeysBelow());
        }
        if (requires.attachedTo() != null && !requires.attachedTo().equals(TargetRequirements.CALLER)) {
            problems.add("targetRequires.attachedTo must be \"caller\", found \"" + requires.attachedTo() + "\"");
        }
        if (requires.hasMember() != null && !requires.hasMember().equals(TargetRequirements.CALLER)) {
            problems.add("targetRequires.hasMember must be \"caller\", found \"" + requires.hasMember() + "\"");
        }
        if (requires.existing() != null && !RESOURCE_KIND.matcher(requires.existing()).matches()) {
            problems.add("targetRequires.existing \"" + requires.existing()
                    + "\" must be a lower-case resource kind with hyphens, such as lambda-function");
        }
        for (int i = 0; i < requires.allows().size(); i++) {
            checkAction(requires.allows().get(i), "targetRequires.allows[" + i + "]", problems);
        }
    }

    private static void onlyFor(boolean present, String field, Target target, Target allowed, List<String> problems) {
        if (present && target != allowed) {
            problems.add("targetRequires." + field + " applies only to a " + allowed.label() + " target, not "
                    + target.label());
        }
    }

    /** Rejects combinations that contradict the definitions of the categories and outcomes. */
    private static void checkCategoryAndOutcome(Technique technique, List<String> problems) {
        Target target = technique.target();
        Category category = technique.category();
        if ((category == Category.NEW_PASSROLE || category == Category.EXISTING_PASSROLE) && target != Target.ROLE) {
            problems.add("category " + category.label() + " needs target role, found " + target.label());
        }
        if (category == Category.PRINCIPAL_ACCESS && target != Target.ROLE && target != Target.USER) {
            problems.add("category principal-access needs target role or user, found " + target.label());
        }
        if (category == Category.SELF_ESCALATION
                && !EnumSet.of(Target.SELF, Target.GROUP, Target.POLICY).contains(target)) {
            problems.add("category self-escalation needs target self, group or policy, found " + target.label());
        }

        Outcome outcome = technique.outcome();
        if (outcome == Outcome.BECOMES_TARGET && target != Target.ROLE && target != Target.USER) {
            problems.add("outcome becomes-target needs target role or user, found " + target.label());
        }
        if (outcome == Outcome.GAINS_TARGET_PERMISSIONS && target != Target.GROUP && target != Target.POLICY) {
            problems.add("outcome gains-target-permissions needs target group or policy, found " + target.label());
        }
    }
}
