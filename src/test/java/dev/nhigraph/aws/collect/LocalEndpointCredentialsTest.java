package dev.nhigraph.aws.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which --endpoint-url values count as this machine, so that only explicit credentials are sent there. */
class LocalEndpointCredentialsTest {

    @ParameterizedTest
    @CsvSource({
            "http://localhost:4566, true",
            "http://LOCALHOST:4566, true",
            "http://stub.localhost:8080, true",
            "http://127.0.0.1:8080, true",
            "http://127.1.2.3, true",
            "http://[::1]:8080, true",
            "https://vpce-0123.iam.eu-west-1.vpce.amazonaws.com, false",
            "http://10.0.0.1:8080, false",
            "http://169.254.169.254, false",
            "http://localhost.example.com, false",
            "http://[2001:db8::1]:8080, false"})
    void isLoopback_recognisesThisMachine(String url, boolean loopback) {
        assertEquals(loopback, LocalEndpointCredentials.isLoopback(URI.create(url)), url);
    }
}
