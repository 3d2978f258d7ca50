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
        // credentials are split off by hand at the last '@' before the query: passwords often carry an
        // unescaped '@', '/' or '+' that URI would reject or misread
        String rest = url.substring(url.indexOf("://") + 3);
        int queryAt = rest.indexOf('?');
        int at = (queryAt < 0 ? rest : rest.substring(0, queryAt)).lastIndexOf('@');
        String user = null;
        String password = null;
        if (at >= 0) {
            String[] parts = rest.substring(0, at).split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
            rest = rest.substring(at + 1);
        }
        URI uri;
        try {
            uri = URI.create("http://" + rest);
        } catch (IllegalArgumentException e) {
            // URI's own message quotes the input: never pass it on
            throw new IllegalArgumentException("not a valid PostgreSQL URL");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("missing host");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 5432;
        String db = uri.getPath() == null || uri.getPath().length() <= 1
                ? "postgres"
                : uri.getPath().substring(1);
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + db + query;
        String display = "postgresql://" + (user == null ? "" : user + (password == null ? "" : ":***") + "@")
                + uri.getHost() + ":" + port + "/" + db;
        return new PostgresUrl(jdbc, user, password, display);
    }

    private static String decode(String s) {
        // percent-decoding only: in a URL's user info '+' is a plus, not a space
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return display;
    }
}
