package dev.nhigraph.aws.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.collect.CollectionGap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.CredentialReportNotPresentException;
import software.amazon.awssdk.services.iam.model.CredentialReportNotReadyException;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsResponse;
import software.amazon.awssdk.services.iam.model.GetCredentialReportResponse;
import software.amazon.awssdk.services.iam.model.GetServiceLastAccessedDetailsResponse;
import software.amazon.awssdk.services.iam.model.JobStatusType;
import software.amazon.awssdk.services.iam.model.ListAccessKeysResponse;
import software.amazon.awssdk.services.iam.model.ListOpenIdConnectProvidersResponse;

/**
 * Collects the IAM part of one account: the authorization details (every page, merged), the credential report, the
 * OIDC and SAML providers, and each user's access keys with their last use. Only key ids, dates and status are read, never key material.
 */
final class IamCollector {

    /** A user or role whose service last accessed report is requested; {@code kind} is its folder in the layout. */
    private record ReportSubject(String kind, String name, String arn) {
    }

    /** The page size of GetAccountAuthorizationDetails: the API's maximum, so 5,000 roles take a few pages. */
    private static final int DETAILS_PAGE_SIZE = 1000;

    private static final Logger log = LoggerFactory.getLogger(IamCollector.class);

    private final AwsClients clients;
    private final Calls calls;
    private final BundleFolder bundle;
    private final CollectSettings settings;

    IamCollector(AwsClients clients, Calls calls, BundleFolder bundle, CollectSettings settings) {
        this.clients = clients;
        this.calls = calls;
        this.bundle = bundle;
        this.settings = settings;
    }

    /** Collects the account's IAM data and returns the number of principals in its authorization details. */
    int collect(Account account) {
        IamClient iam = clients.iam(account);
        Optional<ObjectNode> details = calls.allPages(account.id(), null, "iam", "GetAccountAuthorizationDetails",
                marker -> iam.getAccountAuthorizationDetails(request -> request.maxItems(DETAILS_PAGE_SIZE).marker(marker)),
                GetAccountAuthorizationDetailsResponse::marker);
        List<String> users = new ArrayList<>();
        List<ReportSubject> reportSubjects = new ArrayList<>();
        int principals = 0;
        if (details.isPresent()) {
            CliJson.decodeIamDocuments(details.get());
            bundle.write(details.get(), "iam", "authorization-details-" + account.id() + ".json");
            details.get().path("UserDetailList").forEach(user -> users.add(user.path("UserName").asText()));
            details.get().path("UserDetailList").forEach(user -> reportSubjects.add(
                    new ReportSubject("user", user.path("UserName").asText(), user.path("Arn").asText())));
            details.get().path("RoleDetailList").forEach(role -> reportSubjects.add(
                    new ReportSubject("role", role.path("RoleName").asText(), role.path("Arn").asText())));
            principals = users.size() + details.get().path("RoleDetailList").size();
            log.info("Account {}: authorization details of {} users, {} roles and {} groups", account.id(), users.size(),
                    details.get().path("RoleDetailList").size(), details.get().path("GroupDetailList").size());
        }

        credentialReport(account, iam);
        identityProviders(account, iam);

        calls.forEach(users, user -> accessKeys(account, iam, user));
        if (settings.serviceLastAccessed()) {
            serviceLastAccessed(account, iam, reportSubjects);
        }
        return principals;
    }

    /**
     * Asks IAM to generate the credential report and polls for it a bounded number of times. A report that is not
     * ready by then is a timeout gap.
     */
    private void credentialReport(Account account, IamClient iam) {
        if (calls.one(account.id(), null, "iam", "GenerateCredentialReport", iam::generateCredentialReport).isEmpty()) {
            return;
        }
        for (int poll = 0; poll < settings.reportPolls(); poll++) {
            AtomicBoolean notReady = new AtomicBoolean();
            Optional<GetCredentialReportResponse> report = calls.one(account.id(), null, "iam", "GetCredentialReport",
                    () -> {
                        try {
                            return iam.getCredentialReport();
                        } catch (CredentialReportNotReadyException | CredentialReportNotPresentException e) {
                            notReady.set(true);
                            return null;
                        }
                    });
            if (report.isPresent()) {
                bundle.write(CliJson.of(report.get()), "iam", "credential-report-" + account.id() + ".json");
                return;
            }
            if (!notReady.get()) {
                return;
            }
            sleep(settings.reportPollInterval());
        }
        Duration waited = settings.reportPollInterval().multipliedBy(settings.reportPolls());
        calls.gaps().record(new CollectionGap("aws", account.id(), null, "iam", "GetCredentialReport",
                CollectionGap.Reason.TIMEOUT, "the credential report was not ready after " + settings.reportPolls()
                + " polls in " + waited.toSeconds() + " s; run the collection again in a few minutes"));
    }

