package dev.nhigraph.generate;

import dev.nhigraph.generate.SyntheticAccount.Group;
import dev.nhigraph.generate.SyntheticAccount.ManagedPolicy;
import dev.nhigraph.generate.SyntheticAccount.Role;
import dev.nhigraph.generate.SyntheticAccount.User;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates the principals and policies of the ground truth. Their names come from the same words as the random
 * ones, so only expected.json distinguishes them. They are created before the random fill, so they keep their
 * names.
 */
final class PlantedPrincipals {

    static final String ADMIN_ROLE_NAME = "platform-admin";
    private static final List<String> ROLE_SUFFIXES = List.of("deployer", "release", "automation", "pipeline", "operator");

    private final SeededRandom random;
    private final AwsIdentifiers ids;
    private final Map<String, Role> admins = new HashMap<>();
    private final Map<String, ManagedPolicy> boundaries = new HashMap<>();

    PlantedPrincipals(SeededRandom random, AwsIdentifiers ids) {
        this.random = random;
        this.ids = ids;
    }

    User user(SyntheticAccount account) {
        User user = account.addUser("svc-" + random.pick(Vocabulary.TEAMS) + "-" + random.pick(Vocabulary.COMPONENTS), "/", ids);
        user.planted = true;
        return user;
    }

    /** Returns a role without trust; the caller adds the trust statements. */
    Role role(SyntheticAccount account, String path) {
        Role role = account.addRole(random.pick(Vocabulary.TEAMS) + "-" + random.pick(Vocabulary.COMPONENTS) + "-"
                + random.pick(ROLE_SUFFIXES), path, ids);
        role.planted = true;
        role.trustKind = TrustPolicies.Kind.PLANTED;
        return role;
    }

    /** Returns a role that a Lambda function or an EC2 instance runs as: an entry point of a chain. */
    Role serviceRole(SyntheticAccount account) {
        boolean lambda = random.chance(0.5);
        Role role = account.addRole(random.pick(Vocabulary.TEAMS) + "-" + random.pick(Vocabulary.COMPONENTS)
                + (lambda ? "-lambda-role" : "-instance-role"), "/", ids);
        role.planted = true;
        role.trustKind = TrustPolicies.Kind.PLANTED;
        role.trust.add(TrustPolicies.serviceStatement(lambda ? "lambda.amazonaws.com" : "ec2.amazonaws.com"));
        if (!lambda) {
            role.instanceProfileId = ids.uniqueId("AIPA");
            role.instanceProfileCreateDate = role.createDate;
        }
        return role;
    }

    /**
     * Returns the account's planted administrator role, with AdministratorAccess, created on first use. Its trust
     * starts with a break-glass statement (the account, with MFA), so it is never empty; chains add their hops.
     */
    Role admin(SyntheticAccount account) {
        return admins.computeIfAbsent(account.key(), key -> {
            Role role = account.addRole(ADMIN_ROLE_NAME, "/", ids);
            role.planted = true;
            role.trustKind = TrustPolicies.Kind.PLANTED;
            role.trust.add(PolicyStatement.allow().sid("BreakGlassWithMfa").principal("AWS", account.rootArn())
                    .actions("sts:AssumeRole").condition("Bool", "aws:MultiFactorAuthPresent", "true").build());
            role.attach(AwsManagedPolicies.ADMINISTRATOR_ACCESS.arn());
            role.tags.put("team", "platform");
            return role;
        });
    }

    /** Returns the account's planted permissions boundary, which allows data services but not sts:AssumeRole. */
    ManagedPolicy boundary(SyntheticAccount account) {
        return boundaries.computeIfAbsent(account.key(), key -> {
            ManagedPolicy policy = account.addPolicy("workload-boundary", "/boundaries/", PolicyStatement.document(
                    PolicyStatement.allow().sid("AllowedServices").actions("s3:*", "logs:*", "dynamodb:*", "sqs:*")
                            .resources("*").build()), ids);
            policy.boundary = true;
            policy.planted = true;
            return policy;
        });
    }

    Group group(SyntheticAccount account) {
        Group group = account.addGroup(random.pick(Vocabulary.TEAMS) + "-release", ids);
        group.planted = true;
        return group;
    }

    ManagedPolicy policy(SyntheticAccount account, String name, PolicyStatement... statements) {
        ManagedPolicy policy = account.addPolicy(name, "/", PolicyStatement.document(
                java.util.Arrays.stream(statements).map(PolicyStatement::build).toList()), ids);
        policy.planted = true;
        return policy;
    }
}
