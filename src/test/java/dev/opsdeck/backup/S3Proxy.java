package dev.opsdeck.backup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API: s3proxy (filesystem blob store) in its own JVM, from the jar the build copies beside the
 * classes. Its own process because it brings a Jetty of another major version than Opsdeck's.
 */
final class S3Proxy implements AutoCloseable {
    static final String ACCESS_KEY = "opsdeck-test", SECRET_KEY = "opsdeck-test-secret";
    private final Path dir;
    private final int port;
    private Process process;

    private S3Proxy(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static S3Proxy start() throws Exception {
        return start(freePort());
    }

    static S3Proxy start(int port) throws Exception {
        S3Proxy s = new S3Proxy(Files.createTempDirectory("opsdeck-s3-"), port);
        s.run();
        return s;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void run() throws Exception {
        String jar = System.getProperty("opsdeck.s3proxy.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar)))
            throw new IllegalStateException("s3proxy jar missing: " + jar);
        Files.createDirectories(dir.resolve("blobs"));
        Path props = Files.writeString(
                dir.resolve("s3proxy.properties"),
                String.join(
                        "\n",
                        "s3proxy.endpoint=http://127.0.0.1:" + port,
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + ACCESS_KEY,
                        "s3proxy.credential=" + SECRET_KEY,
                        "jclouds.provider=filesystem",
                        "jclouds.filesystem.basedir=" + dir.resolve("blobs"),
                        ""));
        process = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        jar,
                        "--properties",
                        props.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").toFile())
                .start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive())
                    throw new IllegalStateException("s3proxy exited: " + Files.readString(dir.resolve("log")));
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("s3proxy did not listen within 60 s");
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    int port() {
        return port;
    }

    S3Client client() {
        return S3Client.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint())
                .forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    void createBucket(String name) {
        try (S3Client c = client()) {
            c.createBucket(b -> b.bucket(name));
        }
    }

    /** Stops the server (its data stays until {@link #close}). */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
