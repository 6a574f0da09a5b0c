package dev.nhigraph.collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.aws.bundle.Bundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline collection scripts, run with a stub {@code aws} command first on PATH that records its arguments and
 * prints the fixture bundle's files. No real AWS endpoint is contacted: the stub is the only {@code aws} the scripts
 * find. Each script's output must load, and each AWS call it makes must be allowed by the policy file it names.
 */
class CollectorScriptsTest {

    private static final Path COLLECTORS = Path.of("collectors");
    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/bundle/keys").toAbsolutePath();
    private static final Path PROVIDERS = Path.of("src/test/resources/fixtures/collect-stub/iam").toAbsolutePath();
    private static final String ACCOUNT = "111111111111";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void credentials_writesLayoutThatLoads() throws Exception {
        Path out = work.resolve("bundle");

        Run run = runScript("aws/collect-credentials.sh", out.toString());

        assertEquals(0, run.exit(), run.output());
        assertTrue(Files.isRegularFile(out.resolve("iam/credential-report-" + ACCOUNT + ".json")), run.output());
        assertTrue(Files.isRegularFile(out.resolve("iam/access-keys/" + ACCOUNT + "/ci-deployer.json")), run.output());
        assertTrue(Files.isRegularFile(out.resolve("iam/access-key-last-used/" + ACCOUNT + "/AKIAFIXTURECIDEPLOY2.json")),
                run.output());
        // The stub reports the credential report as STARTED once, so the script must poll again.
        assertEquals(2, run.calls().stream().filter(call -> call.startsWith("iam generate-credential-report")).count());
        Bundle bundle = LoadService.prepare(List.of(out)).bundle();
        assertEquals(5, bundle.accessKeys().users().size());
        assertEquals(List.of(), bundle.skippedFiles());
        assertCallsAllowed(run.calls(), "aws/credentials-collector-policy.json");
    }

    @Test
    void compute_writesLayoutThatLoads() throws Exception {
        Path out = work.resolve("bundle");

        Run run = runScript("aws/collect-compute.sh", out.toString(), "eu-west-1");

        assertEquals(0, run.exit(), run.output());
        assertTrue(Files.isRegularFile(out.resolve("compute/ec2/" + ACCOUNT + "/eu-west-1/instances.json")), run.output());
        assertTrue(Files.isRegularFile(out.resolve("compute/lambda/" + ACCOUNT + "/eu-west-1/functions.json")), run.output());
        assertTrue(Files.isRegularFile(out.resolve("compute/ecs/" + ACCOUNT + "/eu-west-1/app_3.json")), run.output());
        Bundle bundle = LoadService.prepare(List.of(out)).bundle();
        assertEquals(4, bundle.workloads().size());
        assertCallsAllowed(run.calls(), "aws/compute-collector-policy.json");
    }

    @Test
    void identityProviders_writesLayoutThatLoads() throws Exception {
        Path out = work.resolve("bundle");

        Run run = runScript("aws/collect-identity-providers.sh", out.toString());

        assertEquals(0, run.exit(), run.output());
        assertTrue(Files.isRegularFile(out.resolve("iam/oidc-providers/" + ACCOUNT + "/token.actions.githubusercontent.com.json")),
                run.output());
        Bundle bundle = LoadService.prepare(List.of(out)).bundle();
        assertEquals(2, bundle.identityProviders().providers().size());
        assertEquals(List.of("sts.amazonaws.com"), bundle.identityProviders().providers().stream()
                .filter(provider -> provider.protocol().equals("oidc")).findFirst().orElseThrow().clientIds());
        assertEquals(List.of(), bundle.skippedFiles());
        assertCallsAllowed(run.calls(), "aws/identity-providers-collector-policy.json");
    }

