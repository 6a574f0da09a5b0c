package dev.nhigraph.aws.bundle;

import dev.nhigraph.BadInputException;
import dev.nhigraph.testsupport.Fuzz;
import dev.nhigraph.testsupport.SecretBundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutations of every export format the bundle reader takes: authorization details, AWS Organizations output
 * with SCPs, resource policies, and gcloud outputs. Each mutated file is written where its original lies in the
 * bundle layout, because the layout names what some AWS outputs belong to, and read alone. The reader either reads
 * it, skipping what it cannot use, or rejects it with a {@link BadInputException} that names the file.
 */
class BundleFuzzTest {

    private static final long SEED = 20_261_205L;
    private static final int INPUTS = 5_000;
    private static final long TIMEOUT_MILLIS = 10_000;

    private static final Path MAIN_BUNDLE = Path.of("src/test/resources/fixtures/bundle/main");
    private static final Path AUTHORIZATION_DETAILS = Path.of("src/test/resources/fixtures/assume-cross-account.json");

    @TempDir
    Path work;

    @Test
    void mutatedExports_readOrRejectNamingFile() throws IOException {
        Path seedsFolder = work.resolve("seeds");
        SecretBundle.write(seedsFolder.resolve("secret-bundle"), SEED);
        List<Path> seeds = seedFiles(seedsFolder);
        Path fuzzed = work.resolve("fuzzed");

        try (Fuzz fuzz = new Fuzz(SEED, TIMEOUT_MILLIS)) {
            List<String> inputs = new ArrayList<>();
            for (int index = 0; index < INPUTS; index++) {
                Random random = fuzz.random(index);
                Path seed = seeds.get(index < seeds.size() ? index : random.nextInt(seeds.size()));
                String text = Files.readString(seed, StandardCharsets.UTF_8);
                String mutated = index < seeds.size() ? text
                        : random.nextInt(4) == 0 ? Fuzz.mutateText(text, random) : Fuzz.mutateJson(text, random);
                // The relative path goes first, so that the target writes the file where its seed lies.
                inputs.add(seedsFolder.relativize(seed) + "\n" + mutated);
            }

            Fuzz.Tally tally = fuzz.run("export file", inputs, input -> {
                int newline = input.indexOf('\n');
                Path file = fuzzed.resolve(input.substring(0, newline));
                Files.createDirectories(file.getParent());
                // getBytes writes an unpaired surrogate as '?' where writeString would throw.
                Files.write(file, input.substring(newline + 1).getBytes(StandardCharsets.UTF_8));
                try {
                    BundleReader.read(List.of(file));
                } finally {
                    Files.delete(file);
                }
            }, BadInputException.class, message -> message.contains("fuzzed"));

            System.out.println("Fuzz: " + tally + ", from " + seeds.size() + " seed files");
        }
    }

    /** Copies the seed exports into {@code folder}, each kind in its bundle layout, and returns them all. */
    private static List<Path> seedFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(MAIN_BUNDLE)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path copy = folder.resolve("main").resolve(MAIN_BUNDLE.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy);
            }
        }
        Files.copy(AUTHORIZATION_DETAILS, folder.resolve("authorization-details.json"));
        Files.writeString(folder.resolve("projects.json"), """
                [{"createTime": "2023-04-11T09:12:44.113Z", "lifecycleState": "ACTIVE", "name": "Payments production",
                  "parent": {"id": "444455556666", "type": "folder"}, "projectId": "payments-prod",
                  "projectNumber": "987654321098"}]
                """);
        Files.writeString(folder.resolve("roles.json"), """
                [{"name": "projects/payments-prod/roles/deployer", "title": "Deployer", "stage": "GA",
                  "includedPermissions": ["iam.serviceAccounts.actAs", "run.services.update"], "etag": "BwYJ0Ex3nyI="}]
                """);
        Files.writeString(folder.resolve("deny-policies.json"), """
                [{"name": "policies/cloudresourcemanager.googleapis.com%2Fprojects%2Fpayments-prod/denypolicies/no-keys",
                  "rules": [{"denyRule": {"deniedPrincipals": ["principalSet://goog/public:all"],
                    "deniedPermissions": ["iam.googleapis.com/serviceAccountKeys.create"],
                    "denialCondition": {"expression": "resource.matchTag('123/env', 'prod')"}}}]}]
                """);
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
