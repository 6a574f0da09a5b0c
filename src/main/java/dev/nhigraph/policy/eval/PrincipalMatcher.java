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

    private record Entry(String type, String value, String account) {
    }

    PrincipalMatcher(Map<String, List<String>> principals, boolean notPrincipal) {
        this.not = notPrincipal;
        for (Map.Entry<String, List<String>> typed : principals.entrySet()) {
            for (String value : typed.getValue()) {
                entries.add(new Entry(typed.getKey(), value, accountOf(value)));
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
            Matcher matcher = SESSION.matcher(entry.value);
            if (entry.type.equals("AWS") && matcher.matches() && matcher.group(1).equals(principal.account())
                    && matcher.group(2).equals(principal.name())) {
                session = session.or(principal.sessionName() == null ? Tri.UNKNOWN : Tri.of(matcher.group(3).equals(principal.sessionName())));
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
        if (ACCOUNT_ID.matcher(entry.value).matches() || ROOT.matcher(entry.value).matches()) {
            return entry.account.equals(principal.account()) ? new Match(Naming.ACCOUNT, Tri.TRUE) : null;
        }
        if (entry.value.equals(principal.arn())) {
            return new Match(principal.kind() == RequestPrincipal.Kind.USER ? Naming.USER_ARN : Naming.ROLE_ARN, Tri.TRUE);
        }
        Matcher session = SESSION.matcher(entry.value);
        if (session.matches() && principal.kind() == RequestPrincipal.Kind.ROLE_SESSION
                && session.group(1).equals(principal.account()) && session.group(2).equals(principal.name())) {
            // The session name is chosen by the caller at AssumeRole time, so offline it is usually unknown.
            Tri sameSession = principal.sessionName() == null ? Tri.UNKNOWN : Tri.of(session.group(3).equals(principal.sessionName()));
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
