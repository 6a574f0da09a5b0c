package dev.nhigraph.aws.bundle;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.BadInputException;
import dev.nhigraph.aws.AuthorizationDetails;
import dev.nhigraph.aws.AuthorizationDetailsParser;
import dev.nhigraph.aws.IamModel.SkippedItem;
import dev.nhigraph.aws.compute.WorkloadParser;
import dev.nhigraph.aws.federation.IdentityProviderParser;
import dev.nhigraph.aws.federation.IdentityProviders;
import dev.nhigraph.aws.keys.AccessKeyFacts;
import dev.nhigraph.aws.keys.AccessKeyParser;
import dev.nhigraph.aws.org.Organization;
import dev.nhigraph.aws.org.OrganizationParser;
import dev.nhigraph.aws.resource.ResourcePolicyParser;
import dev.nhigraph.aws.usage.ServiceAccess;
import dev.nhigraph.aws.usage.ServiceAccessParser;
import dev.nhigraph.collect.CollectionGap;
import dev.nhigraph.collect.CollectionGapsFile;
import dev.nhigraph.db.Messages;
import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.bundle.GcloudFileKind;
import dev.nhigraph.gcp.bundle.GcpBundleParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an offline bundle: files of AWS CLI and gcloud JSON output under any names, each recognised by its
 * content, so one folder may hold both clouds.
 *
 * <p>Authorization-details exports go to {@link AuthorizationDetailsParser}, AWS Organizations output to
 * {@link OrganizationParser}, resource-policy output to {@link ResourcePolicyParser}, credential reports and
 * access-key output to {@link AccessKeyParser}, EC2, Lambda and ECS output to {@link WorkloadParser}, gcloud output to
 * {@link GcpBundleParser}, and the collection-gaps.json of a live collection to {@link CollectionGapsFile}. Where an
 * AWS output does not name what it belongs to, those parsers read the file's folder and name as
 * docs/offline-bundle.md describes. A {@code .csv} file is read as a decoded credential report.
 * JSON of no known kind is listed in
 * {@link Bundle#skippedFiles()} and skipped.
 */
public final class BundleReader {

    private static final Set<String> IAM_ENTITY_LISTS = Set.of("UserDetailList", "GroupDetailList", "RoleDetailList");
    private static final Logger log = LoggerFactory.getLogger(BundleReader.class);

    private BundleReader() {
    }

    /** Counts a recognised file by its kind, and names it in the debug log. */
    private static void recognised(Map<String, Integer> kinds, Path file, String kind) {
        log.debug("Recognised {} as {}", file, kind);
        kinds.merge(kind, 1, Integer::sum);
    }

    /**
     * Reads every file, in order, into one bundle. Nothing is written to the graph here, so a file that stops
     * the read leaves the graph unchanged.
     *
     * @throws BadInputException when a file is missing or not valid JSON (the message names the file, line and
     *                           column), when an authorization-details export is damaged, or when the files
     *                           belong to more than one organization
     */
    public static Bundle read(List<Path> files) {
        List<Path> iamFiles = new ArrayList<>();
        OrganizationParser organizationParser = new OrganizationParser();
        ResourcePolicyParser resourceParser = new ResourcePolicyParser();
        GcpBundleParser gcpParser = new GcpBundleParser();
        AccessKeyParser keyParser = new AccessKeyParser();
        WorkloadParser workloadParser = new WorkloadParser();
        IdentityProviderParser providerParser = new IdentityProviderParser();
        ServiceAccessParser serviceAccessParser = new ServiceAccessParser();
        List<SkippedItem> skipped = new ArrayList<>();
        List<CollectionGap> collectionGaps = new ArrayList<>();
        // One line per kind for the log: a collected bundle has a file per user or role, thousands in all.
        Map<String, Integer> kinds = new TreeMap<>();

        for (Path file : files) {
            if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
                readCsv(file, keyParser, skipped);
                continue;
            }
            JsonFiles.Shape shape = JsonFiles.scan(file);
            if (isAuthorizationDetails(shape)) {
                iamFiles.add(file);
                recognised(kinds, file, "aws iam get-account-authorization-details output");
                continue;
            }
            JsonNode root = JsonFiles.readTree(file);
            OrganizationParser.FileKind organizationKind = OrganizationParser.recognise(root);
            if (organizationKind != null) {
                recognised(kinds, file, organizationKind.command() + " output");
                organizationParser.add(organizationKind, root, file);
                continue;
            }
            ResourcePolicyParser.FileKind resourceKind = ResourcePolicyParser.recognise(root);
            if (resourceKind != null) {
                recognised(kinds, file, resourceKind.command() + " output");
                resourceParser.add(resourceKind, root, file);
                continue;
            }
            AccessKeyParser.FileKind keyKind = AccessKeyParser.recognise(root);
            if (keyKind != null) {
                recognised(kinds, file, keyKind.command() + " output");
                keyParser.add(keyKind, root, file);
                continue;
            }
            WorkloadParser.FileKind workloadKind = WorkloadParser.recognise(root);
            if (workloadKind != null) {
                recognised(kinds, file, workloadKind.command() + " output");
                workloadParser.add(workloadKind, root, file);
                continue;
            }
            IdentityProviderParser.FileKind providerKind = IdentityProviderParser.recognise(root);
            if (providerKind != null) {
                recognised(kinds, file, providerKind.command() + " output");
                providerParser.add(providerKind, root, file);
                continue;
            }
            if (ServiceAccessParser.recognise(root)) {
                recognised(kinds, file, "aws iam get-service-last-accessed-details output");
                serviceAccessParser.add(root, file);
                continue;
            }
            if (CollectionGapsFile.recognise(root)) {
                CollectionGapsFile.Content gaps = CollectionGapsFile.read(root, file);
                log.info("Recognised {} as the collection gaps of {}: {} gaps", file, gaps.collector(), gaps.gaps().size());
                collectionGaps.addAll(gaps.gaps());
                skipped.addAll(gaps.skipped());
                continue;
            }
            GcloudFileKind gcpKind = GcloudFileKind.recognise(root);
            if (gcpKind != null) {
                recognised(kinds, file, gcpKind.description());
                gcpParser.add(gcpKind, root, file);
                continue;
            }
            SkippedItem unknown = unrecognised(file, shape, root);
            skipped.add(unknown);
            // Logged at INFO, not WARN, because the load result lists every skipped item and the command line prints it.
            log.info("Skipped {}: {}", file, unknown.reason());
        }
        kinds.forEach((kind, count) -> log.info("Recognised {} as {}", Messages.count(count, "file", "files"), kind));

        AuthorizationDetails iam = iamFiles.isEmpty() ? null : AuthorizationDetailsParser.parse(iamFiles);
        Organization organization = organizationParser.build();
        skipped.addAll(organizationParser.skipped());
        skipped.addAll(resourceParser.skipped());
        AccessKeyFacts accessKeys = keyParser.build(userAccounts(iam));
        skipped.addAll(accessKeys.skipped());
        skipped.addAll(workloadParser.skipped());
        IdentityProviders providers = providerParser.build();
        skipped.addAll(providers.skipped());
        List<ServiceAccess> serviceAccess = serviceAccessParser.build(iam);
        skipped.addAll(serviceAccessParser.skipped());
        GcpInventory gcp = gcpParser.build();
        skipped.addAll(gcpParser.skippedFiles());
        List<String> warnings = new ArrayList<>();
        if (organization != null) {
            warnings.addAll(organization.warnings());
        }
        warnings.addAll(resourceParser.warnings());
        warnings.addAll(accessKeys.warnings());
        log.info("Read bundle of {} files: {} authorization-details exports, organization {}, {} resource policies,"
                        + " {} credential report rows, {} access keys, {} workloads, {} GCP bindings, {} items skipped",
                files.size(), iamFiles.size(), organization == null ? "none" : organization.id(),
                resourceParser.policies().size(), accessKeys.users().size(), accessKeys.keys().size(),
                workloadParser.workloads().size(), gcp.bindings().size(), skipped.size() + gcp.skipped().size());
        return new Bundle(iam, organization, resourceParser.policies(), accessKeys, workloadParser.workloads(), providers, serviceAccess, gcp,
                List.copyOf(skipped), List.copyOf(warnings), List.copyOf(collectionGaps));
    }

    /** Reads a {@code .csv} file as a decoded credential report, or lists it as skipped when it is not one. */
    private static void readCsv(Path file, AccessKeyParser keyParser, List<SkippedItem> skipped) {
        String text = JsonFiles.readText(file);
        if (AccessKeyParser.isReportCsv(text)) {
            log.info("Recognised {} as a decoded aws iam get-credential-report", file);
            keyParser.addCsv(text, file);
            return;
        }
        SkippedItem unknown = new SkippedItem(file.toString(), "whole file", "the CSV file does not start with the"
                + " credential report's header (user,arn,...), and a credential report is the only CSV nhigraph reads");
        skipped.add(unknown);
        log.info("Skipped {}: {}", file, unknown.reason());
    }

    /** Returns, per IAM user name of the authorization details, the accounts that have a user of that name. */
    private static Map<String, Set<String>> userAccounts(AuthorizationDetails iam) {
        Map<String, Set<String>> accounts = new HashMap<>();
        if (iam != null) {
            iam.users().forEach(user -> accounts.computeIfAbsent(user.name(), name -> new TreeSet<>()).add(user.account()));
        }
        return accounts;
    }

    /**
     * Tells whether the file is {@code aws iam get-account-authorization-details} output: it has a user, group
     * or role list, or a Policies list whose items are IAM managed policies (PolicyName, PolicyVersionList)
     * rather than AWS Organizations policy summaries (Id, Type, AwsManaged).
     */
    static boolean isAuthorizationDetails(JsonFiles.Shape shape) {
        if (!shape.isObject()) {
            return false;
        }
        if (IAM_ENTITY_LISTS.stream().anyMatch(shape::has)) {
            return true;
        }
        JsonFiles.Field policies = shape.field("Policies");
        if (policies == null) {
            return false;
        }
        if (policies.keys().contains("PolicyName") || policies.keys().contains("PolicyVersionList")) {
            return true;
        }
        // An empty list is IAM output only next to the IAM pagination fields, which AWS Organizations output lacks.
        return policies.size() == 0 && (shape.has("IsTruncated") || shape.has("Marker"));
    }

    private static SkippedItem unrecognised(Path file, JsonFiles.Shape shape, JsonNode root) {
        if (root.isArray()) {
            return new SkippedItem(file.toString(), "whole file", unknownList(root));
        }
        if (!shape.isObject()) {
            return new SkippedItem(file.toString(), "whole file", "the file is a JSON " + typeName(shape.rootToken())
                    + ", not the output of an AWS CLI or gcloud command that nhigraph reads; docs/offline-bundle.md"
                    + " lists those commands");
        }
        String credential = awsCredential(root);
        if (credential != null) {
            return new SkippedItem(file.toString(), "whole file", "the file is " + credential + " and contains a secret"
                    + " access key. nhigraph never reads secret values, so nothing in the file was read. Take the file"
                    + " out of the bundle, because it is a working credential, and give `aws iam list-access-keys` or"
                    + " the credential report for the keys' ids, status and last use");
        }
        if (shape.fields().isEmpty()) {
            return new SkippedItem(file.toString(), "whole file", "the file is an empty JSON object, not the output"
                    + " of an AWS CLI or gcloud command that nhigraph reads; docs/offline-bundle.md lists those commands");
        }
        if (shape.has("Statement")) {
            return new SkippedItem(file.toString(), "whole file", "the file is a bare policy document, not AWS CLI"
                    + " output, so it does not say which resource or account it belongs to. Save the CLI's JSON output"
                    + " instead, for example `aws s3api get-bucket-policy --bucket BUCKET --output json`, as"
                    + " docs/offline-bundle.md describes");
        }
        return new SkippedItem(file.toString(), "whole file", "the file is JSON with the top-level fields "
                + String.join(", ", shape.fields().keySet()) + ", which is not the output of an AWS CLI or gcloud"
                + " command that nhigraph reads; docs/offline-bundle.md lists those commands");
    }

    /**
     * Returns which AWS CLI output carrying a secret access key {@code root} is, or null. Only field names are
     * checked, so the secret is never copied into a message or the graph.
     */
    private static String awsCredential(JsonNode root) {
        if (root.path("AccessKey").has("SecretAccessKey")) {
            return "`aws iam create-access-key` output";
        }
        JsonNode credentials = root.path("Credentials");
        if (credentials.has("SecretAccessKey") || credentials.has("SessionToken")) {
            return "AWS STS output with temporary credentials (`aws sts assume-role`, `get-session-token` and similar)";
        }
        return null;
    }

    /** Describes a top-level list that no gcloud kind claimed, by the fields of its first item. */
    private static String unknownList(JsonNode list) {
        if (list.isEmpty()) {
            return "the file is an empty JSON list, which gcloud prints when a list command finds nothing, so there is"
                    + " nothing to load";
        }
        JsonNode first = list.get(0);
        if (!first.isObject()) {
            return "the file is a JSON list of " + typeName(first.asToken()) + " values, not the output of a gcloud"
                    + " command that nhigraph reads; docs/offline-bundle.md lists those commands";
        }
        List<String> fields = new ArrayList<>();
        first.fieldNames().forEachRemaining(fields::add);
        return "the file is a JSON list whose first item has the fields " + String.join(", ", fields) + ", which is not"
                + " the output of a gcloud command that nhigraph reads; docs/offline-bundle.md lists those commands";
    }

    private static String typeName(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "list";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> "value";
        };
    }
}
