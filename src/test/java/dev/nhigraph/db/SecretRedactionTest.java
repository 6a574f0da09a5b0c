package dev.nhigraph.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretRedactionTest {

    /** Made-up values in each recognised format; none is a real credential. */
    private static final List<String> SECRETS = List.of(
            "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
            "github_pat_" + "11ABCDEFG0123456789_abcdefghijklmnopqrstuv",
            "xoxb-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
            "AIza" + "SyA1234567890abcdefghijklmnopqrstuv",
            "eyJhbGciOiJSUzI1NiJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVlLTAx",
            "IQoJb3JpZ2luX2Vj" + "EJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ",
            "-----BEGIN " + "PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----");

    @Test
    void knownFormats_redacted() {
        for (String secret : SECRETS) {
            String redacted = SecretRedaction.redact("value " + secret + " end");

            assertFalse(redacted.contains(secret), redacted);
            assertTrue(redacted.startsWith("value [REDACTED sha256:"), redacted);
            assertTrue(redacted.endsWith("] end"), redacted);
        }
    }

    @Test
    void awsSecretKeyAfterItsName_redacted() {
        String line = "aws_secret_access_key = " + "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

        assertFalse(SecretRedaction.redact(line).contains("wJalrXUtnFEMI"), SecretRedaction.redact(line));
    }

    @Test
    void pemInEscapedJson_redactedToItsEnd() {
        String json = "{\"cert\":\"-----BEGIN RSA PRIVATE KEY-----\\nMIIEow\\nAIBAAK\",\"next\":\"kept\"}";

        String redacted = SecretRedaction.redact(json);

        assertFalse(redacted.contains("MIIEow"), redacted);
        assertTrue(redacted.endsWith("\",\"next\":\"kept\"}"), redacted);
    }

    @Test
    void ordinaryValues_unchanged() {
        List<String> ordinary = List.of(
                "arn:aws:iam::123456789012:role/github-actions-deployer",
                "AKIAIOSFODNN7EXAMPLE",
                "0123456789abcdef0123456789abcdef01234567",
                "BwYJ0Ex3nyI=",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\"}]}",
                "serviceAccount:github@payments-prod.iam.gserviceaccount.com");

        for (String value : ordinary) {
            assertSame(value, SecretRedaction.redact(value), value);
        }
    }

    @Test
    void sameSecret_sameMarker() {
        String first = SecretRedaction.redact(SECRETS.get(0));
        String again = SecretRedaction.redact(SECRETS.get(0));
        String other = SecretRedaction.redact(SECRETS.get(1));

        assertEquals(first, again);
        assertNotEquals(first, other);
    }

    @Test
    void nestedRows_redactedAndCleanRowsKept() {
        Map<String, Object> clean = Map.of("id", "arn:aws:iam::123456789012:user/ci");
        Map<String, Object> tagged = Map.of("id", "arn:aws:iam::123456789012:user/ci", "tags", List.of("token=" + SECRETS.get(0)));
        List<Map<String, Object>> rows = List.of(clean, tagged);

        Object redacted = SecretRedaction.redactDeep(rows);

        assertFalse(redacted.toString().contains(SECRETS.get(0)), redacted.toString());
        assertSame(clean, ((List<?>) redacted).get(0));
        assertSame(clean, SecretRedaction.redactDeep(clean));
    }
}
