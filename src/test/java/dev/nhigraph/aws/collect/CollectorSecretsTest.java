package dev.nhigraph.aws.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The collector never calls an API that returns secret material. Its sources are scanned for the SDK methods of
 * those APIs, because a call that the stub tests never reach would not show in a recorded run.
 */
class CollectorSecretsTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/nhigraph/aws/collect");

    /** The SDK methods of APIs that return secret values, key material or credentials, with the reason. */
    private static final List<String> DENIED = List.of(
            "getSecretValue", "batchGetSecretValue",                 // Secrets Manager: the secret itself
            "getParameter", "getParameters", "getParametersByPath", // SSM: SecureString values with decryption
            "createAccessKey", "createLoginProfile", "createServiceSpecificCredential", // IAM: new credentials
            "getSessionToken", "getFederationToken",                 // STS: credentials of the caller
            "decrypt", "generateDataKey", "generateDataKeyPair", "exportKey", // KMS: plaintext key material
            "getPasswordData", "describeInstanceAttribute",          // EC2: Windows passwords, user data
            "getFunction", "getFunctionConfiguration",               // Lambda: code URL and environment
            "getAuthorizationToken",                                 // ECR: a registry password
            "getObject");                                            // S3: object content

    private static final Pattern CALL = Pattern.compile("\\.(\\w+)\\(");

    @Test
    void collectorSources_callNoSecretApi() throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(path -> path.toString().endsWith(".java")).toList();
        }
        for (Path file : files) {
            String source = Files.readString(file);
            Matcher call = CALL.matcher(source);
            while (call.find()) {
                if (DENIED.contains(call.group(1))) {
                    found.add(file.getFileName() + ": " + call.group(1));
                }
            }
        }
        assertTrue(files.size() >= 10, "scanned " + files.size() + " files under " + SOURCES);
        assertEquals(List.of(), found, "calls of APIs that return secret material");
    }

    @Test
    void collectorPolicy_grantsNoSecretApi() throws IOException {
        String policy = Files.readString(Path.of("collectors/aws/nhigraph-collector-policy.json"));
        Matcher action = Pattern.compile("\"\\w+:(\\w+)\"").matcher(policy);
        List<String> found = new ArrayList<>();
        int actions = 0;
        while (action.find()) {
            actions++;
            String operation = action.group(1);
            String method = Character.toLowerCase(operation.charAt(0)) + operation.substring(1);
            if (DENIED.contains(method)) {
                found.add(action.group());
            }
        }
        assertTrue(actions > 30, "read " + actions + " actions from the policy");
        assertEquals(List.of(), found, "actions of APIs that return secret material");
    }
}
