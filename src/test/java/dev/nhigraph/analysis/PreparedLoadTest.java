package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.analysis.LoadService.LoadResult;
import dev.nhigraph.analysis.LoadService.PreparedLoad;
import dev.nhigraph.gcp.IamVulnerableGcpFixture;
import dev.nhigraph.testsupport.SharedGraph;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads a prepared GCP bundle and checks that the load releases the parsed files but keeps their counts. */
class PreparedLoadTest {

    @TempDir
    Path bundle;

    @Test
    void loadReleasesBundleKeepsCounts() {
        IamVulnerableGcpFixture.load().write(bundle);
        PreparedLoad prepared = LoadService.prepare(List.of(bundle));
        int accounts = prepared.bundle().gcp().serviceAccounts().size();
        int keys = prepared.bundle().gcp().keys().size();
        SharedGraph.reset();

        LoadResult result = new LoadService(SharedGraph.store()).load(prepared, line -> { });

        assertTrue(accounts > 0, "the lab has service accounts");
        assertEquals(accounts, result.gcp().serviceAccounts());
        assertEquals(keys, result.gcp().keys());
        assertThrows(IllegalStateException.class, prepared::bundle);
        assertThrows(IllegalStateException.class, () -> new LoadService(SharedGraph.store()).load(prepared, line -> { }));
    }
}
