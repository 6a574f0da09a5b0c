package dev.nhigraph.api;

import dev.nhigraph.BadInputException;
import dev.nhigraph.audit.Audit;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The bearer tokens of the API: one read-only token and, optionally, one admin token.
 *
 * <p>Tokens are compared in constant time: both sides are hashed with SHA-256 and the digests compared with
 * {@link MessageDigest#isEqual}, so the time taken depends on neither the length nor the content of the guess.
 * The read token can be rotated while the server runs, so it is kept in a volatile field.
 */
public final class ApiTokens {

    /** The shortest token accepted from the environment: 16 characters, about 96 bits when random. */
    public static final int MIN_TOKEN_CHARS = 16;
    private static final int GENERATED_TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private volatile byte[] readDigest;
    private volatile String readTokenId;
    private final byte[] adminDigest;
    private final String adminTokenId;

    /**
     * @param readToken  the read-only token
     * @param adminToken the admin token, or null for a server whose admin routes nobody may call
     * @throws BadInputException when a token is too short, contains characters outside printable ASCII, or both are equal
     */
    public ApiTokens(String readToken, String adminToken) {
        check(readToken, "read");
        if (adminToken != null) {
            check(adminToken, "admin");
            if (adminToken.equals(readToken)) {
                throw new BadInputException("The admin token equals the read token, so read-only callers could call admin"
                        + " routes. Give the admin token another value.");
            }
        }
        this.readDigest = digest(readToken);
        this.readTokenId = Audit.tokenId(readToken);
        this.adminDigest = adminToken == null ? null : digest(adminToken);
        this.adminTokenId = adminToken == null ? null : Audit.tokenId(adminToken);
    }

    /** Returns a new random token: 32 bytes from SecureRandom in URL-safe Base64 without padding (43 characters). */
    public static String generate() {
        byte[] bytes = new byte[GENERATED_TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Returns the role and token id of {@code presented}, or empty when it matches no token. Both tokens are always
     * compared, so the time taken does not tell which one matched.
     */
    public Optional<Caller> authenticate(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] candidate = digest(presented);
        boolean admin = adminDigest != null && MessageDigest.isEqual(candidate, adminDigest);
        boolean read = MessageDigest.isEqual(candidate, readDigest);
        if (admin) {
            return Optional.of(new Caller(ApiRole.ADMIN, adminTokenId));
        }
        if (read) {
            return Optional.of(new Caller(ApiRole.READ, readTokenId));
        }
        return Optional.empty();
    }

    /** Replaces the read token; requests with the old one fail with 401 from then on. */
    public void replaceReadToken(String readToken) {
        check(readToken, "read");
        if (adminDigest != null && MessageDigest.isEqual(digest(readToken), adminDigest)) {
            throw new BadInputException("The new read token equals the admin token. Give it another value.");
        }
        readDigest = digest(readToken);
        readTokenId = Audit.tokenId(readToken);
    }

    public boolean hasAdminToken() {
        return adminDigest != null;
    }

    /** Returns the audit id of the current read token (see {@link Audit#tokenId}). */
    public String readTokenId() {
        return readTokenId;
    }

    /**
     * A caller that presented a valid token.
     *
     * @param role    what the token may do
     * @param tokenId the token's audit id, never the token
     */
    public record Caller(ApiRole role, String tokenId) {

        /** Returns the "who" of an audit line, such as {@code read:1a2b3c4d}. */
        public String who() {
            return role.label() + ":" + tokenId;
        }
    }

    private static void check(String token, String kind) {
        if (token == null || token.length() < MIN_TOKEN_CHARS) {
            throw new BadInputException("The " + kind + " API token is shorter than " + MIN_TOKEN_CHARS + " characters."
                    + " Use a random value, such as the output of `openssl rand -base64 32`.");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= ' ' || c >= 127) {
                throw new BadInputException("The " + kind + " API token contains a space, a control character or a"
                        + " character outside ASCII at position " + (i + 1) + ", which an Authorization header cannot"
                        + " carry. Use letters, digits and punctuation only.");
            }
        }
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM, which every Java 17 runtime provides", e);
        }
    }
}
