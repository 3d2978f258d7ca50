package dev.opsdeck.probe.types;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL target from either a libpq-style URL ({@code postgresql://user:pass@host:5432/db})
 * or a JDBC URL. Credentials are kept out of the JDBC URL (passed as properties) and known,
 * so that every message can be scrubbed of the password.
 */
record PostgresTarget(String jdbcUrl, String user, String password) {
    private static final Pattern JDBC_PASSWORD = Pattern.compile("[?&]password=([^&]*)");

    /** Null when {@code url} is neither form. */
    static PostgresTarget parse(String url) {
        String u = url.strip();
        if (u.startsWith("jdbc:postgresql:")) {
            Matcher m = JDBC_PASSWORD.matcher(u);
            return new PostgresTarget(u, null, m.find() ? decode(m.group(1)) : null);
        }
        String rest;
        if (u.startsWith("postgresql://")) rest = u.substring("postgresql://".length());
        else if (u.startsWith("postgres://")) rest = u.substring("postgres://".length());
        else return null;
        int q = rest.indexOf('?');
        String main = q < 0 ? rest : rest.substring(0, q);
        String query = q < 0 ? "" : rest.substring(q);
        // the last @ ends the credentials: an unescaped '@' or '/' in a password still works
        int at = main.lastIndexOf('@');
        String user = null;
        String password = null;
        if (at >= 0) {
            String info = main.substring(0, at);
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
            main = main.substring(at + 1);
        }
        int slash = main.indexOf('/');
        String hosts = slash < 0 ? main : main.substring(0, slash);
        String db = slash < 0 ? "" : main.substring(slash + 1);
        if (hosts.isEmpty()) hosts = "localhost"; // libpq's default host
        if (!hosts.matches("[\\w.\\-:\\[\\],%]+") || db.contains("/")) return null;
        return new PostgresTarget("jdbc:postgresql://" + hosts + "/" + db + query, user, password);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8); // '+' is literal in a URL
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    Properties properties() {
        Properties p = new Properties();
        if (user != null && !user.isEmpty()) p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        return p;
    }

    /** Removes the password from a message, whatever produced it. */
    String redact(String message) {
        if (message == null || password == null || password.isEmpty()) return message;
        return message.replace(password, "***");
    }
}
