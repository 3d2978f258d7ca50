package dev.opsdeck.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opsdeck.checklist.BootstrapState;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.YamlReader;
import dev.opsdeck.doctor.Finding.Outcome;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each checklist item, passing and failing, with the exact fix it prints. */
class DoctorTest {
    @TempDir
    Path dir;

    /** Loads YAML with every ${env:X} set to "env-X"; the test fails on any config problem. */
    OpsdeckConfig load(String yaml) throws Exception {
        Files.writeString(dir.resolve("opsdeck.yaml"), yaml);
        Problems problems = new Problems();
        OpsdeckConfig config =
                new ConfigLoader(new YamlReader(name -> "env-" + name)).load(dir.resolve("opsdeck.yaml"), problems);
        assertThat(problems.sorted()).isEmpty();
        return config;
    }

    Finding find(OpsdeckConfig config, String id) {
        return find(config, id, BootstrapState.CHANGED);
    }

    Finding find(OpsdeckConfig config, String id, BootstrapState state) {
        return Doctor.examine(config, state).stream()
                .filter(f -> f.id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    static Path chmod(Path p, String perms) throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        return Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    }

    @Test
    void listsEveryItemInChecklistOrderWithStableIds() throws Exception {
        assertThat(Doctor.examine(load(""), BootstrapState.CHANGED))
                .extracting(Finding::id)
                .containsExactly(
                        "store-postgresql",
                        "bootstrap-password-changed",
                        "tls-or-proxy",
                        "allowed-subnets",
                        "secrets-not-literal",
                        "lockout-on",
                        "data-dir-private",
                        "secret-files-private",
                        "store-tls",
                        "bind-address",
                        "public-metrics",
                        "session-timeouts");
        assertThat(Doctor.examineConfiguration(load("")))
                .extracting(Finding::id)
                .as("all but the store's to tell")
                .doesNotContain("bootstrap-password-changed")
                .hasSize(11);
    }

    @Test
    void aPostgresqlStoreOnAnotherHostMustInsistOnTls() throws Exception {
        String fix = "end store.url with ?sslmode=verify-full (the server's CA certificate in ~/.postgresql/root.crt"
                + " of the user Opsdeck runs as, or &sslrootcert=/path/to/ca.crt)";
        Finding none =
                find(load("store: { url: \"postgresql://opsdeck:${env:PW}@db.internal:5432/opsdeck\" }"), "store-tls");
        assertThat(none.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(none.detail())
                .isEqualTo("store.url sets no sslmode, so the driver falls back to plain TCP when the"
                        + " server offers no TLS: the store password and every row cross the network readable");
        assertThat(none.fix()).isEqualTo(fix);
        for (String weak : new String[] {"disable", "allow", "prefer"}) {
            Finding f = find(
                    load("store: { url: \"postgresql://opsdeck:${env:PW}@db.internal/opsdeck?sslmode=" + weak + "\" }"),
                    "store-tls");
            assertThat(f.outcome()).as(weak).isEqualTo(Outcome.FAIL);
            assertThat(f.detail()).startsWith("store.url has sslmode=" + weak + ", which does not insist on TLS: ");
        }
        for (String strict : new String[] {"require", "verify-ca", "verify-full", "VERIFY-FULL"}) {
            Finding f = find(
                    load("store: { url: \"postgresql://opsdeck:${env:PW}@db.internal/opsdeck?connectTimeout=5&sslmode="
                            + strict + "\" }"),
                    "store-tls");
            assertThat(f.outcome()).as(strict).isEqualTo(Outcome.PASS);
        }
        assertThat(find(load("store: { url: \"postgresql://o:${env:PW}@db.internal/o?sslmode=require\" }"), "store-tls")
                        .detail())
                .isEqualTo("store.url has sslmode=require (encrypted; the server certificate is not checked)");
        assertThat(find(load("store: { url: \"jdbc:postgresql://db.internal/o?ssl=true\" }"), "store-tls")
                        .detail())
                .as("the JDBC driver's ssl=true is verify-full")
                .isEqualTo("store.url has sslmode=verify-full");
        assertThat(find(load("store: { url: \"jdbc:postgresql://db1:5432,db2:5432/o\" }"), "store-tls")
                        .outcome())
                .isEqualTo(Outcome.FAIL);
        for (String local : new String[] {"127.0.0.1", "localhost", "[::1]", "127.0.1.1:5433"}) {
            Finding f =
                    find(load("store: { url: \"postgresql://opsdeck:${env:PW}@" + local + "/opsdeck\" }"), "store-tls");
            assertThat(f.outcome()).as(local).isEqualTo(Outcome.PASS);
            assertThat(f.detail()).as(local).endsWith("): the connection crosses no network");
        }
        assertThat(find(load(""), "store-tls").outcome())
                .as("embedded: no connection")
                .isEqualTo(Outcome.PASS);
    }

    @Test
    void storeMustBePostgresql() throws Exception {
        Finding embedded = find(load(""), "store-postgresql");
        assertThat(embedded.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(embedded.detail())
                .isEqualTo("store.url is embedded (SQLite at " + dir.resolve("data/opsdeck.db")
                        + "), which lives and dies with this host");
        assertThat(embedded.fix())
                .isEqualTo("store.url: \"postgresql://opsdeck:${env:OPSDECK_DB_PASSWORD}@db.internal:5432/opsdeck\"");

        Finding pg = find(
                load("store: { url: \"postgresql://opsdeck:${env:PW}@db.internal:5432/opsdeck\" }"),
                "store-postgresql");
        assertThat(pg)
                .isEqualTo(new Finding(
                        "store-postgresql",
                        "the store must be PostgreSQL",
                        Outcome.PASS,
                        "store.url is postgresql://opsdeck:***@db.internal:5432/opsdeck",
                        null));
    }

    @Test
    void bootstrapPasswordMustBeChanged() throws Exception {
        OpsdeckConfig config = load("");
        Path file = dir.resolve("data/initial-admin-password");
        assertThat(find(config, "bootstrap-password-changed", BootstrapState.CHANGED)
                        .outcome())
                .isEqualTo(Outcome.PASS);

        Finding pending = find(config, "bootstrap-password-changed", BootstrapState.PENDING);
        assertThat(pending.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(pending.fix())
                .isEqualTo("sign in as admin with the password in " + file
                        + " and set a new one; Opsdeck then deletes the file");

        Finding unknown = find(config, "bootstrap-password-changed", BootstrapState.UNKNOWN);
        assertThat(unknown.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(unknown.detail()).startsWith("cannot tell: the store could not be read");
        assertThat(unknown.fix())
                .isEqualTo("make the store reachable; on a new install start once with"
                        + " runtime.profile: development, sign in as admin with the password in " + file
                        + ", set a new one, then set production");

        Finding fresh = find(config, "bootstrap-password-changed", BootstrapState.NEW);
        assertThat(fresh.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(fresh.detail()).startsWith("the store has no user yet");
        assertThat(fresh.fix())
                .isEqualTo(
                        "on a new install start once with runtime.profile: development, sign in as"
                                + " admin with the password in " + file
                                + ", set a new one, then set production; or, for an install"
                                + " run without a browser, create an admin key first with opsdeck apikey bootstrap NAME --config PATH");
    }

    @Test
    void bootstrapStateFromTheDataDir() throws Exception {
        Path data = dir.resolve("data");
        assertThat(BootstrapState.fromDataDir(data)).isEqualTo(BootstrapState.UNKNOWN);
        Files.createDirectory(data);
        assertThat(BootstrapState.fromDataDir(data)).isEqualTo(BootstrapState.CHANGED);
        Files.writeString(data.resolve("initial-admin-password"), "generated");
        assertThat(BootstrapState.fromDataDir(data)).isEqualTo(BootstrapState.PENDING);
    }

    @Test
    void needsTlsOrATrustedProxy() throws Exception {
        Finding plain = find(load(""), "tls-or-proxy");
        assertThat(plain.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(plain.fix())
                .isEqualTo(
                        "network.trusted_proxies: [127.0.0.1] (the address of your TLS-terminating"
                                + " proxy), or server.tls: { cert: /etc/opsdeck/tls/opsdeck.crt, key: /etc/opsdeck/tls/opsdeck.key }");

        Finding proxied = find(load("network: { trusted_proxies: [127.0.0.1, 10.1.0.0/16] }"), "tls-or-proxy");
        assertThat(proxied.outcome()).isEqualTo(Outcome.PASS);
        assertThat(proxied.detail()).isEqualTo("behind the trusted proxies 127.0.0.1, 10.1.0.0/16");

        Finding tls = find(load("server: { tls: { cert: tls/o.crt, key: tls/o.key } }"), "tls-or-proxy");
        assertThat(tls.outcome()).isEqualTo(Outcome.PASS);
        assertThat(tls.detail()).isEqualTo("serves HTTPS from " + dir.resolve("tls/o.crt"));
    }

    @Test
    void allowedSubnetsMustBeSetAndNotEverything() throws Exception {
        String fix = "network.allowed_subnets: [10.0.0.0/8] (the networks operators and scrapers connect from)";
        Finding empty = find(load(""), "allowed-subnets");
        assertThat(empty.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(empty.detail()).isEqualTo("network.allowed_subnets is empty: every source address may connect");
        assertThat(empty.fix()).isEqualTo(fix);

        Finding all = find(load("network: { allowed_subnets: [10.0.0.0/8, 0.0.0.0/0] }"), "allowed-subnets");
        assertThat(all.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(all.detail()).isEqualTo("network.allowed_subnets contains 0.0.0.0/0, which allows every address");

        Finding set = find(load("network: { allowed_subnets: [10.0.0.0/8, 127.0.0.1] }"), "allowed-subnets");
        assertThat(set.outcome()).isEqualTo(Outcome.PASS);
        assertThat(set.detail()).isEqualTo("connections only from 10.0.0.0/8, 127.0.0.1");
    }

    @Test
    void secretsMustNotBeLiteralAndTheirValuesAreNeverShown() throws Exception {
        Finding literal = find(load("""
                store: { url: "postgresql://opsdeck:hunter2-literal@db.internal:5432/opsdeck" }
                server: { tls: { keystore: o.p12, keystore_password: also-literal } }
                """), "secrets-not-literal");
        assertThat(literal.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(literal.detail())
                .startsWith("written inline: ")
                .contains("store.url (its password) (" + dir.resolve("opsdeck.yaml") + ":1:")
                .contains("server.tls.keystore_password (")
                .doesNotContain("hunter2")
                .doesNotContain("also-literal");
        assertThat(literal.fix())
                .isEqualTo("move each value into an environment variable or a mode 0600 file and"
                        + " write \"${env:NAME}\" or \"${file:/etc/opsdeck/secrets/NAME}\" in its place");

        Finding referenced =
                find(load("store: { url: \"postgresql://opsdeck:${env:PW}@db:5432/opsdeck\" }"), "secrets-not-literal");
        assertThat(referenced.outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void lockoutMustBeOn() throws Exception {
        Finding on = find(load(""), "lockout-on");
        assertThat(on.outcome()).isEqualTo(Outcome.PASS);
        assertThat(on.detail()).isEqualTo("5 failed logins within 15m lock the account and the source for 15m");

        Finding off = find(load("auth: { lockout: { enabled: false } }"), "lockout-on");
        assertThat(off.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(off.fix()).isEqualTo("auth.lockout.enabled: true");
    }

    /**
     * Any access by others fails, read or not: the directory holds the embedded store (opsdeck.db, made
     * with the umask, so usually 0644) and the bootstrap password, and x alone opens files of known name.
     */
    @Test
    void dataDirMustBeClosedToOthers() throws Exception {
        OpsdeckConfig config = load("server: { data_dir: data }");
        Path data = dir.resolve("data");
        Finding missing = find(config, "data-dir-private");
        assertThat(missing.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(missing.fix()).isEqualTo("install -d -m 700 " + data + " (as the user Opsdeck runs as)");

        Files.createDirectory(data);
        for (String open : List.of("rwxr-xr-x", "rwx-----x", "rwx---rw-")) {
            chmod(data, open);
            Finding f = find(config, "data-dir-private");
            assertThat(f.outcome()).as(open).isEqualTo(Outcome.FAIL);
            assertThat(f.fix()).isEqualTo("chmod 700 " + data);
        }
        assertThat(find(config, "data-dir-private").detail())
                .isEqualTo(data + " is mode 0706: other users can"
                        + " reach what it holds (the embedded store, the bootstrap password)");

        chmod(data, "rwx------");
        assertThat(find(config, "data-dir-private"))
                .isEqualTo(Finding.pass(
                        "data-dir-private", "the data directory must not be open to others", data + " is mode 0700"));
        chmod(data, "rwxr-x---"); // a group for the operators is a choice, not a leak
        assertThat(find(config, "data-dir-private").outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void secretFilesMustNotBeReadableByOthers() throws Exception {
        Path password = Files.writeString(dir.resolve("db_password"), "s3cret\n");
        OpsdeckConfig config = load("store: { url: \"postgresql://opsdeck:${file:db_password}@db:5432/opsdeck\" }");
        chmod(password, "rw-r--r--");
        Finding open = find(config, "secret-files-private");
        assertThat(open.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(open.detail()).isEqualTo("other users can read or change " + password + " (0644)");
        assertThat(open.fix()).isEqualTo("chmod 600 " + password);

        chmod(password, "rw-------");
        Finding closed = find(config, "secret-files-private");
        assertThat(closed.outcome()).isEqualTo(Outcome.PASS);
        assertThat(closed.detail()).isEqualTo("1 file(s), none open to others: " + password);
        chmod(password, "rw-r-----");
        assertThat(find(config, "secret-files-private").outcome()).isEqualTo(Outcome.PASS);
        chmod(password, "rw-----w-");
        assertThat(find(config, "secret-files-private").outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void tlsKeyIsASecretFileTheCertificateIsNot() throws Exception {
        Path cert = chmod(Files.writeString(dir.resolve("o.crt"), "cert"), "rw-r--r--");
        Path key = chmod(Files.writeString(dir.resolve("o.key"), "key"), "rw----r--");
        OpsdeckConfig config = load("server: { tls: { cert: o.crt, key: o.key } }");
        assertThat(Doctor.secretFiles(config)).containsExactly(key).doesNotContain(cert);
        Finding f = find(config, "secret-files-private");
        assertThat(f.detail()).isEqualTo("other users can read or change " + key + " (0604)");
        assertThat(f.fix()).isEqualTo("chmod 600 " + key);

        Files.delete(key);
        Finding missing = find(config, "secret-files-private");
        assertThat(missing.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(missing.detail()).isEqualTo("cannot read the mode of " + key);
        assertThat(missing.fix()).isEqualTo("create each with mode 0600 or correct its path in server.tls");
    }

    @Test
    void noSecretFilesPasses() throws Exception {
        assertThat(find(load(""), "secret-files-private").detail()).isEqualTo("no ${file:} secrets and no TLS key");
    }

    @Test
    void advisoryItemsWarnAndNeverBlock() throws Exception {
        OpsdeckConfig loose = load("""
                server: { bind: 0.0.0.0 }
                auth: { session: { absolute_timeout: 7d } }
                """);
        Finding bind = find(loose, "bind-address");
        assertThat(bind.outcome()).isEqualTo(Outcome.WARN);
        assertThat(bind.fix())
                .isEqualTo("server.bind: 127.0.0.1 with the proxy on this host, or set network.allowed_subnets");
        Finding metrics = find(loose, "public-metrics");
        assertThat(metrics.outcome()).isEqualTo(Outcome.WARN);
        assertThat(metrics.fix())
                .isEqualTo("auth.public_metrics: false, and give the scraper an API key with the viewer role");
        Finding sessions = find(loose, "session-timeouts");
        assertThat(sessions.outcome()).isEqualTo(Outcome.WARN);
        assertThat(sessions.detail())
                .isEqualTo(
                        "sessions end after 30m idle, 7d at most: a stolen session cookie" + " stays valid that long");
        assertThat(sessions.fix()).isEqualTo("auth.session.absolute_timeout: 12h");
        assertThat(Doctor.productionBlockers(loose, BootstrapState.CHANGED))
                .extracting(Finding::id)
                .doesNotContain("bind-address", "public-metrics", "session-timeouts");

        OpsdeckConfig tight = load("""
                server: { bind: 0.0.0.0 }
                network: { allowed_subnets: [10.0.0.0/8] }
                auth: { public_metrics: false, session: { absolute_timeout: 24h } }
                """);
        assertThat(find(tight, "bind-address").detail())
                .isEqualTo("listens on 0.0.0.0, limited by network.allowed_subnets");
        assertThat(find(tight, "public-metrics").outcome()).isEqualTo(Outcome.PASS);
        assertThat(find(tight, "session-timeouts").outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void blockersAreTheFailuresAndDescribeGivesOneRefusalLineEach() throws Exception {
        OpsdeckConfig config = load("auth: { lockout: { enabled: false } }");
        List<Finding> blockers = Doctor.productionBlockers(config, BootstrapState.CHANGED);
        assertThat(blockers)
                .allMatch(f -> f.outcome() == Outcome.FAIL)
                .extracting(Finding::id)
                .containsExactly(
                        "store-postgresql", "tls-or-proxy", "allowed-subnets", "lockout-on", "data-dir-private");
        String lines = Doctor.describe(blockers);
        assertThat(lines.lines()).hasSize(5);
        assertThat(lines.lines().toList().get(3))
                .isEqualTo("production profile: login lockout must be on:"
                        + " auth.lockout.enabled is false: passwords can be guessed without pause"
                        + " — fix: auth.lockout.enabled: true");
    }
}
