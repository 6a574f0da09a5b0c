package dev.nhigraph.gcp.analysis;

import dev.nhigraph.gcp.GcpInventory.DenyRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules of IAM deny policies, indexed by attachment point, with their permissions converted to the form allow
 * policies use.
 *
 * <p>A deny policy names a permission as {@code SERVICE_FQDN/RESOURCE.VERB}, such as
 * {@code iam.googleapis.com/serviceAccountKeys.create}, where allow policies write
 * {@code iam.serviceAccountKeys.create}. The conversion takes the first label of the service's domain name as the
 * permission's service prefix, except {@code cloudresourcemanager.googleapis.com}, whose permissions start with
 * {@code resourcemanager.}. A {@code *} in a denied permission matches any run of characters.
 */
final class DenyRules {

    /** A deny rule with its position in its policy and its permissions in allow form. */
    record IndexedRule(DenyRule rule, int index, List<Pattern> denied, List<Pattern> exceptions) {

        boolean denies(String permission) {
            return matchesAny(denied, permission) && !matchesAny(exceptions, permission);
        }

        private static boolean matchesAny(List<Pattern> patterns, String permission) {
            for (Pattern pattern : patterns) {
                if (pattern.matcher(permission).matches()) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final Map<String, String> SERVICE_PREFIXES = Map.of("cloudresourcemanager", "resourcemanager");

    private final Map<String, List<IndexedRule>> byAttachmentPoint = new HashMap<>();

    DenyRules(List<DenyRule> rules) {
        Map<String, Integer> positions = new HashMap<>();
        for (DenyRule rule : rules) {
            int index = positions.merge(rule.attachmentPoint() + "#" + rule.policyName(), 1, Integer::sum) - 1;
            IndexedRule indexed = new IndexedRule(rule, index, patterns(rule.deniedPermissions()),
                    patterns(rule.exceptionPermissions()));
            byAttachmentPoint.computeIfAbsent(rule.attachmentPoint(), k -> new ArrayList<>()).add(indexed);
        }
    }

    /** Returns the organizations, folders and projects that have a deny rule attached. */
    java.util.Set<String> attachmentPoints() {
        return byAttachmentPoint.keySet();
    }

    boolean isEmpty() {
        return byAttachmentPoint.isEmpty();
    }

    List<IndexedRule> at(String attachmentPoint) {
        return byAttachmentPoint.getOrDefault(attachmentPoint, List.of());
    }

    private static List<Pattern> patterns(List<String> permissions) {
        List<Pattern> patterns = new ArrayList<>();
        if (permissions == null) {
            return patterns;
        }
        for (String permission : permissions) {
            String[] parts = toAllowForm(permission).split("\\*", -1);
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    regex.append(".*");
                }
                regex.append(Pattern.quote(parts[i]));
            }
            patterns.add(Pattern.compile(regex.toString()));
        }
        return patterns;
    }

    /** Converts {@code iam.googleapis.com/serviceAccountKeys.create} to {@code iam.serviceAccountKeys.create}. */
    static String toAllowForm(String denyPermission) {
        int slash = denyPermission.indexOf('/');
        if (slash < 0) {
            return denyPermission;
        }
        String domain = denyPermission.substring(0, slash);
        int dot = domain.indexOf('.');
        String label = dot < 0 ? domain : domain.substring(0, dot);
        String prefix = SERVICE_PREFIXES.getOrDefault(label, label);
        return prefix + "." + denyPermission.substring(slash + 1);
    }
}
