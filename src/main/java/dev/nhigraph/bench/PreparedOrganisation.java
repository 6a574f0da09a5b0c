package dev.nhigraph.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.BadInputException;
import dev.nhigraph.bench.BenchmarkResult.Organisation;
import dev.nhigraph.generate.GroundTruth;
import dev.nhigraph.generate.SyntheticOrganization;
import dev.nhigraph.generate.Tier;
import dev.nhigraph.policy.PolicyDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * An organisation ready to load: its bundle folder, its ground truth (expected.json), and how it was obtained.
 *
 * @param tier the tier, from the options or from expected.json
 */
record PreparedOrganisation(Tier tier, Path bundle, JsonNode expected, Organisation organisation) {

    /** Generates {@code tier} for {@code seed} into {@code folder}, which must be new or empty. */
    static PreparedOrganisation generate(Tier tier, long seed, Path folder) {
        SyntheticOrganization.Result generated = SyntheticOrganization.generate(tier, seed, folder);
        JsonNode expected = readExpected(generated.expected(), "the generated organisation");
        Organisation organisation = new Organisation(tier.name(), seed, "generated", folder.toString(),
                generated.millis() / 1_000.0, generated.files(), generated.bytes(), expected.path("chains").size(),
                expected.path("decoys").size(), expected.path("queries").size());
        return new PreparedOrganisation(tier, generated.bundle(), expected, organisation);
    }

    /**
     * Takes the organisation that {@code nhigraph generate} wrote to {@code folder}.
     *
     * @throws BadInputException when bundle/ or expected.json is missing, or expected.json is of another schema
     */
    static PreparedOrganisation given(Path folder) {
        Path bundle = folder.resolve(SyntheticOrganization.BUNDLE_FOLDER);
        Path expectedFile = folder.resolve(SyntheticOrganization.EXPECTED_FILE);
        if (!Files.isDirectory(bundle) || !Files.isRegularFile(expectedFile)) {
            throw new BadInputException("--bundle " + folder + " must contain " + SyntheticOrganization.BUNDLE_FOLDER
                    + "/ and " + SyntheticOrganization.EXPECTED_FILE + ", as `nhigraph generate --out " + folder
                    + "` writes them.");
        }
        JsonNode expected = readExpected(expectedFile, "--bundle " + folder);
        String tierName = expected.path("tier").asText();
        Tier tier = Stream.of(Tier.values()).filter(t -> t.name().equals(tierName)).findFirst()
                .orElseThrow(() -> new BadInputException(expectedFile + " names tier \"" + tierName
                        + "\", which is not one of " + List.of(Tier.values()) + "."));

        long files = 0;
        long bytes = 0;
        try (Stream<Path> walk = Files.walk(bundle)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files++;
                bytes += Files.size(file);
            }
        } catch (IOException e) {
            throw new BadInputException("Failed to list " + bundle + ": " + e.getMessage(), e);
        }
        Organisation organisation = new Organisation(tier.name(), expected.path("seed").asLong(), "bundle", folder.toString(),
                null, (int) files, bytes, expected.path("chains").size(), expected.path("decoys").size(),
                expected.path("queries").size());
        return new PreparedOrganisation(tier, bundle, expected, organisation);
    }

    private static JsonNode readExpected(Path file, String source) {
        JsonNode expected;
        try {
            expected = PolicyDocuments.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new BadInputException("Failed to read " + file + " of " + source + ": " + e.getMessage(), e);
        }
        if (!GroundTruth.SCHEMA.equals(expected.path("schema").asText())) {
            throw new BadInputException(file + " has schema \"" + expected.path("schema").asText() + "\", expected \""
                    + GroundTruth.SCHEMA + "\". Generate the organisation again with this version of nhigraph.");
        }
        return expected;
    }
}
