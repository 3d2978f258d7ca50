package dev.opsdeck.probe;

import dev.opsdeck.config.Units;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/** Turns exceptions from probes into the short messages an on-call engineer can act on. */
public final class Failures {
    private Failures() {}

    public static String describe(Throwable e, Duration timeout) {
        Throwable t = e;
        while (t.getCause() != null
                && t.getCause() != t
                && (t instanceof ExecutionException
                        || t instanceof UncheckedIOException
                        || t.getClass() == IOException.class && t.getCause() != null)) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? "" : t.getMessage();
        if (t instanceof UnknownHostException) return "DNS lookup failed for " + m.replaceAll(":.*", "");
        if (t instanceof HttpConnectTimeoutException) return "connect timed out after " + Units.format(timeout);
        if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
            return "timed out after " + Units.format(timeout);
        }
        if (t instanceof ConnectException)
            return "connection refused" + (m.isBlank() || m.contains("refused") ? "" : ": " + m);
        if (t instanceof NoRouteToHostException) return "no route to host";
        if (t instanceof SSLHandshakeException) return "TLS handshake failed: " + tlsReason(t);
        if (t instanceof SSLException && m.contains("nrecognized SSL message")) {
            return "TLS error: the server did not answer with TLS (plain-text port?)";
        }
        if (t instanceof SSLException) return "TLS error: " + m;
        if (t instanceof EOFException) return "connection closed by peer";
        return (t.getClass().getSimpleName() + (m.isBlank() ? "" : ": " + m)).strip();
    }

    private static String tlsReason(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) root = root.getCause();
        String m = root.getMessage() == null ? t.getMessage() : root.getMessage();
        if (m == null) return "unknown reason";
        if (m.contains("unable to find valid certification path"))
            return "certificate not trusted (self-signed or unknown CA)";
        if (m.contains("NotAfter") || m.contains("expired")) return "certificate expired";
        if (m.contains("No subject alternative")) return "certificate does not match the host name";
        // the JDK words this differently for sockets and for the HTTP client's SSLEngine
        if (m.contains("Remote host terminated") || m.contains("Remote host closed") || m.contains("peer shut down")) {
            return "server closed the connection";
        }
        return m;
    }
}
