package dev.opsdeck.probe.types;

import dev.opsdeck.config.Fields;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.ProbeContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One HTTP exchange for the http and prometheus checks, under a single deadline. Redirects
 * are followed here rather than by a client so that loops and limits can be reported as
 * such instead of as a vague error.
 *
 * <p>A plain HTTP/1.1 client on blocking sockets: the probe already runs on its own virtual thread, so
 * a blocking read parks only that thread. At 10,000 checks the JDK's asynchronous HttpClient spent most
 * of the probe CPU on its selector thread, CompletableFuture chains and per-exchange objects for a
 * 40-byte JSON answer; a monitor needs neither HTTP/2 nor multiplexing.
 */
final class HttpFetch implements AutoCloseable {
    record Request(
            String method,
            URI uri,
            Map<String, String> headers,
            String body,
            boolean followRedirects,
            int maxRedirects,
            long maxBody) {}

    record Response(
            int status,
            Map<String, String> headers,
            BoundedBody.Result body,
            X509Certificate certificate,
            int redirects,
            Duration elapsed) {}

    /** Set by this client from the request itself; a check may not override them. */
    private static final Set<String> MANAGED_HEADERS =
            Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding", "te");
    /** Methods that may be sent again when a kept-alive connection turns out closed (RFC 9110 9.2.2). */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    private static final String USER_AGENT = "opsdeck";

    private final boolean insecure;
    private final HttpConnectionPool pool = HttpConnectionPool.SHARED;
    /** The encoded first request of this check, the same on every run. */
    private volatile byte[] firstRequest;

    /** What a check reads from a response into the observation that already says it connected and its status. */
    interface Reading {
        Observation read(Response r, Observation o) throws Exception;
    }

    /**
     * One fetch under the check's timeout as the http and prometheus checks observe it: a failed exchange is a
     * failed observation, an answer is read by the check.
     */
    Observation observe(Request req, ProbeContext context, Reading reading) throws Exception {
        Response r;
        try {
            r = fetch(req, new Deadline(context.timeout()));
        } catch (Failed e) {
            return Observation.failed(e.getMessage());
        }
        return reading.read(r, new Observation().put("CONNECTED", true).put("STATUS", (long) r.status()));
    }

    /** The check's timeout bounds each fetch through the {@link Deadline} it is given: connect, request and body. */
    HttpFetch(boolean insecure) {
        this.insecure = insecure;
    }

    Response fetch(Request req, Deadline deadline) throws Exception {
        URI uri = req.uri();
        String method = req.method();
        String body = req.body();
        Set<String> seen = new HashSet<>();
        seen.add(method + " " + uri);
        int redirects = 0;
        while (true) {
            Exchanged r = exchange(uri, method, body, req, redirects == 0, deadline);
            String location = r.head.header("location");
            if (!req.followRedirects() || !isRedirect(r.head.status()) || location == null) {
                return new Response(
                        r.head.status(), r.head.headers(), r.body, r.certificate, redirects, deadline.elapsed());
            }
            URI next = resolve(uri, location);
            if (r.head.status() == 303 || (r.head.status() <= 302 && method.equals("POST"))) {
                method = "GET"; // what browsers do, and what servers answering 303 expect
                body = null;
            }
            if (!seen.add(method + " " + next)) {
                throw new Failed("redirect loop at " + next);
            }
            if (redirects == req.maxRedirects()) {
                throw new Failed("too many redirects (" + req.maxRedirects() + ")");
            }
            redirects++;
            uri = next;
        }
    }

    private record Exchanged(HttpConnection.Head head, BoundedBody.Result body, X509Certificate certificate) {}

    private Exchanged exchange(URI uri, String method, String body, Request req, boolean first, Deadline deadline)
            throws Exception {
        byte[] request;
        if (first) {
            request = firstRequest;
            if (request == null) firstRequest = request = encode(uri, method, body, req.headers());
        } else {
            request = encode(uri, method, body, req.headers());
        }
        HttpConnection.Key key = key(uri);
        boolean idempotent = IDEMPOTENT.contains(method);
        // a POST is never sent on a kept-alive connection: if the server had closed it, sending again
        // could repeat a side effect, and not sending would report a healthy target as down
        HttpConnection c = idempotent ? pool.take(key) : null;
        boolean pooled = c != null;
        try {
            HttpConnection.Head head;
            try {
                if (c == null) c = HttpConnection.open(key, deadline);
                head = c.send(request, deadline);
            } catch (IOException e) {
                if (!pooled || c.responseStarted() || e instanceof SocketTimeoutException) throw e;
                c.close(); // the server closed the idle connection before our request arrived: once more, fresh
                c = HttpConnection.open(key, deadline);
                head = c.send(request, deadline);
            }
            boolean[] reusable = {!head.http10() && !hasToken(head.header("connection"), "close")};
            // a redirect we are about to follow needs no body
            long limit = req.followRedirects() && isRedirect(head.status()) ? 0 : req.maxBody();
            BoundedBody.Result result = body(c, head, method, limit, reusable, deadline);
            if (reusable[0]) pool.give(c);
            else c.close();
            return new Exchanged(head, result, c.certificate());
        } catch (SocketTimeoutException e) {
            if (c != null) c.close();
            throw deadline.expired();
        } catch (IOException e) {
            if (c != null) c.close();
            // interrupted (the engine's hard deadline): the socket was closed under the read
            if (Thread.currentThread().isInterrupted()) throw new InterruptedException();
            throw e;
        } catch (Exception | Error e) {
            if (c != null) c.close();
            throw e;
        }
    }

