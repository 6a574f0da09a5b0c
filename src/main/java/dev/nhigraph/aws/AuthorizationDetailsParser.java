package dev.nhigraph.aws;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.BadInputException;
import dev.nhigraph.aws.IamModel.Group;
import dev.nhigraph.aws.IamModel.InlinePolicy;
import dev.nhigraph.aws.IamModel.InstanceProfile;
import dev.nhigraph.aws.IamModel.ManagedPolicy;
import dev.nhigraph.aws.IamModel.PolicyAttachment;
import dev.nhigraph.aws.IamModel.Role;
import dev.nhigraph.aws.IamModel.SkippedItem;
import dev.nhigraph.aws.IamModel.User;
import dev.nhigraph.policy.PolicyDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the output of {@code aws iam get-account-authorization-details --output json} into {@link IamModel} records.
 *
 * <p>A file that is not JSON, or JSON of another kind, is rejected whole with a {@link BadInputException} that
 * names the file. An entity without its ARN or name is rejected the same way, since the export is then
 * damaged. A policy document that is not a policy is left out and listed as skipped, so one bad policy does
 * not stop the rest of the account from loading.
 */
public final class AuthorizationDetailsParser {

    /** Files larger than this are rejected before parsing: the largest real exports are far smaller. */
    public static final long MAX_FILE_BYTES = 1L << 30;

    static final Set<String> KNOWN_KEYS = Set.of("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies",
            "Marker", "IsTruncated", "NextToken", "ResponseMetadata");
    private static final Map<String, String> LISTS_BY_KIND = Map.of(
            "AwsUser", "UserDetailList", "AwsGroup", "GroupDetailList", "AwsRole", "RoleDetailList");
    private static final Set<String> ENTITY_KEYS = Set.of("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies");
    private static final Pattern IAM_ARN = Pattern.compile("^arn:(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*):iam::(\\d{12}|aws):(.+)$");
    private static final Logger log = LoggerFactory.getLogger(AuthorizationDetailsParser.class);

    private final AuthorizationDetails details = new AuthorizationDetails();

    /** Parses every file, in order, into one merged {@link AuthorizationDetails}. */
    public static AuthorizationDetails parse(List<Path> files) {
        AuthorizationDetailsParser parser = new AuthorizationDetailsParser();
        for (Path file : files) {
            parser.parseFile(file);
        }
        return parser.details;
    }

