package dev.opsdeck.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsdeck.config.NetworkConfig;
import dev.opsdeck.config.TlsConfig;
import io.javalin.Javalin;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from PEM files and from PKCS#12, with certificates made by openssl at test time. */
class ServerTlsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        String subject = "/CN=localhost";
        String san = "subjectAltName=IP:127.0.0.1,DNS:localhost";
        openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                subject,
                "-addext",
                san,
                "-keyout",
                "rsa.key",
                "-out",
                "rsa.crt");
        openssl(
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-days",
                "2",
                "-subj",
                subject,
                "-addext",
                san,
                "-keyout",
                "ec.key",
                "-out",
                "ec.crt");
        openssl(
                "pkcs12",
                "-export",
                "-in",
                "rsa.crt",
                "-inkey",
                "rsa.key",
                "-out",
                "opsdeck.p12",
                "-passout",
                "pass:s3cret");
        openssl("pkey", "-in", "rsa.key", "-traditional", "-out", "pkcs1.key");
        openssl("pkcs8", "-topk8", "-in", "rsa.key", "-out", "encrypted.key", "-passout", "pass:s3cret");
    }

    @Test
    void servesHttpsFromPemFilesRsaAndEc() throws Exception {
        for (String kind : List.of("rsa", "ec")) {
            TlsConfig tls = new TlsConfig(dir.resolve(kind + ".crt"), dir.resolve(kind + ".key"), null, null);
            try (Served s = serve(tls)) {
                HttpResponse<String> r = s.https("/hello");
                assertThat(r.statusCode()).as(kind).isEqualTo(200);
                assertThat(r.body()).isEqualTo("hello over TLS");
                assertThat(r.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
            }
        }
    }

    @Test
    void servesHttpsFromPkcs12AndNoPlainHttpAndNoTls11() throws Exception {
        try (Served s = serve(new TlsConfig(null, null, dir.resolve("opsdeck.p12"), "s3cret"))) {
            assertThat(s.https("/hello").statusCode()).isEqualTo(200);
            assertThat(plainHttp(s.port)).as("plain HTTP on the TLS port").doesNotStartWith("HTTP/1.1 200");
            assertThat(handshake(s.port, "-tls1_2")).as("TLS 1.2").isZero();
            assertThat(handshake(s.port, "-tls1_1")).as("TLS 1.1").isNotZero();
        }
    }

    @Test
    void namesTheFileAndTheFixWhenTheInputIsWrong() {
        Path crt = dir.resolve("rsa.crt");
        assertThat(error(new TlsConfig(dir.resolve("missing.crt"), dir.resolve("rsa.key"), null, null)))
                .isEqualTo("server.tls.cert: " + dir.resolve("missing.crt") + ": no such file");
        assertThat(error(new TlsConfig(null, null, dir.resolve("opsdeck.p12"), "wrong")))
                .isEqualTo("server.tls.keystore: " + dir.resolve("opsdeck.p12") + ": wrong keystore_password");
        assertThat(error(new TlsConfig(null, null, crt, "s3cret")))
                .isEqualTo(
                        "server.tls.keystore: " + crt
                                + ": not a PKCS#12 keystore (make one with: openssl pkcs12 -export -in opsdeck.crt -inkey opsdeck.key -out rsa.crt)");
        assertThat(error(new TlsConfig(crt, dir.resolve("ec.key"), null, null)))
                .isEqualTo(
                        "server.tls.key: " + dir.resolve("ec.key") + ": does not belong to the certificate in " + crt);
        assertThat(error(new TlsConfig(crt, dir.resolve("encrypted.key"), null, null)))
                .isEqualTo(
                        "server.tls.key: " + dir.resolve("encrypted.key") + ": the key is encrypted; Opsdeck needs it"
                                + " unencrypted with mode 0600 (decrypt with: openssl pkcs8 -topk8 -nocrypt -in encrypted.key -out encrypted.pk8)");
        assertThat(error(new TlsConfig(crt, dir.resolve("pkcs1.key"), null, null)))
                .isEqualTo(
                        "server.tls.key: " + dir.resolve("pkcs1.key")
                                + ": not a PKCS#8 private key (convert with: openssl pkcs8 -topk8 -nocrypt -in pkcs1.key -out pkcs1.pk8)");
        assertThat(error(new TlsConfig(dir.resolve("rsa.key"), dir.resolve("rsa.key"), null, null)))
                .isEqualTo("server.tls.cert: " + dir.resolve("rsa.key")
                        + ": no certificate found (expected -----BEGIN CERTIFICATE-----)");
    }

    private static String error(TlsConfig tls) {
        Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(() -> Javalin.create(c -> ServerTls.configure(c, tls, "127.0.0.1", 0)))
                .isInstanceOf(TlsException.class)
                .satisfies(t -> thrown[0] = t);
        return thrown[0].getMessage();
    }

    private record Served(Javalin app, int port, HttpClient client) implements AutoCloseable {
        HttpResponse<String> https(String path) throws IOException, InterruptedException {
            return client.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public void close() {
            app.stop();
        }
    }

    private static Served serve(TlsConfig tls) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        NetworkGuard guard = new NetworkGuard(NetworkConfig.DEFAULTS, Clock.systemUTC());
        Javalin app = Javalin.create(c -> {
                    c.startup.showJavalinBanner = false;
                    guard.register(c);
                    ServerTls.configure(c, tls, "127.0.0.1", port);
                    c.routes.get("/hello", ctx -> ctx.result("hello over TLS"));
                })
                .start();
        return new Served(
                app,
                port,
                HttpClient.newBuilder()
                        .sslContext(trusting(dir.resolve("rsa.crt"), dir.resolve("ec.crt")))
                        .connectTimeout(Duration.ofSeconds(5))
                        .build());
    }

    private static SSLContext trusting(Path... certs) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (Path cert : certs) {
            try (InputStream in = Files.newInputStream(cert)) {
                trust.setCertificateEntry(
                        cert.getFileName().toString(),
                        CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    private static String plainHttp(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            s.getOutputStream()
                    .write("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "connection failed: " + e;
        }
    }

    /** Exit code of an openssl handshake with only the given protocol; SECLEVEL=0 so openssl itself allows TLS 1.1. */
    private static int handshake(int port, String protocol) throws Exception {
        Process p = new ProcessBuilder(
                        "openssl",
                        "s_client",
                        "-connect",
                        "127.0.0.1:" + port,
                        protocol,
                        "-cipher",
                        "DEFAULT:@SECLEVEL=0")
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + output).isZero();
    }
}