    /** RFC 9112 6.3: which body follows the head, and whether the connection can carry another request. */
    private static BoundedBody.Result body(
            HttpConnection c,
            HttpConnection.Head head,
            String method,
            long limit,
            boolean[] reusable,
            Deadline deadline)
            throws IOException, Failed {
        int status = head.status();
        if (method.equals("HEAD") || status == 204 || status == 304 || status == 101) {
            if (status == 101) reusable[0] = false;
            return BoundedBody.EMPTY;
        }
        String encoding = head.header("transfer-encoding");
        if (encoding != null) {
            if (encoding.toLowerCase(Locale.ROOT).endsWith("chunked")) {
                return BoundedBody.chunked(c.socket(), c.in(), limit, deadline, reusable);
            }
            reusable[0] = false;
            return BoundedBody.untilClose(c.socket(), c.in(), limit, deadline);
        }
        String length = head.header("content-length");
        if (length != null) {
            return BoundedBody.fixed(c.socket(), c.in(), contentLength(length), limit, deadline, reusable);
        }
        reusable[0] = false;
        return BoundedBody.untilClose(c.socket(), c.in(), limit, deadline);
    }

    private static long contentLength(String value) throws Failed {
        // repeated fields arrive joined ("12, 12"); equal values are allowed, different ones are not
        String[] parts = value.split(",");
        long n = -1;
        for (String p : parts) {
            try {
                long v = Long.parseLong(p.strip());
                if (v < 0 || (n >= 0 && v != n)) throw new NumberFormatException();
                n = v;
            } catch (NumberFormatException e) {
                throw new Failed("bad Content-Length \"" + BoundedBody.abbreviate(value) + "\"");
            }
        }
        return n;
    }

    private static boolean hasToken(String header, String token) {
        if (header == null) return false;
        for (String t : header.split(",")) {
            if (t.strip().equalsIgnoreCase(token)) return true;
        }
        return false;
    }

    private HttpConnection.Key key(URI uri) {
        boolean tls = uri.getScheme().equalsIgnoreCase("https");
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1); // IPv6 literal
        int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
        return new HttpConnection.Key(tls, host, port, tls && insecure);
    }

    /** The request head (and body) as sent: request line, Host, the check's headers, framing. */
    private static byte[] encode(URI uri, String method, String body, Map<String, String> headers) {
        URI ascii = URI.create(uri.toASCIIString()); // a path with non-ASCII characters goes out percent-encoded
        String path = ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
        String target = ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
        StringBuilder h = new StringBuilder(128 + target.length());
        h.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        h.append("Host: ").append(ascii.getHost());
        if (uri.getPort() != -1) h.append(':').append(uri.getPort());
        h.append("\r\n");
        boolean agent = false;
        for (var e : headers.entrySet()) {
            h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
            agent |= e.getKey().equalsIgnoreCase("user-agent");
        }
        if (!agent) h.append("User-Agent: ").append(USER_AGENT).append("\r\n");
        byte[] content = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        if (content != null || method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            h.append("Content-Length: ")
                    .append(content == null ? 0 : content.length)
                    .append("\r\n");
        }
        h.append("\r\n");
        byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (content == null || content.length == 0) return head;
        ByteArrayOutputStream all = new ByteArrayOutputStream(head.length + content.length);
        all.writeBytes(head);
        all.writeBytes(content);
        return all.toByteArray();
    }

    private static URI resolve(URI base, String location) throws Failed {
        try {
            URI next = base.resolve(location.strip());
            if (!"http".equalsIgnoreCase(next.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())
                    || next.getHost() == null) {
                throw new Failed("redirect to unsupported location " + location);
            }
            return next;
        } catch (IllegalArgumentException e) {
            throw new Failed("redirect to malformed location \"" + location + "\"");
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    @Override
    public void close() {
        // connections are pooled for every check of the process (see HttpConnectionPool); nothing of this probe's own
    }

    // ---- configuration helpers shared by the checks that fetch over HTTP ----

    /** Reads a required http(s) URL, reporting a bad one at its position. */
    static URI url(Fields f, String key) {
        String text = f.requiredString(key);
        if (text == null) return null;
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (Exception ignored) {
            // reported below
        }
        f.problem(key, "not an http(s) URL", "write e.g. https://example.com/health");
        return null;
    }

    /** Reads request headers, rejecting those this client sets itself (Host, Connection...) and malformed ones. */
    static Map<String, String> headers(Fields f, String key) {
        Map<String, String> headers = f.stringMap(key);
        Map<String, String> ok = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            boolean managed = MANAGED_HEADERS.contains(name.toLowerCase(Locale.ROOT));
            if (!managed && validName(name) && validValue(value)) {
                ok.put(name, value);
                return;
            }
            f.problems()
                    .add(
                            f.positionOf(key),
                            f.section() + "." + key + "." + name
                                    + (managed ? ": this header is set by the HTTP client" : ": not a valid header"),
                            managed
                                    ? "Host, Connection, Content-Length, Transfer-Encoding, TE, Expect and Upgrade cannot be overridden"
                                    : null);
        });
        return ok;
    }

    /** RFC 9110 5.1: a header name is a token. */
    private static boolean validName(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean token = c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!token) return false;
        }
        return true;
    }

    /** RFC 9110 5.5: visible characters, spaces and tabs; no line breaks that would smuggle another header. */
    private static boolean validValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\t' && (c < 0x20 || c == 0x7f || c > 0xff)) return false;
        }
        return true;
    }
}
