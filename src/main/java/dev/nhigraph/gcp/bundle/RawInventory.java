package dev.nhigraph.gcp.bundle;

import dev.nhigraph.aws.IamModel.SkippedItem;
import dev.nhigraph.gcp.GcpInventory;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The facts read from the files of a bundle, with names as the files write them.
 *
 * <p>Names are canonicalised only in {@link InventoryBuilder}, once every file has given its project numbers and
 * service-account unique ids, because a file may name a project by number before the file that maps the number
 * to the id is read. Lists keep the order the files were read in, so that the first file wins a conflict.
 */
final class RawInventory {

    /**
     * What one file states about one resource.
     *
     * @param name     the resource's name, in any form {@link dev.nhigraph.gcp.GcpNames#canonical} accepts
     * @param parent   the parent's name in any such form, or null when the file does not give it
     * @param project  the project id, or {@code projects/NUMBER}, or null
     * @param inferred whether the fact was deduced from ancestry fields, so that it only fills gaps that no file
     *                 states outright
     */
    record ResourceFact(String name, String assetType, String parent, String project, String displayName, String state,
                        String file, boolean inferred) {
    }

    /** One allow policy: the bindings read from it, on the resource as the file names it. */
    record PolicyFact(String resource, String file, String item, List<BindingFact> bindings) {
    }

    /** One binding of an allow policy; {@code index} is its position in the policy's bindings. */
    record BindingFact(String role, List<String> members, GcpInventory.Condition condition, int index) {
    }

    /**
     * One service-account key.
     *
     * @param account the account's email, or its unique id where the key name uses that
     */
    record KeyFact(String account, String keyId, String keyType, String validAfter, String validBefore, boolean disabled,
                   String keyOrigin, String file, String item) {
    }

    /**
     * One custom role.
     *
     * @param described whether the file lists the role's permissions ({@code roles describe}), or only names the
     *                  role ({@code roles list} without them)
     */
    record RoleFact(GcpInventory.Role role, boolean described) {
    }

    /**
     * One deny policy from {@code gcloud iam policies get}; the rules' attachment point is still as decoded from
     * the policy name.
     */
    record DenyPolicyFact(String policyName, String attachmentPoint, List<GcpInventory.DenyRule> rules, String file) {
    }

    /** A deny policy that {@code gcloud iam policies list} names, whose rules only {@code policies get} gives. */
    record ListedDenyPolicy(String policyName, String attachmentPoint, String file) {
    }

    /**
     * A file's statement of the service accounts a workload runs as.
     *
     * @param workload the workload's full resource name, possibly with a project number
     * @param emails   the accounts' emails; empty when the workload runs as no account
     */
    record RunsAsFact(String workload, List<String> emails, String file) {
    }

    /** A file's statement that a project number belongs to a project id. */
    record ProjectNumberFact(String number, String projectId, String file) {
    }

    private static final Logger log = LoggerFactory.getLogger(RawInventory.class);

    final List<ResourceFact> resources = new ArrayList<>();
    final List<PolicyFact> policies = new ArrayList<>();
    final List<GcpInventory.ServiceAccount> accounts = new ArrayList<>();
    final List<KeyFact> keys = new ArrayList<>();
    final List<RoleFact> roles = new ArrayList<>();
    final List<DenyPolicyFact> denyPolicies = new ArrayList<>();
    final List<ListedDenyPolicy> listedDenyPolicies = new ArrayList<>();
    final List<ProjectNumberFact> projectNumbers = new ArrayList<>();
    final List<RunsAsFact> runsAs = new ArrayList<>();
    final List<SkippedItem> skipped = new ArrayList<>();
    /** Whole files that were recognised and left out, such as key files. */
    final List<SkippedItem> skippedFiles = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    void skip(String file, String item, String reason) {
        skipped.add(new SkippedItem(file, item, reason));
        // Logged at INFO, not WARN, because the load result lists every skipped item.
        log.info("Skipped {} in {}: {}", item, file, reason);
    }

    void skipFile(String file, String reason) {
        skippedFiles.add(new SkippedItem(file, "whole file", reason));
        log.info("Skipped {}: {}", file, reason);
    }

    void warn(String warning) {
        // Not logged here: the load result lists every warning.
        warnings.add(warning);
    }

    void addProjectNumber(String number, String projectId, String file) {
        if (number != null && projectId != null && number.chars().allMatch(Character::isDigit)) {
            projectNumbers.add(new ProjectNumberFact(number, projectId, file));
        }
    }
}
