package dev.opsdeck.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A {@link ServerChild} process with extra environment variables, and requests to it with its admin key. */
final class RemoteServer implements AutoCloseable {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process process;
    final String url;
    final String token;

    RemoteServer(Path config, Path log, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-Xmx256m",
                        "--enable-native-access=ALL-UNNAMED",
                        "-DOPSDECK_LOG_LEVEL=WARN",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ServerChild.class.getName(),
                        config.toString()))
                .redirectError(log.toFile());
        pb.environment().putAll(env);
        process = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()));
        String first = out.readLine();
        String second = out.readLine();
        if (first == null || second == null) throw new IllegalStateException("the server did not start; see " + log);
        url = first.substring("url ".length());
        token = second.substring("token ".length());
    }

    JsonNode json(String path) throws Exception {
        return TestServer.JSON.readTree(send("GET", path, null).body());
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url + path))
                        .timeout(Duration.ofSeconds(20))
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

    /** Waits up to {@code seconds} for the run to reach {@code status}; returns the run. */
    JsonNode awaitRun(String id, String status, int seconds) throws Exception {
        long end = System.currentTimeMillis() + seconds * 1000L;
        JsonNode run = json("/api/v1/runs/" + id);
        while (!run.path("status").asText().equals(status)) {
            if (System.currentTimeMillis() > end)
                throw new AssertionError("run " + id + " is not " + status + ": " + run);
            Thread.sleep(100);
            run = json("/api/v1/runs/" + id);
        }
        return run;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
