package dev.nhigraph.api;

import dev.nhigraph.BadInputException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The rule for the addresses the server listens on: a loopback address over HTTP or HTTPS; any other address only
 * over HTTPS, or over plain HTTP when the user says {@code --insecure-plain-http}, with a warning at every start.
 * Tokens are required on every address; no option turns them off.
 */
public final class BindPolicy {

    private BindPolicy() {
    }

    /**
     * Checks the bind before anything listens.
     *
     * @return a warning to print at startup, or null when there is nothing to warn about
     * @throws BadInputException when a non-loopback address would be served over plain HTTP without
     *                           {@code --insecure-plain-http}, or when both TLS and plain HTTP are asked for
     */
    public static String check(String host, boolean tls, boolean insecurePlainHttp) {
        if (tls && insecurePlainHttp) {
            throw new BadInputException("--insecure-plain-http and --tls-keystore contradict each other. Give"
                    + " --tls-keystore to serve HTTPS, or --insecure-plain-http alone to serve plain HTTP.");
        }
        if (isLoopback(host) || tls) {
            return null;
        }
        if (!insecurePlainHttp) {
            throw new BadInputException("--host " + host + " is not a loopback address, and the API would send tokens and"
                    + " the organisation's access graph over plain HTTP. Give --tls-keystore FILE (with --tls-password or"
                    + " NHIGRAPH_TLS_PASSWORD), or --insecure-plain-http if a TLS proxy on the same machine is in front.");
        }
        return "WARNING: serving plain HTTP on the non-loopback address " + host + " (--insecure-plain-http):"
                + " tokens and answers cross the network unencrypted. Use --tls-keystore unless a TLS proxy on this"
                + " machine is the only client.";
    }

    /**
     * Returns whether {@code host} names a loopback address (127.0.0.0/8, ::1). A literal address is checked without
     * any lookup; a name such as localhost is resolved through the system resolver.
     *
     * @throws BadInputException when the name does not resolve
     */
    static boolean isLoopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            throw new BadInputException("--host " + host + " is not an address or a name this machine can resolve."
                    + " Give an address such as 127.0.0.1.", e);
        }
    }
}
