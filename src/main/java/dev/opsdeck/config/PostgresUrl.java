package dev.opsdeck.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Turns the URLs people write ({@code postgresql://user:pass@host:5432/db?sslmode=require})
 * into a JDBC URL plus separate credentials, so the password never appears in a JDBC URL or a log.
 */
public record PostgresUrl(String jdbcUrl, String user, String password, String display) {

    public static PostgresUrl parse(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return new PostgresUrl(url, null, null, url.replaceAll("password=[^&]*", "password=***"));
        }
        if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
            throw new IllegalArgumentException("not a postgresql:// URL");
        }
        URI uri;
        try {
            uri = URI.create(url.replaceFirst("^postgres(ql)?://", "http://"));
        } catch (IllegalArgumentException e) {
            // URI's own message quotes the whole URL, password included: never pass it on
            throw new IllegalArgumentException("not a valid PostgreSQL URL");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("missing host");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 5432;
        String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + db + query;
        String display = "postgresql://" + (user == null ? "" : user + (password == null ? "" : ":***") + "@")
                + uri.getHost() + ":" + port + "/" + db;
        return new PostgresUrl(jdbc, user, password, display);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return display;
    }
}
