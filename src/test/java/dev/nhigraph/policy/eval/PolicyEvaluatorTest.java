package dev.nhigraph.policy.eval;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.eval.EvaluationResult.Decision;
import dev.nhigraph.policy.eval.RequestPrincipal.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decisions of {@link PolicyEvaluator}, one row per case, each naming the AWS documentation page or the public
 * test it restates.
 *
 * <p>A row asserts the decision and the denial type. Where it names them, it also asserts the deciding statements
 * as {@code policyId#statementIndex} (with {@code via GROUP_ARN} for group policies) and the unresolved conditions
 * as {@code Operator key}. Rows that expect an implicit denial do not check statements, because no statement
 * decides one.
 *
 * <p>PMapper rows restate the assertions of nccgroup/PMapper's tests at commit 91d2e60. Rows marked
 * {@code policy-evaluation-rules.json EVAL-nn} restate the test vectors of that rule list, each of which
 * paraphrases the AWS page cited next to it.
 */
class PolicyEvaluatorTest {

    private static final String ACCOUNT = "111122223333";
    private static final String OTHER_ACCOUNT = "444455556666";
    private static final String MANAGEMENT_ACCOUNT = "999988887777";
    /** The account of PMapper's test fixtures. */
    private static final String PM = "000000000000";
    /** The foreign account of PMapper's test fixtures. */
    private static final String PM_OTHER = "999999999999";

    private static final String GUIDE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/";
    private static final String ORGS = "https://docs.aws.amazon.com/organizations/latest/userguide/";
    private static final String DENY_ALLOW = "IAM User Guide, How AWS enforcement code logic evaluates requests to allow "
            + "or deny access, " + GUIDE + "reference_policies_evaluation-logic_policy-eval-denyallow.html";
    private static final String SINGLE_ACCOUNT = "IAM User Guide, Policy evaluation for requests within a single "
            + "account, " + GUIDE + "reference_policies_evaluation-logic_policy-eval-basics.html";
    private static final String CROSS_ACCOUNT = "IAM User Guide, Cross-account policy evaluation logic, "
            + GUIDE + "reference_policies_evaluation-logic-cross-account.html";
    private static final String BOUNDARIES = "IAM User Guide, Permissions boundaries for IAM entities, "
            + GUIDE + "access_policies_boundaries.html";
    private static final String SESSION_POLICIES = "IAM User Guide, Policies and permissions in IAM: Session policies, "
            + GUIDE + "access_policies.html#policies_session";
    private static final String GROUPS = "IAM User Guide, IAM user groups, " + GUIDE + "id_groups.html";
    private static final String ACTION = "IAM User Guide, IAM JSON policy elements: Action, "
            + GUIDE + "reference_policies_elements_action.html";
    private static final String NOT_ACTION = "IAM User Guide, IAM JSON policy elements: NotAction, "
            + GUIDE + "reference_policies_elements_notaction.html";
    private static final String RESOURCE = "IAM User Guide, IAM JSON policy elements: Resource, "
            + GUIDE + "reference_policies_elements_resource.html";
    private static final String NOT_RESOURCE = "IAM User Guide, IAM JSON policy elements: NotResource, "
            + GUIDE + "reference_policies_elements_notresource.html";
    private static final String STATEMENT = "IAM User Guide, IAM JSON policy elements: Statement, "
            + GUIDE + "reference_policies_elements_statement.html";
    private static final String VERSION = "IAM User Guide, IAM JSON policy elements: Version, "
            + GUIDE + "reference_policies_elements_version.html";
    private static final String PRINCIPAL = "IAM User Guide, AWS JSON policy elements: Principal, "
            + GUIDE + "reference_policies_elements_principal.html";
    private static final String NOT_PRINCIPAL = "IAM User Guide, AWS JSON policy elements: NotPrincipal, "
            + GUIDE + "reference_policies_elements_notprincipal.html";
    private static final String VARIABLES = "IAM User Guide, IAM policy elements: Variables and tags, "
            + GUIDE + "reference_policies_variables.html";
    private static final String CONDITION = "IAM User Guide, IAM JSON policy elements: Condition operators, "
            + GUIDE + "reference_policies_elements_condition_operators.html";
    private static final String GLOBAL_KEYS = "IAM User Guide, AWS global condition context keys, "
            + GUIDE + "reference_policies_condition-keys.html";
    private static final String MFA_EXAMPLE = "IAM User Guide, AWS: Allows MFA-authenticated IAM users to manage their "
            + "own credentials, " + GUIDE + "reference_policies_examples_aws_my-sec-creds-self-manage.html";
    private static final String TRUST_UPDATE = "IAM User Guide, Update a role trust policy, "
            + GUIDE + "id_roles_update-role-trust-policy.html";
    private static final String ASSUME_ROLE = "AWS STS API Reference, AssumeRole, "
            + "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html";
    private static final String TRUST_BLOG = "AWS Security Blog, Announcing an update to IAM role trust policy "
            + "behavior, https://aws.amazon.com/blogs/security/announcing-an-update-to-iam-role-trust-policy-behavior/";
    private static final String GET_POLICY_VERSION = "IAM API Reference, GetPolicyVersion (documents are URL-encoded "
            + "per RFC 3986), https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html";
    private static final String CREATE_POLICY = "IAM API Reference, CreatePolicy (PolicyDocument accepts characters "
            + "up to U+00FF), https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html";
    private static final String SCPS = "AWS Organizations User Guide, Service control policies (SCPs), "
            + ORGS + "orgs_manage_policies_scps.html";
    private static final String SCP_EVALUATION = "AWS Organizations User Guide, SCP evaluation, "
            + ORGS + "orgs_manage_policies_scps_evaluation.html";
    private static final String SCP_REGION = "AWS Organizations User Guide, Example SCPs: Deny access to AWS based "
            + "on the requested AWS Region, " + ORGS + "orgs_manage_policies_scps_examples_general.html";
    private static final String RCPS = "AWS Organizations User Guide, Resource control policies (RCPs), "
            + ORGS + "orgs_manage_policies_rcps.html";
    private static final String KMS_KEY_POLICIES = "AWS KMS Developer Guide, Key policies in AWS KMS, "
            + "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html";
    private static final String KMS_DEFAULT = "AWS KMS Developer Guide, Default key policy, "
            + "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html";

    private static final String ALLOW_ALL = "{'Effect':'Allow','Action':'*','Resource':'*'}";
    private static final CompiledPolicy FULL_AWS_ACCESS = scp("FullAWSAccess", ALLOW_ALL);
    private static final CompiledPolicy RCP_FULL_AWS_ACCESS = rcp("RCPFullAWSAccess",
            "{'Effect':'Allow','Principal':'*','Action':'*','Resource':'*'}");
    private static final String KEY_ARN = "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(String name, Case row) {
        EvaluationResult result = PolicyEvaluator.evaluate(row.request(), row.policies());

        String where = "row \"" + name + "\"; source: " + row.source + "; evaluator reason: " + result.reason();
        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertEquals(row.decision, result.decision(), "decision; " + where));
        checks.add(() -> assertEquals(row.denial, result.denial(), "denial type; " + where));
        if (row.statements != null) {
            checks.add(() -> assertEquals(row.statements, statementsOf(result), "deciding statements; " + where));
        }
        if (row.conditions != null) {
            checks.add(() -> assertEquals(row.conditions, conditionsOf(result), "unresolved conditions; " + where));
        }
        assertAll(checks);
    }

    @Test
    void caseNamesUnique() {
        Set<String> names = new HashSet<>();
        List<String> duplicates = cases().map(arguments -> (String) arguments.get()[0]).filter(name -> !names.add(name)).toList();
        assertTrue(duplicates.isEmpty(), "duplicate case names: " + duplicates);
    }

    @Test
    void accountOnlyKeyPolicy_reasonNamesDelegation() {
        // The default key policy's Allow is listed as evidence, so the reason must not say that no policy allows.
        Case row = (Case) cases().map(Arguments::get).filter(arguments -> arguments[0].equals("kms: IAM enabled, no identity"))
                .findFirst().orElseThrow()[1];

        EvaluationResult result = PolicyEvaluator.evaluate(row.request(), row.policies());

        assertEquals(EvaluationResult.Decision.DENIED, result.decision());
        assertTrue(result.reason().contains("names only the caller's account"), result.reason());
    }

    static Stream<Arguments> cases() {
        return Stream.of(identityRows(), groupRows(), boundaryRows(), sessionPolicyRows(), scpRows(), rcpRows(),
                        sameAccountResourceRows(), crossAccountRows(), trustRows(), notPrincipalRows(), kmsRows(),
                        actionRows(), resourceRows(), variableRows(), documentRows(), conditionRows(), pmapperRows(),
                        rulesFileRows(), iamVulnerableRows())
                .flatMap(List::stream)
                .map(row -> Arguments.of(row.name, row));
    }

    // ---------------------------------------------------------------- rows from the AWS documentation

    static List<Case> identityRows() {
        CompiledPolicy readReports = managed("alice-reports", allow("s3:GetObject", "arn:aws:s3:::reports/*"));
        return List.of(
                row("identity: no policy", DENY_ALLOW)
                        .by(user(ACCOUNT, "alice"))
                        .asks("s3:GetObject", "arn:aws:s3:::reports/q1.csv")
                        .deniedImplicit(),
                row("identity: allow grants", DENY_ALLOW)
                        .by(user(ACCOUNT, "alice")).identity(readReports)
                        .asks("s3:GetObject", "arn:aws:s3:::reports/q1.csv")
                        .allowed("alice-reports#0"),
                row("identity: other resource", DENY_ALLOW)
                        .by(user(ACCOUNT, "alice")).identity(readReports)
                        .asks("s3:GetObject", "arn:aws:s3:::payroll/q1.csv")
                        .deniedImplicit(),
                row("identity: other action", DENY_ALLOW)
                        .by(user(ACCOUNT, "alice")).identity(readReports)
                        .asks("s3:PutObject", "arn:aws:s3:::reports/q1.csv")
                        .deniedImplicit(),
                row("identity: deny in second policy", DENY_ALLOW)
                        .by(user(ACCOUNT, "alice"))
                        .identity(managed("alice-s3", allow("s3:*", "*")),
                                managed("alice-no-delete", deny("s3:DeleteObject", "*")))
                        .asks("s3:DeleteObject", "arn:aws:s3:::reports/q1.csv")
                        .deniedExplicit("alice-no-delete#0"),
                row("identity: deny leaves rest", DENY_ALLOW)
                        .by(user(ACCOUNT, "alice"))
                        .identity(managed("alice-s3", allow("s3:*", "*")),
                                managed("alice-no-delete", deny("s3:DeleteObject", "*")))
                        .asks("s3:GetObject", "arn:aws:s3:::reports/q1.csv")
                        .allowed("alice-s3#0"),
                row("identity: statement as object", STATEMENT)
                        .by(user(ACCOUNT, "alice"))
                        .identity(parsed("alice-list", "managed", "{\"Version\":\"2012-10-17\",\"Statement\":"
                                + "{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::reports\"}}"))
                        .asks("s3:ListBucket", "arn:aws:s3:::reports")
                        .allowed("alice-list#0"),
                row("identity: role session allow", DENY_ALLOW)
                        .by(role(ACCOUNT, "app")).identity(managed("app-sqs", allow("sqs:SendMessage", "*")))
                        .asks("sqs:SendMessage", "arn:aws:sqs:us-east-1:" + ACCOUNT + ":orders")
                        .allowed("app-sqs#0"));
    }

    static List<Case> groupRows() {
        String dev = groupArn(ACCOUNT, "dev");
        String ops = groupArn(ACCOUNT, "ops");
        return List.of(
                row("group: allow reaches member", GROUPS)
                        .by(user(ACCOUNT, "bob"))
                        .identity(inGroup("dev-read", dev, allow("ec2:Describe*", "*")))
                        .asks("ec2:DescribeInstances", "*")
                        .allowed("dev-read#0 via " + dev),
                row("group: deny beats user allow", GROUPS + "; " + DENY_ALLOW)
                        .by(user(ACCOUNT, "bob"))
                        .identity(managed("bob-s3", allow("s3:*", "*")),
                                inGroup("dev-no-delete", dev, deny("s3:DeleteBucket", "*")))
                        .asks("s3:DeleteBucket", "arn:aws:s3:::reports")
                        .deniedExplicit("dev-no-delete#0 via " + dev),
                row("group: user deny beats group", GROUPS + "; " + DENY_ALLOW)
                        .by(user(ACCOUNT, "bob"))
                        .identity(inGroup("ops-admin", ops, ALLOW_ALL), managed("bob-no-iam", deny("iam:*", "*")))
                        .asks("iam:CreateUser", userArn(ACCOUNT, "eve"))
                        .deniedExplicit("bob-no-iam#0"),
                row("group: two groups add up", GROUPS)
                        .by(user(ACCOUNT, "bob"))
                        .identity(inGroup("dev-get", dev, allow("s3:GetObject", "*")),
                                inGroup("ops-put", ops, allow("s3:PutObject", "*")))
                        .asks("s3:PutObject", "arn:aws:s3:::reports/q1.csv")
                        .allowed("ops-put#0 via " + ops));
    }

    static List<Case> boundaryRows() {
        CompiledPolicy s3Boundary = boundary("s3-boundary", allow("s3:*", "*"));
        CompiledPolicy carolAll = managed("carol-all", ALLOW_ALL);
        return List.of(
                row("boundary: caps identity", BOUNDARIES)
                        .by(user(ACCOUNT, "carol")).identity(carolAll).boundary(s3Boundary)
                        .asks("ec2:RunInstances", "*")
                        .deniedImplicit(),
                row("boundary: both allow", BOUNDARIES)
                        .by(user(ACCOUNT, "carol")).identity(carolAll).boundary(s3Boundary)
                        .asks("s3:GetObject", "arn:aws:s3:::reports/q1.csv")
                        .allowed("carol-all#0", "s3-boundary#0"),
                row("boundary: grants nothing alone", BOUNDARIES)
                        .by(user(ACCOUNT, "carol")).boundary(boundary("open-boundary", ALLOW_ALL))
                        .asks("s3:GetObject", "arn:aws:s3:::reports/q1.csv")
                        .deniedImplicit(),
                row("boundary: ShirleyRodriguez example", BOUNDARIES)
                        .by(user(ACCOUNT, "ShirleyRodriguez"))
                        .identity(parsed("shirley-create-user", "managed", "{\"Version\":\"2012-10-17\",\"Statement\":"
                                + "{\"Effect\":\"Allow\",\"Action\":\"iam:CreateUser\",\"Resource\":\"*\"}}"))
                        .boundary(boundary("shirley-boundary",
                                "{'Effect':'Allow','Action':['s3:*','cloudwatch:*','ec2:*'],'Resource':'*'}"))
                        .asks("iam:CreateUser", userArn(ACCOUNT, "newhire"))
                        .deniedImplicit(),
                row("boundary: deny is explicit", BOUNDARIES)
                        .by(user(ACCOUNT, "carol")).identity(carolAll)
                        .boundary(boundary("no-iam-boundary", ALLOW_ALL, deny("iam:*", "*")))
                        .asks("iam:CreateUser", userArn(ACCOUNT, "newhire"))
                        .deniedExplicit("no-iam-boundary#1"),
                row("boundary: condition unresolved", BOUNDARIES + "; " + CONDITION)
                        .by(user(ACCOUNT, "carol")).identity(carolAll)
                        .boundary(boundary("office-boundary", "{'Effect':'Allow','Action':'s3:*','Resource':'*',"
                                + "'Condition':{'IpAddress':{'aws:SourceIp':'203.0.113.0/24'}}}"))
                        .asks("s3:GetObject", "arn:aws:s3:::reports/q1.csv")
                        .conditional("carol-all#0", "office-boundary#0")
                        .unresolved("IpAddress aws:SourceIp"),
                row("boundary: caps role session", BOUNDARIES)
                        .by(role(ACCOUNT, "app")).identity(managed("app-all", ALLOW_ALL)).boundary(s3Boundary)
                        .asks("iam:CreateRole", roleArn(ACCOUNT, "escalate"))
                        .deniedImplicit());
    }

    static List<Case> sessionPolicyRows() {
        CompiledPolicy appS3 = managed("app-s3", allow("s3:*", "*"));
        CompiledPolicy readOnly = sessionPolicy("read-session", allow("s3:GetObject", "*"));
        return List.of(
                row("session policy: caps role", SESSION_POLICIES)
                        .by(roleSession(ACCOUNT, "app", "ci")).identity(appS3).session(readOnly)
                        .asks("s3:PutObject", "arn:aws:s3:::reports/q1.csv")
                        .deniedImplicit(),
                row("session policy: both allow", SESSION_POLICIES)
                        .by(roleSession(ACCOUNT, "app", "ci")).identity(appS3).session(readOnly)
                        .asks("s3:GetObject", "arn:aws:s3:::reports/q1.csv")
                        .allowed("app-s3#0", "read-session#0"),
                row("session policy: grants nothing alone", SESSION_POLICIES)
                        .by(roleSession(ACCOUNT, "app", "ci")).session(sessionPolicy("open-session", ALLOW_ALL))
                        .asks("s3:GetObject", "arn:aws:s3:::reports/q1.csv")
                        .deniedImplicit(),
                row("session policy: deny is explicit", SESSION_POLICIES + "; " + DENY_ALLOW)
                        .by(roleSession(ACCOUNT, "app", "ci")).identity(appS3)
                        .session(sessionPolicy("no-delete-session", ALLOW_ALL, deny("s3:DeleteObject", "*")))
                        .asks("s3:DeleteObject", "arn:aws:s3:::reports/q1.csv")
                        .deniedExplicit("no-delete-session#1"));
    }

    static List<Case> scpRows() {
        CompiledPolicy admin = managed("admin", ALLOW_ALL);
        CompiledPolicy regionDeny = scp("deny-outside-eu", "{'Sid':'DenyAllOutsideEU','Effect':'Deny',"
                + "'NotAction':['iam:*','organizations:*','sts:*','support:*'],'Resource':'*',"
                + "'Condition':{'StringNotEquals':{'aws:RequestedRegion':['eu-central-1','eu-west-1']}}}");
        CompiledPolicy denyS3 = scp("deny-s3", deny("s3:*", "*"));
        return List.of(
                row("scp: region unknown", SCP_REGION)
                        .by(user(ACCOUNT, "alice")).identity(admin)
                        .scps(List.of(FULL_AWS_ACCESS), List.of(FULL_AWS_ACCESS, regionDeny))
                        .asks("ec2:RunInstances", "*")
                        .conditional("admin#0", "deny-outside-eu#0")
                        .unresolved("StringNotEquals aws:RequestedRegion"),
                row("scp: region outside list", SCP_REGION)
                        .by(user(ACCOUNT, "alice")).identity(admin)
                        .scps(List.of(FULL_AWS_ACCESS), List.of(FULL_AWS_ACCESS, regionDeny))
                        .context("aws:RequestedRegion", "us-east-1")
                        .asks("ec2:RunInstances", "*")
                        .deniedExplicit("deny-outside-eu#0"),
                row("scp: region inside list", SCP_REGION)
                        .by(user(ACCOUNT, "alice")).identity(admin)
                        .scps(List.of(FULL_AWS_ACCESS), List.of(FULL_AWS_ACCESS, regionDeny))
                        .context("aws:RequestedRegion", "eu-west-1")
                        .asks("ec2:RunInstances", "*")
                        .allowed("admin#0"),
                row("scp: NotAction exempts iam", SCP_REGION + "; " + NOT_ACTION)
                        .by(user(ACCOUNT, "alice")).identity(admin)
                        .scps(List.of(FULL_AWS_ACCESS), List.of(FULL_AWS_ACCESS, regionDeny))
                        .asks("iam:CreateUser", userArn(ACCOUNT, "newhire"))
                        .allowed("admin#0"),
                row("scp: management account exempt", SCPS)
                        .by(user(MANAGEMENT_ACCOUNT, "alice")).identity(admin)
                        .scps(List.of(FULL_AWS_ACCESS, denyS3)).management(MANAGEMENT_ACCOUNT)
                        .asks("s3:CreateBucket", "arn:aws:s3:::new-bucket")
                        .allowed("admin#0"),
                row("scp: member account bound", SCPS)
                        .by(user(ACCOUNT, "alice")).identity(admin)
                        .scps(List.of(FULL_AWS_ACCESS, denyS3)).management(MANAGEMENT_ACCOUNT)
                        .asks("s3:CreateBucket", "arn:aws:s3:::new-bucket")
                        .deniedExplicit("deny-s3#0"),
                row("scp: service-linked role exempt", SCPS)
                        .by(serviceLinkedRole(ACCOUNT, "elasticloadbalancing.amazonaws.com",
                                "AWSServiceRoleForElasticLoadBalancing"))
                        .identity(managed("elb-slr", allow("ec2:*", "*")))
                        .scps(List.of(FULL_AWS_ACCESS, scp("deny-ec2", deny("ec2:*", "*"))))
                        .asks("ec2:DescribeInstances", "*")
                        .allowed("elb-slr#0"),
                row("scp: empty level", SCP_EVALUATION)
                        .by(user(ACCOUNT, "alice")).identity(admin)
                        .scps(List.of(FULL_AWS_ACCESS), List.of())
                        .asks("s3:GetObject", "arn:aws:s3:::reports/q1.csv")
                        .deniedImplicit(),
                row("scp: allow list misses action", SCP_EVALUATION)
                        .by(user(ACCOUNT, "alice")).identity(admin)
                        .scps(List.of(FULL_AWS_ACCESS), List.of(scp("allow-ec2", allow("ec2:*", "*"))))
                        .asks("s3:GetObject", "arn:aws:s3:::reports/q1.csv")
                        .deniedImplicit(),
                row("scp: allow list has action", SCP_EVALUATION)
                        .by(user(ACCOUNT, "alice")).identity(admin)
                        .scps(List.of(FULL_AWS_ACCESS), List.of(scp("allow-ec2", allow("ec2:*", "*"))))
                        .asks("ec2:DescribeInstances", "*")
                        .allowed("admin#0", "allow-ec2#0"),
                row("scp: grants nothing", SCPS)
                        .by(user(ACCOUNT, "alice"))
                        .scps(List.of(FULL_AWS_ACCESS), List.of(FULL_AWS_ACCESS))
                        .asks("s3:GetObject", "arn:aws:s3:::reports/q1.csv")
                        .deniedImplicit(),
                row("scp: root deny reaches account", SCP_EVALUATION)
                        .by(user(ACCOUNT, "alice")).identity(admin)
                        .scps(List.of(FULL_AWS_ACCESS, scp("deny-leave", deny("organizations:LeaveOrganization", "*"))),
                                List.of(FULL_AWS_ACCESS))
                        .asks("organizations:LeaveOrganization", "*")
                        .deniedExplicit("deny-leave#0"),
                // The service principal is modelled in the role's account. SCPs limit only the IAM users and roles
                // of member accounts, so an SCP Deny on sts does not stop EC2 from assuming its instance role.
                row("scp: service principal exempt", SCPS + "; " + PRINCIPAL)
                        .by(service("ec2.amazonaws.com", ACCOUNT))
                        .trustPolicy(trust("ec2-role-trust", "{'Effect':'Allow','Principal':{'Service':"
                                + "'ec2.amazonaws.com'},'Action':'sts:AssumeRole'}"))
                        .scps(List.of(FULL_AWS_ACCESS, scp("deny-sts", deny("sts:*", "*"))))
                        .asks("sts:AssumeRole", roleArn(ACCOUNT, "web-instance"))
                        .allowed("ec2-role-trust#0"));
    }

    static List<Case> rcpRows() {
        CompiledPolicy admin = managed("admin", ALLOW_ALL);
        CompiledPolicy denyEverything = rcp("rcp-deny-all", "{'Effect':'Deny','Principal':'*','Action':'*','Resource':'*'}");
        CompiledPolicy perimeter = rcp("rcp-perimeter", "{'Effect':'Deny','Principal':'*','Action':'s3:*','Resource':'*',"
                + "'Condition':{'StringNotEqualsIfExists':{'aws:PrincipalOrgID':'o-exampleorg'}}}");
        CompiledPolicy partnerBucket = resource("partner-bucket", "{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::"
                + OTHER_ACCOUNT + ":root'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::partner-data/*'}");
        CompiledPolicy erinRead = managed("erin-s3", allow("s3:GetObject", "arn:aws:s3:::partner-data/*"));
        return List.of(
                row("rcp: deny on s3", RCPS)
                        .by(user(ACCOUNT, "alice")).identity(admin)
                        .rcps(List.of(RCP_FULL_AWS_ACCESS), List.of(RCP_FULL_AWS_ACCESS,
                                rcp("rcp-no-bucket-delete", "{'Effect':'Deny','Principal':'*','Action':'s3:DeleteBucket','Resource':'*'}")))
                        .asks("s3:DeleteBucket", "arn:aws:s3:::reports").resourceAccount(ACCOUNT)
                        .deniedExplicit("rcp-no-bucket-delete#0"),
                row("rcp: deny on sts", RCPS)
                        .by(user(ACCOUNT, "alice")).identity(managed("alice-assume", allow("sts:AssumeRole", "*")))
                        .trustPolicy(trust("ops-trust", trustsPrincipal("arn:aws:iam::" + ACCOUNT + ":root")))
                        .rcps(List.of(RCP_FULL_AWS_ACCESS, rcp("rcp-no-assume",
                                "{'Effect':'Deny','Principal':'*','Action':'sts:AssumeRole','Resource':'*'}")))
                        .asks("sts:AssumeRole", roleArn(ACCOUNT, "ops"))
                        .deniedExplicit("rcp-no-assume#0"),
                row("rcp: deny on kms", RCPS)
                        .by(user(ACCOUNT, "alice")).identity(managed("alice-kms", allow("kms:Decrypt", "*")))
                        .keyPolicy(resource("key-policy", enableIamPolicies(ACCOUNT)))
                        .rcps(List.of(RCP_FULL_AWS_ACCESS, rcp("rcp-no-decrypt",
                                "{'Effect':'Deny','Principal':'*','Action':'kms:Decrypt','Resource':'*'}")))
                        .asks("kms:Decrypt", KEY_ARN)
                        .deniedExplicit("rcp-no-decrypt#0"),
                row("rcp: not on ec2", RCPS)
                        .by(user(ACCOUNT, "alice")).identity(admin)
                        .rcps(List.of(RCP_FULL_AWS_ACCESS, denyEverything))
                        .asks("ec2:TerminateInstances", "arn:aws:ec2:us-east-1:" + ACCOUNT + ":instance/i-0abcd1234")
                        .allowed("admin#0"),
                row("rcp: not on iam", RCPS)
                        .by(user(ACCOUNT, "alice")).identity(admin)
                        .rcps(List.of(RCP_FULL_AWS_ACCESS, denyEverything))
                        .asks("iam:GetRole", roleArn(ACCOUNT, "ops"))
                        .allowed("admin#0"),
                row("rcp: empty level", RCPS + "; " + DENY_ALLOW)
                        .by(user(ACCOUNT, "alice")).identity(admin)
                        .rcps(List.of(RCP_FULL_AWS_ACCESS), List.of())
                        .asks("s3:GetObject", "arn:aws:s3:::reports/q1.csv").resourceAccount(ACCOUNT)
                        .deniedImplicit(),
                row("rcp: management account exempt", RCPS)
                        .by(user(MANAGEMENT_ACCOUNT, "alice")).identity(admin)
                        .rcps(List.of(RCP_FULL_AWS_ACCESS, denyEverything)).management(MANAGEMENT_ACCOUNT)
                        .asks("s3:GetObject", "arn:aws:s3:::audit-logs/q1.csv").resourceAccount(MANAGEMENT_ACCOUNT)
                        .allowed("admin#0"),
                row("rcp: grants nothing", RCPS)
                        .by(user(ACCOUNT, "alice"))
                        .rcps(List.of(RCP_FULL_AWS_ACCESS))
                        .asks("s3:GetObject", "arn:aws:s3:::reports/q1.csv").resourceAccount(ACCOUNT)
                        .deniedImplicit(),
                row("rcp: org unknown", RCPS + "; " + GLOBAL_KEYS)
                        .by(user(OTHER_ACCOUNT, "erin")).identity(erinRead).resourcePolicy(partnerBucket)
                        .rcps(List.of(RCP_FULL_AWS_ACCESS, perimeter))
                        .asks("s3:GetObject", "arn:aws:s3:::partner-data/feed.csv").resourceAccount(ACCOUNT)
                        .conditional("erin-s3#0", "partner-bucket#0", "rcp-perimeter#0")
                        .unresolved("StringNotEqualsIfExists aws:PrincipalOrgID"),
                row("rcp: org inside", RCPS + "; " + GLOBAL_KEYS)
                        .by(user(OTHER_ACCOUNT, "erin")).identity(erinRead).resourcePolicy(partnerBucket)
                        .rcps(List.of(RCP_FULL_AWS_ACCESS, perimeter))
                        .context("aws:PrincipalOrgID", "o-exampleorg")
                        .asks("s3:GetObject", "arn:aws:s3:::partner-data/feed.csv").resourceAccount(ACCOUNT)
                        .allowed("erin-s3#0", "partner-bucket#0"),
                row("rcp: org outside", RCPS + "; " + GLOBAL_KEYS)
                        .by(user(OTHER_ACCOUNT, "erin")).identity(erinRead).resourcePolicy(partnerBucket)
                        .rcps(List.of(RCP_FULL_AWS_ACCESS, perimeter))
                        .context("aws:PrincipalOrgID", "o-otherorg")
                        .asks("s3:GetObject", "arn:aws:s3:::partner-data/feed.csv").resourceAccount(ACCOUNT)
                        .deniedExplicit("rcp-perimeter#0"));
    }

    static List<Case> sameAccountResourceRows() {
        CompiledPolicy namesDave = resource("shared-bucket", "{'Effect':'Allow','Principal':{'AWS':'"
                + userArn(ACCOUNT, "dave") + "'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::shared/*'}");
        CompiledPolicy namesRole = resource("shared-bucket", "{'Effect':'Allow','Principal':{'AWS':'"
                + roleArn(ACCOUNT, "app") + "'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::shared/*'}");
        CompiledPolicy namesSession = resource("shared-bucket", "{'Effect':'Allow','Principal':{'AWS':'arn:aws:sts::"
                + ACCOUNT + ":assumed-role/app/build-42'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::shared/*'}");
        CompiledPolicy namesAccount = resource("shared-bucket", "{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::"
                + ACCOUNT + ":root'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::shared/*'}");
        CompiledPolicy publicRead = resource("shared-bucket", "{'Effect':'Allow','Principal':'*',"
                + "'Action':'s3:GetObject','Resource':'arn:aws:s3:::shared/*'}");
        CompiledPolicy ec2Boundary = boundary("ec2-boundary", allow("ec2:*", "*"));
        String object = "arn:aws:s3:::shared/plan.txt";
        return List.of(
                row("resource policy: user ARN", DENY_ALLOW + "; " + SINGLE_ACCOUNT)
                        .by(user(ACCOUNT, "dave")).resourcePolicy(namesDave)
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .allowed("shared-bucket#0"),
                row("resource policy: user ARN past boundary", DENY_ALLOW + "; " + BOUNDARIES)
                        .by(user(ACCOUNT, "dave")).boundary(ec2Boundary).resourcePolicy(namesDave)
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .allowed("shared-bucket#0"),
                row("resource policy: role ARN", DENY_ALLOW)
                        .by(role(ACCOUNT, "app")).resourcePolicy(namesRole)
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .allowed("shared-bucket#0"),
                row("resource policy: role ARN capped by boundary", DENY_ALLOW)
                        .by(role(ACCOUNT, "app")).boundary(ec2Boundary).resourcePolicy(namesRole)
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .deniedImplicit(),
                row("resource policy: role ARN within boundary", DENY_ALLOW)
                        .by(role(ACCOUNT, "app")).boundary(boundary("s3-boundary", allow("s3:*", "*")))
                        .resourcePolicy(namesRole)
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .allowed("shared-bucket#0", "s3-boundary#0"),
                row("resource policy: role ARN capped by session", DENY_ALLOW)
                        .by(roleSession(ACCOUNT, "app", "ci")).session(sessionPolicy("ec2-session", allow("ec2:*", "*")))
                        .resourcePolicy(namesRole)
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .deniedImplicit(),
                row("resource policy: session ARN past boundary", DENY_ALLOW)
                        .by(roleSession(ACCOUNT, "app", "build-42")).boundary(ec2Boundary)
                        .session(sessionPolicy("ec2-session", allow("ec2:*", "*")))
                        .resourcePolicy(namesSession)
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .allowed("shared-bucket#0"),
                row("resource policy: other session", DENY_ALLOW)
                        .by(roleSession(ACCOUNT, "app", "build-43")).resourcePolicy(namesSession)
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .deniedImplicit(),
                // NOTE: this row does not check the condition list. The decision depends on the session name,
                // which no condition key of this request carries, and the evaluator lists no condition for it.
                row("resource policy: session name unknown", DENY_ALLOW)
                        .by(role(ACCOUNT, "app")).resourcePolicy(namesSession)
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .conditional("shared-bucket#0")
                        .conditionsUnchecked(),
                row("resource policy: account delegates", PRINCIPAL + "; " + SINGLE_ACCOUNT)
                        .by(user(ACCOUNT, "dave")).resourcePolicy(namesAccount)
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .deniedImplicit(),
                row("resource policy: account plus identity", PRINCIPAL + "; " + SINGLE_ACCOUNT)
                        .by(user(ACCOUNT, "dave")).identity(managed("dave-s3", allow("s3:GetObject", "*")))
                        .resourcePolicy(namesAccount)
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .allowed("dave-s3#0", "shared-bucket#0"),
                row("resource policy: account under boundary", PRINCIPAL + "; " + BOUNDARIES)
                        .by(role(ACCOUNT, "app")).identity(managed("app-s3", allow("s3:*", "*"))).boundary(ec2Boundary)
                        .resourcePolicy(namesAccount)
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .deniedImplicit(),
                row("resource policy: star principal", PRINCIPAL)
                        .by(user(ACCOUNT, "dave")).resourcePolicy(publicRead)
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .allowed("shared-bucket#0"),
                row("resource policy: other action", SINGLE_ACCOUNT)
                        .by(user(ACCOUNT, "dave")).resourcePolicy(namesDave)
                        .asks("s3:PutObject", object).resourceAccount(ACCOUNT)
                        .deniedImplicit(),
                row("resource policy: deny for one user", DENY_ALLOW)
                        .by(user(ACCOUNT, "mallory")).identity(managed("mallory-s3", allow("s3:*", "*")))
                        .resourcePolicy(resource("guarded-bucket", "{'Effect':'Allow','Principal':'*','Action':'s3:GetObject',"
                                + "'Resource':'arn:aws:s3:::shared/*'}", "{'Effect':'Deny','Principal':{'AWS':'"
                                + userArn(ACCOUNT, "mallory") + "'},'Action':'s3:*','Resource':'arn:aws:s3:::shared/*'}"))
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .deniedExplicit("guarded-bucket#1"),
                row("resource policy: deny for other user", DENY_ALLOW)
                        .by(user(ACCOUNT, "dave"))
                        .resourcePolicy(resource("guarded-bucket", "{'Effect':'Allow','Principal':'*','Action':'s3:GetObject',"
                                + "'Resource':'arn:aws:s3:::shared/*'}", "{'Effect':'Deny','Principal':{'AWS':'"
                                + userArn(ACCOUNT, "mallory") + "'},'Action':'s3:*','Resource':'arn:aws:s3:::shared/*'}"))
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .allowed("guarded-bucket#0"),
                row("resource policy: deny naming account", PRINCIPAL + "; " + DENY_ALLOW)
                        .by(user(ACCOUNT, "dave")).identity(managed("dave-admin", ALLOW_ALL))
                        .resourcePolicy(resource("locked-bucket", "{'Effect':'Deny','Principal':{'AWS':'" + ACCOUNT
                                + "'},'Action':'s3:DeleteBucket','Resource':'arn:aws:s3:::shared'}"))
                        .asks("s3:DeleteBucket", "arn:aws:s3:::shared").resourceAccount(ACCOUNT)
                        .deniedExplicit("locked-bucket#0"),
                row("resource policy: identity deny wins", DENY_ALLOW)
                        .by(user(ACCOUNT, "dave")).identity(managed("dave-no-s3", deny("s3:*", "*")))
                        .resourcePolicy(namesDave)
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .deniedExplicit("dave-no-s3#0"),
                // The Principal element page states that "*" includes anonymous callers. An anonymous request has
                // no account, so the evaluator must not treat the bucket's known account as a cross-account call.
                row("resource policy: anonymous public read", PRINCIPAL)
                        .by(anonymous())
                        .resourcePolicy(publicRead)
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .allowed("shared-bucket#0"));
    }

    static List<Case> crossAccountRows() {
        CompiledPolicy partnerBucket = resource("partner-bucket", "{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::"
                + OTHER_ACCOUNT + ":root'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::partner-data/*'}");
        CompiledPolicy erinRead = managed("erin-s3", allow("s3:GetObject", "arn:aws:s3:::partner-data/*"));
        String object = "arn:aws:s3:::partner-data/feed.csv";
        return List.of(
                row("cross-account: both allow", CROSS_ACCOUNT)
                        .by(user(OTHER_ACCOUNT, "erin")).identity(erinRead).resourcePolicy(partnerBucket)
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .allowed("erin-s3#0", "partner-bucket#0"),
                row("cross-account: identity only", CROSS_ACCOUNT)
                        .by(user(OTHER_ACCOUNT, "erin")).identity(erinRead)
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .deniedImplicit(),
                row("cross-account: resource only", CROSS_ACCOUNT)
                        .by(user(OTHER_ACCOUNT, "erin")).resourcePolicy(partnerBucket)
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .deniedImplicit(),
                row("cross-account: user ARN needs identity", CROSS_ACCOUNT)
                        .by(user(OTHER_ACCOUNT, "erin"))
                        .resourcePolicy(resource("partner-bucket", "{'Effect':'Allow','Principal':{'AWS':'"
                                + userArn(OTHER_ACCOUNT, "erin") + "'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::partner-data/*'}"))
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .deniedImplicit(),
                row("cross-account: caller boundary", CROSS_ACCOUNT + "; " + BOUNDARIES)
                        .by(user(OTHER_ACCOUNT, "erin")).identity(erinRead).boundary(boundary("ec2-boundary", allow("ec2:*", "*")))
                        .resourcePolicy(partnerBucket)
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .deniedImplicit(),
                row("cross-account: caller scp deny", CROSS_ACCOUNT + "; " + SCPS)
                        .by(user(OTHER_ACCOUNT, "erin")).identity(erinRead).resourcePolicy(partnerBucket)
                        .scps(List.of(FULL_AWS_ACCESS, scp("deny-s3", deny("s3:*", "*"))))
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .deniedExplicit("deny-s3#0"),
                row("cross-account: bucket deny", CROSS_ACCOUNT + "; " + DENY_ALLOW)
                        .by(user(OTHER_ACCOUNT, "erin")).identity(erinRead)
                        .resourcePolicy(resource("partner-bucket", "{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::"
                                + OTHER_ACCOUNT + ":root'},'Action':'s3:*','Resource':'arn:aws:s3:::partner-data/*'}",
                                "{'Effect':'Deny','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::partner-data/private/*'}"))
                        .asks("s3:GetObject", "arn:aws:s3:::partner-data/private/key.pem").resourceAccount(ACCOUNT)
                        .deniedExplicit("partner-bucket#1"),
                row("cross-account: session ARN named", CROSS_ACCOUNT + "; " + PRINCIPAL)
                        .by(roleSession(OTHER_ACCOUNT, "importer", "nightly"))
                        .identity(managed("importer-s3", allow("s3:GetObject", "*")))
                        .resourcePolicy(resource("partner-bucket", "{'Effect':'Allow','Principal':{'AWS':'arn:aws:sts::"
                                + OTHER_ACCOUNT + ":assumed-role/importer/nightly'},'Action':'s3:GetObject',"
                                + "'Resource':'arn:aws:s3:::partner-data/*'}"))
                        .asks("s3:GetObject", object).resourceAccount(ACCOUNT)
                        .allowed("importer-s3#0", "partner-bucket#0"));
    }

    static List<Case> trustRows() {
        CompiledPolicy aliceAssume = managed("alice-assume", allow("sts:AssumeRole", "*"));
        CompiledPolicy trustsRoot = trust("ops-trust", trustsPrincipal("arn:aws:iam::" + ACCOUNT + ":root"));
        String ops = roleArn(ACCOUNT, "ops");
        return List.of(
                row("trust: identity alone", DENY_ALLOW)
                        .by(user(ACCOUNT, "alice")).identity(aliceAssume)
                        .trustPolicy(trust("ops-trust", "{'Effect':'Allow','Principal':{'Service':'ec2.amazonaws.com'},"
                                + "'Action':'sts:AssumeRole'}"))
                        .asks("sts:AssumeRole", ops)
                        .deniedImplicit(),
                row("trust: root plus identity", PRINCIPAL)
                        .by(user(ACCOUNT, "alice")).identity(aliceAssume).trustPolicy(trustsRoot)
                        .asks("sts:AssumeRole", ops)
                        .allowed("alice-assume#0", "ops-trust#0"),
                row("trust: root without identity", PRINCIPAL)
                        .by(user(ACCOUNT, "alice")).trustPolicy(trustsRoot)
                        .asks("sts:AssumeRole", ops)
                        .deniedImplicit(),
                row("trust: identity on other role", PRINCIPAL)
                        .by(user(ACCOUNT, "alice"))
                        .identity(managed("alice-assume-dev", allow("sts:AssumeRole", roleArn(ACCOUNT, "dev-*"))))
                        .trustPolicy(trustsRoot)
                        .asks("sts:AssumeRole", ops)
                        .deniedImplicit(),
                row("trust: names user", ASSUME_ROLE)
                        .by(user(ACCOUNT, "alice"))
                        .trustPolicy(trust("ops-trust", trustsPrincipal(userArn(ACCOUNT, "alice"))))
                        .asks("sts:AssumeRole", ops)
                        .allowed("ops-trust#0"),
                row("trust: names role", ASSUME_ROLE)
                        .by(role(ACCOUNT, "deployer"))
                        .trustPolicy(trust("ops-trust", trustsPrincipal(roleArn(ACCOUNT, "deployer"))))
                        .asks("sts:AssumeRole", ops)
                        .allowed("ops-trust#0"),
                row("trust: role ARN capped by boundary", DENY_ALLOW + "; " + TRUST_UPDATE)
                        .by(role(ACCOUNT, "deployer")).boundary(boundary("s3-boundary", allow("s3:*", "*")))
                        .trustPolicy(trust("ops-trust", trustsPrincipal(roleArn(ACCOUNT, "deployer"))))
                        .asks("sts:AssumeRole", ops)
                        .deniedImplicit(),
                row("trust: user ARN within boundary", TRUST_UPDATE)
                        .by(user(ACCOUNT, "alice")).boundary(boundary("assume-boundary", allow("sts:AssumeRole", "*")))
                        .trustPolicy(trust("ops-trust", trustsPrincipal(userArn(ACCOUNT, "alice"))))
                        .asks("sts:AssumeRole", ops)
                        .allowed("assume-boundary#0", "ops-trust#0"),
                row("trust: user ARN capped by boundary", TRUST_UPDATE)
                        .by(user(ACCOUNT, "alice")).identity(aliceAssume).boundary(boundary("s3-boundary", allow("s3:*", "*")))
                        .trustPolicy(trust("ops-trust", trustsPrincipal(userArn(ACCOUNT, "alice"))))
                        .asks("sts:AssumeRole", ops)
                        .deniedImplicit(),
                row("trust: deny wins", DENY_ALLOW)
                        .by(user(ACCOUNT, "mallory")).identity(managed("mallory-assume", allow("sts:AssumeRole", "*")))
                        .trustPolicy(trust("ops-trust", "{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::" + ACCOUNT
                                + ":root'},'Action':'sts:AssumeRole'}", "{'Effect':'Deny','Principal':{'AWS':'"
                                + userArn(ACCOUNT, "mallory") + "'},'Action':'sts:AssumeRole'}"))
                        .asks("sts:AssumeRole", ops)
                        .deniedExplicit("ops-trust#1"),
                row("trust: partial wildcard principal", PRINCIPAL)
                        .by(user(ACCOUNT, "alice")).identity(aliceAssume)
                        .trustPolicy(trust("ops-trust", trustsPrincipal("arn:aws:iam::" + ACCOUNT + ":user/*")))
                        .asks("sts:AssumeRole", ops)
                        .deniedImplicit(),
                row("trust: deleted principal id", PRINCIPAL)
                        .by(user(ACCOUNT, "alice")).identity(aliceAssume)
                        .trustPolicy(trust("ops-trust", trustsPrincipal("AIDAJQABLZS4A3QDU576Q")))
                        .asks("sts:AssumeRole", ops)
                        .deniedImplicit(),
                row("trust: cross-account root", CROSS_ACCOUNT + "; " + PRINCIPAL)
                        .by(role(OTHER_ACCOUNT, "ci")).identity(managed("ci-assume", allow("sts:AssumeRole", ops)))
                        .trustPolicy(trust("ops-trust", trustsPrincipal("arn:aws:iam::" + OTHER_ACCOUNT + ":root")))
                        .asks("sts:AssumeRole", ops)
                        .allowed("ci-assume#0", "ops-trust#0"),
                row("trust: cross-account role needs identity", CROSS_ACCOUNT + "; " + ASSUME_ROLE)
                        .by(role(OTHER_ACCOUNT, "ci"))
                        .trustPolicy(trust("ops-trust", trustsPrincipal(roleArn(OTHER_ACCOUNT, "ci"))))
                        .asks("sts:AssumeRole", ops)
                        .deniedImplicit(),
                row("trust: role does not trust itself", TRUST_BLOG)
                        .by(role(ACCOUNT, "deployer")).identity(managed("deployer-assume", allow("sts:AssumeRole", "*")))
                        .trustPolicy(trust("deployer-trust", "{'Effect':'Allow','Principal':{'Service':'codebuild.amazonaws.com'},"
                                + "'Action':'sts:AssumeRole'}"))
                        .asks("sts:AssumeRole", roleArn(ACCOUNT, "deployer"))
                        .deniedImplicit());
    }

    static List<Case> notPrincipalRows() {
        // The bucket policy of the NotPrincipal page's first example, which denies everyone except Bob.
        CompiledPolicy exceptBob = resource("bob-only-bucket",
                "{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::" + OTHER_ACCOUNT + ":root'},'Action':'s3:GetObject',"
                        + "'Resource':['arn:aws:s3:::BUCKETNAME','arn:aws:s3:::BUCKETNAME/*']}",
                "{'Effect':'Deny','NotPrincipal':{'AWS':['" + userArn(OTHER_ACCOUNT, "Bob") + "','arn:aws:iam::"
                        + OTHER_ACCOUNT + ":root']},'Action':'s3:*','Resource':['arn:aws:s3:::BUCKETNAME','arn:aws:s3:::BUCKETNAME/*']}");
        // The page's second example, which denies everyone except one session of cross-account-read-only-role.
        CompiledPolicy exceptAuditApp = resource("audit-bucket",
                "{'Effect':'Allow','Principal':{'AWS':'" + roleArn(OTHER_ACCOUNT, "cross-account-read-only-role")
                        + "'},'Action':'s3:GetObject','Resource':['arn:aws:s3:::Bucket_AccountAudit','arn:aws:s3:::Bucket_AccountAudit/*']}",
                "{'Effect':'Deny','NotPrincipal':{'AWS':['arn:aws:sts::" + OTHER_ACCOUNT
                        + ":assumed-role/cross-account-read-only-role/cross-account-audit-app','"
                        + roleArn(OTHER_ACCOUNT, "cross-account-read-only-role") + "','arn:aws:iam::" + OTHER_ACCOUNT
                        + ":root']},'Action':'s3:*','Resource':['arn:aws:s3:::Bucket_AccountAudit','arn:aws:s3:::Bucket_AccountAudit/*']}");
        CompiledPolicy trustExceptAlice = trust("ops-trust",
                "{'Effect':'Allow','Principal':{'AWS':['arn:aws:iam::" + ACCOUNT + ":root','arn:aws:iam::" + OTHER_ACCOUNT
                        + ":root']},'Action':'sts:AssumeRole'}",
                "{'Effect':'Deny','NotPrincipal':{'AWS':['" + userArn(ACCOUNT, "alice") + "','arn:aws:iam::" + ACCOUNT
                        + ":root']},'Action':'sts:AssumeRole'}");
        CompiledPolicy assume = managed("assume-any", allow("sts:AssumeRole", "*"));
        CompiledPolicy readAll = managed("read-s3", allow("s3:GetObject", "*"));
        CompiledPolicy allowExceptBob = resource("shared-bucket", "{'Effect':'Allow','NotPrincipal':{'AWS':'"
                + userArn(ACCOUNT, "bob") + "'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::shared/*'}");
        return List.of(
                row("NotPrincipal: listed user", NOT_PRINCIPAL)
                        .by(user(OTHER_ACCOUNT, "Bob")).identity(readAll).resourcePolicy(exceptBob)
                        .asks("s3:GetObject", "arn:aws:s3:::BUCKETNAME/report.csv").resourceAccount(ACCOUNT)
                        .allowed("read-s3#0", "bob-only-bucket#0"),
                // The page states that everyone except Bob is denied. Listing Bob's account does not exempt Alice.
                row("NotPrincipal: unlisted user, listed account", NOT_PRINCIPAL)
                        .by(user(OTHER_ACCOUNT, "Alice")).identity(readAll).resourcePolicy(exceptBob)
                        .asks("s3:GetObject", "arn:aws:s3:::BUCKETNAME/report.csv").resourceAccount(ACCOUNT)
                        .deniedExplicit("bob-only-bucket#1"),
                row("NotPrincipal: listed session", NOT_PRINCIPAL)
                        .by(roleSession(OTHER_ACCOUNT, "cross-account-read-only-role", "cross-account-audit-app"))
                        .identity(readAll).resourcePolicy(exceptAuditApp)
                        .asks("s3:GetObject", "arn:aws:s3:::Bucket_AccountAudit/2024.csv").resourceAccount(ACCOUNT)
                        .allowed("read-s3#0", "audit-bucket#0"),
                // The page states that every principal except the cross-account-audit-app session is denied.
                // Listing the role ARN as well, as the page recommends, does not exempt the role's other sessions.
                row("NotPrincipal: other session of role", NOT_PRINCIPAL)
                        .by(roleSession(OTHER_ACCOUNT, "cross-account-read-only-role", "other-app"))
                        .identity(readAll).resourcePolicy(exceptAuditApp)
                        .asks("s3:GetObject", "arn:aws:s3:::Bucket_AccountAudit/2024.csv").resourceAccount(ACCOUNT)
                        .deniedExplicit("audit-bucket#1"),
                row("NotPrincipal: trust deny spares listed", NOT_PRINCIPAL)
                        .by(user(ACCOUNT, "alice")).identity(assume).trustPolicy(trustExceptAlice)
                        .asks("sts:AssumeRole", roleArn(ACCOUNT, "ops"))
                        .allowed("assume-any#0", "ops-trust#0"),
                row("NotPrincipal: trust deny, same account", NOT_PRINCIPAL)
                        .by(user(ACCOUNT, "bob")).identity(assume).trustPolicy(trustExceptAlice)
                        .asks("sts:AssumeRole", roleArn(ACCOUNT, "ops"))
                        .deniedExplicit("ops-trust#1"),
                row("NotPrincipal: trust deny, other account", NOT_PRINCIPAL)
                        .by(role(OTHER_ACCOUNT, "ci")).identity(assume).trustPolicy(trustExceptAlice)
                        .asks("sts:AssumeRole", roleArn(ACCOUNT, "ops"))
                        .deniedExplicit("ops-trust#1"),
                // The boundaries page states that a NotPrincipal Deny always denies a principal that has a
                // permissions boundary, whatever NotPrincipal lists.
                row("NotPrincipal: deny hits boundary holder", BOUNDARIES + "; " + NOT_PRINCIPAL)
                        .by(user(OTHER_ACCOUNT, "Bob")).identity(readAll).boundary(boundary("s3-boundary", allow("s3:*", "*")))
                        .resourcePolicy(exceptBob)
                        .asks("s3:GetObject", "arn:aws:s3:::BUCKETNAME/report.csv").resourceAccount(ACCOUNT)
                        .deniedExplicit("bob-only-bucket#1"),
                row("NotPrincipal: allow grants others", NOT_PRINCIPAL)
                        .by(user(ACCOUNT, "alice")).resourcePolicy(allowExceptBob)
                        .asks("s3:GetObject", "arn:aws:s3:::shared/plan.txt").resourceAccount(ACCOUNT)
                        .allowed("shared-bucket#0"),
                row("NotPrincipal: allow skips listed", NOT_PRINCIPAL)
                        .by(user(ACCOUNT, "bob")).resourcePolicy(allowExceptBob)
                        .asks("s3:GetObject", "arn:aws:s3:::shared/plan.txt").resourceAccount(ACCOUNT)
                        .deniedImplicit());
    }

    static List<Case> kmsRows() {
        CompiledPolicy adminOnly = resource("key-policy", "{'Sid':'Allow key administrators','Effect':'Allow',"
                + "'Principal':{'AWS':'" + roleArn(ACCOUNT, "KeyAdmin") + "'},'Action':'kms:*','Resource':'*'}");
        CompiledPolicy enablesIam = resource("key-policy", enableIamPolicies(ACCOUNT));
        CompiledPolicy aliceDecrypt = managed("alice-kms", allow("kms:Decrypt", "*"));
        return List.of(
                row("kms: no IAM-enabling statement", KMS_KEY_POLICIES)
                        .by(user(ACCOUNT, "alice")).identity(managed("alice-kms-all", allow("kms:*", "*")))
                        .keyPolicy(adminOnly)
                        .asks("kms:Decrypt", KEY_ARN)
                        .deniedImplicit(),
                row("kms: key admin named", KMS_KEY_POLICIES)
                        .by(role(ACCOUNT, "KeyAdmin")).keyPolicy(adminOnly)
                        .asks("kms:ScheduleKeyDeletion", KEY_ARN)
                        .allowed("key-policy#0"),
                row("kms: IAM enabled plus identity", KMS_DEFAULT)
                        .by(user(ACCOUNT, "alice")).identity(aliceDecrypt).keyPolicy(enablesIam)
                        .asks("kms:Decrypt", KEY_ARN)
                        .allowed("alice-kms#0", "key-policy#0"),
                row("kms: IAM enabled, no identity", KMS_DEFAULT)
                        .by(user(ACCOUNT, "alice")).keyPolicy(enablesIam)
                        .asks("kms:Decrypt", KEY_ARN)
                        .deniedImplicit(),
                row("kms: key policy names user", KMS_KEY_POLICIES)
                        .by(user(ACCOUNT, "alice"))
                        .keyPolicy(resource("key-policy", "{'Effect':'Allow','Principal':{'AWS':'" + userArn(ACCOUNT, "alice")
                                + "'},'Action':'kms:Decrypt','Resource':'*'}"))
                        .asks("kms:Decrypt", KEY_ARN)
                        .allowed("key-policy#0"),
                row("kms: cross-account both allow", KMS_KEY_POLICIES + "; " + CROSS_ACCOUNT)
                        .by(user(OTHER_ACCOUNT, "erin")).identity(managed("erin-kms", allow("kms:Decrypt", KEY_ARN)))
                        .keyPolicy(resource("key-policy", enableIamPolicies(ACCOUNT), "{'Effect':'Allow','Principal':{'AWS':"
                                + "'arn:aws:iam::" + OTHER_ACCOUNT + ":root'},'Action':'kms:Decrypt','Resource':'*'}"))
                        .asks("kms:Decrypt", KEY_ARN)
                        .allowed("erin-kms#0", "key-policy#1"),
                row("kms: cross-account key only", KMS_KEY_POLICIES + "; " + CROSS_ACCOUNT)
                        .by(user(OTHER_ACCOUNT, "erin"))
                        .keyPolicy(resource("key-policy", enableIamPolicies(ACCOUNT), "{'Effect':'Allow','Principal':{'AWS':"
                                + "'arn:aws:iam::" + OTHER_ACCOUNT + ":root'},'Action':'kms:Decrypt','Resource':'*'}"))
                        .asks("kms:Decrypt", KEY_ARN)
                        .deniedImplicit());
    }

    static List<Case> actionRows() {
        CompiledPolicy peering = managed("peering", allow("ec2:*VpcPeering*", "*"));
        CompiledPolicy questionMark = managed("get-object", allow("s3:Get?bject", "*"));
        CompiledPolicy allButIam = managed("all-but-iam", "{'Effect':'Allow','NotAction':'iam:*','Resource':'*'}");
        CompiledPolicy denyButPassword = managed("password-only", ALLOW_ALL, "{'Effect':'Deny',"
                + "'NotAction':['iam:ChangePassword','iam:GetUser'],'Resource':'*'}");
        return List.of(
                row("action: mid-name wildcard accept", ACTION)
                        .by(user(ACCOUNT, "alice")).identity(peering)
                        .asks("ec2:AcceptVpcPeeringConnection", "*")
                        .allowed("peering#0"),
                row("action: mid-name wildcard describe", ACTION)
                        .by(user(ACCOUNT, "alice")).identity(peering)
                        .asks("ec2:DescribeVpcPeeringConnections", "*")
                        .allowed("peering#0"),
                row("action: mid-name wildcard miss", ACTION)
                        .by(user(ACCOUNT, "alice")).identity(peering)
                        .asks("ec2:CreateVpc", "*")
                        .deniedImplicit(),
                row("action: request case ignored", ACTION)
                        .by(user(ACCOUNT, "alice")).identity(managed("alice-get", allow("s3:GetObject", "*")))
                        .asks("S3:GETOBJECT", "arn:aws:s3:::reports/q1.csv")
                        .allowed("alice-get#0"),
                row("action: question mark one char", ACTION)
                        .by(user(ACCOUNT, "alice")).identity(questionMark)
                        .asks("s3:GetObject", "arn:aws:s3:::reports/q1.csv")
                        .allowed("get-object#0"),
                row("action: question mark no suffix", ACTION)
                        .by(user(ACCOUNT, "alice")).identity(questionMark)
                        .asks("s3:GetObjectAcl", "arn:aws:s3:::reports/q1.csv")
                        .deniedImplicit(),
                row("action: star prefix stays in service", ACTION)
                        .by(user(ACCOUNT, "alice")).identity(managed("iam-read", allow("iam:Get*", "*")))
                        .asks("s3:GetObject", "arn:aws:s3:::reports/q1.csv")
                        .deniedImplicit(),
                row("NotAction allow: other service s3", NOT_ACTION)
                        .by(user(ACCOUNT, "alice")).identity(allButIam)
                        .asks("s3:GetObject", "arn:aws:s3:::reports/q1.csv")
                        .allowed("all-but-iam#0"),
                row("NotAction allow: other service ec2", NOT_ACTION)
                        .by(user(ACCOUNT, "alice")).identity(allButIam)
                        .asks("ec2:RunInstances", "*")
                        .allowed("all-but-iam#0"),
                row("NotAction allow: listed action", NOT_ACTION)
                        .by(user(ACCOUNT, "alice")).identity(allButIam)
                        .asks("iam:CreateUser", userArn(ACCOUNT, "newhire"))
                        .deniedImplicit(),
                row("NotAction allow: bounded by resource", NOT_ACTION)
                        .by(user(ACCOUNT, "alice"))
                        .identity(managed("s3-but-iam", "{'Effect':'Allow','NotAction':'iam:*','Resource':'arn:aws:s3:::reports/*'}"))
                        .asks("ec2:TerminateInstances", "arn:aws:ec2:us-east-1:" + ACCOUNT + ":instance/i-0abcd1234")
                        .deniedImplicit(),
                row("NotAction deny: other action", NOT_ACTION)
                        .by(user(ACCOUNT, "alice")).identity(denyButPassword)
                        .asks("s3:GetObject", "arn:aws:s3:::reports/q1.csv")
                        .deniedExplicit("password-only#1"),
                row("NotAction deny: listed action", NOT_ACTION)
                        .by(user(ACCOUNT, "alice")).identity(denyButPassword)
                        .asks("iam:ChangePassword", userArn(ACCOUNT, "alice"))
                        .allowed("password-only#0"));
    }

    static List<Case> resourceRows() {
        CompiledPolicy notSecret = managed("not-secret", "{'Effect':'Allow','Action':'*','NotResource':'arn:aws:s3:::secret/*'}");
        CompiledPolicy approvedOnly = managed("approved-only", allow("s3:*", "*"),
                "{'Effect':'Deny','Action':'s3:*','NotResource':['arn:aws:s3:::approved','arn:aws:s3:::approved/*']}");
        CompiledPolicy logs = managed("logs-2020s", allow("s3:GetObject", "arn:aws:s3:::logs-202?/*"));
        return List.of(
                row("resource: star crosses slash", RESOURCE)
                        .by(user(ACCOUNT, "alice")).identity(managed("roles-read", allow("iam:GetRole", "arn:aws:iam::*:role/*")))
                        .asks("iam:GetRole", "arn:aws:iam::" + ACCOUNT + ":role/team/dev")
                        .allowed("roles-read#0"),
                row("resource: star in account part", RESOURCE)
                        .by(user(ACCOUNT, "alice"))
                        .identity(managed("orders", allow("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:*:table/Orders")))
                        .asks("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/Orders")
                        .allowed("orders#0"),
                // The Resource page states that a * which ends an ARN segment can match beyond the colon
                // boundaries, so the account part's * may take "111122223333:billing".
                row("resource: segment-final star crosses colon", RESOURCE)
                        .by(user(ACCOUNT, "alice"))
                        .identity(managed("alerts", allow("sns:Publish", "arn:aws:sns:us-east-1:*:alerts")))
                        .asks("sns:Publish", "arn:aws:sns:us-east-1:" + ACCOUNT + ":billing:alerts")
                        .allowed("alerts#0"),
                // Only a segment-final * expands past a colon, so this mid-segment * stays in the account part.
                // The ARN is contrived because no real ARN needs a wildcard in the middle of an account id.
                row("resource: mid-segment star stops at colon", RESOURCE)
                        .by(user(ACCOUNT, "alice"))
                        .identity(managed("alerts", allow("sns:Publish", "arn:aws:sns:us-east-1:1111*3333:alerts")))
                        .asks("sns:Publish", "arn:aws:sns:us-east-1:1111:2222:3333:alerts")
                        .deniedImplicit(),
                row("resource: star crosses colon in resource", RESOURCE)
                        .by(user(ACCOUNT, "alice"))
                        .identity(managed("functions", allow("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:*")))
                        .asks("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:app:prod")
                        .allowed("functions#0"),
                row("resource: star in region part", RESOURCE)
                        .by(user(ACCOUNT, "alice"))
                        .identity(managed("functions", allow("lambda:InvokeFunction", "arn:aws:lambda:*:" + ACCOUNT + ":function:app")))
                        .asks("lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:" + ACCOUNT + ":function:app")
                        .allowed("functions#0"),
                row("resource: ARN case-sensitive", RESOURCE)
                        .by(user(ACCOUNT, "alice")).identity(managed("upper", allow("s3:GetObject", "arn:aws:s3:::Reports/*")))
                        .asks("s3:GetObject", "arn:aws:s3:::reports/q1.csv")
                        .deniedImplicit(),
                row("resource: question mark one char", RESOURCE)
                        .by(user(ACCOUNT, "alice")).identity(logs)
                        .asks("s3:GetObject", "arn:aws:s3:::logs-2024/app.log")
                        .allowed("logs-2020s#0"),
                row("resource: question mark not two", RESOURCE)
                        .by(user(ACCOUNT, "alice")).identity(logs)
                        .asks("s3:GetObject", "arn:aws:s3:::logs-20245/app.log")
                        .deniedImplicit(),
                row("NotResource allow: outside list", NOT_RESOURCE)
                        .by(user(ACCOUNT, "alice")).identity(notSecret)
                        .asks("s3:GetObject", "arn:aws:s3:::public/readme.txt")
                        .allowed("not-secret#0"),
                row("NotResource allow: listed", NOT_RESOURCE)
                        .by(user(ACCOUNT, "alice")).identity(notSecret)
                        .asks("s3:GetObject", "arn:aws:s3:::secret/key.pem")
                        .deniedImplicit(),
                row("NotResource allow: other service", NOT_RESOURCE)
                        .by(user(ACCOUNT, "alice")).identity(notSecret)
                        .asks("ec2:TerminateInstances", "arn:aws:ec2:us-east-1:" + ACCOUNT + ":instance/i-0abcd1234")
                        .allowed("not-secret#0"),
                row("NotResource deny: outside list", NOT_RESOURCE)
                        .by(user(ACCOUNT, "alice")).identity(approvedOnly)
                        .asks("s3:GetObject", "arn:aws:s3:::other/file.txt")
                        .deniedExplicit("approved-only#1"),
                row("NotResource deny: listed", NOT_RESOURCE)
                        .by(user(ACCOUNT, "alice")).identity(approvedOnly)
                        .asks("s3:GetObject", "arn:aws:s3:::approved/file.txt")
                        .allowed("approved-only#0"));
    }

    static List<Case> variableRows() {
        CompiledPolicy ownKeys = managed("own-keys", allow("iam:CreateAccessKey", "arn:aws:iam::" + ACCOUNT + ":user/${aws:username}"));
        CompiledPolicy teamFolder = managed("team-folder", allow("s3:GetObject", "arn:aws:s3:::shared/${aws:PrincipalTag/team}/*"));
        return List.of(
                row("variable: username own ARN", VARIABLES)
                        .by(user(ACCOUNT, "alice")).identity(ownKeys)
                        .asks("iam:CreateAccessKey", userArn(ACCOUNT, "alice"))
                        .allowed("own-keys#0"),
                row("variable: username other ARN", VARIABLES)
                        .by(user(ACCOUNT, "alice")).identity(ownKeys)
                        .asks("iam:CreateAccessKey", userArn(ACCOUNT, "bob"))
                        .deniedImplicit(),
                // Role sessions carry no aws:username, and a variable with no value matches nothing.
                row("variable: username in role session", VARIABLES)
                        .by(roleSession(ACCOUNT, "app", "ci")).identity(ownKeys)
                        .asks("iam:CreateAccessKey", userArn(ACCOUNT, "app"))
                        .deniedImplicit(),
                row("variable: principal tag present", VARIABLES)
                        .by(tagged(user(ACCOUNT, "frank"), Map.of("team", "payments"))).identity(teamFolder)
                        .asks("s3:GetObject", "arn:aws:s3:::shared/payments/plan.txt")
                        .allowed("team-folder#0"),
                row("variable: principal tag other folder", VARIABLES)
                        .by(tagged(user(ACCOUNT, "frank"), Map.of("team", "payments"))).identity(teamFolder)
                        .asks("s3:GetObject", "arn:aws:s3:::shared/billing/plan.txt")
                        .deniedImplicit(),
                row("variable: principal tag absent", VARIABLES)
                        .by(user(ACCOUNT, "frank")).identity(teamFolder)
                        .asks("s3:GetObject", "arn:aws:s3:::shared/payments/plan.txt")
                        .deniedImplicit(),
                row("variable: principal tags unknown", VARIABLES)
                        .by(tagged(user(ACCOUNT, "frank"), null)).identity(teamFolder)
                        .asks("s3:GetObject", "arn:aws:s3:::shared/payments/plan.txt")
                        .conditional("team-folder#0")
                        .unresolved("Resource policy variable"),
                row("variable: supplied context value", VARIABLES)
                        .by(tagged(user(ACCOUNT, "frank"), null)).identity(teamFolder)
                        .context("aws:PrincipalTag/team", "payments")
                        .asks("s3:GetObject", "arn:aws:s3:::shared/payments/plan.txt")
                        .allowed("team-folder#0"),
                row("version 2008: variable literal", VERSION + "; " + VARIABLES)
                        .by(user(ACCOUNT, "alice")).identity(homeFolderPolicy("home-2008", "\"Version\":\"2008-10-17\","))
                        .asks("s3:GetObject", "arn:aws:s3:::home/alice/notes.txt")
                        .deniedImplicit(),
                row("version 2008: literal text matches", VERSION + "; " + VARIABLES)
                        .by(user(ACCOUNT, "alice")).identity(homeFolderPolicy("home-2008", "\"Version\":\"2008-10-17\","))
                        .asks("s3:GetObject", "arn:aws:s3:::home/${aws:username}/notes.txt")
                        .allowed("home-2008#0"),
                row("version missing: variable literal", VERSION)
                        .by(user(ACCOUNT, "alice")).identity(homeFolderPolicy("home-no-version", ""))
                        .asks("s3:GetObject", "arn:aws:s3:::home/alice/notes.txt")
                        .deniedImplicit(),
                row("version 2012: variable substituted", VERSION + "; " + VARIABLES)
                        .by(user(ACCOUNT, "alice")).identity(homeFolderPolicy("home-2012", "\"Version\":\"2012-10-17\","))
                        .asks("s3:GetObject", "arn:aws:s3:::home/alice/notes.txt")
                        .allowed("home-2012#0"));
    }

    static List<Case> documentRows() {
        String encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C"
                + "%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Areports%2F%2A%22%7D%5D%7D";
        // Resource arn:aws:s3:::reports/a+b/café/*, with '+' as %2B and 'é' as its UTF-8 bytes.
        String encodedPlusAndAccent = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A"
                + "%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3A"
                + "reports%2Fa%2Bb%2Fcaf%C3%A9%2F%2A%22%7D%5D%7D";
        // A pretty-printed document whose Statement is one object.
        String encodedPretty = "%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22%2C%0A%20%20%22Statement%22%3A%20%7B%0A"
                + "%20%20%20%20%22Effect%22%3A%20%22Allow%22%2C%0A%20%20%20%20%22Action%22%3A%20%22sqs%3ASendMessage%22%2C"
                + "%0A%20%20%20%20%22Resource%22%3A%20%22arn%3Aaws%3Asqs%3Aus-east-1%3A111122223333%3Aorders%22%0A%20%20%7D%0A%7D";
        CompiledPolicy accented = managed("accented", allow("s3:GetObject", "arn:aws:s3:::reports/été/*"));
        return List.of(
                row("document: URL-encoded", GET_POLICY_VERSION)
                        .by(user(ACCOUNT, "alice")).identity(parsed("encoded", "managed", encoded))
                        .asks("s3:GetObject", "arn:aws:s3:::reports/q1.csv")
                        .allowed("encoded#0"),
                row("document: URL-encoded plus sign", GET_POLICY_VERSION + "; " + CREATE_POLICY)
                        .by(user(ACCOUNT, "alice")).identity(parsed("encoded-plus", "managed", encodedPlusAndAccent))
                        .asks("s3:GetObject", "arn:aws:s3:::reports/a+b/café/q1.csv")
                        .allowed("encoded-plus#0"),
                row("document: URL-encoded plus not space", GET_POLICY_VERSION)
                        .by(user(ACCOUNT, "alice")).identity(parsed("encoded-plus", "managed", encodedPlusAndAccent))
                        .asks("s3:GetObject", "arn:aws:s3:::reports/a b/café/q1.csv")
                        .deniedImplicit(),
                row("document: URL-encoded statement object", GET_POLICY_VERSION + "; " + STATEMENT)
                        .by(role(ACCOUNT, "app")).identity(parsed("encoded-pretty", "inline", encodedPretty))
                        .asks("sqs:SendMessage", "arn:aws:sqs:us-east-1:" + ACCOUNT + ":orders")
                        .allowed("encoded-pretty#0"),
                row("document: non-ASCII resource", CREATE_POLICY)
                        .by(user(ACCOUNT, "alice")).identity(accented)
                        .asks("s3:GetObject", "arn:aws:s3:::reports/été/q1.pdf")
                        .allowed("accented#0"),
                row("document: non-ASCII differs from ASCII", CREATE_POLICY)
                        .by(user(ACCOUNT, "alice")).identity(accented)
                        .asks("s3:GetObject", "arn:aws:s3:::reports/ete/q1.pdf")
                        .deniedImplicit(),
                row("document: non-ASCII tag variable", CREATE_POLICY + "; " + VARIABLES)
                        .by(tagged(user(ACCOUNT, "frank"), Map.of("team", "équipe-α")))
                        .identity(managed("team-folder", allow("s3:GetObject", "arn:aws:s3:::shared/${aws:PrincipalTag/team}/*")))
                        .asks("s3:GetObject", "arn:aws:s3:::shared/équipe-α/plan.txt")
                        .allowed("team-folder#0"));
    }

    static List<Case> conditionRows() {
        CompiledPolicy office = managed("office-only", "{'Effect':'Allow','Action':'s3:*','Resource':'*',"
                + "'Condition':{'IpAddress':{'aws:SourceIp':'203.0.113.0/24'}}}");
        CompiledPolicy mfaDelete = managed("mfa-delete", allow("s3:*", "*"), "{'Effect':'Deny','Action':'s3:DeleteObject',"
                + "'Resource':'*','Condition':{'BoolIfExists':{'aws:MultiFactorAuthPresent':'false'}}}");
        CompiledPolicy twoKeys = managed("office-tls", "{'Effect':'Allow','Action':'s3:*','Resource':'*','Condition':{"
                + "'IpAddress':{'aws:SourceIp':'203.0.113.0/24'},'Bool':{'aws:SecureTransport':'true'}}}");
        CompiledPolicy teamCondition = managed("payments-only", "{'Effect':'Allow','Action':'s3:*','Resource':'*',"
                + "'Condition':{'StringEquals':{'aws:PrincipalTag/team':'payments'}}}");
        String object = "arn:aws:s3:::reports/q1.csv";
        return List.of(
                row("condition: source IP unknown", CONDITION)
                        .by(user(ACCOUNT, "alice")).identity(office)
                        .asks("s3:GetObject", object)
                        .conditional("office-only#0")
                        .unresolved("IpAddress aws:SourceIp"),
                row("condition: source IP inside", CONDITION)
                        .by(user(ACCOUNT, "alice")).identity(office)
                        .context("aws:SourceIp", "203.0.113.7")
                        .asks("s3:GetObject", object)
                        .allowed("office-only#0"),
                row("condition: source IP outside", CONDITION)
                        .by(user(ACCOUNT, "alice")).identity(office)
                        .context("aws:SourceIp", "198.51.100.7")
                        .asks("s3:GetObject", object)
                        .deniedImplicit(),
                row("condition: deny makes allow conditional", MFA_EXAMPLE + "; " + DENY_ALLOW)
                        .by(user(ACCOUNT, "alice")).identity(mfaDelete)
                        .asks("s3:DeleteObject", object)
                        .conditional("mfa-delete#0", "mfa-delete#1")
                        .unresolved("BoolIfExists aws:MultiFactorAuthPresent"),
                row("condition: deny not met", CONDITION)
                        .by(user(ACCOUNT, "alice")).identity(mfaDelete)
                        .context("aws:MultiFactorAuthPresent", "true")
                        .asks("s3:DeleteObject", object)
                        .allowed("mfa-delete#0"),
                row("condition: deny met", CONDITION)
                        .by(user(ACCOUNT, "alice")).identity(mfaDelete)
                        .context("aws:MultiFactorAuthPresent", "false")
                        .asks("s3:DeleteObject", object)
                        .deniedExplicit("mfa-delete#1"),
                row("condition: deny on absent key", MFA_EXAMPLE + "; " + CONDITION)
                        .by(user(ACCOUNT, "alice")).identity(mfaDelete)
                        .absent("aws:MultiFactorAuthPresent")
                        .asks("s3:DeleteObject", object)
                        .deniedExplicit("mfa-delete#1"),
                row("condition: conditional deny, no allow", CONDITION + "; " + DENY_ALLOW)
                        .by(user(ACCOUNT, "alice"))
                        .identity(managed("mfa-guard", "{'Effect':'Deny','Action':'s3:DeleteObject','Resource':'*',"
                                + "'Condition':{'BoolIfExists':{'aws:MultiFactorAuthPresent':'false'}}}"))
                        .asks("s3:DeleteObject", object)
                        .deniedImplicit(),
                row("condition: two keys unknown", CONDITION)
                        .by(user(ACCOUNT, "alice")).identity(twoKeys)
                        .asks("s3:GetObject", object)
                        .conditional("office-tls#0")
                        .unresolved("IpAddress aws:SourceIp", "Bool aws:SecureTransport"),
                row("condition: one key false", CONDITION)
                        .by(user(ACCOUNT, "alice")).identity(twoKeys)
                        .context("aws:SecureTransport", "false")
                        .asks("s3:GetObject", object)
                        .deniedImplicit(),
                row("condition: both keys supplied", CONDITION)
                        .by(user(ACCOUNT, "alice")).identity(twoKeys)
                        .context("aws:SecureTransport", "true").context("aws:SourceIp", "203.0.113.9")
                        .asks("s3:GetObject", object)
                        .allowed("office-tls#0"),
                row("condition: in resource policy", CONDITION + "; " + SINGLE_ACCOUNT)
                        .by(user(ACCOUNT, "dave"))
                        .resourcePolicy(resource("vpce-bucket", "{'Effect':'Allow','Principal':'*','Action':'s3:GetObject',"
                                + "'Resource':'arn:aws:s3:::shared/*','Condition':{'StringEquals':{'aws:SourceVpce':'vpce-1a2b3c4d'}}}"))
                        .asks("s3:GetObject", "arn:aws:s3:::shared/plan.txt").resourceAccount(ACCOUNT)
                        .conditional("vpce-bucket#0")
                        .unresolved("StringEquals aws:SourceVpce"),
                row("condition: principal tag derived", GLOBAL_KEYS)
                        .by(tagged(user(ACCOUNT, "frank"), Map.of("team", "payments"))).identity(teamCondition)
                        .asks("s3:GetObject", object)
                        .allowed("payments-only#0"),
                row("condition: principal tag missing", GLOBAL_KEYS)
                        .by(tagged(user(ACCOUNT, "frank"), Map.of("team", "billing"))).identity(teamCondition)
                        .asks("s3:GetObject", object)
                        .deniedImplicit());
    }

    // ---------------------------------------------------------------- rows from PMapper's tests

    static List<Case> pmapperRows() {
        List<Case> rows = new ArrayList<>();
        rows.addAll(pmapperAdminRows());
        rows.addAll(pmapperMatchingRows());
        rows.addAll(pmapperQueryingRows());
        rows.addAll(pmapperBoundaryAndTrustRows());
        rows.addAll(pmapperOrgAndGraphRows());
        return rows;
    }

    static List<Case> pmapperAdminRows() {
        String test = "PMapper tests/test_admin_identification.py, ";
        String admins = groupArn(PM, "admins");
        // PMapper counts a user as an admin when, among other checks, it may put a policy on itself, so each row
        // requests that action.
        return List.of(
                row("pmapper admin: user_1 allow all", test + "user_1")
                        .by(user(PM, "user_1")).identity(managed("user_1-policy", ALLOW_ALL))
                        .asks("iam:PutUserPolicy", userArn(PM, "user_1"))
                        .allowed("user_1-policy#0"),
                row("pmapper admin: user_2 allow and deny", test + "user_2")
                        .by(user(PM, "user_2")).identity(managed("user_2-policy", ALLOW_ALL, deny("*", "*")))
                        .asks("iam:PutUserPolicy", userArn(PM, "user_2"))
                        .deniedExplicit("user_2-policy#1"),
                row("pmapper admin: node_1 via group", test + "node_1")
                        .by(user(PM, "node_1")).identity(inGroup("admins-inline", admins, ALLOW_ALL))
                        .asks("iam:PutUserPolicy", userArn(PM, "node_1"))
                        .allowed("admins-inline#0 via " + admins),
                row("pmapper admin: node_2 empty group", test + "node_2")
                        .by(user(PM, "node_2"))
                        .asks("iam:PutUserPolicy", userArn(PM, "node_2"))
                        .deniedImplicit());
    }

    static List<Case> pmapperMatchingRows() {
        String actions = "PMapper tests/test_local_policy_sim.py::test_action_matching, ";
        String resources = "PMapper tests/test_local_policy_sim.py::test_resource_matching, ";
        String wildcards = "PMapper tests/test_local_policy_sim.py, wildcard and variable matching, ";
        CompiledPolicy listed = managed("listed", "{'Effect':'Allow','Action':['ec2:RunInstances','s3:*','iam:Get*'],'Resource':'*'}");
        CompiledPolicy star = managed("star", ALLOW_ALL);
        CompiledPolicy notStar = managed("not-star", "{'Effect':'Allow','NotAction':'*','Resource':'*'}");
        CompiledPolicy notIamPut = managed("not-iam-put", "{'Effect':'Allow','NotAction':['iam:*','s3:Put*'],'Resource':'*'}");
        CompiledPolicy objects = managed("objects", "{'Effect':'Allow','Action':'*','Resource':['arn:aws:s3:::bucket/*',"
                + "'arn:aws:s3:::*/object','arn:aws:s3:::${aws:SourceAccount}/win']}");
        CompiledPolicy notObjects = managed("not-objects", "{'Effect':'Allow','Action':'*','NotResource':['arn:aws:s3:::bucket/*',"
                + "'arn:aws:s3:::*/object','arn:aws:s3:::${aws:SourceAccount}/win']}");
        CompiledPolicy testStar = managed("test-star", allow("sqs:SendMessage", "arn:aws:sqs:us-east-1:" + PM + ":test*"));
        CompiledPolicy testDash = managed("test-dash", allow("sqs:SendMessage", "arn:aws:sqs:us-east-1:" + PM + ":test-?"));
        RequestPrincipal sim = user(PM, "sim");
        return List.of(
                row("pmapper action: listed exact", actions + "ec2:RunInstances")
                        .by(sim).identity(listed).asks("ec2:RunInstances", "*").allowed("listed#0"),
                row("pmapper action: service wildcard", actions + "s3:GetObject")
                        .by(sim).identity(listed).asks("s3:GetObject", "*").allowed("listed#0"),
                row("pmapper action: prefix wildcard", actions + "iam:GetRole")
                        .by(sim).identity(listed).asks("iam:GetRole", "*").allowed("listed#0"),
                row("pmapper action: unlisted ec2", actions + "ec2:DescribeInstances")
                        .by(sim).identity(listed).asks("ec2:DescribeInstances", "*").deniedImplicit(),
                row("pmapper action: unlisted iam", actions + "iam:PutRolePolicy")
                        .by(sim).identity(listed).asks("iam:PutRolePolicy", "*").deniedImplicit(),
                row("pmapper action: star", actions + "Action *")
                        .by(sim).identity(star).asks("iam:GetRole", "*").allowed("star#0"),
                row("pmapper action: NotAction star", actions + "NotAction *")
                        .by(sim).identity(notStar).asks("iam:GetRole", "*").deniedImplicit(),
                row("pmapper action: NotAction iam", actions + "NotAction [iam:*, s3:Put*], iam:GetRole")
                        .by(sim).identity(notIamPut).asks("iam:GetRole", "*").deniedImplicit(),
                row("pmapper action: NotAction s3 put", actions + "NotAction [iam:*, s3:Put*], s3:PutObject")
                        .by(sim).identity(notIamPut).asks("s3:PutObject", "*").deniedImplicit(),
                row("pmapper action: NotAction other", actions + "NotAction [iam:*, s3:Put*], ec2:RunInstances")
                        .by(sim).identity(notIamPut).asks("ec2:RunInstances", "*").allowed("not-iam-put#0"),

                row("pmapper resource: bucket star", resources + "Resource, bucket/anything")
                        .by(sim).identity(objects).context("aws:SourceAccount", PM)
                        .asks("s3:GetObject", "arn:aws:s3:::bucket/anything").allowed("objects#0"),
                row("pmapper resource: star object", resources + "Resource, anything/object")
                        .by(sim).identity(objects).context("aws:SourceAccount", PM)
                        .asks("s3:GetObject", "arn:aws:s3:::anything/object").allowed("objects#0"),
                row("pmapper resource: variable", resources + "Resource, 000000000000/win")
                        .by(sim).identity(objects).context("aws:SourceAccount", PM)
                        .asks("s3:GetObject", "arn:aws:s3:::" + PM + "/win").allowed("objects#0"),
                row("pmapper NotResource: bucket star", resources + "NotResource, bucket/anything")
                        .by(sim).identity(notObjects).context("aws:SourceAccount", PM)
                        .asks("s3:GetObject", "arn:aws:s3:::bucket/anything").deniedImplicit(),
                row("pmapper NotResource: star object", resources + "NotResource, anything/object")
                        .by(sim).identity(notObjects).context("aws:SourceAccount", PM)
                        .asks("s3:GetObject", "arn:aws:s3:::anything/object").deniedImplicit(),
                row("pmapper NotResource: variable", resources + "NotResource, 000000000000/win")
                        .by(sim).identity(notObjects).context("aws:SourceAccount", PM)
                        .asks("s3:GetObject", "arn:aws:s3:::" + PM + "/win").deniedImplicit(),

                row("pmapper variable: username", wildcards + "user/${aws:username} with aws:username=test")
                        .by(user(PM, "test"))
                        .identity(managed("own-user", allow("iam:CreateAccessKey", "arn:aws:iam::" + PM + ":user/${aws:username}")))
                        .context("aws:username", "test")
                        .asks("iam:CreateAccessKey", userArn(PM, "test")).allowed("own-user#0"),

                // PMapper matches the bare strings, and these rows put the same patterns in the resource part of an ARN.
                row("pmapper wildcard: star with suffix", wildcards + "test* matches test-123")
                        .by(sim).identity(testStar)
                        .asks("sqs:SendMessage", "arn:aws:sqs:us-east-1:" + PM + ":test-123").allowed("test-star#0"),
                row("pmapper wildcard: star empty", wildcards + "test* matches test")
                        .by(sim).identity(testStar)
                        .asks("sqs:SendMessage", "arn:aws:sqs:us-east-1:" + PM + ":test").allowed("test-star#0"),
                row("pmapper wildcard: star no match", wildcards + "test* does not match tset")
                        .by(sim).identity(testStar)
                        .asks("sqs:SendMessage", "arn:aws:sqs:us-east-1:" + PM + ":tset").deniedImplicit(),
                row("pmapper wildcard: question mark", wildcards + "test-? matches test-1")
                        .by(sim).identity(testDash)
                        .asks("sqs:SendMessage", "arn:aws:sqs:us-east-1:" + PM + ":test-1").allowed("test-dash#0"),
                row("pmapper wildcard: question mark miss", wildcards + "test-? does not match test1")
                        .by(sim).identity(testDash)
                        .asks("sqs:SendMessage", "arn:aws:sqs:us-east-1:" + PM + ":test1").deniedImplicit(),

                row("pmapper case: SQS prefix", "PMapper tests/test_resource_policy_evaluation.py::"
                        + "test_sns_sqs_alternate_action_matching, SQS:CreateQueue")
                        .by(user(PM, "asdf1"))
                        .resourcePolicy(resource("queue-policy", "{'Effect':'Allow','Principal':{'AWS':'" + userArn(PM, "asdf1")
                                + "'},'Action':'SQS:CreateQueue','Resource':'*'}"))
                        .asks("sqs:CreateQueue", "arn:aws:sqs:us-east-1:" + PM + ":queue1")
                        .allowed("queue-policy#0"),
                row("pmapper case: SNS prefix", "PMapper tests/test_resource_policy_evaluation.py::"
                        + "test_sns_sqs_alternate_action_matching, SNS:CreateTopic")
                        .by(user(PM, "asdf1"))
                        .resourcePolicy(resource("topic-policy", "{'Effect':'Allow','Principal':{'AWS':'" + userArn(PM, "asdf1")
                                + "'},'Action':'SNS:CreateTopic','Resource':'*'}"))
                        .asks("sns:CreateTopic", "arn:aws:sns:us-east-1:" + PM + ":topic1")
                        .allowed("topic-policy#0"),
                row("pmapper case: other action name", "PMapper tests/test_resource_policy_evaluation.py::"
                        + "test_sns_sqs_alternate_action_matching, S3:CreateBucket vs s3:CreateTopic")
                        .by(user(PM, "asdf1"))
                        .resourcePolicy(resource("bucket-policy", "{'Effect':'Allow','Principal':{'AWS':'" + userArn(PM, "asdf1")
                                + "'},'Action':'S3:CreateBucket','Resource':'*'}"))
                        .asks("s3:CreateTopic", "arn:aws:s3:::bucket").resourceAccount(PM)
                        .deniedImplicit());
    }

    static List<Case> pmapperQueryingRows() {
        String mfa = "PMapper tests/test_local_querying.py::test_local_mfa_handling, ";
        String admin = "PMapper tests/test_local_querying.py::test_admin_can_do_anything, ";
        CompiledPolicy selfManage = managed("mfa-self-manage",
                "{'Sid':'AllowManageOwnUserMFA','Effect':'Allow','Action':['iam:DeactivateMFADevice','iam:EnableMFADevice',"
                        + "'iam:GetUser','iam:ListMFADevices','iam:ResyncMFADevice'],'Resource':'arn:aws:iam::*:user/${aws:username}'}",
                "{'Sid':'DenyAllExceptListedIfNoMFA','Effect':'Deny','NotAction':['iam:CreateVirtualMFADevice',"
                        + "'iam:EnableMFADevice','iam:GetUser','iam:ListMFADevices','iam:ListVirtualMFADevices',"
                        + "'iam:ResyncMFADevice','sts:GetSessionToken'],'Resource':'*',"
                        + "'Condition':{'BoolIfExists':{'aws:MultiFactorAuthPresent':'false'}}}");
        CompiledPolicy viewAccount = managed("mfa-view", "{'Sid':'AllowViewAccountInfo','Effect':'Allow',"
                + "'Action':'s3:ListAllMyBuckets','Resource':'*'}");
        RequestPrincipal usesMfa = user(PM, "uses_mfa");
        CompiledPolicy adminPolicy = managed("admin", ALLOW_ALL);
        return List.of(
                // PMapper's empty context means the key is absent, so BoolIfExists is true and the Deny applies.
                row("pmapper mfa: key absent", mfa + "s3:ListAllMyBuckets, context {}")
                        .by(usesMfa).identity(selfManage, viewAccount).absent("aws:MultiFactorAuthPresent")
                        .asks("s3:ListAllMyBuckets", "*")
                        .deniedExplicit("mfa-self-manage#1"),
                row("pmapper mfa: key false", mfa + "s3:ListAllMyBuckets, aws:MultiFactorAuthPresent=false")
                        .by(usesMfa).identity(selfManage, viewAccount).context("aws:MultiFactorAuthPresent", "false")
                        .asks("s3:ListAllMyBuckets", "*")
                        .deniedExplicit("mfa-self-manage#1"),
                // PMapper's MFA-aware check retries with MFA present and reports "allowed, MFA required".
                row("pmapper mfa: key true", mfa + "s3:ListAllMyBuckets, MFA-aware check")
                        .by(usesMfa).identity(selfManage, viewAccount).context("aws:MultiFactorAuthPresent", "true")
                        .asks("s3:ListAllMyBuckets", "*")
                        .allowed("mfa-view#0"),
                row("pmapper mfa: exempt action", mfa + "iam:EnableMFADevice on user/uses_mfa, context {}")
                        .by(usesMfa).identity(selfManage, viewAccount).absent("aws:MultiFactorAuthPresent")
                        .asks("iam:EnableMFADevice", userArn(PM, "uses_mfa"))
                        .allowed("mfa-self-manage#0"),
                row("pmapper local: admin PutUserPolicy", admin + "iam:PutUserPolicy on *")
                        .by(user(PM, "admin")).identity(adminPolicy)
                        .asks("iam:PutUserPolicy", "*").allowed("admin#0"),
                row("pmapper local: admin on own ARN", admin + "iam:PutUserPolicy on own ARN")
                        .by(user(PM, "admin")).identity(adminPolicy)
                        .asks("iam:PutUserPolicy", userArn(PM, "admin")).allowed("admin#0"),
                row("pmapper local: admin CreateRole", admin + "iam:CreateRole on *")
                        .by(user(PM, "admin")).identity(adminPolicy)
                        .asks("iam:CreateRole", "*").allowed("admin#0"),
                row("pmapper local: admin AssumeRole", admin + "sts:AssumeRole on *")
                        .by(user(PM, "admin")).identity(adminPolicy)
                        .asks("sts:AssumeRole", "*").allowed("admin#0"),
                row("pmapper local: username in resource", "PMapper tests/test_local_querying.py::"
                        + "test_condition_key_handling_in_resources, user/asdf")
                        .by(user(PM, "asdf"))
                        .identity(managed("own-key", allow("iam:CreateAccessKey", "arn:aws:iam::" + PM + ":user/${aws:username}")))
                        .context("aws:username", "asdf")
                        .asks("iam:CreateAccessKey", userArn(PM, "asdf")).allowed("own-key#0"),
                row("pmapper local: username inferred", "PMapper tests/test_local_querying.py::test_inferred_keys, user/infer")
                        .by(user(PM, "infer"))
                        .identity(managed("own-key", allow("iam:CreateAccessKey", "arn:aws:iam::" + PM + ":user/${aws:username}")))
                        .asks("iam:CreateAccessKey", userArn(PM, "infer")).allowed("own-key#0"));
    }

    static List<Case> pmapperBoundaryAndTrustRows() {
        String boundaries = "PMapper tests/test_permissions_boundaries.py, ";
        String trusts = "PMapper tests/test_resource_policy_evaluation.py::test_iam_assume_role, ";
        String matching = "PMapper tests/test_resource_policy_evaluation.py::test_match_action_resource_policy_elements, ";
        CompiledPolicy asdf1All = managed("asdf1-all", ALLOW_ALL);
        CompiledPolicy getList = boundary("asdf1-boundary", "{'Action':['s3:Get*','s3:List*'],'Resource':'*','Effect':'Allow'}");
        CompiledPolicy jumpTrust = trust("JumpRole-trust", "{'Effect':'Allow','Principal':{'AWS':['" + userArn(PM, "asdf2")
                + "','arn:aws:iam::" + PM + ":root']},'Action':'sts:AssumeRole'}");
        CompiledPolicy asdf1Assume = managed("asdf1-assume", allow("sts:AssumeRole", "*"));
        CompiledPolicy asdf2Get = managed("asdf2-get", allow("s3:GetObject", "*"));
        CompiledPolicy trustsPm = trust("test1-trust", trustsPrincipal("arn:aws:iam::" + PM + ":root"));
        CompiledPolicy trustsOther = trust("test1-trust", trustsPrincipal("arn:aws:iam::" + PM_OTHER + ":root"));
        String test1 = roleArn(PM, "test1");
        CompiledPolicy publicObject = resource("object-policy", "{'Effect':'Allow','Principal':'*','Action':'s3:GetObject',"
                + "'Resource':'arn:aws:s3:::bucket/object'}");
        CompiledPolicy asdf1Object = managed("asdf1-object", allow("s3:GetObject", "arn:aws:s3:::bucket/object"));
        return List.of(
                row("pmapper boundary: get allowed", boundaries + "asdf1, s3:GetObject")
                        .by(user(PM, "asdf1")).identity(asdf1All).boundary(getList)
                        .asks("s3:GetObject", "arn:aws:s3:::bucket/object")
                        .allowed("asdf1-all#0", "asdf1-boundary#0"),
                row("pmapper boundary: put denied", boundaries + "asdf1, s3:PutObject")
                        .by(user(PM, "asdf1")).identity(asdf1All).boundary(getList)
                        .asks("s3:PutObject", "arn:aws:s3:::bucket/object")
                        .deniedImplicit(),
                row("pmapper boundary: assume via root trust", boundaries + "asdf1, sts:AssumeRole on role/JumpRole")
                        .by(user(PM, "asdf1")).identity(asdf1All)
                        .boundary(boundary("jump-boundary", allow("sts:AssumeRole", roleArn(PM, "JumpRole"))))
                        .trustPolicy(jumpTrust)
                        .asks("sts:AssumeRole", roleArn(PM, "JumpRole"))
                        .allowed("asdf1-all#0", "jump-boundary#0", "JumpRole-trust#0"),

                // PMapper expects ALLOWED, but the evaluator follows the AWS page "Update a role trust policy"
                // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html). It states
                // that when a user named in a trust policy has a permissions boundary, the boundary must allow
                // sts:AssumeRole, and this boundary is empty.
                row("pmapper boundary: empty boundary, user trusted", boundaries + "asdf2 with resource policy (disputed)")
                        .by(user(PM, "asdf2"))
                        .identity(parsed("asdf2-empty", "managed", "{\"Version\":\"2012-10-17\",\"Statement\":[]}"))
                        .boundary(parsed("asdf2-boundary", "boundary", "{\"Version\":\"2012-10-17\",\"Statement\":[]}"))
                        .trustPolicy(jumpTrust)
                        .asks("sts:AssumeRole", roleArn(PM, "JumpRole"))
                        .deniedImplicit(),

                row("pmapper trust: root plus identity", trusts + "asdf1, trust 000000000000:root")
                        .by(user(PM, "asdf1")).identity(asdf1Assume).trustPolicy(trustsPm)
                        .asks("sts:AssumeRole", test1)
                        .allowed("asdf1-assume#0", "test1-trust#0"),
                row("pmapper trust: other account root", trusts + "asdf1, trust 999999999999:root")
                        .by(user(PM, "asdf1")).identity(asdf1Assume).trustPolicy(trustsOther)
                        .asks("sts:AssumeRole", test1)
                        .deniedImplicit(),
                row("pmapper trust: root, no assume", trusts + "asdf2, trust 000000000000:root")
                        .by(user(PM, "asdf2")).identity(asdf2Get).trustPolicy(trustsPm)
                        .asks("sts:AssumeRole", test1)
                        .deniedImplicit(),
                row("pmapper trust: other root, no assume", trusts + "asdf2, trust 999999999999:root")
                        .by(user(PM, "asdf2")).identity(asdf2Get).trustPolicy(trustsOther)
                        .asks("sts:AssumeRole", test1)
                        .deniedImplicit(),
                row("pmapper trust: foreign role", trusts + "role/test_other in 999999999999")
                        .by(role(PM_OTHER, "test_other")).identity(managed("test_other-assume", allow("sts:AssumeRole", "*")))
                        .trustPolicy(trustsPm)
                        .asks("sts:AssumeRole", test1)
                        .deniedImplicit(),

                row("pmapper resource policy: node match", matching + "s3:GetObject, NODE_MATCH")
                        .by(user(PM, "asdf1")).identity(asdf1Object).resourcePolicy(publicObject)
                        .asks("s3:GetObject", "arn:aws:s3:::bucket/object").resourceAccount(PM)
                        .allowed("asdf1-object#0", "object-policy#0"),
                row("pmapper resource policy: no match", matching + "s3:PutObject, NO_MATCH")
                        .by(user(PM, "asdf1")).identity(asdf1Object).resourcePolicy(publicObject)
                        .asks("s3:PutObject", "arn:aws:s3:::bucket/object").resourceAccount(PM)
                        .deniedImplicit());
    }

    static List<Case> pmapperOrgAndGraphRows() {
        String org = "PMapper tests/test_org_trees.py, ";
        String graph = "PMapper tests, playground graph: ";
        CompiledPolicy denyS3 = scp("pm-deny-s3", deny("s3:*", "*"));
        RequestPrincipal support = serviceLinkedRole(PM, "support.amazonaws.com", "AWSServiceRoleForSupport");
        CompiledPolicy supportInline = managed("support-inline", allow("s3:*", "*"));
        CompiledPolicy jumpAssume = managed("jumpuser-assume", allow("sts:AssumeRole", "*"));
        CompiledPolicy admin = managed("admin", ALLOW_ALL);
        return List.of(
                row("pmapper scp: admin s3 denied", org + "user/admin, s3:CreateBucket")
                        .by(user(PM, "admin")).identity(admin)
                        .scps(List.of(FULL_AWS_ACCESS), List.of(FULL_AWS_ACCESS, denyS3))
                        .asks("s3:CreateBucket", "arn:aws:s3:::fakebucket")
                        .deniedExplicit("pm-deny-s3#0"),
                row("pmapper scp: admin ec2 allowed", org + "user/admin, ec2:RunInstances")
                        .by(user(PM, "admin")).identity(admin)
                        .scps(List.of(FULL_AWS_ACCESS), List.of(FULL_AWS_ACCESS, denyS3))
                        .asks("ec2:RunInstances", "*")
                        .allowed("admin#0"),
                row("pmapper scp: service-linked s3", org + "role/AWSServiceRoleForSupport, s3:CreateBucket")
                        .by(support).identity(supportInline)
                        .scps(List.of(FULL_AWS_ACCESS), List.of(FULL_AWS_ACCESS, denyS3))
                        .asks("s3:CreateBucket", "arn:aws:s3:::fakebucket")
                        .allowed("support-inline#0"),
                row("pmapper scp: service-linked ec2", org + "role/AWSServiceRoleForSupport, ec2:RunInstances")
                        .by(support).identity(supportInline)
                        .scps(List.of(FULL_AWS_ACCESS), List.of(FULL_AWS_ACCESS, denyS3))
                        .asks("ec2:RunInstances", "*")
                        .deniedImplicit(),

                row("pmapper graph: root ARN trust", graph + "is_connected(user/jumpuser, role/s3_access_role)")
                        .by(user(PM, "jumpuser")).identity(jumpAssume)
                        .trustPolicy(trust("s3_access_role-trust", trustsPrincipal("arn:aws:iam::" + PM + ":root")))
                        .asks("sts:AssumeRole", roleArn(PM, "s3_access_role"))
                        .allowed("jumpuser-assume#0", "s3_access_role-trust#0"),
                row("pmapper graph: bare account trust", graph + "is_connected(user/jumpuser, role/s3_access_role_alt)")
                        .by(user(PM, "jumpuser")).identity(jumpAssume)
                        .trustPolicy(trust("s3_access_role_alt-trust", trustsPrincipal(PM)))
                        .asks("sts:AssumeRole", roleArn(PM, "s3_access_role_alt"))
                        .allowed("jumpuser-assume#0", "s3_access_role_alt-trust#0"),
                row("pmapper graph: foreign account trust", graph + "is_connected(user/jumpuser, role/external_s3_access_role)")
                        .by(user(PM, "jumpuser")).identity(jumpAssume)
                        .trustPolicy(trust("external-trust", trustsPrincipal(PM_OTHER)))
                        .asks("sts:AssumeRole", roleArn(PM, "external_s3_access_role"))
                        .deniedImplicit(),
                // PMapper's reason is that admins reach every principal, so the row requests an access key for the user.
                row("pmapper graph: admin reaches user", graph + "is_connected(user/admin, user/jumpuser)")
                        .by(user(PM, "admin")).identity(admin)
                        .asks("iam:CreateAccessKey", userArn(PM, "jumpuser"))
                        .allowed("admin#0"),
                // PMapper's reason is that an admin can rewrite any trust policy.
                row("pmapper graph: admin rewrites trust", graph + "is_connected(user/admin, role/external_s3_access_role)")
                        .by(user(PM, "admin")).identity(admin)
                        .asks("iam:UpdateAssumeRolePolicy", roleArn(PM, "external_s3_access_role"))
                        .allowed("admin#0"),
                row("pmapper graph: paths in ARNs", graph + "is_connected(user/somepath/some_other_jumpuser, role/somepath/somerole)")
                        .by(new RequestPrincipal("arn:aws:iam::" + PM + ":user/somepath/some_other_jumpuser", Kind.USER, PM,
                                "some_other_jumpuser", null, Map.of(), false, null))
                        .identity(managed("some_other_jumpuser-assume", allow("sts:AssumeRole", "*")))
                        .trustPolicy(trust("somerole-trust", trustsPrincipal(PM)))
                        .asks("sts:AssumeRole", "arn:aws:iam::" + PM + ":role/somepath/somerole")
                        .allowed("some_other_jumpuser-assume#0", "somerole-trust#0"));
    }

    // ---------------------------------------------------------------- rows from the rule list's test vectors

    static List<Case> rulesFileRows() {
        String rules = "policy-evaluation-rules.json ";
        CompiledPolicy s3Boundary = boundary("get-list-boundary", "{'Effect':'Allow','Action':['s3:Get*','s3:List*'],'Resource':'*'}");
        CompiledPolicy carlos = managed("carlossalazar-policy", "{'Effect':'Allow','Action':'s3:*','Resource':["
                + "'arn:aws:s3:::carlossalazar','arn:aws:s3:::carlossalazar/*']}", deny("s3:*", "arn:aws:s3:::*log*"));
        CompiledPolicy carlosBucket = resource("carlossalazar-bucket", "{'Effect':'Allow','Principal':{'AWS':'"
                + userArn(ACCOUNT, "carlossalazar") + "'},'Action':'s3:*','Resource':'arn:aws:s3:::carlossalazar/*'}");
        CompiledPolicy notIamPut = managed("not-iam-put", "{'Effect':'Allow','NotAction':['iam:*','s3:Put*'],'Resource':'*'}");
        CompiledPolicy tokenAge = managed("fn3-exploitableConditionConstraint", "{'Action':'iam:CreatePolicyVersion',"
                + "'Condition':{'DateGreaterThan':{'aws:TokenIssueTime':'2020-01-01T00:00:01Z'}},'Effect':'Allow','Resource':'*','Sid':''}");
        CompiledPolicy orgScps = scp("deny-s3", deny("s3:*", "*"));
        CompiledPolicy emptyIdentity = parsed("asdf2-empty", "managed", "{\"Version\":\"2012-10-17\",\"Statement\":[]}");
        CompiledPolicy emptyBoundary = parsed("asdf2-boundary", "boundary", "{\"Version\":\"2012-10-17\",\"Statement\":[]}");
        CompiledPolicy trustsAsdf2 = trust("JumpRole-trust", trustsPrincipal(userArn(PM, "asdf2")));
        return List.of(
                row("rules: allow and deny in one policy", rules + "EVAL-02 vector 1; iam-vulnerable fp1; " + DENY_ALLOW)
                        .by(user(ACCOUNT, "fp1-allow-and-deny-user"))
                        .identity(managed("fp1-allow-and-deny", allow("iam:*", "*"), deny("iam:*", "*")))
                        .asks("iam:CreateUser", userArn(ACCOUNT, "newhire"))
                        .deniedExplicit("fp1-allow-and-deny#1"),
                row("rules: allow and deny in two policies", rules + "EVAL-02 vector 2; iam-vulnerable fp2; " + DENY_ALLOW)
                        .by(user(ACCOUNT, "fp2-allow-and-deny-multiple-policies-user"))
                        .identity(managed("fp2-allow-all", ALLOW_ALL), managed("deny-all", deny("*", "*")))
                        .asks("s3:ListAllMyBuckets", "*")
                        .deniedExplicit("deny-all#0"),

                row("rules: scp denies s3", rules + "EVAL-05 vector 1; " + SCPS)
                        .by(user(ACCOUNT, "admin")).identity(managed("admin", ALLOW_ALL))
                        .scps(List.of(FULL_AWS_ACCESS), List.of(FULL_AWS_ACCESS, orgScps))
                        .asks("s3:CreateBucket", "arn:aws:s3:::new-bucket")
                        .deniedExplicit("deny-s3#0"),
                row("rules: scp spares service-linked role", rules + "EVAL-05 vector 2; " + SCPS)
                        .by(serviceLinkedRole(ACCOUNT, "support.amazonaws.com", "AWSServiceRoleForSupport"))
                        .identity(managed("support-s3", allow("s3:*", "*")))
                        .scps(List.of(FULL_AWS_ACCESS), List.of(FULL_AWS_ACCESS, orgScps))
                        .asks("s3:CreateBucket", "arn:aws:s3:::new-bucket")
                        .allowed("support-s3#0"),

                row("rules: carlossalazar logs denied", rules + "EVAL-06 vector 1; " + SINGLE_ACCOUNT)
                        .by(user(ACCOUNT, "carlossalazar")).identity(carlos).resourcePolicy(carlosBucket)
                        .asks("s3:PutObject", "arn:aws:s3:::carlossalazar-logs/2024-01-01.log").resourceAccount(ACCOUNT)
                        .deniedExplicit("carlossalazar-policy#1"),
                row("rules: carlossalazar bucket allowed", rules + "EVAL-06 vector 2; " + SINGLE_ACCOUNT)
                        .by(user(ACCOUNT, "carlossalazar")).identity(carlos).resourcePolicy(carlosBucket)
                        .asks("s3:PutObject", "arn:aws:s3:::carlossalazar/report.txt").resourceAccount(ACCOUNT)
                        .allowed("carlossalazar-policy#0", "carlossalazar-bucket#0"),

                row("rules: trust must name caller", rules + "EVAL-07 vector 1; " + DENY_ALLOW)
                        .by(user(PM, "asdf1")).identity(managed("asdf1-assume", allow("sts:AssumeRole", "*")))
                        .trustPolicy(trust("test1-trust", trustsPrincipal("arn:aws:iam::" + PM_OTHER + ":root")))
                        .asks("sts:AssumeRole", roleArn(PM, "test1"))
                        .deniedImplicit(),
                row("rules: root trust, no identity", rules + "EVAL-08 vector 1; " + PRINCIPAL)
                        .by(user(PM, "asdf2"))
                        .trustPolicy(trust("test1-trust", trustsPrincipal("arn:aws:iam::" + PM + ":root")))
                        .asks("sts:AssumeRole", roleArn(PM, "test1"))
                        .deniedImplicit(),
                row("rules: root trust with identity", rules + "EVAL-08 vector 2; " + PRINCIPAL)
                        .by(user(PM, "asdf1")).identity(managed("asdf1-assume", allow("sts:AssumeRole", "*")))
                        .trustPolicy(trust("test1-trust", trustsPrincipal("arn:aws:iam::" + PM + ":root")))
                        .asks("sts:AssumeRole", roleArn(PM, "test1"))
                        .allowed("asdf1-assume#0", "test1-trust#0"),
                row("rules: role chain first hop", rules + "EVAL-09 vector 1; iam-vulnerable privesc-AssumeRole; " + ASSUME_ROLE)
                        .by(role(ACCOUNT, "privesc-AssumeRole-starting-role"))
                        .trustPolicy(trust("intermediate-trust", trustsPrincipal(roleArn(ACCOUNT, "privesc-AssumeRole-starting-role"))))
                        .asks("sts:AssumeRole", roleArn(ACCOUNT, "privesc-AssumeRole-intermediate-role"))
                        .allowed("intermediate-trust#0"),
                row("rules: role chain second hop", rules + "EVAL-09 vector 1; iam-vulnerable privesc-AssumeRole; " + ASSUME_ROLE)
                        .by(role(ACCOUNT, "privesc-AssumeRole-intermediate-role"))
                        .trustPolicy(trust("ending-trust", trustsPrincipal(roleArn(ACCOUNT, "privesc-AssumeRole-intermediate-role"))))
                        .asks("sts:AssumeRole", roleArn(ACCOUNT, "privesc-AssumeRole-ending-role"))
                        .allowed("ending-trust#0"),
                // The vector expects ALLOWED, as PMapper does. The evaluator follows the AWS note that a user's
                // permissions boundary must allow sts:AssumeRole even when the trust policy names the user
                // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html).
                row("rules: user ARN trust, empty boundary", rules + "EVAL-10 vector 1 (disputed, follows EVAL-10b); " + DENY_ALLOW)
                        .by(user(PM, "asdf2")).identity(emptyIdentity).boundary(emptyBoundary).trustPolicy(trustsAsdf2)
                        .asks("sts:AssumeRole", roleArn(PM, "JumpRole"))
                        .deniedImplicit(),
                row("rules: boundary caps trusted user", rules + "EVAL-10b vector 1; " + TRUST_UPDATE)
                        .by(user(ACCOUNT, "asdf2"))
                        .identity(parsed("asdf2-empty", "managed", "{\"Version\":\"2012-10-17\",\"Statement\":[]}"))
                        .boundary(parsed("asdf2-boundary", "boundary", "{\"Version\":\"2012-10-17\",\"Statement\":[]}"))
                        .trustPolicy(trust("JumpRole-trust", trustsPrincipal(userArn(ACCOUNT, "asdf2"))))
                        .asks("sts:AssumeRole", roleArn(ACCOUNT, "JumpRole"))
                        .deniedImplicit(),

                row("rules: boundary allows get", rules + "EVAL-13 vector 1; " + BOUNDARIES)
                        .by(user(ACCOUNT, "bounded")).identity(managed("bounded-all", ALLOW_ALL)).boundary(s3Boundary)
                        .asks("s3:GetObject", "arn:aws:s3:::bucket/object")
                        .allowed("bounded-all#0", "get-list-boundary#0"),
                row("rules: boundary blocks put", rules + "EVAL-13 vector 2; " + BOUNDARIES)
                        .by(user(ACCOUNT, "bounded")).identity(managed("bounded-all", ALLOW_ALL)).boundary(s3Boundary)
                        .asks("s3:PutObject", "arn:aws:s3:::bucket/object")
                        .deniedImplicit(),
                row("rules: foreign role, root trust", rules + "EVAL-15 vector 1; " + CROSS_ACCOUNT)
                        .by(role(PM_OTHER, "test_other")).identity(managed("test_other-assume", allow("sts:AssumeRole", "*")))
                        .trustPolicy(trust("test1-trust", trustsPrincipal("arn:aws:iam::" + PM + ":root")))
                        .asks("sts:AssumeRole", roleArn(PM, "test1"))
                        .deniedImplicit(),

                row("rules: NotAction allows ec2", rules + "EVAL-17 vector 1, ec2:RunInstances; " + NOT_ACTION)
                        .by(user(ACCOUNT, "alice")).identity(notIamPut)
                        .asks("ec2:RunInstances", "*")
                        .allowed("not-iam-put#0"),
                row("rules: NotAction skips iam", rules + "EVAL-17 vector 1, iam:GetRole; " + NOT_ACTION)
                        .by(user(ACCOUNT, "alice")).identity(notIamPut)
                        .asks("iam:GetRole", roleArn(ACCOUNT, "ops"))
                        .deniedImplicit(),
                row("rules: NotAction skips s3 put", rules + "EVAL-17 vector 1, s3:PutObject; " + NOT_ACTION)
                        .by(user(ACCOUNT, "alice")).identity(notIamPut)
                        .asks("s3:PutObject", "arn:aws:s3:::reports/q1.csv")
                        .deniedImplicit(),
                row("rules: NotAction leaves PutRolePolicy", rules + "EVAL-17 vector 2; iam-vulnerable fn4; " + NOT_ACTION)
                        .by(role(ACCOUNT, "fn4-exploitableNotAction-role")).identity(fn4())
                        .asks("iam:PutRolePolicy", roleArn(ACCOUNT, "fn4-exploitableNotAction-role"))
                        .allowed("fn4-exploitableNotAction#0"),
                row("rules: NotAction star", rules + "EVAL-17 vector 3; " + NOT_ACTION)
                        .by(user(ACCOUNT, "alice")).identity(managed("not-star", "{'Effect':'Allow','NotAction':'*','Resource':'*'}"))
                        .asks("s3:GetObject", "arn:aws:s3:::reports/q1.csv")
                        .deniedImplicit(),

                row("rules: NotResource excludes listed", rules + "EVAL-18 vector 1; " + NOT_RESOURCE)
                        .by(user(ACCOUNT, "alice"))
                        .identity(managed("not-objects", "{'Effect':'Allow','Action':'*','NotResource':['arn:aws:s3:::bucket/*',"
                                + "'arn:aws:s3:::*/object']}"))
                        .asks("s3:GetObject", "arn:aws:s3:::bucket/anything")
                        .deniedImplicit(),
                row("rules: upper-case prefix", rules + "EVAL-19 vector 1; " + ACTION)
                        .by(user(ACCOUNT, "alice")).identity(managed("upper-sqs", allow("SQS:CreateQueue", "*")))
                        .asks("sqs:CreateQueue", "arn:aws:sqs:us-east-1:" + ACCOUNT + ":orders")
                        .allowed("upper-sqs#0"),
                row("rules: question mark needs one", rules + "EVAL-19 vector 2; " + RESOURCE)
                        .by(user(ACCOUNT, "alice"))
                        .identity(managed("test-dash", allow("sqs:SendMessage", "arn:aws:sqs:us-east-1:" + ACCOUNT + ":test-?")))
                        .asks("sqs:SendMessage", "arn:aws:sqs:us-east-1:" + ACCOUNT + ":test1")
                        .deniedImplicit(),

                row("rules: token time, role session", rules + "EVAL-20 vector 1, role session; iam-vulnerable fn3; " + GLOBAL_KEYS)
                        .by(role(ACCOUNT, "fn3-exploitableConditionConstraint-role")).identity(tokenAge)
                        .context("aws:TokenIssueTime", "2026-01-15T10:00:00Z")
                        .asks("iam:CreatePolicyVersion", "arn:aws:iam::" + ACCOUNT + ":policy/fn3-exploitableConditionConstraint")
                        .allowed("fn3-exploitableConditionConstraint#0"),
                row("rules: token time, long-term key", rules + "EVAL-20 vector 1, user; iam-vulnerable fn3; " + GLOBAL_KEYS)
                        .by(user(ACCOUNT, "fn3-exploitableConditionConstraint-user")).identity(tokenAge)
                        .absent("aws:TokenIssueTime")
                        .asks("iam:CreatePolicyVersion", "arn:aws:iam::" + ACCOUNT + ":policy/fn3-exploitableConditionConstraint")
                        .deniedImplicit(),

                row("rules: ForAllValues on absent key", rules + "EVAL-21 vector 1; " + CONDITION)
                        .by(user(PM, "reader"))
                        .identity(managed("thread-read", "{'Effect':'Allow','Action':'dynamodb:GetItem','Resource':"
                                + "'arn:aws:dynamodb:*:*:table/Thread','Condition':{'ForAllValues:StringEquals':"
                                + "{'dynamodb:Attributes':['ID','Message','Tags']}}}"))
                        .absent("dynamodb:Attributes")
                        .asks("dynamodb:GetItem", "arn:aws:dynamodb:us-west-2:" + PM + ":table/Thread")
                        .allowed("thread-read#0"));
    }

    // ---------------------------------------------------------------- rows from iam-vulnerable's deployed policies

    static List<Case> iamVulnerableRows() {
        String source = "BishopFox/iam-vulnerable modules/free-resources/";
        return List.of(
                row("iam-vulnerable: fn4 user self policy", source + "tool-testing/fn4-ExploitableNotAction.tf; " + NOT_ACTION)
                        .by(user(ACCOUNT, "fn4-exploitableNotAction-user")).identity(fn4())
                        .asks("iam:PutUserPolicy", userArn(ACCOUNT, "fn4-exploitableNotAction-user"))
                        .allowed("fn4-exploitableNotAction#0"),
                row("iam-vulnerable: fn4 create excluded", source + "tool-testing/fn4-ExploitableNotAction.tf; " + NOT_ACTION)
                        .by(user(ACCOUNT, "fn4-exploitableNotAction-user")).identity(fn4())
                        .asks("iam:CreateAccessKey", userArn(ACCOUNT, "fn4-exploitableNotAction-user"))
                        .deniedImplicit(),
                row("iam-vulnerable: fp3 deny only", source + "tool-testing/fp3-deny.tf; " + DENY_ALLOW)
                        .by(user(ACCOUNT, "fp3-deny-iam-user")).identity(managed("fp3-deny-iam", deny("iam:*", "*")))
                        .asks("iam:CreateUser", userArn(ACCOUNT, "newhire"))
                        .deniedExplicit("fp3-deny-iam#0"),
                row("iam-vulnerable: fp4 aws-managed namespace", source + "tool-testing/fp4-NonExploitableResourceConstraint.tf; " + RESOURCE)
                        .by(user(ACCOUNT, "fp4-nonExploitableResourceConstraint-user"))
                        .identity(managed("fp4-nonExploitableResourceConstraint", allow("iam:CreatePolicyVersion", "arn:aws:iam::aws:policy/fp4-*")))
                        .asks("iam:CreatePolicyVersion", "arn:aws:iam::" + ACCOUNT + ":policy/fp4-nonExploitableResourceConstraint")
                        .deniedImplicit(),
                row("iam-vulnerable: fn2 own policy", source + "tool-testing/fn2-ExploitableResourceConstraint.tf; " + RESOURCE)
                        .by(user(ACCOUNT, "fn2-exploitableResourceConstraint-user"))
                        .identity(managed("fn2-exploitableResourceConstraint", allow("iam:CreatePolicyVersion", "arn:aws:iam::*:policy/fn2-*")))
                        .asks("iam:CreatePolicyVersion", "arn:aws:iam::" + ACCOUNT + ":policy/fn2-exploitableResourceConstraint")
                        .allowed("fn2-exploitableResourceConstraint#0"),
                row("iam-vulnerable: fp5 old token", source + "tool-testing/fp5-NonExploitableConditionConstraint.tf; " + CONDITION)
                        .by(role(ACCOUNT, "fp5-nonExploitableConditionConstraint-role"))
                        .identity(managed("fp5-nonExploitableConditionConstraint", "{'Action':'iam:CreatePolicyVersion','Condition':"
                                + "{'DateLessThan':{'aws:TokenIssueTime':'2020-01-01T00:00:01Z'}},'Effect':'Allow','Resource':'*'}"))
                        .context("aws:TokenIssueTime", "2026-01-15T10:00:00Z")
                        .asks("iam:CreatePolicyVersion", "arn:aws:iam::" + ACCOUNT + ":policy/fp5-nonExploitableConditionConstraint")
                        .deniedImplicit(),
                // A role session always has temporary credentials, and every one usable now was issued after 2020.
                row("iam-vulnerable: fn3 token unknown, role", source + "tool-testing/fn3-ExploitableConditionConstraint.tf; " + GLOBAL_KEYS)
                        .by(role(ACCOUNT, "fn3-exploitableConditionConstraint-role"))
                        .identity(managed("fn3-exploitableConditionConstraint", "{'Action':'iam:CreatePolicyVersion','Condition':"
                                + "{'DateGreaterThan':{'aws:TokenIssueTime':'2020-01-01T00:00:01Z'}},'Effect':'Allow','Resource':'*'}"))
                        .asks("iam:CreatePolicyVersion", "arn:aws:iam::" + ACCOUNT + ":policy/fn3-exploitableConditionConstraint")
                        .allowed("fn3-exploitableConditionConstraint#0"),
                // A user's request carries aws:TokenIssueTime only when signed with temporary credentials.
                row("iam-vulnerable: fn3 token unknown, user", source + "tool-testing/fn3-ExploitableConditionConstraint.tf; " + GLOBAL_KEYS)
                        .by(user(ACCOUNT, "fn3-exploitableConditionConstraint-user"))
                        .identity(managed("fn3-exploitableConditionConstraint", "{'Action':'iam:CreatePolicyVersion','Condition':"
                                + "{'DateGreaterThan':{'aws:TokenIssueTime':'2020-01-01T00:00:01Z'}},'Effect':'Allow','Resource':'*'}"))
                        .asks("iam:CreatePolicyVersion", "arn:aws:iam::" + ACCOUNT + ":policy/fn3-exploitableConditionConstraint")
                        .conditional("fn3-exploitableConditionConstraint#0")
                        .unresolved("DateGreaterThan aws:TokenIssueTime"),
                row("iam-vulnerable: assume-role start user", source + "privesc-paths/privesc-AssumeRole.tf; " + ASSUME_ROLE)
                        .by(user(ACCOUNT, "privesc-AssumeRole-start-user"))
                        .trustPolicy(trust("intermediate-trust", trustsPrincipal(roleArn(ACCOUNT, "privesc-AssumeRole-starting-role"))))
                        .asks("sts:AssumeRole", roleArn(ACCOUNT, "privesc-AssumeRole-intermediate-role"))
                        .deniedImplicit());
    }

    // ---------------------------------------------------------------- policies and principals

    private static CompiledPolicy fn4() {
        return managed("fn4-exploitableNotAction", "{'Effect':'Allow','NotAction':['iam:Update*','iam:Create*','iam:Attach*'],"
                + "'Resource':'*'}");
    }

    /** Returns a policy allowing s3:GetObject in home/${aws:username}/, with {@code versionMember} as its Version member. */
    private static CompiledPolicy homeFolderPolicy(String id, String versionMember) {
        return parsed(id, "managed", "{" + versionMember + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::home/${aws:username}/*\"}]}");
    }

    /** Returns the key policy statement that lets the account's IAM policies grant use of the key. */
    private static String enableIamPolicies(String account) {
        return "{'Sid':'Enable IAM User Permissions','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::" + account
                + ":root'},'Action':'kms:*','Resource':'*'}";
    }

    private static String trustsPrincipal(String principal) {
        return "{'Effect':'Allow','Principal':{'AWS':'" + principal + "'},'Action':'sts:AssumeRole'}";
    }

    private static String allow(String action, String resource) {
        return "{'Effect':'Allow','Action':'" + action + "','Resource':'" + resource + "'}";
    }

    private static String deny(String action, String resource) {
        return "{'Effect':'Deny','Action':'" + action + "','Resource':'" + resource + "'}";
    }

    /** Builds a 2012-10-17 document from statements written with single quotes in place of double quotes. */
    private static String document(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements).replace('\'', '"') + "]}";
    }

    private static CompiledPolicy parsed(String id, String kind, String documentText) {
        return CompiledPolicy.compile(Policy.parse(id, id, kind, documentText));
    }

    private static CompiledPolicy managed(String id, String... statements) {
        return parsed(id, "managed", document(statements));
    }

    private static CompiledPolicy inGroup(String id, String groupArn, String... statements) {
        return CompiledPolicy.compile(Policy.parse(id, id, "inline", document(statements)), groupArn);
    }

    private static CompiledPolicy boundary(String id, String... statements) {
        return parsed(id, "boundary", document(statements));
    }

    private static CompiledPolicy sessionPolicy(String id, String... statements) {
        return parsed(id, "session", document(statements));
    }

    private static CompiledPolicy resource(String id, String... statements) {
        return parsed(id, "resource", document(statements));
    }

    private static CompiledPolicy trust(String id, String... statements) {
        return parsed(id, "trust", document(statements));
    }

    private static CompiledPolicy scp(String id, String... statements) {
        return parsed(id, "scp", document(statements));
    }

    private static CompiledPolicy rcp(String id, String... statements) {
        return parsed(id, "rcp", document(statements));
    }

    private static String userArn(String account, String name) {
        return "arn:aws:iam::" + account + ":user/" + name;
    }

    private static String roleArn(String account, String name) {
        return "arn:aws:iam::" + account + ":role/" + name;
    }

    private static String groupArn(String account, String name) {
        return "arn:aws:iam::" + account + ":group/" + name;
    }

    private static RequestPrincipal user(String account, String name) {
        return new RequestPrincipal(userArn(account, name), Kind.USER, account, name, null, Map.of(), false, null);
    }

    /** Returns a session of role {@code name} whose session name is unknown. */
    private static RequestPrincipal role(String account, String name) {
        return roleSession(account, name, null);
    }

    private static RequestPrincipal roleSession(String account, String name, String sessionName) {
        return new RequestPrincipal(roleArn(account, name), Kind.ROLE_SESSION, account, name, null, Map.of(), false, sessionName);
    }

    private static RequestPrincipal serviceLinkedRole(String account, String service, String name) {
        return new RequestPrincipal("arn:aws:iam::" + account + ":role/aws-service-role/" + service + "/" + name,
                Kind.ROLE_SESSION, account, name, null, Map.of(), true, null);
    }

    private static RequestPrincipal service(String servicePrincipal, String account) {
        return new RequestPrincipal(servicePrincipal, Kind.SERVICE, account, servicePrincipal, null, Map.of(), false, null);
    }

    /** Returns an unauthenticated caller, which has no account. */
    private static RequestPrincipal anonymous() {
        return new RequestPrincipal("*", Kind.ANONYMOUS, null, null, null, Map.of(), false, null);
    }

    /** Returns {@code principal} with {@code tags}. Null tags mean that the tags are not known. */
    private static RequestPrincipal tagged(RequestPrincipal principal, Map<String, String> tags) {
        return new RequestPrincipal(principal.arn(), principal.kind(), principal.account(), principal.name(),
                principal.uniqueId(), tags, principal.serviceLinked(), principal.sessionName());
    }

    private static Set<String> statementsOf(EvaluationResult result) {
        Set<String> statements = new TreeSet<>();
        for (Evidence evidence : result.statements()) {
            statements.add(evidence.policy() + "#" + evidence.statement() + (evidence.via() == null ? "" : " via " + evidence.via()));
        }
        return statements;
    }

    private static Set<String> conditionsOf(EvaluationResult result) {
        Set<String> conditions = new TreeSet<>();
        for (UnresolvedCondition condition : result.conditions()) {
            conditions.add(condition.operator() + " " + condition.key());
        }
        return conditions;
    }

    private static Case row(String name, String source) {
        return new Case(name, source);
    }

    /** One decision case: the request, the policies in force, and the expected result. */
    static final class Case {

        final String name;
        final String source;
        private RequestPrincipal principal;
        private String action;
        private String resource;
        private String resourceAccount;
        private boolean resourceAccountGiven;
        private final Map<String, List<String>> context = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private final List<CompiledPolicy> identity = new ArrayList<>();
        private CompiledPolicy boundary;
        private CompiledPolicy session;
        private CompiledPolicy resourcePolicy;
        private boolean resourcePolicyMustAllow;
        private List<List<CompiledPolicy>> scps = List.of();
        private List<List<CompiledPolicy>> rcps = List.of();
        private String managementAccount;
        private Decision decision;
        private String denial;
        /** The expected deciding statements, or null when the row does not check them. */
        private Set<String> statements;
        /** The expected unresolved conditions, or null when the row does not check them. */
        private Set<String> conditions = Set.of();

        Case(String name, String source) {
            this.name = name;
            this.source = source;
        }

        Case by(RequestPrincipal requestPrincipal) {
            this.principal = requestPrincipal;
            return this;
        }

        /** Sets the action and resource. The resource account defaults to the ARN's account part. */
        Case asks(String requestAction, String resourceArn) {
            this.action = requestAction;
            this.resource = resourceArn;
            return this;
        }

        Case resourceAccount(String account) {
            this.resourceAccount = account;
            this.resourceAccountGiven = true;
            return this;
        }

        Case identity(CompiledPolicy... policies) {
            identity.addAll(Arrays.asList(policies));
            return this;
        }

        Case boundary(CompiledPolicy policy) {
            this.boundary = policy;
            return this;
        }

        Case session(CompiledPolicy policy) {
            this.session = policy;
            return this;
        }

        Case resourcePolicy(CompiledPolicy policy) {
            this.resourcePolicy = policy;
            this.resourcePolicyMustAllow = false;
            return this;
        }

        /** Sets a role trust policy, which must allow the caller itself. */
        Case trustPolicy(CompiledPolicy policy) {
            this.resourcePolicy = policy;
            this.resourcePolicyMustAllow = true;
            return this;
        }

        /** Sets a KMS key policy, which must allow the caller itself. */
        Case keyPolicy(CompiledPolicy policy) {
            return trustPolicy(policy);
        }

        @SafeVarargs
        final Case scps(List<CompiledPolicy>... levels) {
            this.scps = List.of(levels);
            return this;
        }

        @SafeVarargs
        final Case rcps(List<CompiledPolicy>... levels) {
            this.rcps = List.of(levels);
            return this;
        }

        Case management(String account) {
            this.managementAccount = account;
            return this;
        }

        Case context(String key, String... values) {
            context.put(key, List.of(values));
            return this;
        }

        /** Marks {@code key} as known to be absent from the request. */
        Case absent(String key) {
            context.put(key, List.of());
            return this;
        }

        Case allowed(String... deciding) {
            return expect(Decision.ALLOWED, null, deciding);
        }

        Case deniedExplicit(String... deciding) {
            return expect(Decision.DENIED, "explicit", deciding);
        }

        Case deniedImplicit() {
            expect(Decision.DENIED, "implicit");
            this.statements = null;
            return this;
        }

        Case conditional(String... deciding) {
            return expect(Decision.CONDITIONAL, null, deciding);
        }

        /** Sets the expected unresolved conditions, each as "Operator key". */
        Case unresolved(String... expected) {
            this.conditions = new TreeSet<>(List.of(expected));
            return this;
        }

        Case conditionsUnchecked() {
            this.conditions = null;
            return this;
        }

        private Case expect(Decision expectedDecision, String expectedDenial, String... deciding) {
            this.decision = expectedDecision;
            this.denial = expectedDenial;
            this.statements = new TreeSet<>(List.of(deciding));
            return this;
        }

        AccessRequest request() {
            String account = resourceAccountGiven ? resourceAccount : Arns.account(resource);
            Map<String, List<String>> values = context;
            return new AccessRequest(principal, action, resource, account, values::get);
        }

        EvaluationPolicies policies() {
            return new EvaluationPolicies(List.copyOf(identity), boundary, session, scps, rcps, managementAccount,
                    resourcePolicy, resourcePolicyMustAllow);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
