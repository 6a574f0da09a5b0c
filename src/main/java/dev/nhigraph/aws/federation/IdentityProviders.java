package dev.nhigraph.aws.federation;

import dev.nhigraph.aws.IamModel.SkippedItem;
import java.util.List;
import java.util.Set;

/**
 * The identity providers of a bundle.
 *
 * @param providers      every provider read
 * @param listedAccounts the accounts whose provider lists the bundle holds, so that a provider which a trust policy
 *                       names and the list lacks is known not to exist there
 * @param skipped        items that could not be read
 */
public record IdentityProviders(List<IdentityProvider> providers, Set<String> listedAccounts, List<SkippedItem> skipped) {

    public static final IdentityProviders NONE = new IdentityProviders(List.of(), Set.of(), List.of());

    public boolean isEmpty() {
        return providers.isEmpty() && listedAccounts.isEmpty();
    }
}
