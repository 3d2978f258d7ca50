package dev.opsdeck.probe.types;

import dev.opsdeck.config.Fields;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;

/**
 * One HTTP exchange for the http and prometheus checks, under a single deadline. Redirects
 * are followed here rather than by the client so that loops and limits can be reported as
 * such instead of as a vague error.
 */
final class HttpFetch implements AutoCloseable {
    record Request(String method, URI uri, Map<String, String> headers, String body,
                   boolean followRedirects, int maxRedirects, long maxBody) {}

    record Response(int status, Map<String, String> headers, BoundedBody.Result body,
                    X509Certificate certificate, int redirects, Duration elapsed) {}

    private static final Set<String> MANAGED_HEADERS = Set.of("host", "connection", "content-length", "expect",
            "upgrade");

    private final boolean insecure;

    /**
     * The check's timeout is not handed to the client (neither as connect nor as request timeout):
     * the {@link Deadline} of each fetch bounds connect, request and body together, and every client
     * timeout costs a registration under the shared client's lock plus a selector wake-up, per request.
     */
    HttpFetch(Duration timeout, boolean insecure) {
        this.insecure = insecure;
    }

    /**
     * Clients are shared by every check with the same settings: each HttpClient owns a selector
     * thread, and 10,000 checks must not mean 10,000 threads. They are built on first use, so
     * validating a config starts nothing, and live as long as the process.
     */
    private static final Map<Boolean, HttpClient> CLIENTS = new java.util.concurrent.ConcurrentHashMap<>();

    static {
        // The JDK's idle-connection pool is unbounded and inserts in linear time: with thousands of
        // checks it held one idle connection per check and showed up first in CPU profiles. A cap
        // keeps reuse for hot targets; must be set before the first HttpClient is built.
        if (System.getProperty("jdk.httpclient.connectionPoolSize") == null) {
            System.setProperty("jdk.httpclient.connectionPoolSize", "256");
        }
    }

    private static final java.util.concurrent.Executor EXECUTOR =
            java.util.concurrent.Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("http-client-", 0).factory());

    private HttpClient client() {
        return CLIENTS.computeIfAbsent(insecure, key -> {
            // HTTP/1.1 only: an h2c upgrade attempt confuses some plain servers, and
            // monitoring gains nothing from multiplexing one request.
            // The default executor is an unbounded cached thread pool: when the selector thread fell
            // behind (a busy machine, thousands of checks) it grew to thousands of platform threads
            // queueing on the client's selector lock, each with its own stack. Virtual threads keep the
            // client's tasks off the OS thread count, and a blocking step (a name lookup) still cannot
            // hold up the other checks' exchanges.
            HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(EXECUTOR)
                    .followRedirects(HttpClient.Redirect.NEVER);
            if (insecure) b.sslContext(Tls.trustAll());
            return b.build();
        });
    }

    Response fetch(Request req, Deadline deadline) throws Exception {
        URI uri = req.uri();
        String method = req.method();
        String body = req.body();
        Set<String> seen = new HashSet<>();
        seen.add(method + " " + uri);
        int redirects = 0;
        while (true) {
            boolean follow = req.followRedirects();
            HttpResponse<BoundedBody.Result> r = exchange(uri, method, body, req, deadline);
            String location = r.headers().firstValue("location").orElse(null);
            if (!follow || !isRedirect(r.statusCode()) || location == null) {
                return new Response(r.statusCode(), headers(r), r.body(), certificate(r), redirects,
                        deadline.elapsed());
            }
            URI next = resolve(uri, location);
            if (r.statusCode() == 303 || (r.statusCode() <= 302 && method.equals("POST"))) {
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

    private HttpResponse<BoundedBody.Result> exchange(URI uri, String method, String body, Request req,
                                                      Deadline deadline) throws Exception {
        long left = deadline.remainingMillis();
        // No request timeout for the client: the wait below is the deadline and cancels the exchange
        // (closing its connection). A client timeout would put one more entry per request into the
        // client's shared timer queue, whose locking was a tenth of the CPU profile at 10,000 checks.
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        req.headers().forEach(b::header);
        AtomicReference<BoundedBody> subscriber = new AtomicReference<>();
        var future = client().sendAsync(b.build(), info -> {
            // a redirect we are about to follow needs no body
            long limit = req.followRedirects() && isRedirect(info.statusCode()) ? 0 : req.maxBody();
            BoundedBody s = new BoundedBody(limit);
            subscriber.set(s);
            return s;
        });
        try {
            return future.get(left, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | InterruptedException e) {
            future.cancel(true);
            BoundedBody s = subscriber.get();
            if (s != null) s.abort();
            if (e instanceof InterruptedException) throw e;
            throw deadline.expired();
        } catch (ExecutionException e) {
            throw translate(e.getCause(), uri);
        }
    }

    /** The client reports an unknown host as a bare ConnectException; say what it is. */
    private static Exception translate(Throwable t, URI uri) {
        if (t instanceof ConnectException && t.getCause() instanceof UnresolvedAddressException) {
            return new UnknownHostException(uri.getHost());
        }
        return t instanceof Exception e ? e : new ExecutionException(t);
    }

    private static URI resolve(URI base, String location) throws Failed {
        try {
            URI next = base.resolve(location.strip());
            if (!"http".equalsIgnoreCase(next.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
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

    private static Map<String, String> headers(HttpResponse<?> r) {
        Map<String, String> out = new LinkedHashMap<>();
        r.headers().map().forEach((k, v) -> out.put(k, String.join(", ", v)));
        return out;
    }

    private static X509Certificate certificate(HttpResponse<?> r) {
        try {
            SSLSession session = r.sslSession().orElse(null);
            if (session == null) return null;
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public void close() {
        // the client is shared with other checks (see CLIENTS); nothing of this probe's own to free
    }

    // ---- configuration helpers shared by the checks that fetch over HTTP ----

    /** Reads a required http(s) URL, reporting a bad one at its position. */
    static URI url(Fields f, String key) {
        String text = f.requiredString(key);
        if (text == null) return null;
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (Exception ignored) {
            // reported below
        }
        f.problems().add(f.positionOf(key), f.section() + "." + key + ": not an http(s) URL",
                "write e.g. https://example.com/health");
        return null;
    }

    /** Reads request headers, rejecting those the JDK client refuses to send (Host, Connection...). */
    static Map<String, String> headers(Fields f, String key) {
        Map<String, String> headers = f.stringMap(key);
        Map<String, String> ok = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            try {
                HttpRequest.newBuilder().header(name, value);
                ok.put(name, value);
            } catch (IllegalArgumentException e) {
                boolean managed = MANAGED_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT));
                f.problems().add(f.positionOf(key), f.section() + "." + key + "." + name
                        + (managed ? ": this header is set by the HTTP client" : ": not a valid header"),
                        managed ? "Host, Connection, Content-Length, Expect and Upgrade cannot be overridden" : null);
            }
        });
        return ok;
    }
}
