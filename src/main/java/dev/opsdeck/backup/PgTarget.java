package dev.opsdeck.backup;

import dev.opsdeck.config.PostgresUrl;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A database as the PostgreSQL client tools see it: host, port, name, user and password, handed to
 * {@code pg_dump}/{@code pg_restore}/{@code psql} through {@code PG*} environment variables only, so the
 * password is never on a command line (where {@code ps} shows it) nor in a log.
 */
public record PgTarget(
        String host, int port, String database, String user, String password, String sslmode, String display) {

    public static PgTarget parse(String url) {
        PostgresUrl parsed = PostgresUrl.parse(url);
        URI uri = URI.create(parsed.jdbcUrl().substring("jdbc:".length()).replaceFirst("^postgresql:", "http:"));
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        String user = parsed.user() != null ? parsed.user() : query.getOrDefault("user", "postgres");
        String password = parsed.password() != null ? parsed.password() : query.get("password");
        String db = uri.getPath() == null || uri.getPath().length() <= 1
                ? "postgres"
                : uri.getPath().substring(1);
        return new PgTarget(
                uri.getHost(),
                uri.getPort() > 0 ? uri.getPort() : 5432,
                db,
                user,
                password,
                query.get("sslmode"),
                parsed.display());
    }

    /** The same server, another database (a restore's scratch or the maintenance database). */
    public PgTarget withDatabase(String name) {
        return new PgTarget(
                host, port, name, user, password, sslmode, display.substring(0, display.lastIndexOf('/') + 1) + name);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database
                + (sslmode == null ? "" : "?sslmode=" + sslmode);
    }

    public Properties jdbcProperties() {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        p.setProperty("connectTimeout", "10");
        p.setProperty("ApplicationName", "opsdeck-backup");
        return p;
    }

    /** Sets the connection for a client tool; inherited {@code PG*} variables are removed so they cannot redirect it. */
    public void applyTo(Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("PG"));
        env.put("PGHOST", host);
        env.put("PGPORT", Integer.toString(port));
        env.put("PGDATABASE", database);
        env.put("PGUSER", user);
        if (password != null) env.put("PGPASSWORD", password);
        if (sslmode != null) env.put("PGSSLMODE", sslmode);
        env.put("PGCONNECT_TIMEOUT", "10");
        env.put("PGAPPNAME", "opsdeck-backup");
    }

    /** host:port/database, without user or password. */
    public String where() {
        return host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return display;
    }
}
