package dev.nhigraph.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.BadInputException;
import dev.nhigraph.testsupport.SharedGraph;
import dev.nhigraph.testsupport.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS with a keystore that keytool makes for the test: a self-signed certificate for 127.0.0.1, served on 127.0.0.1
 * and trusted by the test's client only.
 */
class TlsServerTest {

    private static final char[] PASSWORD = "test-keystore-password".toCharArray();

    @TempDir
    static Path dir;

    private static Path keystore;
    private static ApiServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "nhigraph", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS), "keytool did not finish within 60 s");
        assertEquals(0, keytool.exitValue(), new String(keytool.getInputStream().readAllBytes()));

        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        ServerSettings settings = new ServerSettings(TestTokens.apiTokens(), null, ServerLimits.defaults(),
                new TlsKeystore(keystore, PASSWORD).checked());
        server = new ApiServer(SharedGraph.graphService(), settings).start("127.0.0.1", 0);
        client = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void https_servesApiWithToken() throws Exception {
        HttpResponse<String> response = client.send(TestTokens.readRequest(
                URI.create("https://127.0.0.1:" + server.port() + "/api/principals?q=privesc&limit=1")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals("https", server.scheme());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("privesc"), response.body());
    }

    @Test
    void https_stillNeedsToken() throws Exception {
        HttpResponse<String> response = client.send(java.net.http.HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + server.port() + "/api/principals?q=privesc")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(401, response.statusCode(), response.body());
    }

    @Test
    void plainHttp_onTlsPort_getsNoAnswer() {
        HttpClient plain = HttpClient.newHttpClient();
        URI address = URI.create("http://127.0.0.1:" + server.port() + "/api/health");

        HttpResponse<String> response;
        try {
            response = plain.send(TestTokens.readRequest(address).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            return;
        }
        assertTrue(response.statusCode() >= 400, "plain HTTP on the TLS port got " + response.statusCode() + ": " + response.body());
    }

    @Test
    void wrongPassword_isRejectedNamingTheFile() {
        BadInputException rejected = assertThrows(BadInputException.class,
                () -> new TlsKeystore(keystore, "wrong-password".toCharArray()).checked());

        assertTrue(rejected.getMessage().contains(keystore.toString()), rejected.getMessage());
        assertTrue(rejected.getMessage().contains("password"), rejected.getMessage());
    }

    @Test
    void missingKeystore_isRejectedNamingTheFile() {
        Path missing = dir.resolve("missing.p12");

        BadInputException rejected = assertThrows(BadInputException.class, () -> new TlsKeystore(missing, PASSWORD).checked());

        assertTrue(rejected.getMessage().contains(missing.toString()), rejected.getMessage());
    }

    /** Returns a TLS context that trusts only the certificate in {@code keystore}. */
    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore server = KeyStore.getInstance(keystore.toFile(), PASSWORD);
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("nhigraph", server.getCertificate("nhigraph"));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
