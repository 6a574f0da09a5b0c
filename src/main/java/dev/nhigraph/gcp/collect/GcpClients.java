package dev.nhigraph.gcp.collect;

import com.google.api.core.ApiFunction;
import com.google.api.gax.core.BackgroundResource;
import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.httpjson.InstantiatingHttpJsonChannelProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ClientContext;
import com.google.api.gax.rpc.ClientSettings;
import com.google.api.gax.rpc.UnaryCallSettings;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ImpersonatedCredentials;
import com.google.cloud.asset.v1.AssetServiceClient;
import com.google.cloud.asset.v1.AssetServiceSettings;
import com.google.cloud.iam.admin.v1.stub.IAMStubSettings;
import com.google.cloud.resourcemanager.v3.FoldersClient;
import com.google.cloud.resourcemanager.v3.FoldersSettings;
import com.google.cloud.resourcemanager.v3.OrganizationsClient;
import com.google.cloud.resourcemanager.v3.OrganizationsSettings;
import com.google.cloud.resourcemanager.v3.ProjectsClient;
import com.google.cloud.resourcemanager.v3.ProjectsSettings;
import dev.nhigraph.NhigraphException;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * The Google API clients of one collection, all over HTTP/JSON, with gax's own retries turned off because
 * {@link CallRunner} retries and counts them, and a timeout on every call.
 *
 * <p>Credentials are Application Default Credentials, optionally impersonating a service account. With an
 * endpoint URL the clients send no credentials at all, so a test can never pick up a developer's ADC or ask the
 * metadata server for a token.
 */
final class GcpClients implements AutoCloseable {

    private static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";
    private static final int IMPERSONATION_LIFETIME_SECONDS = 3600;

    final AssetServiceClient asset;
    final OrganizationsClient organizations;
    final FoldersClient folders;
    final ProjectsClient projects;
    final IamAdminRest iam;
    private final ClientContext iamContext;

    private GcpClients(AssetServiceClient asset, OrganizationsClient organizations, FoldersClient folders,
                       ProjectsClient projects, IamAdminRest iam, ClientContext iamContext) {
        this.iamContext = iamContext;
        this.asset = asset;
        this.organizations = organizations;
        this.folders = folders;
        this.projects = projects;
        this.iam = iam;
    }

    static GcpClients create(GcpCollectSettings settings) {
        return create(settings, credentials(settings));
    }

    /** Creates the clients with the given credentials, which tests give in place of Application Default Credentials. */
    static GcpClients create(GcpCollectSettings settings, CredentialsProvider credentials) {
        RetrySettings singleAttempt = RetrySettings.newBuilder()
                .setMaxAttempts(1)
                .setTotalTimeoutDuration(settings.callTimeout())
                .setInitialRpcTimeoutDuration(settings.callTimeout())
                .setMaxRpcTimeoutDuration(settings.callTimeout())
                .setRpcTimeoutMultiplier(1.0)
                .build();
        ApiFunction<UnaryCallSettings.Builder<?, ?>, Void> noRetries = method -> {
            method.setRetryableCodes(Set.of()).setRetrySettings(singleAttempt);
            return null;
        };
        try {
            AssetServiceClient asset = AssetServiceClient.create(configure(AssetServiceSettings.newHttpJsonBuilder(),
                    settings, credentials).applyToAllUnaryMethods(noRetries).build());
            OrganizationsClient organizations = OrganizationsClient.create(configure(
                    OrganizationsSettings.newHttpJsonBuilder(), settings, credentials).applyToAllUnaryMethods(noRetries).build());
            FoldersClient folders = FoldersClient.create(configure(FoldersSettings.newHttpJsonBuilder(), settings,
                    credentials).applyToAllUnaryMethods(noRetries).build());
            ProjectsClient projects = ProjectsClient.create(configure(ProjectsSettings.newHttpJsonBuilder(), settings,
                    credentials).applyToAllUnaryMethods(noRetries).build());
            ClientContext iamContext = iamContext(settings, credentials);
            UnaryCallSettings<?, ?> iamCalls = UnaryCallSettings.newUnaryCallSettingsBuilder()
                    .setRetryableCodes(Set.of())
                    .setRetrySettings(singleAttempt)
                    .build();
            return new GcpClients(asset, organizations, folders, projects, new IamAdminRest(iamContext, iamCalls), iamContext);
        } catch (IOException e) {
            throw new NhigraphException("Could not create the Google API clients: " + e.getMessage()
                    + ". Check the credentials (gcloud auth application-default login) and try again.", e);
        }
    }

    private static <S extends ClientSettings<S>, B extends ClientSettings.Builder<S, B>> B configure(
            B builder, GcpCollectSettings settings, CredentialsProvider credentials) {
        builder.setCredentialsProvider(credentials);
        if (settings.endpointUrl() != null) {
            builder.setEndpoint(settings.endpointUrl());
        }
        return builder;
    }

    private static ClientContext iamContext(GcpCollectSettings settings, CredentialsProvider credentials)
            throws IOException {
        IAMStubSettings.Builder stubSettings = IAMStubSettings.newBuilder()
                .setTransportChannelProvider(InstantiatingHttpJsonChannelProvider.newBuilder().build())
                .setCredentialsProvider(credentials);
        if (settings.endpointUrl() != null) {
            stubSettings.setEndpoint(settings.endpointUrl());
        }
        return ClientContext.create(stubSettings.build());
    }

    // NOTE: the lookup of Application Default Credentials has not run in tests, which never look up credentials.
    // Impersonation runs in GcpImpersonationTest with a fixed source token and the IAM Credentials API on 127.0.0.1.
    private static CredentialsProvider credentials(GcpCollectSettings settings) {
        if (settings.endpointUrl() != null) {
            return NoCredentialsProvider.create();
        }
        try {
            GoogleCredentials source = GoogleCredentials.getApplicationDefault().createScoped(List.of(CLOUD_PLATFORM));
            return impersonating(source, settings.impersonateServiceAccount(), null);
        } catch (IOException e) {
            throw new NhigraphException("No Application Default Credentials: " + e.getMessage()
                    + ". Run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS, and try again.", e);
        }
    }

    /**
     * Returns the source credentials, or credentials that act as {@code serviceAccount} through the IAM Credentials
     * API's generateAccessToken when it is given. {@code generateAccessTokenUrl} replaces that API's address for the
     * account, or is null for Google's own.
     */
    static CredentialsProvider impersonating(GoogleCredentials source, String serviceAccount, String generateAccessTokenUrl) {
        if (serviceAccount == null) {
            return FixedCredentialsProvider.create(source);
        }
        ImpersonatedCredentials.Builder impersonated = ImpersonatedCredentials.newBuilder()
                .setSourceCredentials(source)
                .setTargetPrincipal(serviceAccount)
                .setScopes(List.of(CLOUD_PLATFORM))
                .setLifetime(IMPERSONATION_LIFETIME_SECONDS);
        if (generateAccessTokenUrl != null) {
            impersonated.setIamEndpointOverride(generateAccessTokenUrl);
        }
        return FixedCredentialsProvider.create(impersonated.build());
    }

    @Override
    public void close() {
        asset.close();
        organizations.close();
        folders.close();
        projects.close();
        for (BackgroundResource resource : iamContext.getBackgroundResources()) {
            try {
                resource.close();
            } catch (Exception e) {
                LoggerFactory.getLogger(GcpClients.class).debug("Closing the IAM admin transport failed", e);
            }
        }
    }
}
