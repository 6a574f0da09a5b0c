package dev.nhigraph.gcp.analysis;

import java.util.List;

/**
 * One GCP privilege-escalation technique: the permissions a caller needs and on what, the workload it needs, and
 * what it gains. docs/gcp-escalation-techniques.md describes every field and value.
 *
 * @param id            {@code gcp-NNN}
 * @param name          one-line name
 * @param category      how the analysis derives it: {@code credential}, {@code delegation}, {@code account-policy},
 *                      {@code scope-policy}, {@code custom-role}, {@code new-workload}, {@code existing-workload},
 *                      {@code service-agent}, {@code federation-token}, {@code federation-provider} or {@code listed}
 * @param requires      every permission the caller needs, each with the resource it is checked on
 * @param workload      the existing resource the technique uses, or null when it needs none
 * @param preconditions what must also hold and the analysis cannot check, in plain sentences
 * @param outcome       what the caller gains, see the documentation for the values
 * @param edgeKind      {@code CAN_IMPERSONATE} or {@code CAN_ESCALATE} for techniques that yield a step, else null
 * @param conditional   why every step of this technique is conditional, or null when steps follow the permissions
 * @param serviceAgent  for {@code service-agent} techniques, the email of the account the work runs as, with
 *                      {@code {projectNumber}} for the project's number
 * @param sources       where the facts come from
 * @param covers        the entries of the Rhino Security Labs list and the iam-vulnerable GCP lab this covers
 * @param note          what the caller does and any limit, in our own words
 */
public record GcpTechnique(String id, String name, String category, List<Requirement> requires, Workload workload,
                           List<String> preconditions, String outcome, String edgeKind, String conditional,
                           String serviceAgent, List<Source> sources, Covers covers, String note) {

    public GcpTechnique {
        requires = requires == null ? List.of() : List.copyOf(requires);
        preconditions = preconditions == null ? List.of() : List.copyOf(preconditions);
        sources = sources == null ? List.of() : List.copyOf(sources);
        covers = covers == null ? new Covers(null, null, null, null) : covers;
    }

    /**
     * A permission and the resource it is checked on.
     *
     * @param permission    the permission in allow-policy form
     * @param on            {@code target} (the target service account), {@code delegate} (the account named as
     *                      delegate in a delegation chain), {@code target-project} (the target's project,
     *                      where a new workload is created), {@code workload} (the existing workload),
     *                      {@code workload-project}, {@code scope} (an organization, folder or project),
     *                      {@code custom-role-owner} (the project or organization that defines a custom role),
     *                      {@code pool} (a workload identity pool) or {@code any-service-account}
     * @param catalogueNote why the permission is missing from the predefined-role catalogue, or null when it is there
     */
    public record Requirement(String permission, String on, String catalogueNote) {
    }

    /**
     * The existing resources a technique uses.
     *
     * @param assetTypes the Cloud Asset Inventory types of the workload
     * @param match      {@code runs-as-target} (the workload must run as the target account) or
     *                   {@code any-in-target-project} (any workload of the type in the target's project, whose account
     *                   the caller can change)
     */
    public record Workload(List<String> assetTypes, String match) {
        public Workload {
            assetTypes = assetTypes == null ? List.of() : List.copyOf(assetTypes);
        }
    }

    public record Source(String title, String url) {
    }

    /**
     * Entries of the reference lists this technique covers, spelled as those lists spell them.
     *
     * @param rhinoScanner                the method names of Rhino's scanner
     * @param rhinoReadme                 the permissions of Rhino's README list
     * @param iamVulnerableGcp            the path ids of the iam-vulnerable GCP lab
     * @param iamVulnerableGcpToolTesting the tool-testing case ids of the lab
     */
    public record Covers(List<String> rhinoScanner, List<String> rhinoReadme, List<String> iamVulnerableGcp,
                         List<String> iamVulnerableGcpToolTesting) {
        public Covers {
            rhinoScanner = rhinoScanner == null ? List.of() : List.copyOf(rhinoScanner);
            rhinoReadme = rhinoReadme == null ? List.of() : List.copyOf(rhinoReadme);
            iamVulnerableGcp = iamVulnerableGcp == null ? List.of() : List.copyOf(iamVulnerableGcp);
            iamVulnerableGcpToolTesting = iamVulnerableGcpToolTesting == null ? List.of()
                    : List.copyOf(iamVulnerableGcpToolTesting);
        }
    }

    /** Returns the permissions checked on {@code on}, in file order. */
    public List<String> permissionsOn(String on) {
        return requires.stream().filter(r -> r.on().equals(on)).map(Requirement::permission).toList();
    }

    /** Tells whether the technique yields steps or admin grants, rather than being listed only. */
    public boolean derivable() {
        return !category.equals("listed");
    }
}
