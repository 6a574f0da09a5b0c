package dev.nhigraph.gcp.analysis;

import java.util.List;
import java.util.Map;

/**
 * The service accounts that workloads run as: a VM's attached account, a function's runtime account, a cluster's
 * node account and so on, keyed by the workload's canonical full resource name.
 *
 * <p>Loads build it from {@link dev.nhigraph.gcp.GcpInventory#runsAs()}, which the instance, function and Cloud Run
 * service lists of a bundle fill, and pass it to
 * {@link GcpAnalysis#derive(dev.nhigraph.gcp.GcpInventory, dev.nhigraph.gcp.GcpRoleCatalog, java.time.Instant,
 * AttachedAccounts)}. A workload missing from the map has an unknown account; one mapped to an empty list runs as
 * no account.
 *
 * @param byResource workload full resource name to the emails of the accounts it runs as
 */
public record AttachedAccounts(Map<String, List<String>> byResource) {

    public AttachedAccounts {
        byResource = Map.copyOf(byResource);
    }

    /** Returns a map with no workload's account. */
    public static AttachedAccounts none() {
        return new AttachedAccounts(Map.of());
    }

    /** Returns the emails {@code resourceName} runs as, or null when they are not known. */
    public List<String> of(String resourceName) {
        return byResource.get(resourceName);
    }
}
