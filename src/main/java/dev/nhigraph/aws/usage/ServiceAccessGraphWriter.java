package dev.nhigraph.aws.usage;

import dev.nhigraph.db.Batches;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.neo4j.driver.TransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes service last accessed reports onto their principals as two lists of equal length:
 * {@code grantedServices} (the service prefixes the policies allow) and {@code servicesLastAuthenticated} (when the
 * principal last used each, or an empty string for never), with {@code serviceAccessReportAt}. Neo4j lists cannot
 * hold nulls, hence the empty string.
 */
public final class ServiceAccessGraphWriter {

    private static final Logger log = LoggerFactory.getLogger(ServiceAccessGraphWriter.class);

    private final List<ServiceAccess> reports;
    private final String snapshotId;

    public ServiceAccessGraphWriter(List<ServiceAccess> reports, String snapshotId) {
        this.reports = reports;
        this.snapshotId = snapshotId;
    }

    /** Writes every report in the caller's transaction. */
    public void writeAll(TransactionContext tx) {
        if (reports.isEmpty()) {
            return;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ServiceAccess report : reports) {
            List<String> namespaces = report.services().stream().map(ServiceAccess.ServiceUse::namespace).toList();
            List<String> lastUsed = report.services().stream()
                    .map(use -> use.lastAuthenticated() == null ? "" : use.lastAuthenticated()).toList();
            rows.add(Map.of("id", report.principal(), "services", namespaces, "lastUsed", lastUsed,
                    "reportAt", report.reportAt() == null ? "" : report.reportAt()));
        }
        Batches.unwind(tx, """
                UNWIND $rows AS row
                MATCH (p:Principal {id: row.id})
                SET p.grantedServices = row.services, p.servicesLastAuthenticated = row.lastUsed,
                    p.serviceAccessReportAt = CASE row.reportAt WHEN '' THEN null ELSE row.reportAt END""",
                rows, Map.of("snapshot", snapshotId));
        log.info("Loaded service last accessed reports of {} principals", rows.size());
    }
}
