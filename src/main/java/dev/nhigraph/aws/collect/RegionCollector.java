package dev.nhigraph.aws.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeRepositoriesResponse;
import software.amazon.awssdk.services.ecr.model.RepositoryPolicyNotFoundException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsResponse;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.ListKeysResponse;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ListFunctionsResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsResponse;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.ListTopicsResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListQueuesResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Collects one region of one account: the resource policies of KMS keys, Secrets Manager secrets, SQS queues, SNS
 * topics, Lambda functions and ECR repositories, and what runs as a role (EC2 instances, Lambda functions, ECS task
 * definitions). Resources without a policy get no file, because the reader would skip it.
 *
 * <p>Secret values never reach the bundle: Secrets Manager is asked for the secret list and resource policies only,
 * the function list is written without the functions' environment variables, which ListFunctions returns, and a
 * task definition keeps only its roles, family, revision and each container's name and image.
 */
final class RegionCollector {

    private final AwsClients clients;
    private final Calls calls;
    private final BundleFolder bundle;

    RegionCollector(AwsClients clients, Calls calls, BundleFolder bundle) {
        this.clients = clients;
        this.calls = calls;
        this.bundle = bundle;
    }

    /** Collects every service of the region, one after the other; the fan-out within a service is parallel. */
    void collect(Account account, Region region, java.util.function.Consumer<String> stage) {
        List<Map.Entry<String, BiConsumer<Account, Region>>> services = List.of(
                Map.entry("kms", this::kms), Map.entry("secretsmanager", this::secrets), Map.entry("sqs", this::queues),
                Map.entry("sns", this::topics), Map.entry("lambda", this::functions), Map.entry("ecr", this::repositories),
                Map.entry("ec2", this::instances), Map.entry("ecs", this::taskDefinitions));
        for (Map.Entry<String, BiConsumer<Account, Region>> service : services) {
            stage.accept(service.getKey() + " " + region.id());
            service.getValue().accept(account, region);
        }
    }

    private void kms(Account account, Region region) {
        KmsClient kms = clients.kms(account, region);
        Optional<ObjectNode> keys = calls.allPages(account.id(), region.id(), "kms", "ListKeys",
                marker -> kms.listKeys(request -> request.marker(marker)),
                response -> Boolean.TRUE.equals(response.truncated()) ? response.nextMarker() : null);
        calls.forEach(ids(keys, "Keys", "KeyId"), keyId -> calls.one(account.id(), region.id(), "kms", "GetKeyPolicy",
                        () -> kms.getKeyPolicy(request -> request.keyId(keyId).policyName("default")))
                .ifPresent(policy -> write(CliJson.of(policy), "kms", account, region, keyId)));
    }

    private void secrets(Account account, Region region) {
        SecretsManagerClient secrets = clients.secretsManager(account, region);
        Optional<ObjectNode> list = calls.allPages(account.id(), region.id(), "secretsmanager", "ListSecrets",
                token -> secrets.listSecrets(request -> request.nextToken(token)), ListSecretsResponse::nextToken);
        calls.forEach(ids(list, "SecretList", "ARN"), arn -> calls.one(account.id(), region.id(), "secretsmanager",
                        "GetResourcePolicy", () -> secrets.getResourcePolicy(request -> request.secretId(arn)))
                .filter(policy -> policy.resourcePolicy() != null)
                .ifPresent(policy -> write(CliJson.of(policy), "secretsmanager", account, region, policy.name())));
    }

    private void queues(Account account, Region region) {
        SqsClient sqs = clients.sqs(account, region);
        Optional<ObjectNode> list = calls.allPages(account.id(), region.id(), "sqs", "ListQueues",
                token -> sqs.listQueues(request -> request.nextToken(token)), ListQueuesResponse::nextToken);
        List<String> urls = new ArrayList<>();
        list.ifPresent(json -> json.path("QueueUrls").forEach(url -> urls.add(url.asText())));
        calls.forEach(urls, url -> calls.one(account.id(), region.id(), "sqs", "GetQueueAttributes",
                        () -> sqs.getQueueAttributes(request -> request.queueUrl(url)
                                .attributeNames(QueueAttributeName.POLICY, QueueAttributeName.QUEUE_ARN)))
                .filter(attributes -> attributes.attributes().containsKey(QueueAttributeName.POLICY))
                .ifPresent(attributes -> write(CliJson.of(attributes), "sqs", account, region,
                        url.substring(url.lastIndexOf('/') + 1))));
    }

    private void topics(Account account, Region region) {
        SnsClient sns = clients.sns(account, region);
        Optional<ObjectNode> list = calls.allPages(account.id(), region.id(), "sns", "ListTopics",
                token -> sns.listTopics(request -> request.nextToken(token)), ListTopicsResponse::nextToken);
        calls.forEach(ids(list, "Topics", "TopicArn"), arn -> calls.one(account.id(), region.id(), "sns",
                        "GetTopicAttributes", () -> sns.getTopicAttributes(request -> request.topicArn(arn)))
                .filter(attributes -> attributes.attributes().containsKey("Policy"))
                .ifPresent(attributes -> write(CliJson.of(attributes), "sns", account, region,
                        arn.substring(arn.lastIndexOf(':') + 1))));
    }

