package dev.opsdeck.web;

import dev.opsdeck.auth.Role;
import dev.opsdeck.server.OpsdeckServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A real Opsdeck server on a free port, with its config and data in a temp directory. */
final class TestServer implements AutoCloseable {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Path config;
    final OpsdeckServer server;
    /** An admin API key, sent with every request of {@link #get}. */
    final String token;

    private TestServer(Path config, OpsdeckServer server) {
        this.config = config;
        this.server = server;
        this.token = dev.opsdeck.server.TestServer.adminKey(server);
    }

    /**
     * A signed-in dashboard session for a user named {@code name} with {@code role} (created if
     * missing, with no forced password change): the cookie value for {@code opsdeck_session}.
     */
    String session(String name, Role role) {
        var users = server.access().users();
        if (users.find(name).isEmpty())
            users.create(name, role, "correct horse battery staple " + name.length(), false);
        return server.access().sessions().create(name).token();
    }

    /** Starts on {@code services:} YAML (indented by two); data goes to {@code dir/data}; reloads polled every 200 ms. */
    static TestServer start(Path dir, String servicesYaml) throws Exception {
        Path config = dir.resolve("opsdeck.yaml");
        String yaml = "server: { data_dir: \"" + dir.resolve("data").toString().replace("\\", "/") + "\" }\n"
                + "store: { url: embedded }\n"
                + "monitoring: { jitter: 0% }\n"
                + "services:\n" + servicesYaml;
        Files.writeString(config, yaml);
        return new TestServer(config, OpsdeckServer.start(config, new OpsdeckServer.Options(0, 200)));
    }

    String url(String path) {
        return server.url() + path;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url(path)))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits for the engine to reach a state, failing with {@code what} after {@code timeout}. */
    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
