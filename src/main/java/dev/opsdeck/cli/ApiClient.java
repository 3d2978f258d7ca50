package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Talks to a running server: {@code --server} or {@code OPSDECK_URL}, token from {@code --token} or {@code OPSDECK_TOKEN}. */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A failure the user can act on; the CLI prints it and exits with {@code exitCode}. */
    static final class ClientException extends Exception {
        final int exitCode;

        ClientException(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiClient(String server, String token) {
        String s = server != null ? server : System.getenv().getOrDefault("OPSDECK_URL", "http://127.0.0.1:8080");
        this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        this.token = token != null ? token : System.getenv("OPSDECK_TOKEN");
    }

    JsonNode get(String path) throws ClientException {
        return send("GET", path, null);
    }

    /** {@code body} is sent as JSON when not null; a 204 answer gives an empty object. */
    JsonNode send(String method, String path, Object body) throws ClientException {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new ClientException("cannot encode the request: " + e.getMessage(), Main.FAILED);
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15))
                .method(method, publisher).header("Content-Type", "application/json");
        if (token != null && !token.isBlank()) req.header("Authorization", "Bearer " + token);
        String text = exchange(req.build(), path);
        try {
            return text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new ClientException(base + path + " answered with a non-JSON body", Main.FAILED);
        }
    }

    /** The raw body of a GET, for downloads such as the audit export. */
    String text(String path) throws ClientException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).GET();
        if (token != null && !token.isBlank()) req.header("Authorization", "Bearer " + token);
        return exchange(req.build(), path);
    }

    private String exchange(HttpRequest request, String path) throws ClientException {
        HttpResponse<String> res;
        try {
            res = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ClientException("cannot reach the Opsdeck server at " + base + " (" + e.getClass().getSimpleName()
                    + "); start one with ./opsdeck serve or set --server / OPSDECK_URL", Main.UNREACHABLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException("interrupted", Main.FAILED);
        }
        if (res.statusCode() >= 400) {
            String detail;
            try {
                detail = JSON.readTree(res.body()).path("detail").asText(res.body());
            } catch (IOException e) {
                detail = "(non-JSON answer)";
            }
            if (res.statusCode() == 401) {
                detail += "; set OPSDECK_TOKEN (or --token) to an API key: create one on the dashboard's Account page";
            }
            throw new ClientException(base + path + ": " + res.statusCode() + " " + detail, Main.FAILED);
        }
        return res.body();
    }
}
