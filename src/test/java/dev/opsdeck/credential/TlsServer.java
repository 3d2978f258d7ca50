package dev.opsdeck.credential;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/** A real TLS server on a free loopback port presenting a keystore's chain; it remembers the SNI names asked for. */
final class TlsServer implements AutoCloseable {
    final List<String> serverNames = new CopyOnWriteArrayList<>();
    private final SSLServerSocket socket;

    TlsServer(Path keystore, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            ks.load(in, password.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        socket = (SSLServerSocket)
                ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        SSLParameters p = socket.getSSLParameters();
        p.setSNIMatchers(List.of(new SNIMatcher(0) {
            @Override
            public boolean matches(SNIServerName name) {
                serverNames.add(new SNIHostName(name.getEncoded()).getAsciiName());
                return true;
            }
        }));
        socket.setSSLParameters(p);
        Thread.ofPlatform().daemon().name("test-tls-server").start(this::serve);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                ((SSLSocket) s).startHandshake();
            } catch (Exception e) {
                // a client that gave up, or the server closing
            }
        }
    }

    @Override
    public void close() throws Exception {
        socket.close();
    }
}
