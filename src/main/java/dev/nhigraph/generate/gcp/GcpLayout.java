package dev.nhigraph.generate.gcp;

import dev.nhigraph.generate.Tier;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a tier's GCP organisation before any random choice: the folder tree, the projects with the folder
 * each sits in, and how many service accounts and resources each project gets. The seed does not change it, so
 * the counts can be computed without generating anything.
 *
 * <p>Folders: Production, Non-Production, Shared and Sandbox under the organization, a folder per team under
 * Production and Non-Production, and in L the folders {@code apps} and {@code data} under each team folder.
 * Projects: one or two directly under the organization, 5 % in Shared, 10 % in Sandbox, the rest spread over the
 * team folders (or their component folders) in turn.
 */
final class GcpLayout {

    /** The largest number of service accounts of one project, as if each project's quota was raised to it. */
    static final int MAX_SERVICE_ACCOUNTS_PER_PROJECT = 500;
    /** Exponent of the Zipf law that sizes projects: a few large projects and a long tail of small ones. */
    private static final double PROJECT_SIZE_EXPONENT = 0.8;
    /** Sandbox projects get this fraction of the weight of a workload project of the same rank. */
    private static final double SANDBOX_WEIGHT = 0.25;
    /** A prime that spreads project ranks over the layout, so large projects are not all in the first folder. */
    private static final int RANK_STRIDE = 7_919;

    /** Team names, at most 10 characters, so that a project id stays within GCP's 30 characters. */
    static final List<String> TEAMS = List.of("payments", "search", "checkout", "identity", "data", "platform", "ml",
            "billing", "analytics", "mobile", "web", "infra", "risk", "telemetry", "messaging", "catalog", "orders",
            "shipping", "inventory", "support", "growth", "ledger", "pricing", "media");

    private static final List<String> SHARED_PROJECTS = List.of("shared-ci", "shared-network", "shared-logging",
            "shared-artifacts", "shared-dns", "shared-secrets", "shared-monitoring", "shared-backup");
    private static final List<String> ORGANIZATION_PROJECTS = List.of("org-security", "org-audit-logs");

    /**
     * A folder before ids are drawn.
     *
     * @param key       the path of display names from the top, such as {@code production/payments/apps}
     * @param parentKey the key of the parent folder, or null for a folder directly under the organization
     */
    record FolderSlot(String key, String displayName, String parentKey) {
    }

    /**
     * A project before ids are drawn.
     *
     * @param baseName        the project id without its random suffix
     * @param folderKey       the folder the project sits in, or null for a project directly under the organization
     * @param serviceAccounts the project's service accounts, its default account included
     */
    record ProjectSlot(int index, String baseName, String folderKey, boolean sandbox, double weight,
                       int serviceAccounts, int buckets, int secrets, int datasets, int topics, int instances,
                       int functions) {

        int policyResources() {
            return buckets + secrets + datasets + topics;
        }
    }

    final GcpTier sizes;
    final List<FolderSlot> folders = new ArrayList<>();
    final List<ProjectSlot> projects = new ArrayList<>();

    private GcpLayout(GcpTier sizes) {
        this.sizes = sizes;
    }

    /** Returns the layout of {@code tier}, or null for a tier without a GCP part. */
    static GcpLayout of(Tier tier) {
        return GcpTier.of(tier).map(GcpLayout::of).orElse(null);
    }

    static GcpLayout of(GcpTier sizes) {
        GcpLayout layout = new GcpLayout(sizes);
        List<String> leaves = layout.addFolders();
        layout.addProjects(leaves);
        return layout;
    }

