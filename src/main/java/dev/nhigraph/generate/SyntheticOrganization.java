package dev.nhigraph.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.BadInputException;
import dev.nhigraph.NhigraphException;
import dev.nhigraph.generate.gcp.GcpOrganization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates a deterministic synthetic AWS organisation as an offline bundle, with its planted ground truth.
 *
 * <p>{@code OUT/bundle/} contains the AWS CLI outputs in the layout of docs/offline-bundle.md, so {@code nhigraph load
 * OUT/bundle} reads it as it reads a real export. {@code OUT/expected.json} lies beside the bundle, not in it,
 * because a load of the folder would list it as a skipped file. The same tier and seed give byte-identical files.
 * S and Q are built whole and then written; M and L are written one account at a time by
 * {@link StreamedOrganization}. S, M and L also contain a GCP organisation below {@code OUT/bundle/gcp/}, written by
 * {@link GcpOrganization}, whose ground truth is the {@code gcp} part of expected.json. Every tier writes each
 * account's credential report and its users' key listings into {@code OUT/bundle/iam/}.
 */
public final class SyntheticOrganization {

    public static final String BUNDLE_FOLDER = "bundle";
    public static final String EXPECTED_FILE = "expected.json";

    private static final Logger log = LoggerFactory.getLogger(SyntheticOrganization.class);

    /** The output of one run: the bundle folder, expected.json, the number and total size of the files. */
    public record Result(Path bundle, Path expected, int files, long bytes, GroundTruth truth, long millis) {
    }

    private SyntheticOrganization() {
    }

    /**
     * Generates the organisation of {@code tier} for {@code seed} into {@code out}.
     *
     * @throws BadInputException when {@code out} exists and is not an empty folder
     */
    public static Result generate(Tier tier, long seed, Path out) {
        long started = System.nanoTime();
        checkEmptyFolder(out);
        if (tier.streamed()) {
            return StreamedOrganization.generate(tier, seed, out, started);
        }
        SeededRandom random = new SeededRandom(seed);
        AwsIdentifiers ids = new AwsIdentifiers(random.fork("ids"));
        SyntheticOrg org = new SyntheticOrg(tier, seed, ids);

        GroundTruth truth = new GroundTruth();
        ResourcePolicies resourcePolicies = new ResourcePolicies();
        PlantedPrincipals planted = new PlantedPrincipals(random.fork("planted-principals"), ids);
        PlantedChains chains = new PlantedChains(org, random.fork("planted-chains"), planted, truth);
        chains.plantChains();
        chains.plantDecoys();
        new PlantedAccess(org, random.fork("planted-access"), ids, planted, resourcePolicies, truth).plant();

        AccountPopulator populator = new AccountPopulator(org, random.fork("accounts"), ids);
        populator.populate();
        resourcePolicies.addRandom(org, populator.fills());
        log.info("Built the {} organisation for seed {}: {} accounts, {} planted chains, {} decoys, {} queries",
                tier, seed, org.exported().size(), truth.chains.size(), truth.decoys.size(), truth.queries.size());

        Path bundle = out.resolve(BUNDLE_FOLDER);
        long bytes = 0;
        for (SyntheticAccount account : org.exported()) {
            Path export = bundle.resolve(authorizationDetailsPath(account));
            AuthorizationDetailsFile.write(account, export);
            bytes += size(export);
        }
        Map<String, JsonNode> files = new LinkedHashMap<>();
        files.putAll(OrganizationFiles.build(org, ids));
        resourcePolicies.files.forEach(file -> files.put(file.path(), file.content()));
        CredentialReportFile.KeyCounts keys = new CredentialReportFile.KeyCounts();
        for (SyntheticAccount account : org.exported()) {
            CredentialReportFile.Report report = CredentialReportFile.build(account, random.fork("credentials-" + account.key()));
            files.put(credentialReportPath(account.id), report.content());
            files.putAll(report.listings());
            keys.add(report.counts());
        }

        for (Map.Entry<String, JsonNode> file : files.entrySet()) {
            Path path = bundle.resolve(file.getKey());
            JsonOutput.write(path, file.getValue());
            bytes += size(path);
        }
        int written = org.exported().size() + files.size();
        ObjectNode counts = OrganizationCounts.of(org, resourcePolicies);
        counts.set("accessKeys", keys.toJson());
        ObjectNode expectedJson = truth.toJson(tier, seed, counts);
        Optional<GcpOrganization.Result> gcp = GcpOrganization.generate(tier, seed, bundle);
        if (gcp.isPresent()) {
            expectedJson.set("gcp", gcp.get().expected());
            written += gcp.get().files();
            bytes += gcp.get().bytes();
        }
        Path expected = out.resolve(EXPECTED_FILE);
        JsonOutput.write(expected, expectedJson);
        long millis = (System.nanoTime() - started) / 1_000_000;
        log.info("Wrote {} files ({} bytes) to {} and the ground truth to {} in {} ms", written, bytes, bundle, expected, millis);
        return new Result(bundle, expected, written, bytes, truth, millis);
    }

    /** Returns the path of an account's credential report below the bundle folder. */
    static String credentialReportPath(String accountId) {
        return "iam/credential-report-" + accountId + ".json";
    }

    /** Returns the path of an account's authorization-details export below the bundle folder. */
    static String authorizationDetailsPath(SyntheticAccount account) {
        return "iam/authorization-details-" + account.id + ".json";
    }

    private static void checkEmptyFolder(Path out) {
        if (!Files.exists(out)) {
            return;
        }
        if (!Files.isDirectory(out)) {
            throw new BadInputException(out + " is a file; give a new or empty folder for the bundle.");
        }
        try (Stream<Path> entries = Files.list(out)) {
            if (entries.findAny().isPresent()) {
                throw new BadInputException(out + " is not empty. Give a new or empty folder, so that no file of an"
                        + " earlier run joins the bundle.");
            }
        } catch (IOException e) {
            throw new BadInputException("Failed to list " + out + ": " + e.getMessage(), e);
        }
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new NhigraphException("Failed to read the size of " + file + ": " + e.getMessage(), e);
        }
    }
}
