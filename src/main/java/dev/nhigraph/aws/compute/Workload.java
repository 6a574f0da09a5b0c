package dev.nhigraph.aws.compute;

/**
 * Something that runs code as an IAM role: an EC2 instance (through its instance profile), a Lambda function or an
 * ECS task definition. Only identifiers, state and the roles are kept: never user data, environment variables or
 * container definitions, which can hold secrets.
 *
 * @param label            the node label: AwsEc2Instance, AwsLambdaFunction or AwsEcsTaskDefinition
 * @param id               the workload's ARN
 * @param instanceProfile  the instance profile ARN of an EC2 instance, else null
 * @param role             the role the code runs as: a function's role or a task definition's task role. It is null
 *                         for an instance, whose role comes from its instance profile in the graph
 * @param executionRole    the execution role of an ECS task definition, which the ECS agent uses to pull images and
 *                         write logs, else null
 * @param state            an instance's state name (running, stopped, ...), else null
 */
public record Workload(String label, String id, String name, String account, String region, String instanceProfile,
                       String role, String executionRole, String state, String runtime, String file) {
}
