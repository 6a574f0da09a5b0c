package dev.nhigraph.api;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.BadInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which addresses may be served over plain HTTP. Only literal addresses, so no name lookup leaves the machine. */
class BindPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "::1"})
    void loopback_plainHttpNeedsNoWarning(String host) {
        assertNull(BindPolicy.check(host, false, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "192.0.2.10"})
    void nonLoopback_plainHttp_isRejectedNamingTheOptions(String host) {
        BadInputException rejected = assertThrows(BadInputException.class, () -> BindPolicy.check(host, false, false));

        assertTrue(rejected.getMessage().contains("--host " + host), rejected.getMessage());
        assertTrue(rejected.getMessage().contains("--tls-keystore"), rejected.getMessage());
        assertTrue(rejected.getMessage().contains("--insecure-plain-http"), rejected.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "192.0.2.10"})
    void nonLoopback_withTls_isAllowed(String host) {
        assertNull(BindPolicy.check(host, true, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "192.0.2.10"})
    void nonLoopback_insecurePlainHttp_warns(String host) {
        String warning = BindPolicy.check(host, false, true);

        assertNotNull(warning);
        assertTrue(warning.startsWith("WARNING"), warning);
        assertTrue(warning.contains(host), warning);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "0.0.0.0"})
    void tlsAndInsecurePlainHttp_contradict(String host) {
        assertThrows(BadInputException.class, () -> BindPolicy.check(host, true, true));
    }
}
