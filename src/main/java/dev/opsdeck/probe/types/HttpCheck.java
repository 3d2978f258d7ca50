package dev.opsdeck.probe.types;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.Fields;
import dev.opsdeck.probe.CheckType;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Probe;
import dev.opsdeck.probe.ProbeContext;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code type: http} — one request (following redirects) with a bounded body read.
 * Measures STATUS, BODY, HEADERS, RESPONSE_TIME and, for https, CERTIFICATE_EXPIRATION.
 */
public final class HttpCheck implements CheckType {
    static final long DEFAULT_MAX_BODY = 1_000_000; // 1MB: any health page fits, a runaway download does not
    private static final Pattern CHARSET = Pattern.compile("(?i)charset=\"?([^\";\\s]+)");

    @Override
    public String name() {
        return "http";
    }

    @Override
    public Set<String> placeholders() {
        return Set.of(
                "STATUS",
                "BODY",
                "HEADERS",
                "RESPONSE_TIME",
                "CERTIFICATE_EXPIRATION",
                "CONNECTED",
                "BODY_TRUNCATED",
                "REDIRECTS");
    }

    @Override
    public List<String> defaultConditions() {
        return List.of("[STATUS] < 400");
    }

    @Override
    public Probe configure(CheckDef check, Fields f) {
        URI url = HttpFetch.url(f, "url");
        String method = f.string("method", "GET").toUpperCase(Locale.ROOT);
        if (!method.matches("[A-Z]+")) {
            f.problem("method", "\"" + method + "\" is not an HTTP method", "e.g. GET, HEAD, POST");
        }
        Map<String, String> headers = HttpFetch.headers(f, "headers");
        String body = f.string("body", null);
        boolean follow = f.bool("follow_redirects", true);
        int maxRedirects = f.integer("max_redirects", 10, 0, 100);
        long maxBody = f.size("max_body", DEFAULT_MAX_BODY);
        boolean insecure = f.bool("insecure", false);
        if (url == null) {
            return null;
        }
        var request = new HttpFetch.Request(method, url, headers, body, follow, maxRedirects, maxBody);
        return new HttpProbe(request, new HttpFetch(insecure));
    }

    /** Decodes with the charset the server declared, UTF-8 when it declared none or nonsense. */
    static String text(byte[] body, Map<String, String> headers) {
        String type = headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("content-type"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse("");
        Matcher m = CHARSET.matcher(type);
        Charset cs = StandardCharsets.UTF_8;
        if (m.find()) {
            try {
                cs = Charset.forName(m.group(1));
            } catch (Exception ignored) {
                // unknown charset: UTF-8 is the best guess
            }
        }
        return new String(body, cs);
    }

    private record HttpProbe(HttpFetch.Request request, HttpFetch fetch) implements Probe {
        @Override
        public Observation observe(ProbeContext context) throws Exception {
            return fetch.observe(request, context, (r, o) -> {
                o.put("HEADERS", r.headers())
                        .put("BODY", text(r.body().bytes(), r.headers()))
                        .put("BODY_TRUNCATED", r.body().truncated())
                        .put("REDIRECTS", (long) r.redirects())
                        .put("RESPONSE_TIME", r.elapsed());
                if (r.certificate() != null) {
                    o.put("CERTIFICATE_EXPIRATION", Certificates.untilExpiry(r.certificate(), Instant.now()));
                }
                return o;
            });
        }

        @Override
        public void close() {
            fetch.close();
        }
    }
}
