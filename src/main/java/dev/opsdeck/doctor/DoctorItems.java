package dev.opsdeck.doctor;

import dev.opsdeck.checklist.BootstrapState;
import dev.opsdeck.config.AuthConfig;
import dev.opsdeck.config.Cidr;
import dev.opsdeck.config.NetworkConfig;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.PostgresUrl;
import dev.opsdeck.config.StoreConfig;
import dev.opsdeck.config.TlsConfig;
import dev.opsdeck.config.Units;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What each item of the doctor's checklist finds in a configuration and the files it names: one method per item,
 * each saying what it found ({@link Found}: the detail, and the fix when there is something to do). {@link Doctor}
 * lists them as the facts of the checklist; the checklist engine judges them.
 */
final class DoctorItems {
    private DoctorItems() {}

    static Found storePostgresql(StoreConfig store, Path dataDir) {
        if (store.embedded()) {
            return Found.fail(
                    "store.url is embedded (SQLite at " + dataDir.resolve("opsdeck.db")
                            + "), which lives and dies with this host",
                    "store.url: \"postgresql://opsdeck:${env:OPSDECK_DB_PASSWORD}@db.internal:5432/opsdeck\"");
        }
        String where;
        try {
            where = PostgresUrl.parse(store.url()).display(); // the password shows as ***
        } catch (IllegalArgumentException e) {
            where = "a PostgreSQL URL";
        }
        return Found.pass("store.url is " + where);
    }

    /**
     * TLS to a PostgreSQL store on another host: the store password, session and API key hashes and the audit
     * trail cross that network. The driver's default (prefer) silently falls back to plain TCP, so only an
     * sslmode that insists on TLS passes; {@code ssl=true} alone means verify-full to the JDBC driver.
     */
    static Found storeTls(StoreConfig store) {
        if (store.embedded()) {
            return Found.pass("the embedded store is a file on this host: no connection to protect");
        }
        String jdbc;
        try {
            jdbc = PostgresUrl.parse(store.url()).jdbcUrl();
        } catch (IllegalArgumentException e) {
            return Found.fail("store.url is not a valid PostgreSQL URL", STORE_TLS_FIX);
        }
        String rest = jdbc.substring("jdbc:postgresql:".length());
        int q = rest.indexOf('?');
        Map<String, String> params = queryParams(q < 0 ? "" : rest.substring(q + 1));
        String sslmode = params.get("sslmode");
        if (sslmode == null && "true".equalsIgnoreCase(params.get("ssl"))) sslmode = "verify-full";
        if (sslmode != null && STRICT_SSLMODES.contains(sslmode.toLowerCase(Locale.ROOT))) {
            return Found.pass("store.url has sslmode=" + sslmode.toLowerCase(Locale.ROOT)
                    + (sslmode.equalsIgnoreCase("require")
                            ? " (encrypted; the server certificate is not checked)"
                            : ""));
        }
        String host = storeHost(q < 0 ? rest : rest.substring(0, q));
        if (host != null && isLoopback(host)) {
            return Found.pass("the store is on this host (" + host + "): the connection crosses no network");
        }
        String found = sslmode == null
                ? "store.url sets no sslmode, so the driver falls back to plain TCP when the" + " server offers no TLS"
                : "store.url has sslmode=" + sslmode + ", which does not insist on TLS";
        return Found.fail(found + ": the store password and every row cross the network readable", STORE_TLS_FIX);
    }

    private static final Set<String> STRICT_SSLMODES = Set.of("require", "verify-ca", "verify-full");
    private static final String STORE_TLS_FIX = "end store.url with ?sslmode=verify-full (the server's CA certificate"
            + " in ~/.postgresql/root.crt of the user Opsdeck runs as, or &sslrootcert=/path/to/ca.crt)";

