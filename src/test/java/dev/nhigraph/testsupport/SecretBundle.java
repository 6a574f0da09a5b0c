package dev.nhigraph.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A bundle of real export formats that carry secret values where real exports can carry them: a GCP service-account
 * key file, an access key created by {@code aws iam create-access-key}, a key list item with its private key, an
 * access key listing with a secret access key pasted in, Lambda and ECS environment variables, and tags,
 * descriptions and policy conditions holding tokens.
 *
 * <p>The secret values are made up from a seeded random source when the bundle is written, so no secret-looking
 * string is kept in the repository, and each test has the exact values to search for.
 */
public final class SecretBundle {

    /** A user of the authorization details whose tag contains a GitHub token. */
    public static final String TAGGED_USER = "arn:aws:iam::123456789012:user/ci-deployer";
    /** A role whose description, tag and inline policy hold tokens. */
    public static final String TAGGED_ROLE = "arn:aws:iam::123456789012:role/release-role";
    /** A service account whose description contains a token and whose key list item contains a private key. */
    public static final String SERVICE_ACCOUNT = "serviceAccount:builder@payments-prod.iam.gserviceaccount.com";

    private final Path folder;
    private final List<String> secrets;

    private SecretBundle(Path folder, List<String> secrets) {
        this.folder = folder;
        this.secrets = List.copyOf(secrets);
    }

    /** Returns the bundle folder. */
    public Path folder() {
        return folder;
    }

    /** Returns every secret value in the bundle. None may reach the graph, a log, a report or an API response. */
    public List<String> secrets() {
        return secrets;
    }

