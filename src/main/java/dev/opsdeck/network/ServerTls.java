package dev.opsdeck.network;

import dev.opsdeck.config.TlsConfig;
import io.javalin.config.JavalinConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collections;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Serves HTTPS directly, from PEM files or a PKCS#12 keystore, instead of plain HTTP. */
public final class ServerTls {
    private ServerTls() {}

    /**
     * Replaces the plain HTTP listener with an HTTPS one on {@code host:port} (Javalin opens its own
     * HTTP connector only when none was added). Reads and checks the files now, so a bad certificate
     * stops the start with a {@link TlsException} rather than failing the first handshake.
     */
    public static void configure(JavalinConfig c, TlsConfig tls, String host, int port) {
        SslContextFactory.Server ssl = sslContextFactory(tls);
        c.jetty.addConnector((server, httpConfig) -> {
            HttpConfiguration https = new HttpConfiguration(httpConfig);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // many reach Opsdeck by IP address or an internal name; whether the certificate fits is the
            // client's check to make, not a reason for the server to answer 400
            secure.setSniHostCheck(false);
            https.addCustomizer(secure);
            ServerConnector connector = new ServerConnector(
                    server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
            connector.setHost(host);
            connector.setPort(port);
            return connector;
        });
    }

    static SslContextFactory.Server sslContextFactory(TlsConfig tls) {
        // the in-memory keystore never leaves the process; its password only satisfies the KeyStore API
        char[] password = tls.pem() ? randomPassword() : tls.keystorePassword().toCharArray();
        KeyStore store =
                tls.pem() ? PemKeyStore.load(tls.cert(), tls.key(), password) : pkcs12(tls.keystore(), password);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(store);
        ssl.setKeyStorePassword(new String(password));
        ssl.setKeyManagerPassword(new String(password));
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        ssl.setRenegotiationAllowed(false);
        return ssl;
    }

    private static KeyStore pkcs12(Path file, char[] password) {
        byte[] bytes = TlsFiles.bytes("server.tls.keystore", file);
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new TlsException("server.tls.keystore: " + file + ": wrong keystore_password", e);
            }
            throw new TlsException(
                    "server.tls.keystore: " + file + ": not a PKCS#12 keystore (make one with: openssl pkcs12"
                            + " -export -in opsdeck.crt -inkey opsdeck.key -out " + file.getFileName() + ")",
                    e);
        } catch (GeneralSecurityException e) {
            throw new TlsException("server.tls.keystore: " + file + ": cannot read (" + e.getMessage() + ")", e);
        }
        checkKeyEntry(file, store, password);
        return store;
    }

    /** At least one key entry; each must open with the password and belong to its certificate. */
    private static void checkKeyEntry(Path file, KeyStore store, char[] password) {
        boolean found = false;
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) continue;
                PrivateKey key = (PrivateKey) store.getKey(alias, password);
                if (!(store.getCertificate(alias) instanceof X509Certificate cert)
                        || !KeyPairCheck.matches(key, cert)) {
                    throw new TlsException("server.tls.keystore: " + file + ": the key in entry '" + alias
                            + "' does not belong to its certificate");
                }
                found = true;
            }
        } catch (UnrecoverableKeyException e) {
            throw new TlsException(
                    "server.tls.keystore: " + file + ": the key entry has a password other than"
                            + " keystore_password; give both the same password",
                    e);
        } catch (GeneralSecurityException e) {
            throw new TlsException("server.tls.keystore: " + file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (!found)
            throw new TlsException("server.tls.keystore: " + file + ": holds no private key with its certificate");
    }

    private static char[] randomPassword() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return Base64.getEncoder().encodeToString(random).toCharArray();
    }
}
