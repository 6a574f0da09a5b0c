package dev.nhigraph.aws.federation;

import dev.nhigraph.db.Batches;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the accounts' identity providers onto {@code FederatedProvider} nodes, the same nodes that trust policies
 * name, with {@code registered = true} and the provider's URL, client ids, thumbprint count and dates.
 *
 * <p>For an account whose provider list the bundle holds, the account gets {@code identityProvidersListed = true},
 * and every provider of that account which the list lacks gets {@code registered = false}: a trust policy that names
 * it cannot be used until someone creates the provider.
 */
public final class IdentityProviderGraphWriter {

    private static final Logger log = LoggerFactory.getLogger(IdentityProviderGraphWriter.class);

    private final IdentityProviders providers;
    private final String snapshotId;

    public IdentityProviderGraphWriter(IdentityProviders providers, String snapshotId) {
        this.providers = providers;
        this.snapshotId = snapshotId;
    }

    /** Writes every provider and the listed accounts' marks in the caller's transaction. */
    public void writeAll(TransactionContext tx) {
        if (providers.isEmpty()) {
            return;
        }
        List<String> accounts = List.copyOf(providers.listedAccounts());
        tx.run("""
                MATCH (p:FederatedProvider) WHERE p.account IN $accounts AND p.id STARTS WITH 'arn:'
                SET p.registered = false""", Values.parameters("accounts", accounts));
        run(tx, """
                UNWIND $rows AS account
                MATCH (a:Principal {id: account}) WHERE a:AwsAccount
                SET a.identityProvidersListed = true""", accounts);

        List<Map<String, Object>> rows = new ArrayList<>();
        for (IdentityProvider provider : providers.providers()) {
            Map<String, Object> props = new HashMap<>();
            props.put("arn", provider.arn());
            props.put("name", provider.name());
            props.put("account", provider.account());
            props.put("protocol", provider.protocol());
            props.put("url", provider.url());
            props.put("clientIds", provider.clientIds().isEmpty() ? null : provider.clientIds());
            props.put("thumbprints", provider.thumbprints());
            props.put("createdAt", provider.createdAt());
            props.put("validUntil", provider.validUntil());
            props.put("registered", true);
            rows.add(Map.of("id", provider.arn(), "props", props));
        }
        run(tx, """
                UNWIND $rows AS row
                MERGE (p:Principal {id: row.id})
                ON CREATE SET p.external = true
                SET p:FederatedProvider, p += row.props, p.kind = 'FederatedProvider', p.snapshot = $snapshot""", rows);
        log.info("Loaded {} identity providers; provider lists of accounts {}", rows.size(), accounts);
    }

    private void run(TransactionContext tx, String cypher, List<?> rows) {
        Batches.unwind(tx, cypher, rows, Map.of("snapshot", snapshotId));
    }
}
