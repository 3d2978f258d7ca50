package dev.opsdeck.probe.types;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Certificate helpers shared by the http, prometheus and tls checks, and by the certificate inventory.
 * Reading a certificate and judging it are kept apart on purpose: a monitor has to be able
 * to look at an expired or self-signed certificate to say how it is broken.
 */
public final class Certificates {
    private Certificates() {}

    /**
     * A context that accepts any certificate and skips host name checks. It must be an
     * X509ExtendedTrustManager: JSSE wraps a plain X509TrustManager and then checks the
     * host name itself, which is exactly what "insecure" has to turn off.
     */
    public static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AcceptAll()}, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }

    /** Null when the JVM's default trust store accepts the chain, otherwise why it does not. */
    public static String chainProblem(X509Certificate[] chain, Instant now) {
        X509Certificate leaf = chain[0];
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            return "certificate expired on " + leaf.getNotAfter().toInstant();
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            return "certificate not valid before " + leaf.getNotBefore().toInstant();
        }
        try {
            // "UNKNOWN" skips the key-usage check tied to a TLS 1.2 key exchange; the
            // handshake already negotiated one, we only want to know if the chain is trusted.
            defaultTrustManager().checkServerTrusted(chain, "UNKNOWN");
            return null;
        } catch (CertificateException e) {
            return reason(e);
        }
    }

    private static String reason(CertificateException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("unable to find valid certification path")) {
            return "certificate not trusted (self-signed or unknown CA)";
        }
        if (m.contains("NotAfter") || m.contains("expired")) {
            return "a certificate in the chain has expired";
        }
        return m.replaceFirst("^PKIX path (building|validation) failed: [\\w.]+: ", "");
    }

    private static X509TrustManager defaultTrustManager() throws CertificateException {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init((KeyStore) null);
            for (TrustManager tm : f.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) return x;
            }
        } catch (Exception e) {
            throw new CertificateException("no default trust store: " + e.getMessage(), e);
        }
        throw new CertificateException("no default trust store");
    }

    /**
     * RFC 6125 matching: IP literals against IP SANs; names against DNS SANs, where a
     * wildcard stands for exactly one whole left-most label. The subject CN is only used
     * when the certificate has no DNS SAN at all (legacy certificates; the JDK does the same).
     */
    public static boolean hostnameMatches(X509Certificate cert, String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
        boolean literal = name.matches("[0-9.]+") || name.contains(":");
        List<String> dns = new ArrayList<>();
        try {
            if (cert.getSubjectAlternativeNames() != null) {
                for (List<?> san : cert.getSubjectAlternativeNames()) {
                    int type = (Integer) san.get(0);
                    String value = String.valueOf(san.get(1));
                    if (type == 7 && literal && sameAddress(value, name)) return true;
                    if (type == 2) dns.add(value.toLowerCase(Locale.ROOT));
                }
            }
        } catch (CertificateException e) {
            return false;
        }
        if (literal) return false;
        if (dns.isEmpty()) {
            String cn = commonName(cert);
            return cn != null && matchesPattern(cn.toLowerCase(Locale.ROOT), name);
        }
        for (String pattern : dns) {
            if (matchesPattern(pattern, name)) return true;
        }
        return false;
    }

    private static boolean matchesPattern(String pattern, String name) {
        if (!pattern.startsWith("*.")) return pattern.equals(name);
        String suffix = pattern.substring(1); // ".example.com"
        int dot = name.indexOf('.');
        // "*.example.com" matches "a.example.com" but neither "example.com" nor "a.b.example.com"
        return dot > 0 && name.substring(dot).equals(suffix) && suffix.indexOf('.', 1) > 0;
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b)); // literals: no DNS lookup
        } catch (Exception e) {
            return false;
        }
    }

    public static String commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) return String.valueOf(rdn.getValue());
            }
        } catch (Exception ignored) {
            // a subject that is not a valid DN has no usable CN
        }
        return null;
    }

    /**
     * The chain a TLS server presents at {@code host:port}, asking for {@code serverName} by SNI; read without
     * judging it (an expired or self-signed chain is read too).
     */
    public static X509Certificate[] presented(String host, int port, String serverName, int timeoutMillis)
            throws IOException {
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(host, port), timeoutMillis);
            try (SSLSocket tls =
                    (SSLSocket) ReadAnything.CONTEXT.getSocketFactory().createSocket(raw, serverName, port, true)) {
                SSLParameters p = tls.getSSLParameters();
                sni(serverName, p);
                tls.setSSLParameters(p);
                tls.setSoTimeout(timeoutMillis);
                tls.startHandshake();
                Certificate[] peer = tls.getSession().getPeerCertificates();
                X509Certificate[] chain = new X509Certificate[peer.length];
                for (int i = 0; i < peer.length; i++) {
                    if (!(peer[i] instanceof X509Certificate x))
                        throw new IOException("server sent a non-X.509 certificate");
                    chain[i] = x;
                }
                return chain;
            }
        }
    }

    /** In a holder: building an SSL context costs a cold start ~60 ms, which configs without TLS skip. */
    private static final class ReadAnything {
        static final SSLContext CONTEXT = trustAll();
    }

    static void sni(String serverName, SSLParameters p) {
        try {
            p.setServerNames(List.of(new SNIHostName(serverName)));
        } catch (IllegalArgumentException e) {
            // IP addresses (and names SNI cannot carry) are sent without SNI, as browsers do
        }
    }

    static Duration untilExpiry(X509Certificate cert, Instant now) {
        return Duration.between(now, cert.getNotAfter().toInstant());
    }

    /** Trusts everything; used only to read certificates, never to decide they are fine. */
    private static final class AcceptAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] c, String a, Socket s) {}

        @Override
        public void checkServerTrusted(X509Certificate[] c, String a, Socket s) {}

        @Override
        public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}

        @Override
        public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}

        @Override
        public void checkClientTrusted(X509Certificate[] c, String a) {}

        @Override
        public void checkServerTrusted(X509Certificate[] c, String a) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
