package dev.nhigraph.aws.federation;

import java.util.List;

/**
 * An OIDC or SAML identity provider registered in an AWS account.
 *
 * @param arn         the provider's ARN, the id of its FederatedProvider node
 * @param account     the account that registered it
 * @param protocol    {@code oidc} or {@code saml}
 * @param name        the URL without scheme for OIDC, the provider name for SAML
 * @param url         the URL that get-open-id-connect-provider prints, or null when only the list was read
 * @param clientIds   the audiences the OIDC provider accepts, empty when unknown
 * @param thumbprints the number of certificate thumbprints, or null when unknown
 * @param createdAt   the creation date as printed, or null
 * @param validUntil  the SAML metadata's expiry as printed, or null
 */
public record IdentityProvider(String arn, String account, String protocol, String name, String url,
                               List<String> clientIds, Integer thumbprints, String createdAt, String validUntil) {

    /** Returns this provider with the facts that {@code other}, read from another file, has and this one lacks. */
    IdentityProvider combine(IdentityProvider other) {
        return new IdentityProvider(arn, account, protocol, name, url != null ? url : other.url,
                clientIds.isEmpty() ? other.clientIds : clientIds, thumbprints != null ? thumbprints : other.thumbprints,
                createdAt != null ? createdAt : other.createdAt, validUntil != null ? validUntil : other.validUntil);
    }
}
