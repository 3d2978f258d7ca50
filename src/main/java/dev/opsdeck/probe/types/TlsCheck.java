package dev.opsdeck.probe.types;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.Fields;
import dev.opsdeck.probe.CheckType;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Probe;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * {@code type: tls} — handshakes with {@code host:port} and inspects the server certificate.
 * The handshake trusts everything so that expired, self-signed or mismatched certificates can
 * still be read; whether the chain is trusted and the name matches are then judged separately
 * and exposed as [CHAIN_VALID] and [HOSTNAME_VALID].
 */
public final class TlsCheck implements CheckType {
    /** In a holder: building an SSL context costs a cold start ~60 ms, which configs without tls checks skip. */
    private static final class ReadAnything {
        static final SSLContext CONTEXT = Certificates.trustAll();
    }

    @Override
    public String name() {
        return "tls";
    }

    @Override
    public Set<String> placeholders() {
        return Set.of(
                "CONNECTED",
                "CERTIFICATE_EXPIRATION",
                "DAYS_TO_EXPIRY",
                "HOSTNAME_VALID",
                "CHAIN_VALID",
                "CHAIN_ERROR",
                "ISSUER",
                "SUBJECT",
                "PROTOCOL",
                "RESPONSE_TIME");
    }

    @Override
    public List<String> defaultConditions() {
        // DAYS_TO_EXPIRY is floored, so ">= 0" is exactly "not expired yet"; warning earlier is
        // a degraded_when matter, because a certificate that still works is not down
        return List.of(
                "[CONNECTED] == true", "[CHAIN_VALID] == true", "[HOSTNAME_VALID] == true", "[DAYS_TO_EXPIRY] >= 0");
    }

    @Override
    public Probe configure(CheckDef check, Fields f) {
        String host = f.requiredString("host");
        int port = f.integer("port", 443, 1, 65535);
        String serverName = f.string("server_name", host);
        if (host == null) {
            return null;
        }
        return context -> probe(host, port, serverName, new Deadline(context.timeout()));
    }

    private static Observation probe(String host, int port, String serverName, Deadline deadline) throws Exception {
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(host, port), deadline.remainingMillis());
            var factory = ReadAnything.CONTEXT.getSocketFactory();
            try (SSLSocket tls = (SSLSocket) factory.createSocket(raw, serverName, port, true)) {
                SSLParameters p = tls.getSSLParameters();
                Certificates.sni(serverName, p);
                tls.setSSLParameters(p);
                tls.setSoTimeout(deadline.remainingMillis());
                tls.startHandshake();
                return inspect(tls, serverName, deadline);
            }
        } catch (Failed e) {
            return Observation.failed(e.getMessage());
        }
    }

    private static Observation inspect(SSLSocket tls, String serverName, Deadline deadline) throws Exception {
        Certificate[] peer = tls.getSession().getPeerCertificates();
        X509Certificate[] chain = new X509Certificate[peer.length];
        for (int i = 0; i < peer.length; i++) {
            if (!(peer[i] instanceof X509Certificate x)) {
                return Observation.failed("server sent a non-X.509 certificate");
            }
            chain[i] = x;
        }
        Instant now = Instant.now();
        X509Certificate leaf = chain[0];
        String chainProblem = Certificates.chainProblem(chain, now);
        var untilExpiry = Certificates.untilExpiry(leaf, now);
        return new Observation()
                .put("CONNECTED", true)
                .put("RESPONSE_TIME", deadline.elapsed())
                .put("CERTIFICATE_EXPIRATION", untilExpiry)
                .put("DAYS_TO_EXPIRY", Math.floorDiv(untilExpiry.toSeconds(), 86_400L))
                .put("CHAIN_VALID", chainProblem == null)
                .put("CHAIN_ERROR", chainProblem == null ? "" : chainProblem)
                .put("HOSTNAME_VALID", Certificates.hostnameMatches(leaf, serverName))
                .put("ISSUER", leaf.getIssuerX500Principal().getName())
                .put("SUBJECT", leaf.getSubjectX500Principal().getName())
                .put("PROTOCOL", tls.getSession().getProtocol());
    }
}
