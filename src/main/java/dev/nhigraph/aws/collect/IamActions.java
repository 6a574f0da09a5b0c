package dev.nhigraph.aws.collect;

import java.util.Locale;
import java.util.Map;

/** Maps an SDK call to the IAM action that authorises it. */
final class IamActions {

    /** Operations whose IAM action is not named like the operation. */
    private static final Map<String, String> RENAMED = Map.of("s3:ListBuckets", "s3:ListAllMyBuckets");

    private IamActions() {
    }

    /**
     * Returns the action of {@code SERVICE:OPERATION} as the SDK names them (such as {@code SecretsManager:ListSecrets}):
     * the service prefix is the SDK's service name in lower case without separators, which matches the IAM prefix of
     * every service that the collector calls.
     */
    static String of(String serviceAndOperation) {
        int colon = serviceAndOperation.indexOf(':');
        String service = serviceAndOperation.substring(0, colon).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        String action = service + ":" + serviceAndOperation.substring(colon + 1);
        return RENAMED.getOrDefault(action, action);
    }
}
