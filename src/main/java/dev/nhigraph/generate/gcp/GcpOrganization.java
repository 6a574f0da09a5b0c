package dev.nhigraph.generate.gcp;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.generate.SeededRandom;
import dev.nhigraph.generate.Tier;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates the GCP half of a synthetic organisation: an organization with folders, projects, service accounts,
 * keys, custom roles, resources and IAM policies, written as gcloud {@code --format=json} outputs to
 * {@code bundle/gcp/}, with its planted escalation paths and decoys for the {@code gcp} part of expected.json.
 *
 * <p>The same tier and seed give byte-identical files. The GCP part draws from its own random stream, so it does not
 * change any AWS file of the same tier and seed.
 */
public final class GcpOrganization {

    /** The folder below the bundle that contains the GCP files. */
    public static final String FOLDER = "gcp";

    private static final Logger log = LoggerFactory.getLogger(GcpOrganization.class);

    /**
     * The output of one run.
     *
     * @param files    the number of files written below {@code bundle/gcp/}
     * @param bytes    their total size
     * @param expected the {@code gcp} part of expected.json: counts, planted paths and decoys
     */
    public record Result(int files, long bytes, ObjectNode expected) {

        public int paths() {
            return expected.get("paths").size();
        }

        public int decoys() {
            return expected.get("decoys").size();
        }
    }

    private GcpOrganization() {
    }

    /**
     * Writes the GCP organisation of {@code tier} for {@code seed} to {@code bundle/gcp/}, or nothing for a tier
     * without a GCP part (Q).
     */
    public static Optional<Result> generate(Tier tier, long seed, Path bundle) {
        GcpLayout layout = GcpLayout.of(tier);
        if (layout == null) {
            return Optional.empty();
        }
        long started = System.nanoTime();
        SeededRandom random = new SeededRandom(seed).fork("gcp");
        GcpEstate estate = new GcpEstate(layout, random);
        GcpPlanted planted = new GcpPlanted(estate, random.fork("planted"));
        planted.plant();
        estate.fillAccounts(random.fork("accounts"));
        estate.fillResources(random.fork("resources"));
        estate.fillCustomRoles(random.fork("custom-roles"));
        estate.fillDirectory(random.fork("directory"));
        GcpPolicies policies = new GcpPolicies(estate, planted, random.fork("policies"));

        GcpBundleWriter writer = new GcpBundleWriter(estate, policies, bundle.resolve(FOLDER));
        writer.writeAll(random.fork("keys"));
        checkCounts(layout.sizes, writer.counts, estate);

        ObjectNode expected = JsonNodeFactory.instance.objectNode();
        expected.put("bundle", bundle.getFileName() + "/" + FOLDER);
        expected.put("referenceTime", GcpIds.REFERENCE_TIME.toString());
        expected.set("counts", writer.counts.toJson(estate));
        expected.set("paths", planted.paths);
        expected.set("decoys", planted.decoys);
        log.info("Wrote the GCP organisation of tier {} for seed {}: {} projects, {} service accounts, {} grants,"
                        + " {} paths, {} decoys, {} files ({} bytes) in {} ms", tier, seed, estate.projects.size(),
                writer.counts.serviceAccounts, writer.counts.grants, planted.paths.size(), planted.decoys.size(),
                writer.counts.files, writer.counts.bytes, (System.nanoTime() - started) / 1_000_000);
        return Optional.of(new Result(writer.counts.files, writer.counts.bytes, expected));
    }

    /** Checks that what was written has the exact sizes of the tier, so a change that breaks them fails loudly. */
    private static void checkCounts(GcpTier sizes, GcpCounts counts, GcpEstate estate) {
        boolean exact = estate.projects.size() == sizes.projects() && estate.folders.size() == sizes.folders()
                && counts.serviceAccounts == sizes.serviceAccounts() && counts.grants == sizes.grants()
                && estate.customRoles.size() == sizes.customRoles();
        if (!exact) {
            throw new IllegalStateException("the GCP organisation has " + estate.projects.size() + " projects, "
                    + estate.folders.size() + " folders, " + counts.serviceAccounts + " service accounts, " + counts.grants
                    + " grants and " + estate.customRoles.size() + " custom roles, where the tier has " + sizes.projects()
                    + ", " + sizes.folders() + ", " + sizes.serviceAccounts() + ", " + sizes.grants() + " and "
                    + sizes.customRoles());
        }
    }
}