    private void functions(Account account, Region region) {
        LambdaClient lambda = clients.lambda(account, region);
        Optional<ObjectNode> list = calls.allPages(account.id(), region.id(), "lambda", "ListFunctions",
                marker -> lambda.listFunctions(request -> request.marker(marker)), ListFunctionsResponse::nextMarker);
        if (list.isEmpty()) {
            return;
        }
        // Environment variables often hold secrets, so they never reach the bundle.
        list.get().path("Functions").forEach(function -> ((ObjectNode) function).remove("Environment"));
        bundle.write(list.get(), "compute", "lambda", account.id(), region.id(), "functions.json");
        // GetPolicy returns 404 for a function without a resource policy.
        calls.forEach(ids(list, "Functions", "FunctionName"), name -> calls.one(account.id(), region.id(), "lambda",
                        "GetPolicy", absentAsNull(() -> lambda.getPolicy(request -> request.functionName(name)),
                                ResourceNotFoundException.class))
                .ifPresent(policy -> write(CliJson.of(policy), "lambda", account, region, name)));
    }

    private void repositories(Account account, Region region) {
        EcrClient ecr = clients.ecr(account, region);
        Optional<ObjectNode> list = calls.allPages(account.id(), region.id(), "ecr", "DescribeRepositories",
                token -> ecr.describeRepositories(request -> request.nextToken(token)),
                DescribeRepositoriesResponse::nextToken);
        calls.forEach(ids(list, "repositories", "repositoryName"), name -> calls.one(account.id(), region.id(), "ecr",
                        "GetRepositoryPolicy", absentAsNull(() -> ecr.getRepositoryPolicy(request -> request.repositoryName(name)),
                                RepositoryPolicyNotFoundException.class))
                .ifPresent(policy -> write(CliJson.of(policy), "ecr", account, region, name)));
    }

    private void instances(Account account, Region region) {
        Ec2Client ec2 = clients.ec2(account, region);
        calls.allPages(account.id(), region.id(), "ec2", "DescribeInstances",
                        token -> ec2.describeInstances(request -> request.nextToken(token)),
                        DescribeInstancesResponse::nextToken)
                .filter(json -> !json.path("Reservations").isEmpty())
                .ifPresent(json -> bundle.write(json, "compute", "ec2", account.id(), region.id(), "instances.json"));
    }

    private void taskDefinitions(Account account, Region region) {
        EcsClient ecs = clients.ecs(account, region);
        Optional<ObjectNode> list = calls.allPages(account.id(), region.id(), "ecs", "ListTaskDefinitions",
                token -> ecs.listTaskDefinitions(request -> request.status(TaskDefinitionStatus.ACTIVE).nextToken(token)),
                ListTaskDefinitionsResponse::nextToken);
        List<String> arns = new ArrayList<>();
        list.ifPresent(json -> json.path("taskDefinitionArns").forEach(arn -> arns.add(arn.asText())));
        calls.forEach(arns, arn -> calls.one(account.id(), region.id(), "ecs", "DescribeTaskDefinition",
                        () -> ecs.describeTaskDefinition(request -> request.taskDefinition(arn)))
                .ifPresent(response -> {
                    ObjectNode json = (ObjectNode) CliJson.of(response);
                    ObjectNode definition = (ObjectNode) json.path("taskDefinition");
                    strippedContainers(definition);
                    String name = definition.path("family").asText() + "_" + definition.path("revision").asText();
                    json.remove("tags");
                    bundle.write(json, "compute", "ecs", account.id(), region.id(), name + ".json");
                }));
    }

    /** Keeps only the name and image of each container: commands, environment and secrets may carry secret values. */
    private static void strippedContainers(ObjectNode definition) {
        JsonNode containers = definition.path("containerDefinitions");
        if (!(containers instanceof ArrayNode list)) {
            return;
        }
        ArrayNode kept = list.arrayNode();
        for (JsonNode container : list) {
            ObjectNode item = kept.addObject();
            item.set("name", container.path("name"));
            if (container.has("image")) {
                item.set("image", container.path("image"));
            }
        }
        definition.set("containerDefinitions", kept);
    }

    /** Wraps a call whose service signals "no policy" with an {@code absent} exception, so that it returns null. */
    private static <T> java.util.function.Supplier<T> absentAsNull(java.util.function.Supplier<T> call,
                                                                  Class<? extends RuntimeException> absent) {
        return () -> {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (absent.isInstance(e)) {
                    return null;
                }
                throw e;
            }
        };
    }

    private void write(JsonNode json, String service, Account account, Region region, String name) {
        bundle.write(json, "resource-policies", service, account.id(), region.id(), name + ".json");
    }

    private static List<String> ids(Optional<ObjectNode> list, String listField, String idField) {
        List<String> ids = new ArrayList<>();
        list.ifPresent(json -> json.path(listField).forEach(item -> {
            if (item.hasNonNull(idField)) {
                ids.add(item.path(idField).asText());
            }
        }));
        return ids;
    }
}
