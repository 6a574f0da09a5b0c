package dev.nhigraph.generate.gcp;

import dev.nhigraph.generate.Tier;
import java.util.Optional;

/**
 * The sizes of the GCP organisation of a tier. Every count here is exact for every seed and includes the planted
 * principals and grants. The seed changes names, ids and which member gets which role.
 *
 * @param projects        projects, each with its Compute Engine default service account
 * @param serviceAccounts service accounts, default accounts included
 * @param grants          IAM grants, one per member, role and resource; a binding with three members is three grants
 * @param teams           teams with a folder under Production and one under Non-Production
 * @param componentFolders whether each team folder has the sub-folders {@code apps} and {@code data}
 * @param customRoles     custom roles of the organization and of projects, the planted ones included
 * @param buckets         Cloud Storage buckets, each with an IAM policy
 * @param secrets         Secret Manager secrets
 * @param datasets        BigQuery datasets
 * @param topics          Pub/Sub topics
 * @param instances       Compute Engine instances, listed as resources only
 * @param functions       Cloud Functions, listed as resources only
 * @param repetitions     how many times the planted paths and decoys are repeated
 * @param publicBuckets   buckets that grant roles/storage.objectViewer to allUsers
 */
public record GcpTier(int projects, int serviceAccounts, int grants, int teams, boolean componentFolders,
                      int customRoles, int buckets, int secrets, int datasets, int topics, int instances,
                      int functions, int repetitions, int publicBuckets) {

    /** The planted paths and decoys of one repetition; M and L repeat them 5 and 20 times. */
    static final int PATHS_PER_REPETITION = 10;
    static final int DECOYS_PER_REPETITION = 5;

    /** Returns the GCP sizes of {@code tier}, or empty for Q, which has no GCP part. */
    public static Optional<GcpTier> of(Tier tier) {
        return switch (tier) {
            case S -> Optional.of(new GcpTier(10, 150, 1_500, 2, false, 6, 20, 12, 10, 8, 12, 6, 1, 2));
            case M -> Optional.of(new GcpTier(200, 8_000, 40_000, 12, false, 40, 1_200, 600, 500, 300, 600, 300, 5, 24));
            case L -> Optional.of(new GcpTier(2_000, 80_000, 500_000, 24, true, 200, 12_000, 6_000, 5_000, 3_000,
                    6_000, 3_000, 20, 120));
            case Q -> Optional.empty();
        };
    }

    /** Returns the number of folders: four top-level folders, two per team, and the component folders below them. */
    public int folders() {
        return 4 + 2 * teams + (componentFolders ? 4 * teams : 0);
    }

    /** Returns the number of resources that search-all-resources lists: buckets, secrets, datasets, topics, instances, functions. */
    public int resources() {
        return buckets + secrets + datasets + topics + instances + functions;
    }

    public int plantedPaths() {
        return PATHS_PER_REPETITION * repetitions;
    }

    public int plantedDecoys() {
        return DECOYS_PER_REPETITION * repetitions;
    }
}
