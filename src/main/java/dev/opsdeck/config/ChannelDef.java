package dev.opsdeck.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of {@code channels:}. Common to every type: {@code type}, {@code templates}, {@code retry_horizon}
 * (how long delivery is retried before the message is marked failed) and {@code timeout} (per attempt).
 * {@code webhook}: {@code url}, {@code secret} (HMAC key), {@code headers}. {@code slack}: {@code url} (an
 * incoming-webhook URL, itself a secret). {@code email}: {@code smtp}, {@code from}, {@code to}.
 */
public record ChannelDef(
        String name,
        String type,
        String url,
        String secret,
        Map<String, String> headers,
        SmtpSettings smtp,
        String from,
        List<String> to,
        Map<String, String> templates,
        Duration retryHorizon,
        Duration timeout,
        int maxInFlight,
        Position position) {
    public static final Set<String> TYPES = Set.of("webhook", "slack", "email");
    public static final Duration DEFAULT_RETRY_HORIZON = Duration.ofHours(24);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Attempts at once per channel: a receiver that hangs holds this many delivery slots for one timeout. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 4, MAX_IN_FLIGHT = 32;

    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>\",]+@[^@\\s<>\",]+");
    /** Headers the webhook sender sets itself; a channel may not replace them. */
    private static final Set<String> RESERVED_HEADERS = Set.of(
            "content-type", "idempotency-key", "x-opsdeck-signature", "x-opsdeck-timestamp", "content-length", "host");

    static ChannelDef read(String name, Fields f) {
        String type = f.requiredString("type");
        if (type != null && !TYPES.contains(type)) {
            f.problems()
                    .add(
                            f.positionOf("type"),
                            f.section() + ".type: unknown channel type \"" + type + "\"",
                            "one of email, slack, webhook");
            type = null;
        }
        String url = null, secret = null, from = null;
        Map<String, String> headers = Map.of();
        SmtpSettings smtp = null;
        List<String> to = List.of();
        if ("webhook".equals(type)) {
            url = httpUrl(f, f.requiredString("url"));
            secret = f.secret("secret", null);
            headers = headers(f);
        } else if ("slack".equals(type)) {
            url = httpUrl(f, f.secret("url", null));
            if (url == null && !f.has("url"))
                f.problems().add(f.position(), f.section() + ": missing required key 'url'");
        } else if ("email".equals(type)) {
            if (!f.has("smtp")) f.problems().add(f.position(), f.section() + ": missing required key 'smtp'");
            smtp = SmtpSettings.read(f.child("smtp"));
            from = address(f, "from", f.requiredString("from"));
            to = f.strings("to");
            if (to.isEmpty()) {
                f.problems()
                        .add(
                                f.positionOf("to"),
                                f.section() + ".to: needs at least one address",
                                "to: [oncall@example.com]");
            }
            to.forEach(a -> address(f, "to", a));
        }
        Map<String, String> templates = templates(f);
        Duration horizon = f.positiveDuration("retry_horizon", DEFAULT_RETRY_HORIZON);
        Duration timeout = f.positiveDuration("timeout", DEFAULT_TIMEOUT);
        if (timeout.compareTo(Duration.ofMinutes(5)) > 0) {
            f.problems()
                    .add(
                            f.positionOf("timeout"),
                            f.section() + ".timeout: at most 5m",
                            "a receiver that needs longer to answer is treated as down; retries follow");
            timeout = DEFAULT_TIMEOUT;
        }
        int inFlight = f.integer("max_in_flight", DEFAULT_MAX_IN_FLIGHT, 1, MAX_IN_FLIGHT);
        f.finish();
        return new ChannelDef(
                name, type, url, secret, headers, smtp, from, to, templates, horizon, timeout, inFlight, f.position());
    }

    private static String httpUrl(Fields f, String url) {
        if (url == null) return null;
        try {
            java.net.URI u = new java.net.URI(url);
            if ((u.getScheme() != null
                            && (u.getScheme().equals("http") || u.getScheme().equals("https")))
                    && u.getHost() != null) {
                return url;
            }
        } catch (java.net.URISyntaxException ignored) {
            // reported below
        }
        f.problems()
                .add(
                        f.positionOf("url"),
                        f.section() + ".url: not an http(s) URL",
                        "write the full URL, e.g. https://hooks.example.com/opsdeck");
        return null;
    }

    private static Map<String, String> headers(Fields f) {
        Map<String, String> headers = f.stringMap("headers");
        for (String h : headers.keySet()) {
            if (RESERVED_HEADERS.contains(h.toLowerCase(java.util.Locale.ROOT))) {
                f.problems()
                        .add(
                                f.positionOf("headers"),
                                f.section() + ".headers." + h + ": set by Opsdeck itself",
                                "remove it; Opsdeck sends Content-Type, Idempotency-Key and the signature headers");
            } else if (!h.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                f.problems().add(f.positionOf("headers"), f.section() + ".headers: \"" + h + "\" is not a header name");
            }
        }
        return Map.copyOf(headers);
    }

    private static String address(Fields f, String key, String address) {
        if (address != null && !ADDRESS.matcher(address).matches()) {
            f.problems()
                    .add(
                            f.positionOf(key),
                            f.section() + "." + key + ": \"" + address + "\" is not an email address",
                            "write name@example.com");
        }
        return address;
    }

    /** Overrides by template name; unknown names and placeholders are errors, reported at the template. */
    private static Map<String, String> templates(Fields f) {
        Map<String, String> out = new LinkedHashMap<>();
        YamlNode node = f.node("templates");
        if (node == null) return Map.of();
        Fields t = new Fields(node, f.section() + ".templates", f.problems());
        t.names().forEach((key, value) -> {
            String where = t.section() + "." + key.name();
            if (!TemplateText.NAMES.contains(key.name())) {
                String guess = Fields.closest(key.name(), TemplateText.NAMES);
                f.problems()
                        .add(
                                key.position(),
                                where + ": unknown template",
                                guess != null
                                        ? "did you mean '" + guess + "'?"
                                        : "templates: " + String.join(", ", sorted()));
            } else if (!value.isScalar() || value.text().isBlank()) {
                f.problems().add(value.position(), where + ": expected the message text, got " + value.describe());
            } else {
                TemplateText.problems(value.text())
                        .forEach(p -> f.problems()
                                .add(
                                        value.position(),
                                        where + ": " + p,
                                        "fields: " + String.join(", ", new java.util.TreeSet<>(TemplateText.FIELDS))));
                out.put(key.name(), value.text());
            }
        });
        return Map.copyOf(out);
    }

    private static List<String> sorted() {
        return TemplateText.NAMES.stream().sorted().toList();
    }

    /** Secrets (the HMAC key, a Slack URL, header values) are left out: this text ends up in logs. */
    @Override
    public String toString() {
        return "ChannelDef[" + name + " " + type + (url == null ? "" : " url=" + ("slack".equals(type) ? "***" : url))
                + (secret == null ? "" : " secret=***") + " headers=" + headers.keySet()
                + (smtp == null ? "" : " " + smtp)
                + (from == null ? "" : " from=" + from + " to=" + to) + " templates=" + templates + " retry_horizon="
                + retryHorizon + " timeout=" + timeout + "]";
    }
}
