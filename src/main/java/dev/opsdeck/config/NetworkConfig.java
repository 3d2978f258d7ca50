package dev.opsdeck.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code network:} who may talk to Opsdeck and how much. Empty {@code allowed_subnets} means every
 * source; {@code X-Forwarded-For} is honoured only from {@code trusted_proxies}.
 */
public record NetworkConfig(
        List<Cidr> allowedSubnets,
        List<Cidr> trustedProxies,
        List<String> corsOrigins,
        Rate perSource,
        Rate perKey,
        long maxRequestBody) {
    /** {@code requests} per {@code period}, written {@code 600/1m}. */
    public record Rate(long requests, Duration period) {
        @Override
        public String toString() {
            return requests + "/" + Units.format(period);
        }
    }

    public static final NetworkConfig DEFAULTS = new NetworkConfig(
            List.of(),
            List.of(),
            List.of(),
            new Rate(600, Duration.ofMinutes(1)),
            new Rate(1200, Duration.ofMinutes(1)),
            1_000_000L);

    public static NetworkConfig read(Fields f) {
        NetworkConfig d = DEFAULTS;
        List<Cidr> allowed = cidrs(f, "allowed_subnets");
        List<Cidr> proxies = cidrs(f, "trusted_proxies");
        List<String> origins = new ArrayList<>();
        for (YamlNode o : f.scalarList("cors_origins")) {
            String t = o.text();
            if (!t.equals("*") && !t.matches("https?://[^/\\s]+")) {
                f.problems()
                        .add(
                                o.position(),
                                "network.cors_origins: \"" + t + "\" is not an origin",
                                "write scheme://host[:port] with no path, e.g. https://ops.example.com");
            } else if (t.equals("*")) {
                f.problems()
                        .add(
                                o.position(),
                                "network.cors_origins: \"*\" would let any site call the API",
                                "list the origins that may call it");
            } else {
                origins.add(t);
            }
        }
        Fields r = f.child("rate_limit");
        Rate perSource = rate(r, "per_source", d.perSource);
        Rate perKey = rate(r, "per_key", d.perKey);
        r.finish();
        long body = f.size("max_request_body", d.maxRequestBody, "1KB", "100MB");
        f.finish();
        return new NetworkConfig(allowed, proxies, List.copyOf(origins), perSource, perKey, body);
    }

    private static List<Cidr> cidrs(Fields f, String key) {
        List<Cidr> out = new ArrayList<>();
        for (YamlNode n : f.scalarList(key)) {
            try {
                out.add(Cidr.parse(n.text()));
            } catch (IllegalArgumentException e) {
                f.problems()
                        .add(
                                n.position(),
                                "network." + key + ": " + e.getMessage(),
                                "write an address or a subnet: 10.0.0.0/8, 192.168.1.7, fd00::/8");
            }
        }
        return List.copyOf(out);
    }

    private static Rate rate(Fields f, String key, Rate fallback) {
        String text = f.string(key, null);
        if (text == null) return fallback;
        int slash = text.indexOf('/');
        try {
            long n = Long.parseLong(
                    text.substring(0, slash < 0 ? text.length() : slash).trim());
            Duration per =
                    slash < 0 ? null : Units.duration(text.substring(slash + 1).trim());
            if (n < 1 || per == null || per.isZero()) throw new NumberFormatException();
            return new Rate(n, per);
        } catch (NumberFormatException e) {
            f.problem(key, "bad rate \"" + text + "\"", "write requests per period: 600/1m, 20/1s");
            return fallback;
        }
    }
}
