package dev.opsdeck.network;

import dev.opsdeck.config.Cidr;
import dev.opsdeck.config.NetworkConfig;
import dev.opsdeck.config.Units;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** A real Javalin server on a free loopback port with the guard in front of a few routes. */
final class GuardedApp implements AutoCloseable {
    final NetworkGuard guard;
    private final Javalin app;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    GuardedApp(NetworkConfig config) {
        this(config, c -> {});
    }

    GuardedApp(NetworkConfig config, Consumer<JavalinConfig> extra) {
        guard = new NetworkGuard(config, Clock.systemUTC());
        app = Javalin.create(c -> {
                    c.startup.showJavalinBanner = false;
                    c.jetty.host = "127.0.0.1";
                    c.jetty.port = 0;
                    guard.register(c);
                    c.routes.get("/whoami", ctx -> ctx.result(ClientAddress.of(ctx)));
                    c.routes.get("/health", ctx -> ctx.result("ok"));
                    c.routes.get("/boom", ctx -> {
                        throw new IllegalStateException("test failure");
                    });
                    c.routes.get(
                            "/own-csp",
                            ctx -> ctx.header("Content-Security-Policy", "default-src 'self'")
                                    .result("page"));
                    c.routes.get("/keyed", ctx -> {
                        if (guard.admitKey(ctx, ctx.header("X-Key"))) ctx.result("key ok");
                    });
                    c.routes.post("/echo", ctx -> ctx.result("read " + ctx.bodyAsBytes().length + " bytes"));
                    extra.accept(c);
                })
                .start();
    }

    static NetworkConfig config(List<String> allowed, List<String> proxies, List<String> origins, String perSource) {
        String[] rate = perSource.split("/");
        return new NetworkConfig(
                allowed.stream().map(Cidr::parse).toList(),
                proxies.stream().map(Cidr::parse).toList(),
                origins,
                new NetworkConfig.Rate(Long.parseLong(rate[0]), Units.duration(rate[1])),
                NetworkConfig.DEFAULTS.perKey(),
                10_000);
    }

    int port() {
        return app.port();
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, headers);
    }

    HttpResponse<String> send(String method, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) b.headers(headers);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends bytes exactly as written, for headers HttpClient would not let a test forge; returns the whole answer. */
    String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
