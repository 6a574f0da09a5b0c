package dev.nhigraph.aws.compute;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.aws.IamModel.SkippedItem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what runs as a role from the AWS CLI's JSON output: {@code aws ec2 describe-instances},
 * {@code aws lambda list-functions} and {@code aws ecs describe-task-definition}.
 *
 * <p>Only ids, names, state and role ARNs are read. Fields that can hold secrets (EC2 user data, Lambda environment
 * variables, ECS container definitions) are never read. The account and region come from the ARNs; for EC2, whose
 * output has no instance ARN, from the reservation's OwnerId and the availability zone, or else from the layout
 * {@code compute/ec2/ACCOUNT/REGION/instances.json}.
 */
public final class WorkloadParser {

    /** The outputs this parser reads, with the command that produces each one. */
    public enum FileKind {
        EC2_INSTANCES("aws ec2 describe-instances"),
        LAMBDA_FUNCTIONS("aws lambda list-functions"),
        ECS_TASK_DEFINITION("aws ecs describe-task-definition --task-definition ARN");

        private final String command;

        FileKind(String command) {
            this.command = command;
        }

        public String command() {
            return command;
        }
    }

    private static final Pattern ARN = Pattern.compile("^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):(\\d{12}):(.+)$");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final String EC2_LAYOUT = "compute/ec2/ACCOUNT/REGION/instances.json";

    private final Map<String, Workload> workloads = new LinkedHashMap<>();
    private final List<SkippedItem> skipped = new ArrayList<>();

    /** Returns the kind of compute output {@code root} is, or null for any other JSON. */
    public static FileKind recognise(JsonNode root) {
        if (root == null || !root.isObject()) {
            return null;
        }
        if (root.path("Reservations").isArray()) {
            return FileKind.EC2_INSTANCES;
        }
        JsonNode functions = root.path("Functions");
        if (functions.isArray() && (functions.isEmpty() || functions.get(0).has("FunctionArn"))) {
            return FileKind.LAMBDA_FUNCTIONS;
        }
        if (root.path("taskDefinition").has("taskDefinitionArn")) {
            return FileKind.ECS_TASK_DEFINITION;
        }
        return null;
    }

    /** Reads one file of the given kind; {@code file} is used for messages and for its layout. */
    public void add(FileKind kind, JsonNode root, Path file) {
        switch (kind) {
            case EC2_INSTANCES -> addInstances(root, file);
            case LAMBDA_FUNCTIONS -> addFunctions(root, file);
            case ECS_TASK_DEFINITION -> addTaskDefinition(root.path("taskDefinition"), file);
        }
    }

    public List<Workload> workloads() {
        return List.copyOf(workloads.values());
    }

    public List<SkippedItem> skipped() {
        return List.copyOf(skipped);
    }

    private void addInstances(JsonNode root, Path file) {
        String name = file.toString();
        String[] layout = layout(file);
        int reservationIndex = 0;
        for (JsonNode reservation : root.path("Reservations")) {
            String owner = reservation.path("OwnerId").asText(layout == null ? null : layout[0]);
            int instanceIndex = 0;
            for (JsonNode instance : reservation.path("Instances")) {
                String item = "Reservations[" + reservationIndex + "].Instances[" + instanceIndex++ + "]";
                String id = instance.path("InstanceId").asText(null);
                String zone = instance.path("Placement").path("AvailabilityZone").asText("");
                String region = zone.length() > 1 ? regionOfZone(zone) : null;
                if (region == null && layout != null) {
                    region = layout[1];
                }
                if (id == null || owner == null || region == null) {
                    skipped.add(new SkippedItem(name, item, "the instance has no InstanceId, or neither the output nor"
                            + " the file's folder gives its account and region; save the output of `aws ec2"
                            + " describe-instances --output json` as " + EC2_LAYOUT));
                    continue;
                }
                String profile = instance.path("IamInstanceProfile").path("Arn").asText(null);
                String partition = profile == null ? "aws" : profile.split(":")[1];
                String arn = "arn:" + partition + ":ec2:" + region + ":" + owner + ":instance/" + id;
                workloads.put(arn, new Workload("AwsEc2Instance", arn, id, owner, region, profile, null, null,
                        instance.path("State").path("Name").asText(null), null, name));
            }
            reservationIndex++;
        }
    }

    private void addFunctions(JsonNode root, Path file) {
        String name = file.toString();
        int index = 0;
        for (JsonNode function : root.path("Functions")) {
            String item = "Functions[" + index++ + "]";
            String arn = function.path("FunctionArn").asText(null);
            Matcher parts = arn == null ? null : ARN.matcher(arn);
            String role = function.path("Role").asText(null);
            if (parts == null || !parts.matches() || role == null) {
                skipped.add(new SkippedItem(name, item, "the function has no FunctionArn or Role; export it again with"
                        + " `aws lambda list-functions --output json`"));
                continue;
            }
            workloads.put(arn, new Workload("AwsLambdaFunction", arn, function.path("FunctionName").asText(null),
                    parts.group(4), parts.group(3), null, role, null, null, function.path("Runtime").asText(null), name));
        }
    }

    private void addTaskDefinition(JsonNode definition, Path file) {
        String arn = definition.path("taskDefinitionArn").asText();
        Matcher parts = ARN.matcher(arn);
        if (!parts.matches()) {
            skipped.add(new SkippedItem(file.toString(), "taskDefinition", "taskDefinitionArn \"" + arn + "\" is not an"
                    + " ARN; export it again with `aws ecs describe-task-definition --output json`"));
            return;
        }
        String family = definition.path("family").asText(null);
        String revision = definition.path("revision").asText(null);
        String name = family == null ? parts.group(5) : family + (revision == null ? "" : ":" + revision);
        workloads.put(arn, new Workload("AwsEcsTaskDefinition", arn, name, parts.group(4), parts.group(3), null,
                definition.path("taskRoleArn").asText(null), definition.path("executionRoleArn").asText(null), null,
                null, file.toString()));
    }

    /** Returns the region of an availability zone such as eu-west-1a, or of a local zone such as us-west-2-lax-1a. */
    private static String regionOfZone(String zone) {
        Matcher region = REGION.matcher(zone);
        return region.lookingAt() ? region.group() : null;
    }

    /** Returns {ACCOUNT, REGION} of compute/ec2/ACCOUNT/REGION/FILE, or null when the file is not in that layout. */
    private static String[] layout(Path file) {
        Path region = file.toAbsolutePath().getParent();
        Path account = region == null ? null : region.getParent();
        if (account == null || !ACCOUNT.matcher(account.getFileName().toString()).matches()
                || !REGION.matcher(region.getFileName().toString()).matches()) {
            return null;
        }
        return new String[] {account.getFileName().toString(), region.getFileName().toString()};
    }
}
