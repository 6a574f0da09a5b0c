package dev.nhigraph.aws.bundle;

import dev.nhigraph.aws.AuthorizationDetails;
import dev.nhigraph.aws.IamModel.SkippedItem;
import dev.nhigraph.aws.compute.Workload;
import dev.nhigraph.aws.federation.IdentityProviders;
import dev.nhigraph.aws.keys.AccessKeyFacts;
import dev.nhigraph.aws.org.Organization;
import dev.nhigraph.aws.resource.ResourcePolicy;
import dev.nhigraph.aws.usage.ServiceAccess;
import dev.nhigraph.collect.CollectionGap;
import dev.nhigraph.gcp.GcpInventory;
import java.util.List;
import java.util.Objects;

/**
 * The content of an offline bundle, read whole and ready to write: the AWS part and the GCP part.
 *
 * @param iam              the merged authorization-details exports, or null when the bundle has none
 * @param organization     the AWS Organizations data, or null when the bundle has none
 * @param resourcePolicies the resource-based policies whose resource is known
 * @param accessKeys       the credential reports and access keys, never null: {@link AccessKeyFacts#NONE} when the
 *                         bundle has none; its skipped rows are also in {@code skippedFiles}
 * @param workloads        the EC2 instances, Lambda functions and ECS task definitions, with the roles they run as
 * @param identityProviders the accounts' OIDC and SAML providers, never null: {@link IdentityProviders#NONE} when
 *                         the bundle lists none
 * @param serviceAccess    the service last accessed reports whose principal the authorization details name
 * @param gcp              the GCP facts of the gcloud outputs, never null: {@link GcpInventory#empty()} when the
 *                         bundle has none; its skipped items and warnings stay in {@code gcp.skipped()} and
 *                         {@code gcp.warnings()}
 * @param skippedFiles     files of no known kind, recognised files left out whole (such as key files), and the
 *                         items of known files that were left out, each with the reason and what to do; the
 *                         skipped items of {@code iam} stay in {@code iam.skipped()}
 * @param warnings         gaps that did not stop anything from loading, such as an account without parent: those
 *                         of {@code organization.warnings()} and of the resource policies; the warnings of
 *                         {@code iam} stay in {@code iam.warnings()}
 * @param collectionGaps   the calls that a live collection could not make, from the bundle's collection-gaps.json;
 *                         empty for a bundle saved by hand
 */
public record Bundle(AuthorizationDetails iam, Organization organization, List<ResourcePolicy> resourcePolicies,
                     AccessKeyFacts accessKeys, List<Workload> workloads, IdentityProviders identityProviders,
                     List<ServiceAccess> serviceAccess, GcpInventory gcp, List<SkippedItem> skippedFiles, List<String> warnings,
                     List<CollectionGap> collectionGaps) {

    public Bundle {
        Objects.requireNonNull(accessKeys, "accessKeys is AccessKeyFacts.NONE when the bundle has no key output");
        Objects.requireNonNull(identityProviders, "identityProviders is IdentityProviders.NONE when the bundle lists none");
        Objects.requireNonNull(gcp, "gcp is GcpInventory.empty() when the bundle has no gcloud output");
    }
}
