package dev.opsdeck.probe.types;

import dev.opsdeck.config.Fields;
import java.net.URI;
import java.util.Locale;

/**
 * Where and how to reach Redis: from {@code url: redis://[[user]:password@]host[:port][/db]}
 * ({@code rediss://} for TLS) or from the separate host/port/password keys.
 */
record RedisTarget(String host, int port, String username, String password, int db, boolean tls, boolean insecure) {
    static RedisTarget read(Fields f) {
        String url = f.string("url", null);
        String host = f.string("host", null);
        int port = f.integer("port", 6379, 1, 65535);
        String username = f.string("username", null);
        String password = f.string("password", null);
        int db = f.integer("db", 0, 0, 10_000);
        boolean tls = f.bool("tls", false);
        boolean insecure = f.bool("insecure", false);
        if (url != null && (host != null || f.has("port") || password != null || f.has("db"))) {
            f.problems().add(f.positionOf("url"), f.section() + ": give either url or host/port/password/db, not both");
            return null;
        }
        if (url == null && host == null) {
            f.problems()
                    .add(
                            f.position(),
                            f.section() + ": missing required key 'url' (or 'host')",
                            "write url: redis://:password@host:6379/0");
            return null;
        }
        if (url == null) {
            return new RedisTarget(host, port, username, password, db, tls, insecure);
        }
        RedisTarget t = parse(url, insecure);
        if (t == null) {
            // the URL is not echoed: it may hold the password
            f.problem("url", "not a Redis URL", "write redis://[:password@]host[:port][/db], or rediss:// for TLS");
        }
        return t;
    }

    static RedisTarget parse(String url, boolean insecure) {
        try {
            URI u = new URI(url.strip());
            String scheme = String.valueOf(u.getScheme()).toLowerCase(Locale.ROOT);
            if (!scheme.equals("redis") && !scheme.equals("rediss") || u.getHost() == null) return null;
            String user = null;
            String password = null;
            String info = u.getUserInfo();
            if (info != null) {
                int colon = info.indexOf(':');
                // "redis://secret@host" means a password, as in redis-cli and Lettuce
                if (colon < 0) password = info;
                else {
                    user = colon == 0 ? null : info.substring(0, colon);
                    password = info.substring(colon + 1);
                }
            }
            String path = u.getPath() == null ? "" : u.getPath().replaceFirst("^/", "");
            int db = path.isEmpty() ? 0 : Integer.parseInt(path);
            int port = u.getPort() < 0 ? 6379 : u.getPort();
            return new RedisTarget(u.getHost(), port, user, password, db, scheme.equals("rediss"), insecure);
        } catch (Exception e) {
            return null;
        }
    }

    String redact(String message) {
        return password == null || password.isEmpty() ? message : message.replace(password, "***");
    }

    @Override
    public String toString() {
        return "redis " + host + ":" + port + "/" + db; // never the password
    }
}
