package dev.nhigraph.testsupport;

import dev.nhigraph.analysis.LoadService.LoadResult;
import dev.nhigraph.gcp.IamVulnerableGcpFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sample that the saved queries and the Cypher endpoint are tested on, loaded in one go into the shared graph.
 *
 * <p>It contains the demo's real AWS export (the iam-vulnerable lab), roles trusted by GitHub and other OIDC
 * providers, an AWS organization with SCPs and resource policies, the GCP port of the iam-vulnerable lab, and a
 * gcloud key list for two of the lab's service accounts, the demo's credential reports, key listings and
 * workloads, and a bucket that grants a role to allUsers. Together they give every label that the loaders write at
 * least one node.
 */
public final class AnalystSample {

    public static final Path FEDERATED_TRUST = Path.of("src/test/resources/fixtures/federated-trust.json");
    public static final Path ORGANIZATION_BUNDLE = Path.of("src/test/resources/fixtures/bundle/main");
    public static final Path LAB_KEYS = Path.of("src/test/resources/fixtures/analyst-sample/lab-keys.json");
    /** The demo's made-up credential reports, key listings, EC2 instance and Lambda function for the sample. */
    public static final List<Path> SAMPLE_EXTRAS = List.of("credential-report-200611803367", "credential-report-012345678901",
                    "access-keys-privesc1-CreateNewPolicyVersion-user", "access-keys-privesc4-CreateAccessKey-user",
                    "access-keys-obama", "ec2-instances", "lambda-functions").stream()
            .map(name -> Path.of("src/main/resources/samples/iam-vulnerable-" + name + ".json")).toList();
    public static final Path PUBLIC_BUCKET = Path.of("src/test/resources/fixtures/analyst-sample/public-bucket-policy.json");

    private AnalystSample() {
    }

    /** Empties the shared graph and loads the sample; {@code work} is an empty folder for the GCP lab's files. */
    public static LoadResult resetAndLoad(Path work) {
        Path lab = work.resolve("gcp-lab");
        try {
            Files.createDirectories(lab);
            IamVulnerableGcpFixture.load().write(lab);
            Files.copy(LAB_KEYS, lab.resolve("lab-keys.json"));
            Files.copy(PUBLIC_BUCKET, lab.resolve("public-bucket-policy.json"));
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write the GCP lab to " + lab, e);
        }
        List<Path> files = new ArrayList<>(List.of(SharedGraph.SAMPLE, FEDERATED_TRUST, ORGANIZATION_BUNDLE, lab));
        files.addAll(SAMPLE_EXTRAS);
        return SharedGraph.resetAndLoad(files.toArray(Path[]::new));
    }
}
