package dev.nhigraph.db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces credentials of well-known formats in text bound for Neo4j, so that a token someone pasted into a tag,
 * a description or a policy condition is never stored.
 *
 * <p>Each match becomes {@code [REDACTED sha256:XXXXXXXX]}, the first 8 hex digits of the SHA-256 of the match. The
 * same secret in a principal tag and in a policy condition then still compares equal, and two different secrets
 * do not. Eight hex digits cannot be turned back into a token of 36 random characters.
 *
 * <p>NOTE: only the formats below are recognised. A password or token without a known shape, such as a tag
 * {@code db-password=hunter2}, is stored as given. The formats are: PEM private key blocks, GitHub tokens
 * ({@code ghp_}, {@code gho_}, {@code ghu_}, {@code ghs_}, {@code ghr_}, {@code github_pat_}), Slack tokens
 * ({@code xox?-}), Google API keys ({@code AIza}), JSON Web Tokens, AWS session tokens ({@code IQoJb3JpZ2luX2Vj}) and
 * AWS secret access keys written after their name.
 */
public final class SecretRedaction {

    /** Tried in this order. A PEM block goes first because its body may contain text that another pattern matches. */
    private static final List<Pattern> PATTERNS = List.of(
            // The body is base64 with raw or JSON-escaped line breaks, so a block cut short still ends where the base64 does.
            Pattern.compile("-----BEGIN[A-Z ]*PRIVATE KEY-----(?:[A-Za-z0-9+/=\\s]|\\\\[nr])*(?:-----END[A-Z ]*PRIVATE KEY-----)?"),
            Pattern.compile("\\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})"),
            Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}"),
            Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}"),
            Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"),
            Pattern.compile("IQoJb3JpZ2luX2Vj[A-Za-z0-9/+=]{20,}"),
            Pattern.compile("(?i)(aws_?secret_?access_?key|secret_?key)[\"'\\s:=]+[A-Za-z0-9/+=]{40}"));

    /** Substrings that one of the patterns needs, checked first so that ordinary text costs no regular expression. */
    private static final String[] MARKERS = {"PRIVATE KEY", "ghp_", "gho_", "ghu_", "ghs_", "ghr_",
            "github_pat_", "xox", "AIza", "eyJ", "IQoJb3JpZ2luX2Vj", "ecret_", "ecretAccessKey", "ECRET_"};

    private SecretRedaction() {
    }

    /** Returns {@code text} with every recognised credential replaced, or null for null. */
    public static String redact(String text) {
        if (text == null || !containsMarker(text)) {
            return text;
        }
        String result = text;
        for (Pattern pattern : PATTERNS) {
            Matcher matcher = pattern.matcher(result);
            if (matcher.find()) {
                result = matcher.replaceAll(match -> Matcher.quoteReplacement(marker(match.group())));
            }
        }
        return result;
    }

    /**
     * Returns whether {@code text} contains one of the markers. Every string of every load passes here, and a stream
     * over the markers cost about 8 s of a 188 s load of tier L's GCP half in a profile.
     */
    private static boolean containsMarker(String text) {
        for (String marker : MARKERS) {
            if (text.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns {@code value} with {@link #redact(String)} applied to every string in it, looking into lists and maps.
     * Values that need no change are returned as they are, so a clean row costs no copy.
     */
    public static Object redactDeep(Object value) {
        if (value instanceof String text) {
            return redact(text);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = null;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object redacted = redactDeep(entry.getValue());
                if (redacted != entry.getValue() && copy == null) {
                    copy = new LinkedHashMap<>(map);
                }
                if (copy != null) {
                    copy.put(entry.getKey(), redacted);
                }
            }
            return copy == null ? map : copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = null;
            for (int i = 0; i < list.size(); i++) {
                Object redacted = redactDeep(list.get(i));
                if (redacted != list.get(i) && copy == null) {
                    copy = new ArrayList<>(list);
                }
                if (copy != null) {
                    copy.set(i, redacted);
                }
            }
            return copy == null ? list : copy;
        }
        return value;
    }

    private static String marker(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return "[REDACTED sha256:" + HexFormat.of().formatHex(digest, 0, 4) + "]";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
