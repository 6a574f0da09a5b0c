package dev.nhigraph.policy.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Principal or NotPrincipal element of a resource-based policy, compiled once.
 *
 * <p>How a policy names the caller matters, not only whether it does: naming the account delegates the decision
 * to the caller's identity policies, while naming the user, the role or the role session grants directly, each
 * with its own limits (see {@link PolicyEvaluator}).
 */
final class PrincipalMatcher {

    /** How a matching entry names the caller, from the weakest grant to the strongest. */
    enum Naming { ACCOUNT, ROLE_ARN, USER_ARN, SESSION_ARN, ANY }

    /** The result of matching: how the caller is named and whether that is certain. */
    record Match(Naming naming, Tri value) {
    }

    private static final Pattern ACCOUNT_ID = Pattern.compile("^\\d{12}$");
    private static final Pattern ROOT = Pattern.compile("^arn:[^:]+:iam::(\\d{12}):root$");
    private static final Pattern SESSION = Pattern.compile("^arn:[^:]+:sts::(\\d{12}):assumed-role/([^/]+)/(.+)$");

    private final List<Entry> entries = new ArrayList<>();
    private final boolean not;

    /**
     * One value of the element. {@code account} is set when the value names an account (its id or root ARN), and
     * the {@code session} fields when it is an assumed-role session ARN; both are parsed once here, because a
     * derivation matches the same policy against thousands of callers.
     */
    private record Entry(String type, String value, String account, String sessionAccount, String sessionRole,
                         String sessionName) {

        static Entry of(String type, String value) {
            Matcher session = SESSION.matcher(value);
            boolean isSession = session.matches();
            return new Entry(type, value, accountOf(value), isSession ? session.group(1) : null,
                    isSession ? session.group(2) : null, isSession ? session.group(3) : null);
        }

        /** Tells whether this is an AWS session ARN of the role that {@code principal} is a session of. */
        boolean sessionOfRole(RequestPrincipal principal) {
            return type.equals("AWS") && sessionAccount != null && sessionAccount.equals(principal.account())
                    && sessionRole.equals(principal.name());
        }
    }

    PrincipalMatcher(Map<String, List<String>> principals, boolean notPrincipal) {
        this.not = notPrincipal;
        for (Map.Entry<String, List<String>> typed : principals.entrySet()) {
            for (String value : typed.getValue()) {
                entries.add(Entry.of(typed.getKey(), value));
            }
        }
    }

    /** Returns every way this element names the caller; an empty list when it does not. */
    List<Match> match(RequestPrincipal principal) {
        if (not) {
            return notPrincipalMatches(principal);
        }
        List<Match> matches = new ArrayList<>();
        for (Entry entry : entries) {
            Match match = matchEntry(entry, principal);
            if (match != null) {
                matches.add(match);
            }
        }
        return matches;
    }

    /**
     * Matches NotPrincipal. AWS checks each identity of the caller on its own: the user ARN and the account for a
     * user, the session ARN, the role ARN and the account for a role session. Each identity the list leaves out is
     * named, with its own kind of grant, so a Deny applies unless every identity is listed, and an Allow that lists
     * only a user's ARN still names that user's account, which delegates to its identity policies (AWS IAM User
     * Guide, "AWS JSON policy elements: NotPrincipal").
     */
    private List<Match> notPrincipalMatches(RequestPrincipal principal) {
        List<Match> matches = new ArrayList<>();
        if (principal.kind() == RequestPrincipal.Kind.SERVICE) {
            boolean listed = entries.stream().anyMatch(e -> e.type.equals("Service") && e.value.equals(principal.arn()));
            addUnlisted(matches, Naming.ANY, Tri.of(listed));
            return matches;
        }
        if (principal.kind() == RequestPrincipal.Kind.ANONYMOUS) {
            matches.add(new Match(Naming.ANY, Tri.TRUE));
            return matches;
        }
        boolean account = entries.stream().anyMatch(e -> e.type.equals("AWS") && principal.account().equals(e.account));
        boolean arn = entries.stream().anyMatch(e -> e.type.equals("AWS") && e.value.equals(principal.arn()));
        addUnlisted(matches, Naming.ACCOUNT, Tri.of(account));
        if (principal.kind() == RequestPrincipal.Kind.USER) {
            addUnlisted(matches, Naming.USER_ARN, Tri.of(arn));
            return matches;
        }
        addUnlisted(matches, Naming.ROLE_ARN, Tri.of(arn));
        Tri session = Tri.FALSE;
        for (Entry entry : entries) {
            if (entry.sessionOfRole(principal)) {
                session = session.or(principal.sessionName() == null ? Tri.UNKNOWN : Tri.of(entry.sessionName.equals(principal.sessionName())));
            }
        }
        addUnlisted(matches, Naming.SESSION_ARN, session);
        return matches;
    }

    private static void addUnlisted(List<Match> matches, Naming naming, Tri listed) {
        if (listed != Tri.TRUE) {
            matches.add(new Match(naming, listed.not()));
        }
    }

    private static Match matchEntry(Entry entry, RequestPrincipal principal) {
        if (entry.value.equals("*") && (entry.type.equals("AWS") || entry.type.equals("*"))) {
            return new Match(Naming.ANY, Tri.TRUE);
        }
        if (entry.type.equals("Service")) {
            return principal.kind() == RequestPrincipal.Kind.SERVICE && principal.arn().equals(entry.value)
                    ? new Match(Naming.ANY, Tri.TRUE) : null;
        }
        if (!entry.type.equals("AWS") || principal.kind() == RequestPrincipal.Kind.SERVICE) {
            return null;
        }
        if (entry.account != null) {
            return entry.account.equals(principal.account()) ? new Match(Naming.ACCOUNT, Tri.TRUE) : null;
        }
        if (entry.value.equals(principal.arn())) {
            return new Match(principal.kind() == RequestPrincipal.Kind.USER ? Naming.USER_ARN : Naming.ROLE_ARN, Tri.TRUE);
        }
        if (principal.kind() == RequestPrincipal.Kind.ROLE_SESSION && entry.sessionOfRole(principal)) {
            // The session name is chosen by the caller at AssumeRole time, so offline it is usually unknown.
            Tri sameSession = principal.sessionName() == null ? Tri.UNKNOWN : Tri.of(entry.sessionName.equals(principal.sessionName()));
            return sameSession == Tri.FALSE ? null : new Match(Naming.SESSION_ARN, sameSession);
        }
        return null;
    }

    private static String accountOf(String value) {
        if (ACCOUNT_ID.matcher(value).matches()) {
            return value;
        }
        Matcher root = ROOT.matcher(value);
        return root.matches() ? root.group(1) : null;
    }
}
