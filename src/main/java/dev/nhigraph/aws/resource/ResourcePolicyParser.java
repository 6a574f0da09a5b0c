package dev.nhigraph.aws.resource;

import dev.nhigraph.aws.bundle.CliJsonFields;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.aws.IamModel.SkippedItem;
import dev.nhigraph.policy.PolicyDocuments;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads resource-based policies from the JSON output of the AWS CLI.
 *
 * <p>The resource that owns a policy is taken, in this order, from the output itself, from the file's layout
 * under a {@code resource-policies} folder (see {@link Service} for each service's layout), or from the
 * policy's statements when every statement's Resource names the same resource. For S3, a bucket ARN and the
 * ARNs of objects in that bucket count as the same resource. When none of these gives the owner, the file is
 * listed as skipped with what to do. A policy document that is not a valid IAM policy is skipped the same way.
 */
public final class ResourcePolicyParser {

    /** The outputs this parser reads, with the command that produces each one. */
    public enum FileKind {
        /** {@code {"Policy": "..."}} and nothing else: get-bucket-policy, or get-key-policy of an older AWS CLI. */
        POLICY_ONLY("aws s3api get-bucket-policy --bucket BUCKET", Set.of(Service.S3, Service.KMS)),
        KEY_POLICY("aws kms get-key-policy --key-id KEY_ID", Set.of(Service.KMS)),
        FUNCTION_POLICY("aws lambda get-policy --function-name FUNCTION", Set.of(Service.LAMBDA)),
        SECRET_POLICY("aws secretsmanager get-resource-policy --secret-id SECRET", Set.of(Service.SECRETSMANAGER)),
        QUEUE_ATTRIBUTES("aws sqs get-queue-attributes --queue-url URL --attribute-names Policy QueueArn", Set.of(Service.SQS)),
        TOPIC_ATTRIBUTES("aws sns get-topic-attributes --topic-arn ARN", Set.of(Service.SNS)),
        /** {@code {"Attributes": {...}}} with a Policy but neither QueueArn nor TopicArn. */
        ATTRIBUTES_ONLY("aws sqs get-queue-attributes --attribute-names Policy", Set.of(Service.SQS, Service.SNS)),
        REPOSITORY_POLICY("aws ecr get-repository-policy --repository-name NAME", Set.of(Service.ECR));

        private final String command;
        private final Set<Service> services;

        FileKind(String command, Set<Service> services) {
            this.command = command;
            this.services = services;
        }

        public String command() {
            return command;
        }
    }

    /**
     * The services whose resource policies nhigraph reads, each with its folder under {@code resource-policies}
     * and the layout below that folder.
     */
    public enum Service {
        S3("s3", "bucket policy", "resource-policies/s3/BUCKET.json or resource-policies/s3/ACCOUNT/BUCKET.json"),
        KMS("kms", "key policy", "resource-policies/kms/ACCOUNT/REGION/KEY_ID.json"),
        LAMBDA("lambda", "function policy", "resource-policies/lambda/ACCOUNT/REGION/FUNCTION.json"),
        SECRETSMANAGER("secretsmanager", "secret policy", null),
        SQS("sqs", "queue policy", "resource-policies/sqs/ACCOUNT/REGION/QUEUE.json"),
        SNS("sns", "topic policy", "resource-policies/sns/ACCOUNT/REGION/TOPIC.json"),
        ECR("ecr", "repository policy", "resource-policies/ecr/ACCOUNT/REGION/REPOSITORY.json");

        private final String prefix;
        private final String policyName;
        private final String layout;

        Service(String prefix, String policyName, String layout) {
            this.prefix = prefix;
            this.policyName = policyName;
            this.layout = layout;
        }

        /** Returns the service prefix of ARNs, which is also the folder name under resource-policies. */
        public String prefix() {
            return prefix;
        }

        /** Returns the kind of policy, such as "bucket policy", for names and messages. */
        public String policyName() {
            return policyName;
        }

        /** Returns the layout of a file of this service, or null when the service has none (the output names its ARN). */
        public String layout() {
            return layout;
        }

        static Service ofPrefix(String prefix) {
            for (Service service : values()) {
                if (service.prefix.equals(prefix)) {
                    return service;
                }
            }
            return null;
        }
    }

    static final String LAYOUT_FOLDER = "resource-policies";
    private static final Logger log = LoggerFactory.getLogger(ResourcePolicyParser.class);

    private final Map<String, ResourcePolicy> policies = new LinkedHashMap<>();
    private final List<SkippedItem> skipped = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    /** Returns the kind of resource-policy output {@code root} is, or null for any other JSON. */
    public static FileKind recognise(JsonNode root) {
        if (root == null || !root.isObject()) {
            return null;
        }
        if (root.path("Policy").isTextual()) {
            if (root.has("PolicyName")) {
                return FileKind.KEY_POLICY;
            }
            if (root.has("RevisionId")) {
                return FileKind.FUNCTION_POLICY;
            }
            return root.size() == 1 ? FileKind.POLICY_ONLY : null;
        }
        if (root.has("ResourcePolicy") || (root.has("ARN") && root.path("ARN").asText().contains(":secretsmanager:"))) {
            return FileKind.SECRET_POLICY;
        }
        if (root.has("policyText") || (root.has("registryId") && root.has("repositoryName"))) {
            return FileKind.REPOSITORY_POLICY;
        }
        JsonNode attributes = root.path("Attributes");
        if (attributes.isObject()) {
            if (attributes.has("QueueArn")) {
                return FileKind.QUEUE_ATTRIBUTES;
            }
            if (attributes.has("TopicArn") && !attributes.has("SubscriptionArn")) {
                return FileKind.TOPIC_ATTRIBUTES;
            }
            if (attributes.has("Policy")) {
                return FileKind.ATTRIBUTES_ONLY;
            }
        }
        return null;
    }

    /** Reads one file of the given kind; {@code file} is used for messages and for its layout. */
    public void add(FileKind kind, JsonNode root, Path file) {
        String name = file.toString();
        JsonNode text = policyText(kind, root);
        if (text == null || text.isNull() || (text.isTextual() && text.asText().isBlank())) {
            skip(name, "resource policy", "the output contains no policy, so the resource has none or the command"
                    + " left it out; nothing to load");
            return;
        }

        Owner fromContent = ownerFromContent(kind, root);
        Layout layout = Layout.of(file);
        Service layoutService = layout == null ? null : Service.ofPrefix(layout.serviceFolder);
        if (layout != null && (layoutService == null || !kind.services.contains(layoutService))) {
            warnings.add(name + ": the folder " + LAYOUT_FOLDER + "/" + layout.serviceFolder + " does not match the"
                    + " content, which is the output of `" + kind.command() + "`, so the layout is ignored");
            layout = null;
            layoutService = null;
        }

        Owner owner = fromContent != null && fromContent.complete() ? fromContent : null;
        if (owner == null && layout != null) {
            owner = layout.owner(layoutService, fromContent);
        }

        String document;
        try {
            JsonNode parsed = PolicyDocuments.decode(text);
            String reason = PolicyDocuments.invalidReason(parsed);
            if (reason != null) {
                rejectDocument(name, owner, "not a valid IAM policy: " + reason);
                return;
            }
            document = PolicyDocuments.JSON.writeValueAsString(parsed);
        } catch (IllegalArgumentException | JsonProcessingException e) {
            rejectDocument(name, owner, e.getMessage());
            return;
        }

        if (owner == null) {
            owner = ownerFromStatements(document, kind);
        }
        if (owner == null) {
            skip(name, "resource policy", ownerMissingReason(kind, fromContent));
            return;
        }
        ResourcePolicy policy = new ResourcePolicy(owner.arn, owner.service.prefix, owner.account, owner.region,
                owner.name, document, name);
        ResourcePolicy earlier = policies.putIfAbsent(policy.resourceArn(), policy);
        if (earlier != null) {
            warnings.add(name + " contains the " + owner.service.policyName + " of " + policy.resourceArn()
                    + ", which " + earlier.file() + " already gave; kept the one from " + earlier.file());
            return;
        }
        log.info("Read the {} of {} from {}", owner.service.policyName, policy.resourceArn(), name);
    }

    public List<ResourcePolicy> policies() {
        return List.copyOf(policies.values());
    }

    /** Returns what was left out, each with its file and the reason. */
    public List<SkippedItem> skipped() {
        return skipped;
    }

    /** Returns problems that did not stop a policy from loading, such as a layout that contradicts the content. */
    public List<String> warnings() {
        return warnings;
    }

    private static JsonNode policyText(FileKind kind, JsonNode root) {
        return switch (kind) {
            case POLICY_ONLY, KEY_POLICY, FUNCTION_POLICY -> root.get("Policy");
            case SECRET_POLICY -> root.get("ResourcePolicy");
            case QUEUE_ATTRIBUTES, TOPIC_ATTRIBUTES, ATTRIBUTES_ONLY -> root.path("Attributes").get("Policy");
            case REPOSITORY_POLICY -> root.get("policyText");
        };
    }

    /** Returns the resource that the output names: a whole ARN, the parts of one (ECR), or null. */
    private static Owner ownerFromContent(FileKind kind, JsonNode root) {
        return switch (kind) {
            case SECRET_POLICY -> {
                Owner owner = Owner.ofArn(CliJsonFields.text(root, "ARN"));
                yield owner == null ? null : owner.withName(CliJsonFields.text(root, "Name"));
            }
            case QUEUE_ATTRIBUTES -> Owner.ofArn(CliJsonFields.text(root.path("Attributes"), "QueueArn"));
            case TOPIC_ATTRIBUTES -> Owner.ofArn(CliJsonFields.text(root.path("Attributes"), "TopicArn"));
            // get-repository-policy names the account and the repository but not the region.
            case REPOSITORY_POLICY -> new Owner(null, Service.ECR, CliJsonFields.text(root, "registryId"), null, CliJsonFields.text(root, "repositoryName"));
            default -> null;
        };
    }

    /**
     * Returns the owner when every statement has a Resource and all of them name the same resource, with no
     * wildcard, of a service that {@code kind} allows; else null.
     */
    private static Owner ownerFromStatements(String document, FileKind kind) {
        JsonNode parsed;
        try {
            parsed = PolicyDocuments.JSON.readTree(document);
        } catch (JsonProcessingException e) {
            return null;
        }
        JsonNode statements = parsed.get("Statement");
        List<JsonNode> list = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(list::add);
        } else {
            list.add(statements);
        }
        Set<String> resources = new LinkedHashSet<>();
        for (JsonNode statement : list) {
            JsonNode resource = statement.get("Resource");
            if (resource == null || statement.has("NotResource")) {
                return null;
            }
            List<JsonNode> values = new ArrayList<>();
            if (resource.isArray()) {
                resource.forEach(values::add);
            } else {
                values.add(resource);
            }
            for (JsonNode value : values) {
                String arn = value.asText();
                if (arn.contains("*") || arn.contains("?")) {
                    if (!isObjectsOfOneBucket(arn)) {
                        return null;
                    }
                }
                resources.add(bucketOf(arn));
            }
        }
        if (resources.size() != 1) {
            return null;
        }
        Owner owner = Owner.ofArn(resources.iterator().next());
        return owner != null && kind.services.contains(owner.service) ? owner : null;
    }

    /** Tells whether a pattern such as arn:aws:s3:::bucket/* or arn:aws:s3:::bucket/logs/* stays inside one bucket. */
    private static boolean isObjectsOfOneBucket(String arn) {
        ResourceArn parts = ResourceArn.parse(arn);
        if (parts == null || !parts.service().equals("s3") || !parts.region().isEmpty() || !parts.account().isEmpty()) {
            return false;
        }
        int slash = parts.resource().indexOf('/');
        String bucket = slash < 0 ? parts.resource() : parts.resource().substring(0, slash);
        return slash > 0 && !bucket.contains("*") && !bucket.contains("?");
    }

    /** Returns the bucket ARN for an S3 object ARN or pattern, and any other ARN unchanged. */
    private static String bucketOf(String arn) {
        ResourceArn parts = ResourceArn.parse(arn);
        if (parts == null || !parts.service().equals("s3") || !parts.region().isEmpty() || !parts.account().isEmpty()) {
            return arn;
        }
        int slash = parts.resource().indexOf('/');
        return slash < 0 ? arn : "arn:" + parts.partition() + ":s3:::" + parts.resource().substring(0, slash);
    }

    private void rejectDocument(String file, Owner owner, String reason) {
        String item = owner != null ? "resource policy of " + owner.arn : "resource policy";
        skip(file, item, reason + ". Check that the file is an unedited export of the AWS CLI's JSON output.");
    }

    private static String ownerMissingReason(FileKind kind, Owner fromContent) {
        StringBuilder reason = new StringBuilder("the output does not name its resource");
        if (fromContent != null && fromContent.service == Service.ECR) {
            reason = new StringBuilder("the output names the repository but not its region");
        }
        reason.append(", the file is not in a ").append(LAYOUT_FOLDER).append(" folder that names it, and the"
                + " policy's statements do not all name one resource. Save the output of `").append(kind.command())
                .append(" --output json` as ");
        List<String> layouts = new ArrayList<>();
        kind.services.stream().filter(s -> s.layout != null).sorted().forEach(s -> layouts.add(s.layout));
        reason.append(String.join(", or as ", layouts)).append('.');
        return reason.toString();
    }

    private void skip(String file, String item, String reason) {
        skipped.add(new SkippedItem(file, item, reason));
        // Logged at INFO because the load result lists the skipped item and the command line prints it.
        log.info("Skipped {} in {}: {}", item, file, reason);
    }

    /** The resource that owns a policy; {@code arn} is null while only some parts are known. */
    private record Owner(String arn, Service service, String account, String region, String name) {

        boolean complete() {
            return arn != null;
        }

        Owner withName(String newName) {
            return newName == null ? this : new Owner(arn, service, account, region, newName);
        }

        /** Returns the owner an ARN names, or null when it is not an ARN of a service this parser reads. */
        static Owner ofArn(String arn) {
            ResourceArn parts = ResourceArn.parse(arn);
            Service service = parts == null ? null : Service.ofPrefix(parts.service());
            if (service == null) {
                return null;
            }
            String resource = parts.resource();
            String name = switch (service) {
                case KMS -> stripPrefix(resource, "key/");
                case LAMBDA -> stripPrefix(resource, "function:");
                case SECRETSMANAGER -> stripPrefix(resource, "secret:");
                case ECR -> stripPrefix(resource, "repository/");
                default -> resource;
            };
            return new Owner(arn, service, emptyToNull(parts.account()), emptyToNull(parts.region()), name);
        }

        private static String stripPrefix(String value, String prefix) {
            return value.startsWith(prefix) ? value.substring(prefix.length()) : value;
        }

        private static String emptyToNull(String value) {
            return value.isEmpty() ? null : value;
        }
    }

    /** The path below the last {@code resource-policies} folder: the service folder, then the other folders and the file. */
    private record Layout(String serviceFolder, List<String> rest) {

        static Layout of(Path file) {
            List<String> names = new ArrayList<>();
            file.forEach(part -> names.add(part.toString()));
            int folder = names.lastIndexOf(LAYOUT_FOLDER);
            if (folder < 0 || folder + 2 >= names.size()) {
                return null;
            }
            List<String> rest = new ArrayList<>(names.subList(folder + 2, names.size()));
            String last = rest.get(rest.size() - 1);
            if (last.toLowerCase().endsWith(".json")) {
                rest.set(rest.size() - 1, last.substring(0, last.length() - 5));
            }
            return new Layout(names.get(folder + 1), rest);
        }

        /**
         * Returns the owner that the layout names, completed with what the content gave, or null when the
         * layout does not have the form of the service's layout.
         */
        Owner owner(Service service, Owner fromContent) {
            if (service == Service.S3) {
                if (rest.size() == 1 || (rest.size() == 2 && rest.get(0).matches("\\d{12}"))) {
                    String bucket = rest.get(rest.size() - 1);
                    String account = rest.size() == 2 ? rest.get(0) : null;
                    return new Owner("arn:aws:s3:::" + bucket, service, account, null, bucket);
                }
                return null;
            }
            if (service == Service.SECRETSMANAGER || rest.size() < 3) {
                return null;
            }
            String account = rest.get(0);
            String region = rest.get(1);
            String name = String.join("/", rest.subList(2, rest.size()));
            if (!account.matches("\\d{12}") || !ResourceArn.isRegion(region)) {
                return null;
            }
            if (fromContent != null && fromContent.account != null) {
                account = fromContent.account;
            }
            if (fromContent != null && fromContent.name != null) {
                name = fromContent.name;
            }
            String prefix = "arn:" + ResourceArn.partitionOf(region) + ":" + service.prefix + ":" + region + ":" + account + ":";
            String arn = switch (service) {
                case KMS -> prefix + "key/" + name;
                case LAMBDA -> prefix + "function:" + name;
                case ECR -> prefix + "repository/" + name;
                default -> prefix + name;
            };
            return new Owner(arn, service, account, region, name);
        }
    }
}
