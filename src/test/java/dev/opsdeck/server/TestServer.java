package dev.opsdeck.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsdeck.auth.Role;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A real server on a random port, and plain HTTP against it. */
public final class TestServer implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public final OpsdeckServer server;
    /** An admin API key, sent with every request of {@link #get}. */
    public final String token;

    public TestServer(Path config) throws Exception {
        server = OpsdeckServer.start(config, new OpsdeckServer.Options(0, 200));
        token = adminKey(server);
    }

    /** A fresh admin API key on {@code server} (owned by the bootstrap admin). */
    public static String adminKey(OpsdeckServer server) {
        return server.access()
                .apiKeys()
                .create("tests", "admin", Role.ADMIN, false, null)
                .secret();
    }

    public String url() {
        return server.url();
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url() + path))
                        .timeout(Duration.ofSeconds(20))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A request without credentials. */
    public HttpResponse<String> anonymous(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url() + path))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A request with the admin key; {@code body} (JSON) may be null. */
    public HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url() + path))
                        .timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public JsonNode json(String path) throws IOException, InterruptedException {
        return JSON.readTree(get(path).body());
    }

    public static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    /** await() for conditions that read over HTTP. */
    public interface Probe {
        boolean holds() throws Exception;
    }

    public static void awaitHttp(Probe condition, String what) throws InterruptedException {
        await(
                () -> {
                    try {
                        return condition.holds();
                    } catch (Exception e) {
                        return false;
                    }
                },
                what);
    }

    @Override
    public void close() {
        server.close();
    }
}
