package dev.nhigraph.aws.collect;

import dev.nhigraph.BadInputException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Credentials for a collection whose {@code --endpoint-url} is a loopback address, such as a local stub. Only
 * credentials set for the run count: the system properties {@code aws.accessKeyId} and {@code aws.secretAccessKey},
 * or the environment variables {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}, in the order of the
 * SDK's default chain. Profile files, SSO, container and instance credentials are never read, so a user's real
 * credentials are not sent to a local server by accident.
 */
public final class LocalEndpointCredentials {

    /**
     * The credentials chosen for a run.
     *
     * @param provider the provider that the SDK clients use
     * @param source   where they come from, for the line that the command prints
     * @param keyId    the access key id, which is not secret and lets the user tell a made-up key from a real one
     */
    public record Choice(AwsCredentialsProvider provider, String source, String keyId) {
    }

    private LocalEndpointCredentials() {
    }

    /**
     * Returns whether {@code endpoint} names this machine: {@code localhost}, a name under {@code .localhost}, or a
     * loopback IP literal (127.0.0.0/8, ::1). Other host names are not resolved, so they count as remote.
     */
    public static boolean isLoopback(URI endpoint) {
        String host = endpoint.getHost();
        if (host == null) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return true;
        }
        String literal = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
        boolean ipLiteral = literal.matches("\\d{1,3}(\\.\\d{1,3}){3}") || literal.contains(":");
        if (!ipLiteral) {
            return false;
        }
        try {
            // An IP literal is parsed without a DNS lookup.
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Returns the credentials set for this run, or rejects the run when none are set.
     *
     * @throws BadInputException when neither the system properties nor the environment variables contain a key
     */
    public static Choice choose(URI endpoint) {
        Choice fromProperties = resolve(SystemPropertyCredentialsProvider.create(),
                "the system properties aws.accessKeyId and aws.secretAccessKey");
        if (fromProperties != null) {
            return fromProperties;
        }
        Choice fromEnvironment = resolve(EnvironmentVariableCredentialsProvider.create(),
                "the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        if (fromEnvironment != null) {
            return fromEnvironment;
        }
        throw new BadInputException("--endpoint-url " + endpoint + " is a loopback address, so credentials are taken"
                + " only from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, not from profile files, SSO or instance"
                + " metadata, and neither is set. For a local stub, set both to made-up values, such as"
                + " AWS_ACCESS_KEY_ID=AKIDLOCALSTUB AWS_SECRET_ACCESS_KEY=made-up; to send a profile's credentials"
                + " to it on purpose, give --profile NAME.");
    }

    private static Choice resolve(AwsCredentialsProvider provider, String source) {
        try {
            AwsCredentials credentials = provider.resolveCredentials();
            return new Choice(provider, source, credentials.accessKeyId());
        } catch (SdkClientException e) {
            return null;
        }
    }
}
