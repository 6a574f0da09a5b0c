package dev.nhigraph.api;

import dev.nhigraph.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The server's TLS certificate and key: a PKCS#12 or JKS keystore and its password.
 *
 * <p>{@link #toString()} leaves the password out.
 */
public record TlsKeystore(Path path, char[] password) {

    /**
     * Opens the keystore once, so that a wrong path or password fails at startup with the file named, not at the
     * first TLS handshake.
     *
     * @throws BadInputException when the file is missing, unreadable, not a keystore, or the password is wrong
     */
    public TlsKeystore checked() {
        Path absolute = path.toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new BadInputException("--tls-keystore " + absolute + " is not a file. Give a PKCS#12 or JKS keystore"
                    + " with the server's certificate and key, for example one made by keytool -genkeypair.");
        }
        try {
            KeyStore store = KeyStore.getInstance(path.toFile(), password);
            if (store.size() == 0) {
                throw new BadInputException("--tls-keystore " + absolute + " contains no key. Add the server's key and certificate.");
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new BadInputException("Failed to open the TLS keystore " + absolute + " (" + e.getMessage() + ")."
                    + " Check the file and the password given by --tls-password or NHIGRAPH_TLS_PASSWORD.", e);
        }
        return this;
    }

    /** Returns an HTTPS connector on {@code host}:{@code port} for Jetty, with the server's HTTP settings. */
    ServerConnector connector(Server server, HttpConfiguration http, String host, int port) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(path.toAbsolutePath().toString());
        tls.setKeyStorePassword(new String(password));

        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new SecureRequestCustomizer());

        ServerConnector connector = new ServerConnector(server, tls, new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    @Override
    public String toString() {
        return "TlsKeystore[path=" + path + "]";
    }
}
