package dev.nhigraph.aws.collect;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Builds and caches the SDK clients of a run, one per account, region and service, all on one HTTP connection pool.
 * They share the same limits: a timeout per call and per attempt, and bounded retries with exponential backoff and
 * full jitter for throttling and 5xx errors, which are the SDK's standard retry conditions.
 */
final class AwsClients implements AutoCloseable {

    /** The region of the global services (IAM, Organizations, STS, S3's ListBuckets) in the aws partition. */
    static final Region GLOBAL_REGION = Region.US_EAST_1;

    private static final Duration BASE_DELAY = Duration.ofMillis(200);
    private static final Duration MAX_DELAY = Duration.ofSeconds(20);

    private final CollectSettings settings;
    private final CallJournal journal;
    private final SdkHttpClient http;
    private final Map<String, SdkClient> clients = new ConcurrentHashMap<>();

    AwsClients(CollectSettings settings, CallJournal journal) {
        this.settings = settings;
        this.journal = journal;
        this.http = ApacheHttpClient.builder()
                .maxConnections(Math.max(10, settings.parallelism() * 2))
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(settings.attemptTimeout())
                .build();
    }

    /**
     * Returns the region that serves the global services of an ARN partition: cn-north-1 for aws-cn, us-gov-west-1
     * for aws-us-gov, and us-east-1 for aws and any other.
     */
    static Region globalRegion(String partition) {
        return switch (partition) {
            case "aws-cn" -> Region.CN_NORTH_1;
            case "aws-us-gov" -> Region.US_GOV_WEST_1;
            // NOTE: the isolated partitions (aws-iso, aws-iso-b) are not mapped, so their accounts are called in us-east-1.
            default -> GLOBAL_REGION;
        };
    }

    /** Returns the global-services region of the account's partition. */
    static Region globalRegion(Account account) {
        return globalRegion(account.partition());
    }

    IamClient iam(Account account) {
        Region region = globalRegion(account);
        return cached(account, region, "iam", () -> configure(IamClient.builder(), account, region));
    }

    /**
     * Returns the STS client of the caller's credentials, in {@code region}: before the caller's partition is known,
     * the region of the environment or profile, so that credentials of aws-cn or aws-us-gov reach their own STS.
     */
    StsClient sts(AwsCredentialsProvider credentials, Region region) {
        return cached("caller", region, "sts", () -> configure(StsClient.builder(), credentials, region));
    }

    OrganizationsClient organizations(Account account) {
        Region region = globalRegion(account);
        return cached(account, region, "organizations", () -> configure(OrganizationsClient.builder(), account, region));
    }

    S3Client s3(Account account, Region region) {
        // A test server or VPC endpoint takes the bucket in the path. Against AWS, a bucket that ListBuckets gives
        // without its region is followed to its region on the 301 that S3 returns.
        boolean overridden = settings.endpoint() != null;
        return cached(account, region, "s3", () -> configure(S3Client.builder().forcePathStyle(overridden)
                .crossRegionAccessEnabled(!overridden), account, region));
    }

    Ec2Client ec2(Account account, Region region) {
        return cached(account, region, "ec2", () -> configure(Ec2Client.builder(), account, region));
    }

    KmsClient kms(Account account, Region region) {
        return cached(account, region, "kms", () -> configure(KmsClient.builder(), account, region));
    }

    SecretsManagerClient secretsManager(Account account, Region region) {
        return cached(account, region, "secretsmanager", () -> configure(SecretsManagerClient.builder(), account, region));
    }

    SqsClient sqs(Account account, Region region) {
        return cached(account, region, "sqs", () -> configure(SqsClient.builder(), account, region));
    }

    SnsClient sns(Account account, Region region) {
        return cached(account, region, "sns", () -> configure(SnsClient.builder(), account, region));
    }

    LambdaClient lambda(Account account, Region region) {
        return cached(account, region, "lambda", () -> configure(LambdaClient.builder(), account, region));
    }

    EcrClient ecr(Account account, Region region) {
        return cached(account, region, "ecr", () -> configure(EcrClient.builder(), account, region));
    }

    EcsClient ecs(Account account, Region region) {
        return cached(account, region, "ecs", () -> configure(EcsClient.builder(), account, region));
    }

    @SuppressWarnings("unchecked")
    private <C extends SdkClient> C cached(Account account, Region region, String service, Supplier<C> build) {
        return cached(account.id(), region, service, build);
    }

    @SuppressWarnings("unchecked")
    private <C extends SdkClient> C cached(String account, Region region, String service, Supplier<C> build) {
        return (C) clients.computeIfAbsent(account + "/" + region.id() + "/" + service, key -> build.get());
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C configure(B builder, Account account,
                                                                                        Region region) {
        return configure(builder, account.credentials(), region);
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C configure(
            B builder, AwsCredentialsProvider credentials, Region region) {
        builder.credentialsProvider(credentials)
                .region(region)
                .httpClient(http)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(settings.callTimeout())
                        .apiCallAttemptTimeout(settings.attemptTimeout())
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(settings.maxAttempts())
                                .backoffStrategy(BackoffStrategy.exponentialDelay(BASE_DELAY, MAX_DELAY))
                                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(BASE_DELAY, MAX_DELAY))
                                // The token bucket would stop retrying throttled calls in a large parallel run, where
                                // throttling is expected and the backoff alone bounds the load.
                                .circuitBreakerEnabled(false)
                                .build())
                        .addExecutionInterceptor(journal)
                        .build());
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder.build();
    }

    @Override
    public void close() {
        clients.values().forEach(SdkClient::close);
        http.close();
    }
}
