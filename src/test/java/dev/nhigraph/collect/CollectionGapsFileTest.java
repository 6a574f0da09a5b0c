package dev.nhigraph.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.aws.bundle.Bundle;
import dev.nhigraph.aws.bundle.BundleReader;
import dev.nhigraph.collect.CollectionGap.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectionGapsFileTest {

    private static final CollectionGap DENIED = new CollectionGap("aws", "111111111111", "eu-west-1", "kms", "ListKeys",
            Reason.ACCESS_DENIED, "not allowed");
    private static final CollectionGap GLOBAL = new CollectionGap("aws", "111111111111", null, "iam",
            "GetCredentialReport", Reason.TIMEOUT, "not ready");

    @TempDir
    Path folder;

    @Test
    void writtenGaps_readBackByBundleReader() {
        Path file = CollectionGapsFile.write(folder, "nhigraph collect aws", "0.1.0", Instant.parse("2026-12-05T13:00:00Z"),
                Instant.parse("2026-12-05T13:05:00Z"), List.of(DENIED, GLOBAL));

        Bundle bundle = BundleReader.read(List.of(file));

        assertEquals(List.of(DENIED, GLOBAL), bundle.collectionGaps());
        assertEquals(List.of(), bundle.skippedFiles());
    }

    @Test
    void gapWithUnknownReason_skippedWithItsPosition() throws IOException {
        Path file = folder.resolve("gaps.json");
        Files.writeString(file, """
                {"collector": "nhigraph collect gcp", "collectionGaps": [
                  {"cloud": "gcp", "scope": "projects/p1", "service": "iam", "call": "ListRoles", "reason": "forbidden"},
                  {"cloud": "gcp", "scope": "projects/p1", "service": "iam", "call": "ListKeys", "reason": "not-enabled"}
                ]}""");

        Bundle bundle = BundleReader.read(List.of(file));

        assertEquals(1, bundle.collectionGaps().size());
        assertEquals(Reason.NOT_ENABLED, bundle.collectionGaps().get(0).reason());
        assertEquals(1, bundle.skippedFiles().size());
        assertEquals("collectionGaps[0]", bundle.skippedFiles().get(0).item());
        assertTrue(bundle.skippedFiles().get(0).reason().contains("access-denied"), bundle.skippedFiles().get(0).reason());
    }

    @Test
    void describe_namesScopeRegionAndCall() {
        assertEquals("aws 111111111111 eu-west-1 kms:ListKeys access-denied: not allowed", DENIED.describe());
        assertEquals("aws 111111111111 iam:GetCredentialReport timeout: not ready", GLOBAL.describe());
    }
}