    /** Writes the bundle into {@code folder}, which must exist, with secrets drawn from {@code seed}. */
    public static SecretBundle write(Path folder, long seed) {
        Random random = new Random(seed);
        String githubToken = "ghp_" + alphanumeric(random, 36);
        String slackToken = "xoxb-" + digits(random, 12) + "-" + digits(random, 13) + "-" + alphanumeric(random, 24);
        String googleApiKey = "AIza" + alphanumeric(random, 35);
        String awsSecretKey = alphanumeric(random, 30) + "/" + alphanumeric(random, 9);
        String sessionToken = "IQoJb3JpZ2luX2VjE" + alphanumeric(random, 120);
        String jwt = "eyJhbGciOiJSUzI1NiJ9." + "eyJzdWIiOi" + alphanumeric(random, 40) + "." + alphanumeric(random, 43);
        String pemBody = base64(random, 600);
        String keyFileBody = base64(random, 600);
        String privateKeyData = base64(random, 900);
        String conditionToken = "ghp_" + alphanumeric(random, 36);
        String scpToken = "xoxp-" + digits(random, 12) + "-" + alphanumeric(random, 30);
        // Plain random values, which no redaction pattern recognises: only not reading the fields keeps them out.
        String listedSecretKey = alphanumeric(random, 40);
        String lambdaVariable = alphanumeric(random, 32);
        String containerVariable = alphanumeric(random, 32);

        try {
            write(folder.resolve("iam/authorization-details.json"), authorizationDetails(githubToken, jwt, slackToken,
                    googleApiKey, pemBody));
            write(folder.resolve("iam/create-access-key.json"), """
                    {"AccessKey": {"UserName": "ci-deployer", "AccessKeyId": "AKIAEXAMPLEKEYID0001", "Status": "Active",
                     "SecretAccessKey": "%s", "CreateDate": "2024-05-01T10:00:00+00:00"}}
                    """.formatted(awsSecretKey));
            write(folder.resolve("iam/session-credentials.json"), """
                    {"Credentials": {"AccessKeyId": "ASIAEXAMPLEKEYID0002", "SecretAccessKey": "%s",
                     "SessionToken": "%s", "Expiration": "2024-05-01T11:00:00+00:00"}}
                    """.formatted(alphanumeric(random, 40), sessionToken));
            // A listing with a secret access key pasted into its item, as a hand-merged file might have.
            write(folder.resolve("iam/list-access-keys.json"), """
                    {"AccessKeyMetadata": [{"UserName": "ci-deployer", "AccessKeyId": "AKIAEXAMPLEKEYID0001",
                     "Status": "Active", "CreateDate": "2024-05-01T10:00:00+00:00", "SecretAccessKey": "%s"}]}
                    """.formatted(listedSecretKey));
            write(folder.resolve("compute/lambda/123456789012/eu-west-1/functions.json"), """
                    {"Functions": [{"FunctionName": "release", "Runtime": "python3.12",
                      "FunctionArn": "arn:aws:lambda:eu-west-1:123456789012:function:release", "Role": "%s",
                      "Environment": {"Variables": {"DATABASE_PASSWORD": "%s"}}}]}
                    """.formatted(TAGGED_ROLE, lambdaVariable));
            write(folder.resolve("compute/ecs/123456789012/eu-west-1/release_1.json"), """
                    {"taskDefinition": {"taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/release:1",
                      "family": "release", "revision": 1, "taskRoleArn": "%s",
                      "containerDefinitions": [{"name": "app", "image": "release:1",
                        "environment": [{"name": "API_TOKEN", "value": "%s"}]}]}}
                    """.formatted(TAGGED_ROLE, containerVariable));
            write(folder.resolve("iam/credential-report.json"), """
                    {"Content": "%s", "ReportFormat": "text/csv", "GeneratedTime": "2024-05-02T08:00:00+00:00"}
                    """.formatted(Base64.getEncoder().encodeToString(("user,arn,user_creation_time,password_enabled,"
                    + "access_key_1_active,access_key_1_last_rotated\nci-deployer," + TAGGED_USER
                    + ",2024-01-01T00:00:00+00:00,false,true,2024-05-01T10:00:00+00:00\n").getBytes(StandardCharsets.UTF_8))));
            copyOrganization(folder.resolve("organizations"));
            write(folder.resolve("organizations/policies/p-tokendesc1/a.json"), """
                    {"Policy": {"PolicySummary": {"Id": "p-tokendesc1",
                      "Arn": "arn:aws:organizations::111111111111:policy/o-exampleorg1/service_control_policy/p-tokendesc1",
                      "Name": "deny-regions", "Description": "Rotated with %s", "Type": "SERVICE_CONTROL_POLICY",
                      "AwsManaged": false},
                     "Content": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Deny\\",\\"Action\\":\\"ec2:*\\",\\"Resource\\":\\"*\\",\\"Condition\\":{\\"StringNotEquals\\":{\\"aws:PrincipalTag/bypass\\":\\"%s\\"}}}]}"}}
                    """.formatted(scpToken, conditionToken));
            write(folder.resolve("organizations/policies/p-tokendesc1/b.json"), """
                    {"Targets": [{"TargetId": "r-ab12", "Arn": "arn:aws:organizations::111111111111:root/o-exampleorg1/r-ab12",
                      "Name": "Root", "Type": "ROOT"}]}
                    """);
            write(folder.resolve("gcp/builder-key.json"), """
                    {"type": "service_account", "project_id": "payments-prod",
                     "private_key_id": "0123456789abcdef0123456789abcdef01234567",
                     "private_key": "-----BEGIN PRIVATE KEY-----\\n%s\\n-----END PRIVATE KEY-----\\n",
                     "client_email": "builder@payments-prod.iam.gserviceaccount.com", "client_id": "104657231171339800001",
                     "token_uri": "https://oauth2.googleapis.com/token"}
                    """.formatted(keyFileBody));
            write(folder.resolve("gcp/service-accounts.json"), """
                    [{"displayName": "Builder", "description": "token %s",
                      "email": "builder@payments-prod.iam.gserviceaccount.com",
                      "name": "projects/payments-prod/serviceAccounts/builder@payments-prod.iam.gserviceaccount.com",
                      "projectId": "payments-prod", "uniqueId": "104657231171339800001"}]
                    """.formatted(googleApiKey));
            write(folder.resolve("gcp/keys.json"), """
                    [{"keyAlgorithm": "KEY_ALG_RSA_2048", "keyOrigin": "GOOGLE_PROVIDED", "keyType": "USER_MANAGED",
                      "name": "projects/payments-prod/serviceAccounts/builder@payments-prod.iam.gserviceaccount.com/keys/0123456789abcdef0123456789abcdef01234567",
                      "privateKeyData": "%s", "privateKeyType": "TYPE_GOOGLE_CREDENTIALS_FILE",
                      "validAfterTime": "2024-05-01T10:00:00Z", "validBeforeTime": "9999-12-31T23:59:59Z"}]
                    """.formatted(privateKeyData));
            write(folder.resolve("gcp/iam-policies.json"), """
                    [{"assetType": "cloudresourcemanager.googleapis.com/Project",
                      "organization": "organizations/111122223333",
                      "policy": {"bindings": [
                        {"members": ["serviceAccount:builder@payments-prod.iam.gserviceaccount.com"],
                         "role": "roles/iam.serviceAccountTokenCreator",
                         "condition": {"title": "ci-only", "description": "approved with %s",
                                       "expression": "request.time < timestamp(\\"2030-01-01T00:00:00Z\\")"}},
                        {"members": ["user:alice@example.com"], "role": "roles/owner"}]},
                      "project": "projects/987654321098",
                      "resource": "//cloudresourcemanager.googleapis.com/projects/payments-prod"}]
                    """.formatted(jwt));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        List<String> secrets = new ArrayList<>(List.of(githubToken, slackToken, googleApiKey, awsSecretKey, sessionToken,
                jwt, conditionToken, scpToken, listedSecretKey, lambdaVariable, containerVariable));
        // A key body is searched for by its first 64 characters, because JSON and logs may wrap or escape the whole block.
        secrets.add(pemBody.substring(0, 64));
        secrets.add(keyFileBody.substring(0, 64));
        secrets.add(privateKeyData.substring(0, 64));
        return new SecretBundle(folder, secrets);
    }

    private static String authorizationDetails(String githubToken, String jwt, String slackToken, String googleApiKey,
                                               String pemBody) {
        return """
                {
                  "UserDetailList": [{
                    "Path": "/", "UserName": "ci-deployer", "UserId": "AIDAEXAMPLEUSER00001",
                    "Arn": "%1$s", "CreateDate": "2024-01-01 00:00:00+00:00", "GroupList": [],
                    "UserPolicyList": [{"PolicyName": "assume-release", "PolicyDocument": {"Version": "2012-10-17",
                      "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "%2$s"}]}}],
                    "AttachedManagedPolicies": [],
                    "Tags": [{"Key": "deploy-token", "Value": "%3$s"}, {"Key": "team", "Value": "release"}]
                  }],
                  "GroupDetailList": [],
                  "RoleDetailList": [{
                    "Path": "/", "RoleName": "release-role", "RoleId": "AROAEXAMPLEROLE00001", "Arn": "%2$s",
                    "CreateDate": "2024-01-01 00:00:00+00:00",
                    "Description": "Release role; webhook %4$s",
                    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                      "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]},
                    "InstanceProfileList": [],
                    "RolePolicyList": [{"PolicyName": "release", "PolicyDocument": {"Version": "2012-10-17",
                      "Statement": [{"Sid": "Release", "Effect": "Allow", "Action": "iam:*", "Resource": "*",
                        "Condition": {"StringEquals": {"aws:RequestTag/api-key": "%5$s"}}},
                       {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::release-artifacts/*",
                        "Condition": {"StringLike": {"aws:PrincipalTag/cert": "-----BEGIN RSA PRIVATE KEY-----%6$s"}}}]}}],
                    "AttachedManagedPolicies": [],
                    "Tags": [{"Key": "oidc", "Value": "%7$s"}],
                    "RoleLastUsed": {}
                  }],
                  "Policies": []
                }
                """.formatted(TAGGED_USER, TAGGED_ROLE, githubToken, slackToken, googleApiKey, pemBody, jwt);
    }

    /** Copies the AWS Organizations part of the main test bundle, so that the SCP with a token has an organization. */
    private static void copyOrganization(Path target) throws IOException {
        Path source = Path.of("src/test/resources/fixtures/bundle/main/organizations");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (file.toString().contains("p-broken")) {
                    continue;
                }
                Path copy = target.resolve(source.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy);
            }
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static String alphanumeric(Random random, int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static String digits(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('0' + random.nextInt(10)));
        }
        return text.toString();
    }

    private static String base64(Random random, int bytes) {
        byte[] data = new byte[bytes];
        random.nextBytes(data);
        return Base64.getEncoder().encodeToString(data);
    }
}
