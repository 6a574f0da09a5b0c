package dev.nhigraph.aws.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading list-open-id-connect-providers, get-open-id-connect-provider and list-saml-providers output. */
class IdentityProviderParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GITHUB = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
    private static final String DETAILS = """
            {"Url": "token.actions.githubusercontent.com", "ClientIDList": ["sts.amazonaws.com"],
             "ThumbprintList": ["aa", "bb"], "CreateDate": "2025-06-01T00:00:00Z", "Tags": []}""";

    @Test
    void listAndDetails_mergeIntoOneProvider() throws Exception {
        IdentityProviderParser parser = new IdentityProviderParser();

        add(parser, "{\"OpenIDConnectProviderList\": [{\"Arn\": \"" + GITHUB + "\"}]}", "iam/oidc.json");
        add(parser, DETAILS, "iam/oidc-providers/111122223333/github.json");
        IdentityProviders providers = parser.build();

        assertEquals(1, providers.providers().size());
        IdentityProvider github = providers.providers().get(0);
        assertEquals(GITHUB, github.arn());
        assertEquals("oidc", github.protocol());
        assertEquals(java.util.List.of("sts.amazonaws.com"), github.clientIds());
        assertEquals(2, github.thumbprints());
        assertEquals(Set.of("111122223333"), providers.listedAccounts());
    }

    @Test
    void detailsOutsideLayout_placedByListedUrl() throws Exception {
        IdentityProviderParser parser = new IdentityProviderParser();

        add(parser, DETAILS, "exports/github.json");
        add(parser, "{\"OpenIDConnectProviderList\": [{\"Arn\": \"" + GITHUB + "\"}]}", "exports/oidc.json");
        IdentityProviders providers = parser.build();

        assertEquals(1, providers.providers().size());
        assertEquals("token.actions.githubusercontent.com", providers.providers().get(0).url());
        assertTrue(providers.skipped().isEmpty(), providers.skipped().toString());
    }

    @Test
    void detailsWithoutAccount_skippedWithWhatToDo() throws Exception {
        IdentityProviderParser parser = new IdentityProviderParser();

        add(parser, DETAILS, "exports/github.json");
        IdentityProviders providers = parser.build();

        assertTrue(providers.providers().isEmpty());
        assertEquals(1, providers.skipped().size());
        assertTrue(providers.skipped().get(0).reason().contains("iam/oidc-providers/ACCOUNT/"), providers.skipped().toString());
    }

    @Test
    void samlList_readsExpiry() throws Exception {
        IdentityProviderParser parser = new IdentityProviderParser();

        add(parser, """
                {"SAMLProviderList": [{"Arn": "arn:aws:iam::111122223333:saml-provider/corp-idp",
                  "ValidUntil": "2027-01-01T00:00:00Z", "CreateDate": "2024-01-01T00:00:00Z"}]}""", "saml.json");
        IdentityProvider saml = parser.build().providers().get(0);

        assertEquals("saml", saml.protocol());
        assertEquals("corp-idp", saml.name());
        assertEquals("2027-01-01T00:00:00Z", saml.validUntil());
        assertNull(saml.url());
    }

    @Test
    void emptyList_accountFromFileName() throws Exception {
        IdentityProviderParser parser = new IdentityProviderParser();

        add(parser, "{\"OpenIDConnectProviderList\": []}", "iam/oidc-providers-444455556666.json");
        add(parser, "{\"SAMLProviderList\": []}", "iam/saml.json");

        assertEquals(Set.of("444455556666"), parser.build().listedAccounts());
    }

    @Test
    void otherJson_notRecognised() throws Exception {
        assertNull(IdentityProviderParser.recognise(JSON.readTree("{\"Url\": \"https://example.com\"}")));
        assertNull(IdentityProviderParser.recognise(JSON.readTree("[]")));
    }

    private static void add(IdentityProviderParser parser, String json, String file) throws Exception {
        JsonNode root = JSON.readTree(json);
        parser.add(IdentityProviderParser.recognise(root), root, Path.of(file));
    }
}