    /** Adds the folder tree and returns the keys of the team folders that hold projects, Production first. */
    private List<String> addFolders() {
        folders.add(new FolderSlot("production", "Production", null));
        folders.add(new FolderSlot("non-production", "Non-Production", null));
        folders.add(new FolderSlot("shared", "Shared", null));
        folders.add(new FolderSlot("sandbox", "Sandbox", null));
        List<String> leaves = new ArrayList<>();
        for (String environment : List.of("production", "non-production")) {
            for (String team : TEAMS.subList(0, sizes.teams())) {
                String teamKey = environment + "/" + team;
                folders.add(new FolderSlot(teamKey, team, environment));
                if (!sizes.componentFolders()) {
                    leaves.add(teamKey);
                    continue;
                }
                for (String component : List.of("apps", "data")) {
                    folders.add(new FolderSlot(teamKey + "/" + component, component, teamKey));
                    leaves.add(teamKey + "/" + component);
                }
            }
        }
        return leaves;
    }

    private void addProjects(List<String> leaves) {
        int total = sizes.projects();
        int atOrganization = total >= 100 ? 2 : 1;
        int shared = Math.max(1, (int) Math.round(0.05 * total));
        int sandboxes = Math.max(1, (int) Math.round(0.10 * total));
        int perLeaf = total - atOrganization - shared - sandboxes;

        record Placement(String baseName, String folderKey, boolean sandbox) {
        }
        List<Placement> placements = new ArrayList<>();
        for (int i = 0; i < atOrganization; i++) {
            placements.add(new Placement(ORGANIZATION_PROJECTS.get(i), null, false));
        }
        for (int i = 0; i < shared; i++) {
            String name = i < SHARED_PROJECTS.size() ? SHARED_PROJECTS.get(i) : "shared-" + (i + 1);
            placements.add(new Placement(name, "shared", false));
        }
        for (int i = 0; i < sandboxes; i++) {
            placements.add(new Placement(String.format("sandbox-%03d", i + 1), "sandbox", true));
        }
        int[] inLeaf = new int[leaves.size()];
        for (int i = 0; i < perLeaf; i++) {
            int leaf = i % leaves.size();
            inLeaf[leaf]++;
            placements.add(new Placement(leafProjectName(leaves.get(leaf), inLeaf[leaf]), leaves.get(leaf), false));
        }

        double[] weights = new double[total];
        for (int i = 0; i < total; i++) {
            int rank = (int) ((long) i * RANK_STRIDE % total);
            weights[i] = 1.0 / StrictMath.pow(rank + 1, PROJECT_SIZE_EXPONENT) * (placements.get(i).sandbox() ? SANDBOX_WEIGHT : 1);
        }
        // Every project has its Compute Engine default account; the others follow the weights.
        int[] accounts = Tier.apportionCapped(sizes.serviceAccounts() - total, weights, MAX_SERVICE_ACCOUNTS_PER_PROJECT - 1);
        int[] buckets = Tier.apportion(sizes.buckets(), weights);
        int[] secrets = Tier.apportion(sizes.secrets(), weights);
        int[] datasets = Tier.apportion(sizes.datasets(), weights);
        int[] topics = Tier.apportion(sizes.topics(), weights);
        int[] instances = Tier.apportion(sizes.instances(), weights);
        int[] functions = Tier.apportion(sizes.functions(), weights);
        for (int i = 0; i < total; i++) {
            Placement placement = placements.get(i);
            projects.add(new ProjectSlot(i, placement.baseName(), placement.folderKey(), placement.sandbox(), weights[i],
                    accounts[i] + 1, buckets[i], secrets[i], datasets[i], topics[i], instances[i], functions[i]));
        }
    }

    /** Returns {@code payments-prod}, {@code payments-prod-2}, or in L {@code payments-apps-prod}, for the n-th project of a leaf. */
    private static String leafProjectName(String leafKey, int n) {
        String[] parts = leafKey.split("/");
        String environment = parts[0].equals("production") ? "prod" : "dev";
        String name = parts.length == 3 ? parts[1] + "-" + parts[2] + "-" + environment : parts[1] + "-" + environment;
        return n == 1 ? name : name + "-" + n;
    }
}
