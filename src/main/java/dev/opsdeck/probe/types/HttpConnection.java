package dev.opsdeck.probe.types;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 connection on a blocking socket, used by the probe's own (virtual) thread. Every blocking
 * step (connect, TLS handshake, each read) is bounded by the probe's {@link Deadline}. Over TLS it trusts
 * the JVM's default trust store and checks the host name, unless the check is {@code insecure}.
 */
final class HttpConnection implements AutoCloseable {
    /** Where a connection goes; connections are shared only between requests with the same key. */
    record Key(boolean tls, String host, int port, boolean insecure) {}

    /** Status line and header fields; names lower-cased, repeated fields joined with ", ". */
    record Head(int status, boolean http10, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEAD = 64 * 1024;

    private final Key key;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final X509Certificate certificate;
    private long idleSinceNanos;
    private boolean responseStarted;

    private HttpConnection(Key key, Socket socket, X509Certificate certificate) throws IOException {
        this.key = key;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 4096);
        this.out = socket.getOutputStream();
        this.certificate = certificate;
    }

    /** Connects (and handshakes) within the deadline; a connect that takes too long is "timed out after ...". */
    static HttpConnection open(Key key, Deadline deadline) throws Exception {
        Socket raw = new Socket();
        try {
            raw.setTcpNoDelay(true); // request head and body go out in one write; no reason to wait for an ACK
            raw.connect(new InetSocketAddress(key.host(), key.port()), deadline.remainingMillis());
            if (!key.tls()) return new HttpConnection(key, raw, null);
            SSLSocket tls = (SSLSocket)
                    context(key.insecure()).getSocketFactory().createSocket(raw, key.host(), key.port(), true);
            if (!key.insecure()) {
                SSLParameters p = tls.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS"); // the name in the URL must match the certificate
                tls.setSSLParameters(p);
            }
            tls.setSoTimeout(deadline.remainingMillis());
            tls.startHandshake();
            return new HttpConnection(key, tls, leaf(tls));
        } catch (SocketTimeoutException e) {
            raw.close();
            throw deadline.expired();
        } catch (Exception e) {
            raw.close();
            throw e;
        }
    }

    private static SSLContext context(boolean insecure) throws NoSuchAlgorithmException {
        return insecure ? Insecure.CONTEXT : SSLContext.getDefault();
    }

    /** Built on first use only: most configurations never ask for an insecure connection. */
    private static final class Insecure {
        static final SSLContext CONTEXT = Certificates.trustAll();
    }

    private static X509Certificate leaf(SSLSocket tls) {
        try {
            Certificate[] chain = tls.getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (Exception e) {
            return null;
        }
    }

    Key key() {
        return key;
    }

    Socket socket() {
        return socket;
    }

    InputStream in() {
        return in;
    }

    /** The server's certificate over TLS, null over plain HTTP. */
    X509Certificate certificate() {
        return certificate;
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    void idleSince(long nanos) {
        idleSinceNanos = nanos;
    }

    /** True once a byte of the response arrived: a failure after that is not a stale pooled connection. */
    boolean responseStarted() {
        return responseStarted;
    }

    /** Sends a request and reads the head of its final response (skipping 1xx interim responses). */
    Head send(byte[] request, Deadline deadline) throws IOException, Failed {
        responseStarted = false;
        socket.setSoTimeout(deadline.remainingMillis());
        out.write(request);
        out.flush();
        while (true) {
            Head head = readHead(deadline);
            if (head.status() >= 200 || head.status() == 101) return head;
        }
    }

    private Head readHead(Deadline deadline) throws IOException, Failed {
        String statusLine = readLine(socket, in, deadline);
        responseStarted = true;
        int status = statusCode(statusLine);
        Map<String, String> headers = new TreeMap<>();
        int total = statusLine.length();
        while (true) {
            String line = readLine(socket, in, deadline);
            if (line.isEmpty()) break;
            total += line.length();
            if (total > MAX_HEAD) throw new Failed("response header larger than " + MAX_HEAD / 1024 + " KB");
            int colon = line.indexOf(':');
            if (colon <= 0) throw new Failed("malformed response header line \"" + BoundedBody.abbreviate(line) + "\"");
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        return new Head(status, statusLine.startsWith("HTTP/1.0"), headers);
    }

    private static int statusCode(String line) throws Failed {
        // "HTTP/1.1 200 OK"; the reason phrase may be empty or missing
        if (line.startsWith("HTTP/1.") && line.length() >= 12 && line.charAt(8) == ' ') {
            int status = 0;
            for (int i = 9; i < 12; i++) {
                char c = line.charAt(i);
                if (c < '0' || c > '9') status = -1_000;
                status = status * 10 + (c - '0');
            }
            if (status >= 100 && status <= 999 && (line.length() == 12 || line.charAt(12) == ' ')) return status;
        }
        throw new Failed("not an HTTP/1.x response: \"" + BoundedBody.abbreviate(line) + "\"");
    }

    /** One CRLF- (or LF-) terminated line in ISO-8859-1, without its terminator. */
    static String readLine(Socket socket, InputStream in, Deadline deadline) throws IOException, Failed {
        socket.setSoTimeout(deadline.remainingMillis());
        byte[] line = new byte[128];
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(n == 0 ? "connection closed before a response" : "connection closed mid-line");
            }
            if (b == '\n') break;
            if (n == line.length) {
                if (n >= MAX_LINE) throw new Failed("response line longer than " + MAX_LINE / 1024 + " KB");
                line = Arrays.copyOf(line, n * 2);
            }
            line[n++] = (byte) b;
        }
        if (n > 0 && line[n - 1] == '\r') n--;
        return new String(line, 0, n, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do with a connection that cannot even close
        }
    }
}
