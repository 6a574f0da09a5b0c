package dev.nhigraph.testsupport;

import dev.nhigraph.api.ApiTokens;
import java.net.URI;
import java.net.http.HttpRequest;

/** The bearer tokens of the servers that tests start, and requests that carry them. */
public final class TestTokens {

    public static final String READ = "test-read-token-0123456789abcdef";
    public static final String ADMIN = "test-admin-token-0123456789abcdef";

    private TestTokens() {
    }

    /** Returns new tokens for one server, so that a test that rotates the read token changes no other server. */
    public static ApiTokens apiTokens() {
        return new ApiTokens(READ, ADMIN);
    }

    /** Returns a GET request to {@code uri} with the read token. */
    public static HttpRequest.Builder readRequest(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + READ);
    }

    /** Returns the page's address fragment that hands the read token to the page, to append to a URL. */
    public static String pageFragment() {
        return "#token=" + READ;
    }
}