    @Test
    void serviceLastAccessed_writesLayoutThatLoads() throws Exception {
        Path out = work.resolve("bundle");

        Run run = runScript("aws/collect-service-last-accessed.sh", out.toString());

        assertEquals(0, run.exit(), run.output());
        assertTrue(Files.isRegularFile(out.resolve("iam/service-last-accessed/" + ACCOUNT + "/role/app.json")), run.output());
        assertTrue(Files.isRegularFile(out.resolve("iam/service-last-accessed/" + ACCOUNT + "/user/deploy.json")), run.output());
        Files.copy(PROVIDERS.resolve("authorization-details-" + ACCOUNT + ".json"),
                out.resolve("iam/authorization-details-" + ACCOUNT + ".json"));
        Bundle bundle = LoadService.prepare(List.of(out)).bundle();
        assertEquals(3, bundle.serviceAccess().size());
        assertEquals(List.of(), bundle.skippedFiles());
        assertCallsAllowed(run.calls(), "aws/service-last-accessed-collector-policy.json");
    }

    @Test
    void compute_queriesLeaveOutEnvironments() throws Exception {
        Run run = runScript("aws/collect-compute.sh", work.resolve("bundle").toString(), "eu-west-1");

        String functions = run.calls().stream().filter(call -> call.startsWith("lambda list-functions")).findFirst().orElseThrow();
        String task = run.calls().stream().filter(call -> call.startsWith("ecs describe-task-definition")).findFirst().orElseThrow();
        assertTrue(functions.contains("--query {Functions: Functions[].{FunctionName"), functions);
        assertFalse(functions.contains("Environment"), functions);
        assertTrue(task.contains("--query {taskDefinition: taskDefinition.{taskDefinitionArn"), task);
        assertFalse(task.contains("containerDefinitions"), task);
    }

    @Test
    void readme_namesOnlyExistingFiles() throws IOException {
        String readme = Files.readString(COLLECTORS.resolve("README.md"), StandardCharsets.UTF_8);
        Matcher named = Pattern.compile("`(aws/[A-Za-z0-9._-]+\\.(?:json|sh))").matcher(readme);
        List<String> missing = new ArrayList<>();
        int count = 0;
        while (named.find()) {
            count++;
            if (!Files.isRegularFile(COLLECTORS.resolve(named.group(1)))) {
                missing.add(named.group(1));
            }
        }

        assertTrue(count >= 10, "the pattern found only " + count + " file names in collectors/README.md");
        assertEquals(List.of(), missing);
    }

    @Test
    void everyPolicyFile_isNamedInReadme() throws IOException {
        String readme = Files.readString(COLLECTORS.resolve("README.md"), StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(COLLECTORS.resolve("aws"))) {
            List<String> unnamed = files.map(file -> "aws/" + file.getFileName())
                    .filter(name -> !readme.contains("`" + name)).sorted().toList();

            assertEquals(List.of(), unnamed);
        }
    }

    /** Checks that every recorded AWS call, as service:Action, is in the policy's Action list. */
    private static void assertCallsAllowed(List<String> calls, String policyFile) throws IOException {
        JsonNode policy = JSON.readTree(COLLECTORS.resolve(policyFile).toFile());
        Set<String> allowed = new TreeSet<>();
        // IAM action names are case-insensitive, and the CLI's command names lose the case of OIDC and SAML.
        policy.path("Statement").forEach(statement -> statement.path("Action")
                .forEach(action -> allowed.add(action.asText().toLowerCase(Locale.ROOT))));
        Set<String> made = new TreeSet<>();
        for (String call : calls) {
            String[] words = call.split(" ");
            // sts:GetCallerIdentity needs no permission, and `aws configure` reads the local configuration.
            if (words[0].equals("configure") || (words[0].equals("sts") && words[1].equals("get-caller-identity"))) {
                continue;
            }
            made.add((words[0] + ":" + actionName(words[1])).toLowerCase(Locale.ROOT));
        }

        assertFalse(made.isEmpty(), "no AWS call was recorded");
        assertEquals(Set.of(), difference(made, allowed), "calls not allowed by " + policyFile);
        assertEquals(Set.of(), difference(allowed, made), policyFile + " allows actions the script never calls");
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> result = new TreeSet<>(a);
        result.removeAll(b);
        return result;
    }

    /** Turns a CLI command name such as list-access-keys into its API action, ListAccessKeys. */
    private static String actionName(String command) {
        StringBuilder action = new StringBuilder();
        for (String word : command.split("-")) {
            action.append(word.substring(0, 1).toUpperCase(Locale.ROOT)).append(word.substring(1));
        }
        return action.toString();
    }

    private record Run(int exit, String output, List<String> calls) {
    }

