package dev.nhigraph.gcp.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Scans the GCP collector's sources and collectors/gcp/collect.sh for calls that return secret material: key
 * creation and upload, access and identity tokens, signing, Secret Manager payloads and key data. One such name in
 * a source fails the build, comments included, so that such a call cannot be added without changing this list.
 */
class NoSecretCallsTest {

    /** Java names, REST paths and gcloud commands of the calls that return or create secrets, lower case. */
    static final List<String> DENIED = List.of(
            "createserviceaccountkey", "uploadserviceaccountkey", "keys:upload", "keys create", "keys upload",
            "generateaccesstoken", "generateidtoken", "getaccesstoken", "refreshaccesstoken", "print-access-token",
            "print-identity-token", "signblob", "signjwt", "sign-blob", "sign-jwt", "iamcredentials",
            "accesssecretversion", "secretmanagerservice", "secrets versions access", ":access",
            "getprivatekeydata", "private_key", "getserialportoutput", "get-serial-port-output");

    /**
     * Denied names that one file may hold, each with the reason. GcpClients builds the credentials of
     * --impersonate-service-account, which the Google auth library gets from generateAccessToken: that token is the
     * collector's own credential, which the user asks for, not a secret of the organization being read.
     */
    static final Map<String, Set<String>> ALLOWED = Map.of("GcpClients.java", Set.of("generateaccesstoken"));

    static final Path SOURCES = Path.of("src/main/java/dev/nhigraph/gcp/collect");
    static final Path SCRIPT = Path.of("collectors/gcp/collect.sh");

    static List<Path> scannedFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> sources = Files.list(SOURCES)) {
            sources.filter(path -> path.toString().endsWith(".java")).sorted().forEach(files::add);
        }
        files.add(Path.of("src/main/java/dev/nhigraph/cli/CollectGcpCommand.java"));
        files.add(SCRIPT);
        return files;
    }

    /** Returns "file: denied name" for every denied name in {@code files}. */
    static List<String> deniedNames(List<Path> files) throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : files) {
            String text = Files.readString(file).toLowerCase(Locale.ROOT);
            Set<String> allowed = ALLOWED.getOrDefault(file.getFileName().toString(), Set.of());
            for (String denied : DENIED) {
                if (text.contains(denied) && !allowed.contains(denied)) {
                    found.add(file + ": " + denied);
                }
            }
        }
        return found;
    }

    @Test
    void sources_callNoSecretReturningMethod() throws IOException {
        List<Path> files = scannedFiles();

        assertTrue(files.size() > 5, "too few files scanned: " + files);
        assertEquals(List.of(), deniedNames(files));
    }

    @Test
    void scan_findsDeniedCall(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path bad = dir.resolve("Bad.java");
        Files.writeString(bad, "iam.createServiceAccountKey(request); credentials.refreshAccessToken();");

        assertEquals(List.of(bad + ": createserviceaccountkey", bad + ": refreshaccesstoken"), deniedNames(List.of(bad)));
    }

    @Test
    void restMethods_areAllGet() throws IOException {
        Matcher methods = Pattern.compile("setHttpMethod\\(\"(\\w+)\"\\)")
                .matcher(Files.readString(SOURCES.resolve("IamAdminRest.java")));
        List<String> found = new ArrayList<>();
        while (methods.find()) {
            found.add(methods.group(1));
        }

        assertFalse(found.isEmpty());
        assertEquals(List.of("GET"), found.stream().distinct().toList());
    }
}
