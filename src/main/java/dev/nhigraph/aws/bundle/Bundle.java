package dev.nhigraph.aws.bundle;

import dev.nhigraph.aws.AuthorizationDetails;
import dev.nhigraph.aws.IamModel.SkippedItem;
import dev.nhigraph.aws.org.Organization;
import dev.nhigraph.aws.resource.ResourcePolicy;
import java.util.List;

/**
 * The content of an offline bundle, read whole and ready to write.
 *
 * @param iam              the merged authorization-details exports, or null when the bundle has none
 * @param organization     the AWS Organizations data, or null when the bundle has none
 * @param resourcePolicies the resource-based policies whose resource is known
 * @param skippedFiles     files of no known kind, and the items of known files that were left out, each with
 *                         the reason and what to do; the skipped items of {@code iam} stay in {@code iam.skipped()}
 * @param warnings         gaps that did not stop anything from loading, such as an account without parent: those
 *                         of {@code organization.warnings()} and of the resource policies; the warnings of
 *                         {@code iam} stay in {@code iam.warnings()}
 */
public record Bundle(AuthorizationDetails iam, Organization organization, List<ResourcePolicy> resourcePolicies,
                     List<SkippedItem> skippedFiles, List<String> warnings) {
}
