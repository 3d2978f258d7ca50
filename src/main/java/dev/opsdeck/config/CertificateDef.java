package dev.opsdeck.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One place certificates come from ({@code certificates: sources: NAME:}): exactly one of {@code url:},
 * {@code tcp:}, {@code file:}, {@code dir:} or {@code keystore:}.
 *
 * @param kind {@code url}, {@code tcp}, {@code file}, {@code dir}, {@code keystore}, or {@code check} for the TLS
 *     and HTTPS checks the inventory adds by itself
 * @param target for url/tcp the host and port, for the others the path
 * @param serverName the name sent as SNI (url/tcp)
 * @param password a keystore's password; null otherwise
 * @param thresholds days before expiry that alert, largest first; empty: the global ones
 */
public record CertificateDef(
        String name,
        String kind,
        String host,
        int port,
        String serverName,
        Path path,
        String password,
        List<Integer> thresholds,
        Position position) {
    static final List<String> KINDS = List.of("url", "tcp", "file", "dir", "keystore");

    /** Where it is used, as the inventory shows it (never the password). */
    public String where() {
        return switch (kind) {
            case "url", "tcp", "check" -> host + ":" + port;
            default -> String.valueOf(path);
        };
    }

    @Override
    public String toString() {
        // settings only: no password, no position (a line moved is the same configuration)
        return "CertificateDef[" + name + " " + kind + " " + where() + " sni=" + serverName + " thresholds="
                + thresholds + (password == null ? "" : " password") + "]";
    }

    static CertificateDef read(YamlNode.Key key, YamlNode node, Problems problems) {
        String section = "certificates.sources." + key.name();
        Fields f = new Fields(node, section, problems);
        List<String> given = new ArrayList<>();
        for (String k : KINDS) if (f.has(k)) given.add(k);
        List<Integer> thresholds = thresholds(f, section, List.of());
        String serverName = f.string("server_name", null);
        String password = f.secret("password", null);
        if (given.size() != 1) {
            problems.add(
                    f.position(),
                    section
                            + (given.isEmpty()
                                    ? ": no source"
                                    : ": more than one source (" + String.join(", ", given) + ")"),
                    "give exactly one of url:, tcp:, file:, dir:, keystore:");
            f.finish();
            return null;
        }
        String kind = given.getFirst();
        if (password != null && !kind.equals("keystore")) {
            problems.add(f.positionOf("password"), section + ".password: only a keystore: has a password");
        }
        if (serverName != null && !(kind.equals("url") || kind.equals("tcp"))) {
            problems.add(f.positionOf("server_name"), section + ".server_name: only url: and tcp: send a name");
        }
        f.finish();
        String text = f.string(kind, "");
        Position at = f.positionOf(kind);
        return switch (kind) {
            case "url" -> url(key.name(), text, serverName, thresholds, at, section, problems);
            case "tcp" -> tcp(key.name(), text, serverName, thresholds, at, section, problems);
            default -> {
                Path p = f.path(kind);
                if (p == null) yield null;
                Path dir = Path.of(at.file()).getParent();
                if (!p.isAbsolute() && dir != null) p = dir.resolve(p).normalize();
                yield new CertificateDef(key.name(), kind, null, 0, null, p, password, thresholds, at);
            }
        };
    }

    private static CertificateDef url(
            String name,
            String text,
            String serverName,
            List<Integer> thresholds,
            Position at,
            String section,
            Problems problems) {
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            problems.add(at, section + ".url: \"" + text + "\" is not an https URL", "e.g. https://example.com");
            return null;
        }
        int port = uri.getPort() < 0 ? 443 : uri.getPort();
        String sni = serverName == null ? uri.getHost() : serverName;
        return new CertificateDef(name, "url", uri.getHost(), port, sni, null, null, thresholds, at);
    }

    private static CertificateDef tcp(
            String name,
            String text,
            String serverName,
            List<Integer> thresholds,
            Position at,
            String section,
            Problems problems) {
        int colon = text.lastIndexOf(':');
        int port = -1;
        try {
            port = colon < 0 ? -1 : Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            // told below
        }
        if (colon <= 0 || port < 1 || port > 65535) {
            problems.add(at, section + ".tcp: \"" + text + "\" is not host:port", "e.g. tcp: mail.example.com:465");
            return null;
        }
        String host = text.substring(0, colon);
        return new CertificateDef(
                name, "tcp", host, port, serverName == null ? host : serverName, null, null, thresholds, at);
    }

    /** Whole days, each from 0 to 3650, returned largest first; {@code fallback} when absent or wrong. */
    static List<Integer> thresholds(Fields f, String section, List<Integer> fallback) {
        if (!f.has("thresholds")) return fallback;
        List<Integer> out = new ArrayList<>();
        for (YamlNode n : f.scalarList("thresholds")) {
            try {
                int d = Integer.parseInt(n.text().strip());
                if (d < 0 || d > 3650) throw new NumberFormatException();
                if (!out.contains(d)) out.add(d);
            } catch (NumberFormatException e) {
                problems(f)
                        .add(
                                n.position(),
                                section + ".thresholds: \"" + n.text() + "\" is not a number of days",
                                "whole days from 0 to 3650, e.g. [30, 14, 7, 1]");
                return fallback;
            }
        }
        if (out.isEmpty()) {
            problems(f).add(f.positionOf("thresholds"), section + ".thresholds: give at least one number of days");
            return fallback;
        }
        out.sort((a, b) -> b - a);
        return List.copyOf(out);
    }

    private static Problems problems(Fields f) {
        return f.problems();
    }
}