    /**
     * Lists the account's OIDC and SAML providers and reads each OIDC provider's URL, client ids and thumbprint
     * count, so that a trust naming a provider the account does not have is reported.
     */
    private void identityProviders(Account account, IamClient iam) {
        Optional<ListOpenIdConnectProvidersResponse> oidc = calls.one(account.id(), null, "iam",
                "ListOpenIDConnectProviders", iam::listOpenIDConnectProviders);
        if (oidc.isPresent()) {
            bundle.write(CliJson.of(oidc.get()), "iam", "oidc-providers-" + account.id() + ".json");
            for (var provider : oidc.get().openIDConnectProviderList()) {
                String arn = provider.arn();
                calls.one(account.id(), null, "iam", "GetOpenIDConnectProvider",
                                () -> iam.getOpenIDConnectProvider(request -> request.openIDConnectProviderArn(arn)))
                        .ifPresent(details -> bundle.write(CliJson.of(details), "iam", "oidc-providers", account.id(),
                                arn.substring(arn.indexOf(":oidc-provider/") + ":oidc-provider/".length())
                                        .replaceAll("[^A-Za-z0-9._-]", "_") + ".json"));
            }
        }
        calls.one(account.id(), null, "iam", "ListSAMLProviders", iam::listSAMLProviders)
                .ifPresent(saml -> bundle.write(CliJson.of(saml), "iam", "saml-providers-" + account.id() + ".json"));
    }

    /**
     * Requests IAM's service last accessed report of every user and role and polls for each a bounded number of
     * times. A report that is not ready by then is a timeout gap for that principal.
     */
    private void serviceLastAccessed(Account account, IamClient iam, List<ReportSubject> principals) {
        calls.forEach(principals, principal -> {
            String arn = principal.arn();
            Optional<String> job = calls.one(account.id(), null, "iam", "GenerateServiceLastAccessedDetails",
                    () -> iam.generateServiceLastAccessedDetails(request -> request.arn(arn)).jobId());
            if (job.isEmpty()) {
                return;
            }
            for (int poll = 0; poll < settings.reportPolls(); poll++) {
                Optional<GetServiceLastAccessedDetailsResponse> report = calls.one(account.id(), null, "iam",
                        "GetServiceLastAccessedDetails", () -> iam.getServiceLastAccessedDetails(request -> request.jobId(job.get())));
                if (report.isEmpty() || report.get().jobStatus() == JobStatusType.FAILED) {
                    return;
                }
                if (report.get().jobStatus() == JobStatusType.COMPLETED) {
                    bundle.write(CliJson.of(report.get()), "iam", "service-last-accessed", account.id(), principal.kind(), principal.name() + ".json");
                    return;
                }
                sleep(settings.reportPollInterval());
            }
            calls.gaps().record(new CollectionGap("aws", account.id(), null, "iam", "GetServiceLastAccessedDetails",
                    CollectionGap.Reason.TIMEOUT, "the service last accessed report of " + arn + " was not ready after "
                    + settings.reportPolls() + " polls; run the collection again"));
        });
    }

    private void accessKeys(Account account, IamClient iam, String user) {
        Optional<ListAccessKeysResponse> keys = calls.one(account.id(), null, "iam", "ListAccessKeys",
                () -> iam.listAccessKeys(request -> request.userName(user)));
        if (keys.isEmpty()) {
            return;
        }
        JsonNode json = CliJson.of(keys.get());
        bundle.write(json, "iam", "access-keys", account.id(), user + ".json");
        for (var key : keys.get().accessKeyMetadata()) {
            calls.one(account.id(), null, "iam", "GetAccessKeyLastUsed",
                            () -> iam.getAccessKeyLastUsed(request -> request.accessKeyId(key.accessKeyId())))
                    .ifPresent(lastUsed -> bundle.write(CliJson.of(lastUsed), "iam", "access-key-last-used",
                            account.id(), key.accessKeyId() + ".json"));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Collection was interrupted while waiting for the credential report", e);
        }
    }
}
