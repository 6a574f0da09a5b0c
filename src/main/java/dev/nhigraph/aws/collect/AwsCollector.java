package dev.nhigraph.aws.collect;

import dev.nhigraph.NhigraphException;
import dev.nhigraph.collect.CollectionGap;
import dev.nhigraph.collect.CollectionGapsFile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileSystemSetting;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.model.DescribeRegionsResponse;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * {@code nhigraph collect aws}: calls the read-only AWS APIs of the caller's account, and of every member account
 * when a role to assume is given, and writes each response in the AWS CLI's JSON form into an offline bundle with
 * {@code collection-gaps.json} at its root. Loading that folder is the same code path as loading an offline export.
 *
 * <p>Accounts are collected in parallel, and within an account IAM, S3 and each region in parallel; at most
 * {@link CollectSettings#parallelism()} calls are in flight at any time.
 */
public final class AwsCollector {

    /** The name of the collector in collection-gaps.json. */
    public static final String COLLECTOR = "nhigraph collect aws";

    private static final Logger log = LoggerFactory.getLogger(AwsCollector.class);

    /**
     * The counts of one run.
     *
     * @param bundle    the folder the responses were written to
     * @param accounts  the accounts collected
     * @param principals the users and roles in the accounts' authorization details
     */
    public record Result(Path bundle, List<String> accounts, int principals, int files, long calls, long retries,
                         List<CollectionGap> gaps, long millis) {

        /** Returns the summary line printed at the end of a collection. */
        public String summaryLine() {
            return "Collected " + accounts.size() + (accounts.size() == 1 ? " account" : " accounts") + ": "
                    + principals + " users and roles, " + files + " files, " + calls + " API calls, " + retries
                    + " retries, " + gaps.size() + (gaps.size() == 1 ? " gap" : " gaps") + " in " + millis + " ms";
        }
    }

    private final CollectSettings settings;
    private final AwsCredentialsProvider credentials;
    private final CallJournal journal;
    private final String version;

    /**
     * @param credentials the caller's credentials: the default chain, a profile, or static ones in tests
     * @param journal     receives every call, for the progress line and the policy test
     * @param version     the nhigraph version written to collection-gaps.json
     */
    public AwsCollector(CollectSettings settings, AwsCredentialsProvider credentials, CallJournal journal, String version) {
        this.settings = settings;
        this.credentials = credentials;
        this.journal = journal;
        this.version = version;
    }

    /**
     * Collects into {@code folder} and writes collection-gaps.json there.
     *
     * @param progress receives a line whenever an account's stage starts: accounts done, stage, calls, retries
     * @throws NhigraphException when the caller's credentials do not work (GetCallerIdentity fails)
     */
    public Result collect(Path folder, Consumer<String> progress) {
        Instant started = Instant.now();
        BundleFolder bundle = new BundleFolder(folder);
        Gaps gaps = new Gaps();
        ExecutorService accountPool = Executors.newFixedThreadPool(settings.parallelism(), daemon("nhigraph-account"));
        ExecutorService stagePool = Executors.newFixedThreadPool(settings.parallelism() * 2, daemon("nhigraph-stage"));
        ExecutorService fanOutPool = Executors.newFixedThreadPool(settings.parallelism() * 2, daemon("nhigraph-call"));
        try (AwsClients clients = new AwsClients(settings, journal)) {
            Calls calls = new Calls(gaps, settings.parallelism(), fanOutPool);
            Account caller = caller(clients);
            AtomicInteger done = new AtomicInteger();
            List<Account> accounts = new ArrayList<>();
            accounts.add(caller);
            Consumer<String> status = stage -> progress.accept("collect aws: " + done.get() + "/" + accounts.size()
                    + " accounts done, " + stage + ", " + journal.calls() + " calls, " + journal.retries() + " retries");

            status.accept("organizations " + caller.id());
            List<String> members = new OrganizationCollector(clients, calls, bundle).collect(caller);
            accounts.addAll(memberAccounts(clients, caller, members, gaps));

            IamCollector iam = new IamCollector(clients, calls, bundle, settings);
            RegionCollector regional = new RegionCollector(clients, calls, bundle);
            AtomicInteger principals = new AtomicInteger();
            List<Future<?>> accountTasks = new ArrayList<>();
            for (Account account : accounts) {
                accountTasks.add(accountPool.submit(() -> {
                    Consumer<String> accountStatus = stage -> status.accept(account.id() + " " + stage);
                    List<Future<?>> stages = new ArrayList<>();
                    stages.add(stagePool.submit(() -> {
                        accountStatus.accept("iam");
                        principals.addAndGet(iam.collect(account));
                    }));
                    stages.add(stagePool.submit(() -> {
                        accountStatus.accept("s3");
                        buckets(clients, calls, bundle, account);
                    }));
                    for (Region region : regions(clients, calls, account)) {
                        stages.add(stagePool.submit(() -> regional.collect(account, region, accountStatus)));
                    }
                    Calls.awaitAll(stages);
                    done.incrementAndGet();
                    log.info("Account {} collected ({} of {})", account.id(), done.get(), accounts.size());
                }));
            }
            Calls.awaitAll(accountTasks);

            List<CollectionGap> all = gaps.all();
            CollectionGapsFile.write(folder, COLLECTOR, version, started, Instant.now(), all);
            long millis = java.time.Duration.between(started, Instant.now()).toMillis();
            return new Result(folder, accounts.stream().map(Account::id).toList(), principals.get(), bundle.files() + 1,
                    journal.calls(), journal.retries(), all, millis);
        } finally {
            accountPool.shutdownNow();
            stagePool.shutdownNow();
            fanOutPool.shutdownNow();
        }
    }

    /**
     * Returns the region to ask STS who the caller is: AWS_REGION or aws.region, else the profile's region, else
     * us-east-1. Instance metadata is not asked, so a run off EC2 does not wait for it. With --endpoint-url the
     * region only signs the requests.
     */
    private Region callerRegion() {
        if (settings.endpoint() != null) {
            return AwsClients.GLOBAL_REGION;
        }
        AwsRegionProviderChain chain = new AwsRegionProviderChain(new SystemSettingsRegionProvider(),
                new AwsProfileRegionProvider(ProfileFile::defaultProfileFile,
                        settings.profile() == null ? ProfileFileSystemSetting.AWS_PROFILE.getStringValueOrThrow() : settings.profile()));
        try {
            return chain.getRegion();
        } catch (SdkClientException e) {
            return AwsClients.GLOBAL_REGION;
        }
    }

    /** Names where the caller's credentials come from, as the command line chose them. */
    private String credentialSource() {
        if (settings.profile() != null) {
            return "of profile " + settings.profile();
        }
        if (settings.endpoint() != null && LocalEndpointCredentials.isLoopback(settings.endpoint())) {
            return "of the environment (AWS_ACCESS_KEY_ID, or the aws.accessKeyId system property)";
        }
        return "of the default chain";
    }

    private Account caller(AwsClients clients) {
        StsClient sts = clients.sts(credentials, callerRegion());
        GetCallerIdentityResponse identity;
        try {
            identity = sts.getCallerIdentity();
        } catch (AwsServiceException e) {
            throw new NhigraphException("sts:GetCallerIdentity failed, so the AWS credentials " + credentialSource()
                    + " do not work: " + e.getMessage() + ". Check them with `aws sts get-caller-identity`"
                    + (settings.profile() == null ? "" : " --profile " + settings.profile()) + ".", e);
        } catch (SdkException e) {
            throw new NhigraphException("sts:GetCallerIdentity failed before AWS responded: " + e.getMessage()
                    + ". Check the network path to STS" + (settings.endpoint() == null ? "" : " at --endpoint-url "
                    + settings.endpoint()) + ", and that credentials are configured (`aws sts get-caller-identity`).", e);
        }
        String partition = identity.arn().split(":", 3)[1];
        log.info("Collecting as {} in account {}", identity.arn(), identity.account());
        return new Account(identity.account(), partition, credentials);
    }

    /**
     * Assumes the role in each member account other than the caller's: the accounts of --accounts, or else the
     * organisation's active accounts. An account where the role cannot be assumed is a gap and is left out.
     */
    private List<Account> memberAccounts(AwsClients clients, Account caller, List<String> organisationAccounts, Gaps gaps) {
        if (settings.assumeRoleName() == null) {
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>(settings.accounts().isEmpty() ? organisationAccounts : settings.accounts());
        ids.remove(caller.id());
        StsClient sts = clients.sts(credentials, AwsClients.globalRegion(caller));
        List<Account> accounts = new ArrayList<>();
        for (String id : ids) {
            String roleArn = "arn:" + caller.partition() + ":iam::" + id + ":role/" + settings.assumeRoleName();
            StsAssumeRoleCredentialsProvider provider = StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(sts)
                    .refreshRequest(request -> request.roleArn(roleArn).roleSessionName("nhigraph-collect"))
                    .build();
            // The first assumption is made here, so a role that cannot be assumed is one gap, not one per call.
            Optional<Object> assumed = gaps.call(id, null, "sts", "AssumeRole", () -> {
                provider.resolveCredentials();
                return Boolean.TRUE;
            });
            if (assumed.isPresent()) {
                accounts.add(new Account(id, caller.partition(), provider));
            } else {
                provider.close();
            }
        }
        log.info("Assumed {} in {} of {} member accounts", settings.assumeRoleName(), accounts.size(), ids.size());
        return accounts;
    }

    /** Returns --regions, or the regions enabled in the account; the global region alone when they cannot be listed. */
    private List<Region> regions(AwsClients clients, Calls calls, Account account) {
        if (!settings.regions().isEmpty()) {
            return settings.regions().stream().map(Region::of).toList();
        }
        Optional<DescribeRegionsResponse> regions = calls.one(account.id(), null, "ec2", "DescribeRegions",
                () -> clients.ec2(account, AwsClients.globalRegion(account)).describeRegions());
        if (regions.isEmpty()) {
            log.warn("Account {}: the enabled regions are unknown, so only {} is collected; give --regions to name them",
                    account.id(), AwsClients.globalRegion(account).id());
            return List.of(AwsClients.globalRegion(account));
        }
        return regions.get().regions().stream().map(region -> Region.of(region.regionName())).toList();
    }

    /** Collects every bucket's policy; each bucket is asked in its own region where ListBuckets names it. */
    private static void buckets(AwsClients clients, Calls calls, BundleFolder bundle, Account account) {
        Optional<com.fasterxml.jackson.databind.node.ObjectNode> list = calls.allPages(account.id(), null, "s3",
                "ListBuckets", token -> clients.s3(account, AwsClients.globalRegion(account))
                        .listBuckets(request -> request.continuationToken(token)),
                ListBucketsResponse::continuationToken);
        List<com.fasterxml.jackson.databind.JsonNode> buckets = new ArrayList<>();
        list.ifPresent(json -> json.path("Buckets").forEach(buckets::add));
        calls.forEach(buckets, bucket -> {
            String name = bucket.path("Name").asText();
            Region region = bucket.hasNonNull("BucketRegion") ? Region.of(bucket.path("BucketRegion").asText())
                    : AwsClients.globalRegion(account);
            calls.one(account.id(), null, "s3", "GetBucketPolicy", () -> {
                        try {
                            return clients.s3(account, region).getBucketPolicy(request -> request.bucket(name));
                        } catch (S3Exception e) {
                            if (e.awsErrorDetails() != null && "NoSuchBucketPolicy".equals(e.awsErrorDetails().errorCode())) {
                                return null;
                            }
                            throw e;
                        }
                    })
                    .ifPresent(policy -> bundle.write(CliJson.of(policy), "resource-policies", "s3", account.id(),
                            name + ".json"));
        });
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
