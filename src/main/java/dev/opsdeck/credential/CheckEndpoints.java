package dev.opsdeck.credential;

import dev.opsdeck.config.CertificateDef;
import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.YamlNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The TLS endpoints the configured checks already reach: every {@code tls} check and every {@code http} check of an
 * {@code https://} URL. Their certificates join the inventory without being configured twice.
 */
final class CheckEndpoints {
    private CheckEndpoints() {}

    static List<CertificateDef> of(List<CheckDef> checks) {
        List<CertificateDef> out = new ArrayList<>();
        for (CheckDef c : checks) {
            CertificateDef def = switch (c.type()) {
                case "tls" -> tls(c);
                case "http" -> https(c);
                default -> null;
            };
            if (def != null) out.add(def);
        }
        return out;
    }

    private static CertificateDef tls(CheckDef c) {
        String host = text(c.spec(), "host");
        if (host == null) return null;
        int port;
        try {
            String p = text(c.spec(), "port");
            port = p == null ? 443 : Integer.parseInt(p.strip());
        } catch (NumberFormatException e) {
            return null; // the check type reported it
        }
        String sni = text(c.spec(), "server_name");
        return endpoint(c, host, port, sni == null ? host : sni);
    }

    private static CertificateDef https(CheckDef c) {
        String url = text(c.spec(), "url");
        if (url == null || !url.startsWith("https://")) return null;
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null) return null;
            return endpoint(c, uri.getHost(), uri.getPort() < 0 ? 443 : uri.getPort(), uri.getHost());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static CertificateDef endpoint(CheckDef c, String host, int port, String sni) {
        return new CertificateDef("check:" + c.id(), "check", host, port, sni, null, null, List.of(), c.position());
    }

    private static String text(YamlNode spec, String key) {
        YamlNode n = spec == null ? null : spec.get(key);
        return n == null || !n.isScalar() ? null : n.text();
    }
}
