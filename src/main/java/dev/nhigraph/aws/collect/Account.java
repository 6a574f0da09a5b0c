package dev.nhigraph.aws.collect;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * An account to collect and the credentials to collect it with: the caller's own, or those of the role assumed in it.
 *
 * @param partition the ARN partition, such as {@code aws}
 */
record Account(String id, String partition, AwsCredentialsProvider credentials) {
}
