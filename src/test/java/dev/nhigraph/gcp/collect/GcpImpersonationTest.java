package dev.nhigraph.gcp.collect;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collection with {@code --impersonate-service-account}: the collector trades its own token for the service
 * account's at the IAM Credentials API's generateAccessToken, and calls every Google API with the service account's
 * token. The source credentials are a fixed token, so nothing looks up Application Default Credentials, and both the
 * IAM Credentials API and the other APIs are WireMock on 127.0.0.1.
 */
class GcpImpersonationTest {

    private static final String COLLECTOR = "nhigraph-collector@security-tools.iam.gserviceaccount.com";
    private static final String GENERATE_PATH = "/v1/projects/-/serviceAccounts/" + COLLECTOR + ":generateAccessToken";
    private static final String SOURCE_TOKEN = "source-token-for-test";
    private static final String COLLECTOR_TOKEN = "impersonated-token-for-test";

    @TempDir
    Path bundle;

    private WireMockServer server;

    @BeforeEach
    void startServer() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        GcpApiStub.serveExport(server);
        server.stubFor(post(urlPathEqualTo(GENERATE_PATH)).willReturn(okJson("{\"accessToken\": \"" + COLLECTOR_TOKEN
                + "\", \"expireTime\": \"" + Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS) + "\"}")));
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    @Test
    void impersonation_callsApisAsServiceAccount() {
        String base = "http://127.0.0.1:" + server.port();
        GcpCollectSettings settings = GcpCollectSettings.of(GcpApiStub.ORGANIZATION, COLLECTOR, 4, base)
                .withLimits(Duration.ofSeconds(5), 4, Duration.ofSeconds(20), Duration.ofMillis(50));
        GoogleCredentials source = GoogleCredentials.create(
                new AccessToken(SOURCE_TOKEN, Date.from(Instant.now().plus(Duration.ofHours(1)))));

        GcpCollector.Result result = new GcpCollector(settings, stage -> { }, status -> { },
                GcpClients.impersonating(source, COLLECTOR, base + GENERATE_PATH)).collect(bundle);

        assertEquals(List.of(), result.gaps());
        server.verify(postRequestedFor(urlPathEqualTo(GENERATE_PATH))
                .withHeader("Authorization", equalTo("Bearer " + SOURCE_TOKEN)));
        List<LoggedRequest> apiCalls = server.findAll(anyRequestedFor(anyUrl())).stream()
                .filter(request -> !request.getUrl().startsWith(GENERATE_PATH)).toList();
        assertTrue(apiCalls.size() > 5, "API calls: " + apiCalls.size());
        List<String> otherAuthorization = apiCalls.stream().map(request -> request.getHeader("Authorization"))
                .filter(header -> !("Bearer " + COLLECTOR_TOKEN).equals(header)).distinct().toList();
        assertEquals(List.of(), otherAuthorization, "API calls not made with the service account's token");
    }
}
