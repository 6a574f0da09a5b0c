package dev.nhigraph.gcp.bundle;

import static dev.nhigraph.gcp.bundle.JsonValues.strings;
import static dev.nhigraph.gcp.bundle.JsonValues.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.bundle.RawInventory.DenyPolicyFact;
import dev.nhigraph.gcp.bundle.RawInventory.ListedDenyPolicy;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads IAM deny policies (IAM v2) from {@code gcloud iam policies get} and {@code gcloud iam policies list}.
 *
 * <p>A deny policy's name is {@code policies/ATTACHMENT_POINT/denypolicies/POLICY_ID}, where the attachment point
 * is the URL-encoded full resource name without its leading {@code //}, such as
 * {@code cloudresourcemanager.googleapis.com%2Fprojects%2F123}. The IAM API writes a project there by number.
 */
final class DenyPolicyReader {

    private static final Logger log = LoggerFactory.getLogger(DenyPolicyReader.class);

    private DenyPolicyReader() {
    }

    /**
     * Reads the policies of one file. {@code policies list} prints the policies without their rules; those are
     * recorded as listed, so that the inventory can warn when no {@code policies get} output gives their rules.
     */
    static void readPolicies(Items items, String file, RawInventory raw) {
        int rules = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String name = text(item, "name");
            Matcher matcher = name == null ? null : GcloudFileKind.DENY_POLICY_NAME.matcher(name);
            String attachmentPoint = matcher != null && matcher.matches() ? decodeAttachmentPoint(matcher.group(1)) : null;
            if (attachmentPoint == null) {
                raw.skip(file, name == null ? items.label(i) : name, "the policy has no name of the form"
                        + " policies/ATTACHMENT_POINT/denypolicies/POLICY_ID with a URL-encoded full resource name as"
                        + " the attachment point. Check that the file is unedited `"
                        + GcloudFileKind.DENY_POLICY_GET.source() + "` output.");
                continue;
            }
            if (items.list() && !item.has("rules")) {
                raw.listedDenyPolicies.add(new ListedDenyPolicy(name, attachmentPoint, file));
                continue;
            }
            List<GcpInventory.DenyRule> read = new ArrayList<>();
            JsonNode list = item.path("rules");
            for (int index = 0; index < list.size(); index++) {
                GcpInventory.DenyRule rule = rule(list.get(index), "rule " + index + " of deny policy " + name,
                        name, attachmentPoint, file, raw);
                if (rule != null) {
                    read.add(rule);
                }
            }
            raw.denyPolicies.add(new DenyPolicyFact(name, attachmentPoint, List.copyOf(read), file));
            rules += read.size();
        }
        log.info("Read {} deny rules from {}", rules, file);
    }

    private static GcpInventory.DenyRule rule(JsonNode node, String item, String policyName, String attachmentPoint,
                                             String file, RawInventory raw) {
        JsonNode deny = node.get("denyRule");
        if (deny == null || !deny.isObject()) {
            raw.skip(file, item, "the rule has no denyRule. Check that the file is unedited `"
                    + GcloudFileKind.DENY_POLICY_GET.source() + "` output.");
            return null;
        }
        List<String> principals = strings(deny, "deniedPrincipals");
        List<String> permissions = strings(deny, "deniedPermissions");
        if (principals.isEmpty() || permissions.isEmpty()) {
            raw.skip(file, item, "the rule names no denied principal or no denied permission, so it denies nothing;"
                    + " nothing to load.");
            return null;
        }
        GcpInventory.Condition condition = null;
        JsonNode conditionNode = deny.get("denialCondition");
        if (conditionNode != null && !conditionNode.isNull()) {
            String expression = text(conditionNode, "expression");
            if (expression == null) {
                raw.skip(file, item, "the rule has a denialCondition without an expression, so when it denies is"
                        + " unknown. Check that the file is an unedited export.");
                return null;
            }
            condition = new GcpInventory.Condition(text(conditionNode, "title"), text(conditionNode, "description"), expression);
        }
        return new GcpInventory.DenyRule(attachmentPoint, policyName, List.copyOf(principals),
                List.copyOf(strings(deny, "exceptionPrincipals")), List.copyOf(permissions),
                List.copyOf(strings(deny, "exceptionPermissions")), condition, file);
    }

    /** Returns the attachment point as a full resource name ({@code //SERVICE/...}), or null when it is not one. */
    static String decodeAttachmentPoint(String encoded) {
        String decoded;
        try {
            // Percent-decoding only: a literal + stays a +, where URLDecoder alone would make it a space.
            decoded = URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String name = decoded.startsWith("//") ? decoded.substring(2) : decoded;
        int slash = name.indexOf('/');
        if (slash <= 0 || slash == name.length() - 1 || !name.substring(0, slash).contains(".")) {
            return null;
        }
        return "//" + name;
    }
}