    private static Map<String, String> queryParams(String query) {
        Map<String, String> out = new HashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) continue;
            out.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8)
                            .toLowerCase(Locale.ROOT),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The host of {@code //host:port/db} (null for several hosts); {@code jdbc:postgresql:db} means localhost. */
    private static String storeHost(String target) {
        if (!target.startsWith("//")) return "localhost";
        String authority = target.substring(2).split("/", 2)[0];
        if (authority.contains(",")) return null;
        if (authority.startsWith("[")) return authority.substring(1, Math.max(1, authority.indexOf(']')));
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }

    /** By its text only: a name other than localhost is never looked up (doctor runs offline). */
    private static boolean isLoopback(String host) {
        return host.equalsIgnoreCase("localhost") || host.equals("::1") || host.matches("127(\\.\\d{1,3}){3}");
    }

    private static final String FIRST_START = "on a new install start once with runtime.profile: development,"
            + " sign in as admin with the password in ";

    static Found bootstrapPasswordChanged(BootstrapState state, Path dataDir) {
        Path file = dataDir.resolve(BootstrapState.PASSWORD_FILE);
        return switch (state) {
            case CHANGED -> Found.pass("the admin has replaced the generated password");
            case PENDING ->
                Found.fail(
                        file + " still exists: the generated admin password is in use",
                        "sign in as admin with the password in " + file
                                + " and set a new one; Opsdeck then deletes the file");
            case UNKNOWN ->
                Found.fail(
                        "cannot tell: the store could not be read," + " or Opsdeck has not started with data_dir "
                                + dataDir + " yet",
                        "make the store reachable; " + FIRST_START + file + ", set a new one, then set production");
            case NEW ->
                Found.fail(
                        "the store has no user yet: Opsdeck has never started on it, and the"
                                + " production profile does not create the admin",
                        FIRST_START + file
                                + ", set a new one, then set production; or, for an install run without a browser, create"
                                + " an admin key first with opsdeck apikey bootstrap NAME --config PATH");
        };
    }

    static Found tlsOrProxy(TlsConfig tls, NetworkConfig network) {
        if (tls != null) {
            return Found.pass("serves HTTPS from " + (tls.pem() ? tls.cert() : tls.keystore()));
        }
        if (!network.trustedProxies().isEmpty()) {
            return Found.pass("behind the trusted proxies " + cidrs(network.trustedProxies()));
        }
        return Found.fail(
                "no server.tls and no network.trusted_proxies: passwords and session"
                        + " cookies would cross the network in plain HTTP",
                "network.trusted_proxies: [127.0.0.1] (the address of your TLS-terminating proxy), or"
                        + " server.tls: { cert: /etc/opsdeck/tls/opsdeck.crt, key: /etc/opsdeck/tls/opsdeck.key }");
    }

    static Found allowedSubnets(NetworkConfig network) {
        String fix = "network.allowed_subnets: [10.0.0.0/8] (the networks operators and scrapers connect from)";
        List<Cidr> everything =
                network.allowedSubnets().stream().filter(c -> c.prefix() == 0).toList();
        if (network.allowedSubnets().isEmpty()) {
            return Found.fail("network.allowed_subnets is empty: every source address may connect", fix);
        }
        if (!everything.isEmpty()) {
            return Found.fail(
                    "network.allowed_subnets contains " + cidrs(everything) + ", which allows every address", fix);
        }
        return Found.pass("connections only from " + cidrs(network.allowedSubnets()));
    }

    static Found secretsNotLiteral(List<String> literalSecrets) {
        if (literalSecrets.isEmpty()) {
            return Found.pass("no secret is written inline");
        }
        // each entry names the field and where it is written; the config layer never keeps the value here
        return Found.fail(
                "written inline: " + String.join(", ", literalSecrets),
                "move each value into an environment variable or a mode 0600 file and write"
                        + " \"${env:NAME}\" or \"${file:/etc/opsdeck/secrets/NAME}\" in its place");
    }

    static Found lockoutOn(AuthConfig auth) {
        AuthConfig.Lockout l = auth.lockout();
        if (!l.enabled()) {
            return Found.fail(
                    "auth.lockout.enabled is false: passwords can be guessed without pause",
                    "auth.lockout.enabled: true");
        }
        return Found.pass(l.maxFailures() + " failed logins within " + Units.format(l.window())
                + " lock the account and the source for " + Units.format(l.duration()));
    }

    static Found dataDirPrivate(Path dataDir) {
        String fix = "chmod 700 " + dataDir;
        if (!Files.exists(dataDir)) {
            // created at first start with the process umask, usually 0755: make it by hand instead
            return Found.fail(
                    dataDir + " does not exist; Opsdeck would create it with the" + " process umask (usually 0755)",
                    "install -d -m 700 " + dataDir + " (as the user Opsdeck runs as)");
        }
        if (!Files.isDirectory(dataDir)) {
            return Found.fail(dataDir + " is not a directory", "point server.data_dir at a directory");
        }
        try {
            Permissions p = Permissions.of(dataDir);
            if (p == null) {
                return Found.warn(
                        "not checked: the file system has no POSIX permissions",
                        "allow only the user Opsdeck runs as to open " + dataDir);
            }
            if (p.othersAny()) {
                return Found.fail(
                        dataDir + " is mode " + p.octal() + ": other users can reach"
                                + " what it holds (the embedded store, the bootstrap password)",
                        fix);
            }
            return Found.pass(dataDir + " is mode " + p.octal());
        } catch (IOException e) {
            return Found.fail(
                    "cannot read the mode of " + dataDir + ": " + e.getMessage(),
                    "run opsdeck doctor as the user Opsdeck runs as");
        }
    }

    static Found secretFilesPrivate(Set<Path> files) {
        if (files.isEmpty()) {
            return Found.pass("no ${file:} secrets and no TLS key");
        }
        List<String> open = new ArrayList<>(), missing = new ArrayList<>(), unchecked = new ArrayList<>();
        List<Path> toChmod = new ArrayList<>();
        for (Path f : files) {
            try {
                Permissions p = Permissions.of(f);
                if (p == null) {
                    unchecked.add(f.toString());
                } else if (p.othersRead() || p.othersWrite()) {
                    open.add(f + " (" + p.octal() + ")");
                    toChmod.add(f);
                }
            } catch (IOException e) { // NoSuchFileException for a TLS key that is not there (yet)
                missing.add(f.toString());
            }
        }
        List<String> detail = new ArrayList<>(), fix = new ArrayList<>();
        if (!open.isEmpty()) {
            detail.add("other users can read or change " + String.join(", ", open));
            fix.add("chmod 600 " + toChmod.stream().map(Path::toString).collect(Collectors.joining(" ")));
        }
        if (!missing.isEmpty()) {
            detail.add("cannot read the mode of " + String.join(", ", missing));
            fix.add("create each with mode 0600 or correct its path in server.tls");
        }
        if (!detail.isEmpty()) {
            return Found.fail(String.join("; ", detail), String.join("; ", fix));
        }
        if (!unchecked.isEmpty()) {
            return Found.warn(
                    "not checked: the file system has no POSIX permissions",
                    "allow only the user Opsdeck runs as to read " + String.join(", ", unchecked));
        }
        return Found.pass(files.size() + " file(s), none open to others: "
                + files.stream().map(Path::toString).collect(Collectors.joining(", ")));
    }

    static Found bindAddress(String bind, NetworkConfig network) {
        boolean wildcard =
                Set.of("0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0", "*").contains(bind);
        if (wildcard && network.allowedSubnets().isEmpty()) {
            return Found.warn(
                    "server.bind is " + bind + " and network.allowed_subnets is empty:"
                            + " every network this host is on can reach Opsdeck",
                    "server.bind: 127.0.0.1 with the proxy on this host, or set network.allowed_subnets");
        }
        return Found.pass("listens on " + bind + (wildcard ? ", limited by network.allowed_subnets" : ""));
    }

    static Found publicMetrics(AuthConfig auth) {
        if (auth.publicMetrics()) {
            return Found.warn(
                    "GET /metrics answers without an API key: no secrets, but service" + " names and their state",
                    "auth.public_metrics: false, and give the scraper an API key" + " with the viewer role");
        }
        return Found.pass("GET /metrics requires an API key");
    }

    static Found sessionTimeouts(AuthConfig auth) {
        String limits = "sessions end after " + Units.format(auth.sessionIdle()) + " idle, "
                + Units.format(auth.sessionAbsolute()) + " at most";
        if (auth.sessionAbsolute().compareTo(Duration.ofHours(24)) > 0) {
            return Found.warn(
                    limits + ": a stolen session cookie stays valid that long", "auth.session.absolute_timeout: 12h");
        }
        return Found.pass(limits);
    }

    /**
     * The {@code ${file:}} secret files (what {@code watched} holds besides the YAML files and their
     * folders) and the TLS private key or keystore. The certificate is public and not checked.
     */
    static Set<Path> secretFiles(OpsdeckConfig config) {
        Set<Path> yaml = new HashSet<>(config.files());
        config.files().forEach(f -> yaml.add(f.getParent()));
        Set<Path> out = new LinkedHashSet<>();
        config.watched().stream()
                .filter(p -> !yaml.contains(p) && !Files.isDirectory(p))
                .forEach(out::add);
        TlsConfig tls = config.server().tls();
        if (tls != null && tls.key() != null) out.add(tls.key());
        if (tls != null && tls.keystore() != null) out.add(tls.keystore());
        return out;
    }

    private static String cidrs(List<Cidr> list) {
        return list.stream().map(Cidr::text).collect(Collectors.joining(", "));
    }
}
