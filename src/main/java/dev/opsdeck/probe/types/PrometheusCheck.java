package dev.opsdeck.probe.types;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.Fields;
import dev.opsdeck.config.Units;
import dev.opsdeck.probe.CheckType;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Probe;
import dev.opsdeck.probe.ProbeContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * {@code type: prometheus} — reads one metric from a text-format /metrics page.
 * [VALUE] is the first matching sample in page order; [SAMPLES] counts the matches and
 * [SUM] adds them up (for counters split across labels).
 */
public final class PrometheusCheck implements CheckType {
    static final long DEFAULT_MAX_BODY = 10_000_000; // metrics pages of busy services run to several MB
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    /** One label matcher: an exact value, or a regex (written {@code ~regex}) that must match whole. */
    private record Matcher(String label, String exact, Pattern regex) {
        boolean test(Map<String, String> labels) {
            String v = labels.getOrDefault(label, ""); // Prometheus: a missing label equals ""
            return regex != null ? regex.matcher(v).matches() : v.equals(exact);
        }

        String show() {
            return regex != null ? label + "=~\"" + regex.pattern() + "\"" : label + "=\"" + exact + "\"";
        }
    }

    @Override
    public String name() {
        return "prometheus";
    }

    @Override
    public Set<String> placeholders() {
        return Set.of("VALUE", "SAMPLES", "SUM", "CONNECTED", "STATUS", "RESPONSE_TIME");
    }

    @Override
    public List<String> defaultConditions() {
        return List.of("[SAMPLES] > 0");
    }

    @Override
    public Probe configure(CheckDef check, Fields f) {
        URI url = HttpFetch.url(f, "url");
        String metric = f.requiredString("metric");
        if (metric != null && !METRIC_NAME.matcher(metric).matches()) {
            f.problem(
                    "metric",
                    "\"" + metric + "\" is not a metric name",
                    "letters, digits, '_' and ':', e.g. http_requests_total");
            metric = null;
        }
        List<Matcher> matchers = matchers(f);
        Map<String, String> headers = new LinkedHashMap<>(HttpFetch.headers(f, "headers"));
        if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("accept"))) {
            // ask for the classic text format; servers that can also speak protobuf would otherwise choose
            headers.put("Accept", "text/plain;version=0.0.4;q=1,*/*;q=0.1");
        }
        long maxBody = f.size("max_body", DEFAULT_MAX_BODY);
        boolean insecure = f.bool("insecure", false);
        if (url == null || metric == null || matchers == null) {
            return null;
        }
        var request = new HttpFetch.Request("GET", url, headers, null, true, 10, maxBody);
        return new MetricsProbe(request, new HttpFetch(insecure), metric, matchers);
    }

    private static List<Matcher> matchers(Fields f) {
        Map<String, String> labels = f.stringMap("labels");
        List<Matcher> out = new ArrayList<>();
        boolean ok = true;
        for (var e : labels.entrySet()) {
            String v = e.getValue();
            if (!v.startsWith("~")) {
                out.add(new Matcher(e.getKey(), v, null));
                continue;
            }
            try {
                out.add(new Matcher(e.getKey(), null, Pattern.compile(v.substring(1))));
            } catch (PatternSyntaxException ex) {
                f.problems()
                        .add(
                                f.positionOf("labels"),
                                f.section() + ".labels." + e.getKey() + ": bad regex: " + ex.getDescription(),
                                "a value starting with ~ is a regular expression");
                ok = false;
            }
        }
        return ok ? out : null;
    }

    private record MetricsProbe(HttpFetch.Request request, HttpFetch fetch, String metric, List<Matcher> matchers)
            implements Probe {
        @Override
        public Observation observe(ProbeContext context) throws Exception {
            return fetch.observe(request, context, this::read);
        }

        private Observation read(HttpFetch.Response r, Observation o) {
            o.put("RESPONSE_TIME", r.elapsed());
            if (r.status() < 200 || r.status() > 299) {
                return o.fail("metrics endpoint answered HTTP " + r.status());
            }
            List<PrometheusText.Sample> found;
            try {
                found = PrometheusText.samples(
                        HttpCheck.text(r.body().bytes(), r.headers()),
                        metric,
                        labels -> matchers.stream().allMatch(m -> m.test(labels)));
            } catch (PrometheusText.Malformed e) {
                return o.fail("cannot parse " + metric + " on " + e.getMessage());
            }
            o.put("SAMPLES", (long) found.size());
            if (found.isEmpty()) {
                String why = "no sample of " + metric + " matching " + selector();
                if (r.body().truncated()) {
                    why += " (page cut at " + Units.formatBytes(request.maxBody()) + "; raise max_body)";
                }
                return o.fail(why);
            }
            o.put("VALUE", found.get(0).value());
            o.put(
                    "SUM",
                    found.stream().mapToDouble(PrometheusText.Sample::value).sum());
            return o;
        }

        private String selector() {
            return matchers.stream().map(Matcher::show).collect(Collectors.joining(", ", "{", "}"));
        }

        @Override
        public void close() {
            fetch.close();
        }
    }
}
