package dev.nhigraph.generate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Random role trust policies of the kinds a real organisation has, with the role names that go with them. */
final class TrustPolicies {

    /** The kinds of trust, with the share of an account's ordinary roles that get each one, in percent. */
    enum Kind {
        SERVICE(60), SAME_ACCOUNT_ROOT(8), SAME_ACCOUNT_PRINCIPAL(10), CROSS_ACCOUNT(8), GITHUB_OIDC(6), THIRD_PARTY(4),
        IDENTITY_CENTER(4),
        /** Service-linked roles, a fixed two per account. */
        SERVICE_LINKED(0),
        /** OrganizationAccountAccessRole, which AWS Organizations creates in member accounts. */
        ORGANIZATION_ACCESS(0),
        /** The hub roles of the security account, which the spoke roles of the other accounts trust. */
        HUB(0),
        /** Roles of the planted ground truth. */
        PLANTED(0),
        /**
         * Roles of a dense core in M and L: trust in their own account without a condition, so each principal of
         * the account that may call sts:AssumeRole on "*" may assume all of them.
         */
        DENSE_CORE(0);

        final int share;

        Kind(int share) {
            this.share = share;
        }
    }

    /** A service that assumes roles, with the suffix of the role names and its share of service roles. */
    record TrustedService(String principal, String roleSuffix, int share) {
    }

    static final List<TrustedService> SERVICES = List.of(
            new TrustedService("lambda.amazonaws.com", "lambda-role", 40),
            new TrustedService("ecs-tasks.amazonaws.com", "task-role", 25),
            new TrustedService("ec2.amazonaws.com", "instance-role", 20),
            new TrustedService("states.amazonaws.com", "sfn-role", 5),
            new TrustedService("events.amazonaws.com", "events-role", 4),
            new TrustedService("glue.amazonaws.com", "glue-role", 3),
            new TrustedService("codebuild.amazonaws.com", "codebuild-role", 3));

    /**
     * The hub roles of the security account and the name prefix of the spoke roles each one may assume in every
     * account.
     */
    record HubRole(String name, String spokePrefix) {
    }

    static final List<HubRole> HUB_ROLES = List.of(new HubRole("security-audit", "security-audit-spoke"),
            new HubRole("incident-response", "incident-response-spoke"), new HubRole("ci-deployer", "deploy-target"),
            new HubRole("inventory-collector", "inventory-reader"), new HubRole("backup-orchestrator", "backup-operator"));

    static final String GITHUB_PROVIDER = "token.actions.githubusercontent.com";

    private final SeededRandom random;

    TrustPolicies(SeededRandom random) {
        this.random = random;
    }

    TrustedService service() {
        double[] weights = SERVICES.stream().mapToDouble(TrustedService::share).toArray();
        return SERVICES.get(random.weighted(weights));
    }

    static ObjectNode serviceStatement(String servicePrincipal) {
        return PolicyStatement.allow().principal("Service", servicePrincipal).actions("sts:AssumeRole").build();
    }

    /**
     * Trust in the account itself, which delegates to identity policies: plain, limited to principals whose ARN
     * matches a team prefix (decided offline, since aws:PrincipalArn is known), or only with MFA (conditional).
     */
    ObjectNode sameAccountRoot(SyntheticAccount account) {
        PolicyStatement statement = PolicyStatement.allow().principal("AWS", account.rootArn()).actions("sts:AssumeRole");
        switch (random.weighted(50, 25, 25)) {
            case 1 -> statement.condition("ArnLike", "aws:PrincipalArn",
                    account.iamArn("role/" + random.pick(Vocabulary.TEAMS) + "-*"));
            case 2 -> statement.condition("Bool", "aws:MultiFactorAuthPresent", "true");
            default -> {
            }
        }
        return statement.build();
    }

    static ObjectNode principalStatement(List<String> principalArns) {
        return PolicyStatement.allow().principal("AWS", principalArns.toArray(String[]::new)).actions("sts:AssumeRole").build();
    }

    /** Trust in GitHub Actions workflows of one repository, or of a whole organisation for a few careless roles. */
    ObjectNode githubOidc(SyntheticAccount account, String repository) {
        String subject = switch (random.weighted(50, 25, 15, 10)) {
            case 0 -> "repo:" + Vocabulary.GITHUB_ORGANIZATION + "/" + repository + ":ref:refs/heads/main";
            case 1 -> "repo:" + Vocabulary.GITHUB_ORGANIZATION + "/" + repository + ":environment:production";
            case 2 -> "repo:" + Vocabulary.GITHUB_ORGANIZATION + "/" + repository + ":*";
            default -> "repo:" + Vocabulary.GITHUB_ORGANIZATION + "/*";
        };
        return PolicyStatement.allow()
                .principal("Federated", account.iamArn("oidc-provider/" + GITHUB_PROVIDER))
                .actions("sts:AssumeRoleWithWebIdentity")
                .condition("StringEquals", GITHUB_PROVIDER + ":aud", "sts.amazonaws.com")
                .condition("StringLike", GITHUB_PROVIDER + ":sub", subject)
                .build();
    }

    /** Trust in a vendor's account, with the sts:ExternalId condition the vendor asked for, or without it. */
    ObjectNode thirdParty(String vendorAccount, boolean withExternalId) {
        PolicyStatement statement = PolicyStatement.allow().principal("AWS", "arn:aws:iam::" + vendorAccount + ":root")
                .actions("sts:AssumeRole");
        if (withExternalId) {
            statement.condition("StringEquals", "sts:ExternalId", random.hex(32));
        }
        return statement.build();
    }

    /** Trust in the IAM Identity Center SAML provider, as AWS writes it for AWSReservedSSO_ roles. */
    static ObjectNode identityCenter(String providerArn) {
        return PolicyStatement.allow().principal("Federated", providerArn)
                .actions("sts:AssumeRoleWithSAML", "sts:TagSession")
                .condition("StringEquals", "SAML:aud", "https://signin.aws.amazon.com/saml")
                .build();
    }

    /** Trust in a hub role of the security account, by ARN or through the account with an ArnEquals condition. */
    ObjectNode hub(String hubAccount, String hubRoleName) {
        String hubRoleArn = "arn:aws:iam::" + hubAccount + ":role/" + hubRoleName;
        if (random.chance(0.8)) {
            return principalStatement(List.of(hubRoleArn));
        }
        return PolicyStatement.allow().principal("AWS", "arn:aws:iam::" + hubAccount + ":root").actions("sts:AssumeRole")
                .condition("ArnEquals", "aws:PrincipalArn", hubRoleArn).build();
    }
}
