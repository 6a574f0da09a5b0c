package dev.nhigraph.aws.keys;

import dev.nhigraph.aws.IamModel.SkippedItem;
import java.util.List;

/**
 * The facts of a bundle about IAM users' sign-in and access keys: credential report rows and access keys, joined
 * as {@link AccessKeyParser} describes. Never a secret: the inputs carry key ids, status and dates only.
 *
 * @param users       one row per user of the credential reports, the root user of each account included
 * @param keys        the access keys, with their last use where an input gives it
 * @param collectedAt the latest GeneratedTime of the credential reports, as an ISO-8601 instant, or null
 * @param skipped     rows and files left out, each with the reason and what to do
 * @param warnings    gaps that did not stop anything from loading, such as a report key no listed key matches
 */
public record AccessKeyFacts(List<ReportUser> users, List<AccessKey> keys, String collectedAt,
                             List<SkippedItem> skipped, List<String> warnings) {

    public static final AccessKeyFacts NONE = new AccessKeyFacts(List.of(), List.of(), null, List.of(), List.of());

    public boolean isEmpty() {
        return users.isEmpty() && keys.isEmpty();
    }

    /**
     * One row of a credential report. Dates are ISO-8601 instants; a value the report gives as N/A,
     * no_information or not_supported is null.
     *
     * @param root true for the {@code <root_account>} row, whose arn is {@code arn:aws:iam::ACCOUNT:root}
     */
    public record ReportUser(String arn, String name, String account, boolean root, String createdAt,
                             Boolean passwordEnabled, String passwordLastUsed, String passwordLastChanged,
                             Boolean mfaActive, List<ReportKey> keys, String reportGeneratedAt) {
    }

    /** Access key 1 or 2 of a credential report row; the report gives no key id. */
    public record ReportKey(int slot, boolean active, String lastRotated, String lastUsedAt, String lastUsedRegion,
                            String lastUsedService) {
    }

    /**
     * An access key of a user, or of an account's root user when {@code userName} is null.
     *
     * @param id        the access key id (AKIA...), or for a key known only from the credential report
     *                  {@code USER_ARN#access-key-SLOT}, with {@code idKnown} false
     * @param slot      the report's key number (1 or 2) that the key was joined to, or null
     * @param lastUsedAt null when the key was never used or no input gives its use
     * @param usageKnown true when an input gives the key's use: a joined report key or get-access-key-last-used
     */
    public record AccessKey(String id, boolean idKnown, String account, String userName, String userArn, String status,
                            String createdAt, String lastUsedAt, String lastUsedService, String lastUsedRegion,
                            Integer slot, boolean usageKnown, String source) {

        public boolean root() {
            return userName == null;
        }
    }
}