    private Run runScript(String script, String... arguments) throws IOException, InterruptedException {
        Path bin = work.resolve("bin");
        Files.createDirectories(bin);
        Path stub = bin.resolve("aws");
        Files.writeString(stub, stubScript(), StandardCharsets.UTF_8);
        stub.toFile().setExecutable(true);
        Path calls = work.resolve("calls.log");

        List<String> command = new ArrayList<>(List.of("bash", COLLECTORS.resolve(script).toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("STUB_CALLS", calls.toString());
        builder.environment().put("STUB_STATE", work.resolve("report-state").toString());
        builder.environment().put("FIXTURE", FIXTURE.toString());
        builder.environment().put("PROVIDERS", PROVIDERS.toString());
        builder.environment().put("REPORT_POLL_SECONDS", "0");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the script did not finish within 60 s: " + output);
        List<String> recorded = Files.exists(calls) ? Files.readAllLines(calls) : List.of();
        return new Run(process.exitValue(), output, recorded);
    }

    /**
     * Returns the stub {@code aws}: it appends its arguments to $STUB_CALLS and prints the fixture file that the real
     * command would print. It ignores --query, so files keep every field of the fixture.
     */
    private static String stubScript() {
        return """
                #!/usr/bin/env bash
                set -euo pipefail
                echo "$*" >> "$STUB_CALLS"
                value_of() {
                  local name="$1"; shift
                  while (($#)); do
                    if [[ "$1" == "$name" ]]; then echo "$2"; return; fi
                    shift
                  done
                }
                account=111111111111
                case "$1 $2" in
                  "sts get-caller-identity") echo "$account" ;;
                  "configure get") echo "eu-west-1" ;;
                  "iam generate-credential-report")
                    if [[ -f "$STUB_STATE" ]]; then echo COMPLETE; else touch "$STUB_STATE"; echo STARTED; fi ;;
                  "iam get-credential-report") cat "$FIXTURE/iam/credential-report-$account.json" ;;
                  "iam list-users")
                    if [[ "$*" == *"Arn]"* ]]; then printf 'deploy\tarn:aws:iam::%s:user/deploy\n' "$account"
                    else echo "ci-deployer	report-reader	console-bot	legacy-user"; fi ;;
                  "iam list-access-keys")
                    file="$FIXTURE/iam/access-keys/$account/$(value_of --user-name "$@").json"
                    if [[ -f "$file" ]]; then cat "$file"; else echo '{"AccessKeyMetadata": [], "IsTruncated": false}'; fi ;;
                  "iam get-access-key-last-used")
                    echo '{"UserName": "someone", "AccessKeyLastUsed": {"ServiceName": "N/A", "Region": "N/A"}}' ;;
                  "iam list-open-id-connect-providers") cat "$PROVIDERS/oidc-providers-$account.json" ;;
                  "iam get-open-id-connect-provider")
                    cat "$PROVIDERS/oidc-providers/$account/$(value_of --open-id-connect-provider-arn "$@" | sed 's/.*oidc-provider.//').json" ;;
                  "iam list-saml-providers") cat "$PROVIDERS/saml-providers-$account.json" ;;
                  "iam list-roles") printf 'admin\tarn:aws:iam::%s:role/admin\napp\tarn:aws:iam::%s:role/app\n' "$account" "$account" ;;
                  "iam generate-service-last-accessed-details") value_of --arn "$@" | sed 's/.*[:/]//' ;;
                  "iam get-service-last-accessed-details")
                    job="$(value_of --job-id "$@")"
                    cat "$(ls "$PROVIDERS"/service-last-accessed/$account/*/"$job".json)" ;;
                  "ec2 describe-instances") cat "$FIXTURE/compute/ec2/$account/eu-west-1/instances.json" ;;
                  "lambda list-functions") cat "$FIXTURE/compute/lambda/$account/eu-west-1/functions.json" ;;
                  "ecs list-task-definitions") echo "arn:aws:ecs:eu-west-1:$account:task-definition/app:3" ;;
                  "ecs describe-task-definition") cat "$FIXTURE/compute/ecs/$account/eu-west-1/app_3.json" ;;
                  *) echo "stub aws: unexpected command $*" >&2; exit 254 ;;
                esac
                """;
    }
}