    private void parseFile(Path file) {
        JsonNode root = readJson(file);
        String name = file.toString();
        if (!root.isObject() || ENTITY_KEYS.stream().noneMatch(root::has)) {
            throw new BadInputException(name + " is not the output of `aws iam get-account-authorization-details`:"
                    + " expected a JSON object with UserDetailList, GroupDetailList, RoleDetailList or Policies."
                    + " Export it with `aws iam get-account-authorization-details --output json > FILE`.");
        }
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!KNOWN_KEYS.contains(key)) {
                details.warn(name + ": unknown top-level field \"" + key + "\" ignored");
            }
        }
        if (root.path("IsTruncated").asBoolean(false)) {
            details.warn(name + ": the export says IsTruncated=true, so this file is one page of several;"
                    + " load every page together, or export without --max-items");
        }

        details.addFile(name);
        Set<String> fileAccounts = new TreeSet<>();
        JsonNode policies = list(root, "Policies", name);
        for (int i = 0; i < policies.size(); i++) {
            ManagedPolicy policy = managedPolicy(policies.get(i), new Item(name, "Policies", i));
            details.add(policy);
            if (!policy.awsManaged()) {
                fileAccounts.add(policy.account());
            }
        }
        JsonNode groups = list(root, "GroupDetailList", name);
        for (int i = 0; i < groups.size(); i++) {
            Group group = group(groups.get(i), new Item(name, "GroupDetailList", i));
            details.add(group);
            fileAccounts.add(group.account());
        }
        JsonNode users = list(root, "UserDetailList", name);
        for (int i = 0; i < users.size(); i++) {
            User user = user(users.get(i), new Item(name, "UserDetailList", i));
            details.add(user);
            fileAccounts.add(user.account());
        }
        JsonNode roles = list(root, "RoleDetailList", name);
        for (int i = 0; i < roles.size(); i++) {
            Role role = role(roles.get(i), new Item(name, "RoleDetailList", i));
            details.add(role);
            fileAccounts.add(role.account());
        }

        // A list present in an export contains every principal of its kind in the export's account, so a stored one
        // that it lacks was deleted. A missing list (`--filter Role` leaves out users and groups) shows nothing.
        Set<String> kinds = new TreeSet<>();
        LISTS_BY_KIND.forEach((kind, key) -> {
            if (root.path(key).isArray()) {
                kinds.add(kind);
            }
        });
        boolean truncated = root.path("IsTruncated").asBoolean(false);
        fileAccounts.forEach(account -> details.listed(account, kinds, truncated));
        log.info("Parsed {}: {} users, {} groups, {} roles, {} managed policies",
                name, users.size(), groups.size(), roles.size(), policies.size());
    }

    private static JsonNode readJson(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new BadInputException(file + " does not exist or is not a file.");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new BadInputException(file + " is " + size + " bytes, more than the limit of " + MAX_FILE_BYTES
                        + " bytes for one export. Split the export by account.");
            }
            JsonNode root = PolicyDocuments.JSON.readTree(file.toFile());
            if (root == null || root.isMissingNode()) {
                throw new BadInputException(file + " is empty; expected the JSON output of"
                        + " `aws iam get-account-authorization-details`.");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String position = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new BadInputException(file + " is not valid JSON" + position + ": " + e.getOriginalMessage()
                    + ". Check that the file is a complete, unedited export.", e);
        } catch (IOException e) {
            throw new BadInputException("Failed to read " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode list(JsonNode root, String key, String file) {
        JsonNode list = root.path(key);
        if (list.isMissingNode() || list.isNull()) {
            return PolicyDocuments.JSON.createArrayNode();
        }
        if (!list.isArray()) {
            throw new BadInputException(file + ": " + key + " is a JSON " + list.getNodeType().name().toLowerCase()
                    + ", expected a list as `aws iam get-account-authorization-details` writes it.");
        }
        return list;
    }

    private ManagedPolicy managedPolicy(JsonNode node, Item item) {
        String arn = requiredArn(node, item);
        String name = required(node, "PolicyName", item);
        String defaultVersion = optional(node, "DefaultVersionId");
        String document = null;
        for (JsonNode version : node.path("PolicyVersionList")) {
            boolean isDefault = version.path("IsDefaultVersion").asBoolean(false)
                    || (defaultVersion != null && defaultVersion.equals(version.path("VersionId").asText()));
            if (isDefault) {
                document = policyDocument(version.get("Document"), item, "policy " + arn + " version " + version.path("VersionId").asText());
            }
        }
        if (document == null && !node.path("PolicyVersionList").isEmpty()) {
            details.skip(new SkippedItem(item.file, "policy " + arn, "no usable default version; its grants are left out"));
        }
        Integer attachments = node.has("AttachmentCount") ? node.get("AttachmentCount").asInt() : null;
        return new ManagedPolicy(arn, name, optional(node, "PolicyId"), optional(node, "Path"), account(arn),
                defaultVersion, document, attachments, optional(node, "CreateDate"), optional(node, "UpdateDate"),
                node.path("PolicyVersionList").size());
    }

    private Group group(JsonNode node, Item item) {
        String arn = requiredArn(node, item);
        String name = required(node, "GroupName", item);
        return new Group(arn, name, optional(node, "GroupId"), optional(node, "Path"), account(arn),
                optional(node, "CreateDate"), attachments(node, item), inlinePolicies(node, "GroupPolicyList", arn, item));
    }

    private User user(JsonNode node, Item item) {
        String arn = requiredArn(node, item);
        String name = required(node, "UserName", item);
        List<String> groups = new ArrayList<>();
        node.path("GroupList").forEach(group -> groups.add(group.asText()));
        return new User(arn, name, optional(node, "UserId"), optional(node, "Path"), account(arn),
                optional(node, "CreateDate"), groups, attachments(node, item),
                inlinePolicies(node, "UserPolicyList", arn, item), boundary(node), tags(node));
    }

    private Role role(JsonNode node, Item item) {
        String arn = requiredArn(node, item);
        String name = required(node, "RoleName", item);
        String trust = policyDocument(node.get("AssumeRolePolicyDocument"), item, "trust policy of " + arn);
        List<InstanceProfile> profiles = new ArrayList<>();
        for (JsonNode profile : node.path("InstanceProfileList")) {
            String profileArn = optional(profile, "Arn");
            if (profileArn != null) {
                profiles.add(new InstanceProfile(profileArn, optional(profile, "InstanceProfileName"), optional(profile, "Path")));
            }
        }
        JsonNode lastUsed = node.path("RoleLastUsed");
        return new Role(arn, name, optional(node, "RoleId"), optional(node, "Path"), account(arn),
                optional(node, "CreateDate"), trust, attachments(node, item),
                inlinePolicies(node, "RolePolicyList", arn, item), boundary(node), tags(node), profiles,
                optional(lastUsed, "LastUsedDate"), optional(lastUsed, "Region"));
    }

    private static List<PolicyAttachment> attachments(JsonNode node, Item item) {
        List<PolicyAttachment> attachments = new ArrayList<>();
        for (JsonNode attached : node.path("AttachedManagedPolicies")) {
            String arn = optional(attached, "PolicyArn");
            if (arn == null) {
                throw new BadInputException(item + " has an entry in AttachedManagedPolicies without PolicyArn."
                        + " Check that the file is a complete, unedited export.");
            }
            attachments.add(new PolicyAttachment(arn, optional(attached, "PolicyName")));
        }
        return attachments;
    }

    private List<InlinePolicy> inlinePolicies(JsonNode node, String key, String ownerArn, Item item) {
        List<InlinePolicy> policies = new ArrayList<>();
        for (JsonNode inline : node.path(key)) {
            String name = optional(inline, "PolicyName");
            if (name == null) {
                details.skip(new SkippedItem(item.file, item + " " + key, "inline policy without PolicyName"));
                continue;
            }
            String document = policyDocument(inline.get("PolicyDocument"), item, "inline policy " + name + " of " + ownerArn);
            if (document != null) {
                policies.add(new InlinePolicy(ownerArn, name, document));
            }
        }
        return policies;
    }

    /** Returns the document as compact JSON, or null after recording why it is left out. */
    private String policyDocument(JsonNode value, Item item, String what) {
        try {
            JsonNode document = PolicyDocuments.decode(value);
            String reason = PolicyDocuments.invalidReason(document);
            if (reason != null) {
                details.skip(new SkippedItem(item.file, what, "not a valid IAM policy: " + reason));
                // Logged at INFO because the load result lists the skipped item and the command line prints it.
                log.info("Skipped {} in {}: not a valid IAM policy: {}", what, item.file, reason);
                return null;
            }
            return PolicyDocuments.JSON.writeValueAsString(document);
        } catch (IllegalArgumentException | JsonProcessingException e) {
            details.skip(new SkippedItem(item.file, what, e.getMessage()));
            log.info("Skipped {} in {}: {}", what, item.file, e.getMessage());
            return null;
        }
    }

    private static String boundary(JsonNode node) {
        return optional(node.path("PermissionsBoundary"), "PermissionsBoundaryArn");
    }

    private static Map<String, String> tags(JsonNode node) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode tag : node.path("Tags")) {
            tags.put(tag.path("Key").asText(), tag.path("Value").asText());
        }
        return tags;
    }

    private static String requiredArn(JsonNode node, Item item) {
        String arn = required(node, "Arn", item);
        if (!IAM_ARN.matcher(arn).matches()) {
            throw new BadInputException(item + " has Arn \"" + arn + "\", which is not an IAM ARN"
                    + " (arn:aws:iam::ACCOUNT:...). Check that the file is an unedited export.");
        }
        return arn;
    }

    private static String required(JsonNode node, String field, Item item) {
        if (!node.isObject()) {
            throw new BadInputException(item + " is not a JSON object. Check that the file is an unedited export.");
        }
        String value = optional(node, field);
        if (value == null || value.isBlank()) {
            throw new BadInputException(item + " has no \"" + field + "\"; every entry of an authorization-details"
                    + " export has one. Check that the file is a complete, unedited export.");
        }
        return value;
    }

    private static String optional(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** Returns the account of an IAM ARN: twelve digits, or "aws" for AWS-managed policies. */
    static String account(String arn) {
        Matcher matcher = IAM_ARN.matcher(arn);
        return matcher.matches() ? matcher.group(2) : null;
    }

    /** Returns the partition of an ARN, such as aws or aws-cn. */
    public static String partition(String arn) {
        Matcher matcher = IAM_ARN.matcher(arn);
        return matcher.matches() ? matcher.group(1) : "aws";
    }

    /** The position of one entity in a file, for error messages. */
    private record Item(String file, String list, int index) {

        @Override
        public String toString() {
            return file + ": " + list + "[" + index + "]";
        }
    }
}
