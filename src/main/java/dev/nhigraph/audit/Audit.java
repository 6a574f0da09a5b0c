package dev.nhigraph.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: who did what, to what, when, and with which outcome.
 *
 * <p>Lines go to the logger {@value #LOGGER}, which logback.xml sends to its own file (NHIGRAPH_AUDIT_LOG, by
 * default {@code nhigraph-audit.log} in the working directory) and not to the operational log on stderr. The time
 * comes from the appender's pattern. Each line is {@code key=value} pairs, values quoted when they contain spaces,
 * so that a line can be read by eye and parsed by a script.
 *
 * <p>Callers never pass a secret: the "who" of an API caller is the token kind and {@link #tokenId(String) token id},
 * never the token.
 */
public final class Audit {

    /** The logger name that logback.xml routes to the audit file. */
    public static final String LOGGER = "nhigraph.audit";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);
    // Values are cut to this length so that a hostile query string or Cypher text cannot flood the audit file.
    static final int MAX_VALUE_CHARS = 500;

    private Audit() {
    }

    /**
     * Records one use of the API: the caller, the route and the HTTP status it got. Failed authentication is recorded
     * too, with the kind {@code none} or {@code invalid}.
     */
    public static void apiRequest(String who, String client, String method, String route, int status, String requestId) {
        write("api", who, client, method + " " + route, outcome(status), "requestId", requestId);
    }

    /** Records an analyst's Cypher query; {@code outcome} is ok, rejected or failed. */
    public static void cypherQuery(String who, String client, String query, String outcome, String requestId) {
        write("cypher", who, client, query, outcome, "requestId", requestId);
    }

    /** Records a report run, such as a scheduled findings report; {@code target} names the report or its folder. */
    public static void reportRun(String who, String target, String outcome) {
        write("report", who, null, target, outcome, null, null);
    }

    /**
     * Records a collector run.
     *
     * @param what      the cloud and the scope requested, such as {@code gcp folders/123}
     * @param collected what the run collected, such as the account ids, or null when it stopped before
     * @param outcome   {@code ok:N gaps}, {@code failed:collect}, or {@code failed:load, N gaps}
     */
    public static void collectorRun(String who, String what, String collected, String outcome) {
        write("collect", who, null, what, outcome, "collected", collected == null ? "-" : collected);
    }

    /** Returns the "who" of a command-line run: the operating-system user, since a command line carries no API token. */
    public static String commandLineUser() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }

    /** Returns the path of the audit file as logback has it configured, or a note when no file appender is attached. */
    public static String file() {
        if (log instanceof ch.qos.logback.classic.Logger logback
                && logback.getAppender("AUDIT") instanceof ch.qos.logback.core.FileAppender<?> appender) {
            return java.nio.file.Path.of(appender.getFile()).toAbsolutePath().normalize().toString();
        }
        return "not configured (logback.xml has no AUDIT file appender)";
    }

    /**
     * Returns a short id of a token for the audit log: the first 8 hex digits of its SHA-256. It distinguishes two tokens
     * without giving away any character of the token.
     */
    public static String tokenId(String token) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM, which every Java 17 runtime provides", e);
        }
    }

    private static String outcome(int status) {
        if (status < 400) {
            return "ok:" + status;
        }
        return (status == 401 || status == 403 ? "denied:" : "error:") + status;
    }

    private static void write(String action, String who, String client, String what, String outcome, String extraKey, String extraValue) {
        StringBuilder line = new StringBuilder();
        append(line, "action", action);
        append(line, "who", who);
        if (client != null) {
            append(line, "client", client);
        }
        append(line, "what", what);
        append(line, "outcome", outcome);
        if (extraKey != null && extraValue != null) {
            append(line, extraKey, extraValue);
        }
        log.info(line.toString());
    }

    /** Appends {@code key=value}, quoting the value and escaping quotes, backslashes and line breaks. */
    static void append(StringBuilder line, String key, String value) {
        if (!line.isEmpty()) {
            line.append(' ');
        }
        line.append(key).append('=');
        String text = value == null ? "-" : value;
        if (text.length() > MAX_VALUE_CHARS) {
            text = text.substring(0, MAX_VALUE_CHARS) + "...(" + text.length() + " chars)";
        }
        boolean plain = !text.isEmpty() && text.chars().allMatch(c -> c > ' ' && c < 127 && c != '"' && c != '\\');
        if (plain) {
            line.append(text);
            return;
        }
        line.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                default -> line.append(c < ' ' ? ' ' : c);
            }
        }
        line.append('"');
    }
}
