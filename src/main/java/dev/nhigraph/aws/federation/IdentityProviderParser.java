package dev.nhigraph.aws.federation;

import dev.nhigraph.aws.bundle.CliJsonFields;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.aws.IamModel.SkippedItem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an account's OIDC and SAML identity providers from the AWS CLI's JSON output:
 * {@code aws iam list-open-id-connect-providers}, {@code aws iam get-open-id-connect-provider} and
 * {@code aws iam list-saml-providers}.
 *
 * <p>The two lists name each provider by ARN, so they give its account. The output of
 * {@code get-open-id-connect-provider} names only the provider's URL, so its account comes from the layout
 * {@code iam/oidc-providers/ACCOUNT/ANY_NAME.json}, or else from a listed provider ARN with that URL. Client ids,
 * the count of thumbprints and the dates are read; SAML metadata documents are not.
 */
public final class IdentityProviderParser {

    /** The outputs this parser reads, with the command that produces each one. */
    public enum FileKind {
        OIDC_LIST("aws iam list-open-id-connect-providers"),
        OIDC_PROVIDER("aws iam get-open-id-connect-provider --open-id-connect-provider-arn ARN"),
        SAML_LIST("aws iam list-saml-providers");

        private final String command;

        FileKind(String command) {
            this.command = command;
        }

        public String command() {
            return command;
        }
    }

    private static final Pattern PROVIDER_ARN =
            Pattern.compile("^arn:[a-z-]+:iam::(\\d{12}):(oidc-provider|saml-provider)/(.+)$");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern LIST_FILE = Pattern.compile("(?:oidc|saml)-providers-(\\d{12})\\.json");
    private static final String OIDC_LAYOUT = "iam/oidc-providers/ACCOUNT/ANY_NAME.json";

    private final Map<String, IdentityProvider> providers = new TreeMap<>();
    private final TreeSet<String> listedAccounts = new TreeSet<>();
    private final List<UnplacedProvider> unplaced = new ArrayList<>();
    private final List<SkippedItem> skipped = new ArrayList<>();

    /** A get-open-id-connect-provider output whose layout names no account; placed by URL once every list is read. */
    private record UnplacedProvider(JsonNode root, Path file) {
    }

    /** Returns the kind of identity-provider output {@code root} is, or null for any other JSON. */
    public static FileKind recognise(JsonNode root) {
        if (root == null || !root.isObject()) {
            return null;
        }
        if (root.path("OpenIDConnectProviderList").isArray()) {
            return FileKind.OIDC_LIST;
        }
        if (root.path("SAMLProviderList").isArray()) {
            return FileKind.SAML_LIST;
        }
        if (root.path("Url").isTextual() && (root.has("ClientIDList") || root.has("ThumbprintList"))) {
            return FileKind.OIDC_PROVIDER;
        }
        return null;
    }

    /** Reads one file of the given kind; {@code file} is used for messages and for its layout. */
    public void add(FileKind kind, JsonNode root, Path file) {
        switch (kind) {
            case OIDC_LIST -> addList(root.path("OpenIDConnectProviderList"), "oidc-provider", file);
            case SAML_LIST -> addList(root.path("SAMLProviderList"), "saml-provider", file);
            case OIDC_PROVIDER -> addOidcProvider(root, file);
        }
    }

    /** Returns the providers read, and the accounts whose provider lists were read, after every file is added. */
    public IdentityProviders build() {
        for (UnplacedProvider provider : unplaced) {
            String url = stripScheme(provider.root().path("Url").asText());
            List<String> arns = providers.keySet().stream().filter(arn -> arn.endsWith(":oidc-provider/" + url)).toList();
            if (arns.size() == 1) {
                merge(oidcDetails(arns.get(0), provider.root(), provider.file()));
            } else {
                skipped.add(new SkippedItem(provider.file().toString(), "provider " + url, (arns.isEmpty()
                        ? "no listed provider has this URL" : arns.size() + " listed providers of several accounts have"
                        + " this URL") + ", and the file is not under " + OIDC_LAYOUT + "; save it there, or add the"
                        + " account's list-open-id-connect-providers output"));
            }
        }
        return new IdentityProviders(List.copyOf(providers.values()), new TreeSet<>(listedAccounts), List.copyOf(skipped));
    }

    private void addList(JsonNode list, String type, Path file) {
        TreeSet<String> accounts = new TreeSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            Matcher arn = PROVIDER_ARN.matcher(item.path("Arn").asText());
            if (!arn.matches() || !arn.group(2).equals(type)) {
                skipped.add(new SkippedItem(file.toString(), "item " + i, "Arn is not an IAM " + type + " ARN"));
                continue;
            }
            accounts.add(arn.group(1));
            String protocol = type.equals("oidc-provider") ? "oidc" : "saml";
            merge(new IdentityProvider(arn.group(0), arn.group(1), protocol, arn.group(3), null, List.of(), null,
                    CliJsonFields.text(item, "CreateDate"), CliJsonFields.text(item, "ValidUntil")));
        }
        // An empty list names no account, so only the file name iam/oidc-providers-ACCOUNT.json can give it.
        Matcher named = LIST_FILE.matcher(file.getFileName().toString());
        if (named.matches()) {
            accounts.add(named.group(1));
        }
        listedAccounts.addAll(accounts);
    }

    private void addOidcProvider(JsonNode root, Path file) {
        String account = accountFromLayout(file);
        if (account == null) {
            unplaced.add(new UnplacedProvider(root, file));
            return;
        }
        String arn = "arn:aws:iam::" + account + ":oidc-provider/" + stripScheme(root.path("Url").asText());
        merge(oidcDetails(arn, root, file));
    }

    private static IdentityProvider oidcDetails(String arn, JsonNode root, Path file) {
        Matcher matcher = PROVIDER_ARN.matcher(arn);
        if (!matcher.matches()) {
            throw new IllegalStateException(file + ": built an invalid provider ARN " + arn);
        }
        List<String> clientIds = new ArrayList<>();
        root.path("ClientIDList").forEach(id -> clientIds.add(id.asText()));
        return new IdentityProvider(arn, matcher.group(1), "oidc", matcher.group(3), root.path("Url").asText(),
                List.copyOf(clientIds), root.path("ThumbprintList").size(), CliJsonFields.text(root, "CreateDate"), null);
    }

    /** Adds a provider, keeping facts that an earlier file gave and this one lacks (a list has no client ids). */
    private void merge(IdentityProvider provider) {
        providers.merge(provider.arn(), provider, IdentityProvider::combine);
    }

    private static String accountFromLayout(Path file) {
        Path folder = file.getParent();
        if (folder == null || folder.getParent() == null) {
            return null;
        }
        boolean layout = folder.getParent().getFileName().toString().equals("oidc-providers");
        String name = folder.getFileName().toString();
        return layout && ACCOUNT.matcher(name).matches() ? name : null;
    }

    private static String stripScheme(String url) {
        return url.startsWith("https://") ? url.substring("https://".length()) : url;
    }
}
