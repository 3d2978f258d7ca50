package dev.opsdeck.probe.types;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Real certificates made with the JDK's keytool, once per test run: a valid self-signed one for
 * localhost/127.0.0.1, an expired one, one issued for another host name and a wildcard one.
 */
final class TestCerts {
    static final char[] PASSWORD = "changeit".toCharArray();
    private static final List<String> NAMES = List.of("valid", "expired", "wildcard", "wronghost");
    private static Path dir;

    private TestCerts() {}

    static synchronized Path dir() throws Exception {
        if (dir == null) {
            Path d = cacheDir();
            if (fresh(d)) {
                dir = d;
                return dir;
            }
            List<Process> running = new ArrayList<>();
            running.add(keytool(d, "valid", "CN=localhost", "dns:localhost,ip:127.0.0.1", "-validity", "30"));
            // valid for one day, a month ago
            running.add(keytool(
                    d,
                    "expired",
                    "CN=localhost",
                    "dns:localhost,ip:127.0.0.1",
                    "-startdate",
                    "-30d",
                    "-validity",
                    "1"));
            running.add(keytool(d, "wildcard", "CN=wild", "dns:*.example.com", "-validity", "30"));
            running.add(keytool(d, "wronghost", "CN=wrong.example", "dns:wrong.example", "-validity", "30"));
            for (Process p : running) {
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException(
                            "keytool failed: " + new String(p.getInputStream().readAllBytes()));
                }
            }
            dir = d;
        }
        return dir;
    }

    /**
     * Kept under target/ between runs (keytool costs a JVM start per certificate), and made
     * again once a day so the "valid" one never drifts toward its expiry.
     */
    private static Path cacheDir() throws Exception {
        Path target = Path.of("target");
        if (!Files.isDirectory(target)) return Files.createTempDirectory("opsdeck-certs");
        return Files.createDirectories(target.resolve("opsdeck-test-certs"));
    }

    private static boolean fresh(Path d) throws Exception {
        for (String name : NAMES) {
            Path p = d.resolve(name + ".p12");
            if (!Files.isRegularFile(p)
                    || Files.getLastModifiedTime(p)
                            .toInstant()
                            .isBefore(Instant.now().minus(Duration.ofDays(1)))) {
                for (String n : NAMES) Files.deleteIfExists(d.resolve(n + ".p12"));
                return false;
            }
        }
        return true;
    }

    private static Process keytool(Path d, String name, String dn, String san, String... validity) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-J-XX:TieredStopAtLevel=1",
                "-J-XX:+UseSerialGC", // a short-lived JVM: start fast
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                dn,
                "-ext",
                "SAN=" + san,
                "-keystore",
                d.resolve(name + ".p12").toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit",
                "-keypass",
                "changeit"));
        cmd.addAll(List.of(validity));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    static Path keystore(String name) throws Exception {
        return dir().resolve(name + ".p12");
    }

    static X509Certificate certificate(String name) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore(name))) {
            ks.load(in, PASSWORD);
        }
        return (X509Certificate) ks.getCertificate(name);
    }

    static SSLContext serverContext(String name) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore(name))) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}
