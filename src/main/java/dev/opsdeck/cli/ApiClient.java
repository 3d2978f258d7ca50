package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.config.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.stream.Stream;

/** Talks to a running server: {@code --server} or {@code OPSDECK_URL}, token from {@code --token} or {@code OPSDECK_TOKEN}. */
final class ApiClient {

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
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

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
            publisher = body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body));
        } catch (IOException e) {
            throw new ClientException("cannot encode the request: " + e.getMessage(), Main.FAILED);
        }
        String text = exchange(
                request(path)
                        .timeout(Duration.ofSeconds(15))
                        .method(method, publisher)
                        .header("Content-Type", "application/json")
                        .build(),
                path);
        try {
            return text.isEmpty() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new ClientException(base + path + " answered with a non-JSON body", Main.FAILED);
        }
    }

    /** The raw body of a GET, for downloads such as the audit export. */
    String text(String path) throws ClientException {
        return exchange(request(path).timeout(Duration.ofSeconds(60)).GET().build(), path);
    }

    /** One server-sent event: its id (the last one given when it had none), name and data. */
    record Event(String id, String name, String data) {}

    /** Handles events until it returns false. */
    interface EventHandler {
        boolean handle(Event e) throws ClientException;
    }

    /**
     * Reads a server-sent event stream, sending {@code lastEventId} (when not null) so the server goes on after it.
     * Returns true when the handler stopped, false when the server closed the stream first. A stream that breaks
     * midway throws IOException: the caller may connect again with the last id it saw.
     */
    boolean events(String path, String lastEventId, EventHandler handler) throws ClientException, IOException {
        HttpRequest.Builder req = request(path).GET().header("Accept", "text/event-stream");
        if (lastEventId != null) req.header("Last-Event-ID", lastEventId);
        HttpResponse<Stream<String>> res = call(req.build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = res.body()) {
            if (res.statusCode() >= 400) throw refused(path, res.statusCode(), String.join("\n", lines.toList()));
            String id = lastEventId;
            String name = null;
            StringBuilder data = new StringBuilder();
            Iterator<String> it = lines.iterator();
            try {
                while (it.hasNext()) {
                    String line = it.next();
                    if (line.isEmpty()) { // a blank line ends an event
                        if (!data.isEmpty() || name != null) {
                            String text = data.isEmpty() ? "" : data.substring(0, data.length() - 1);
                            if (!handler.handle(new Event(id, name == null ? "message" : name, text))) return true;
                        }
                        name = null;
                        data.setLength(0);
                    } else if (!line.startsWith(":")) { // ':' starts a comment (keepalive)
                        int colon = line.indexOf(':');
                        String field = colon < 0 ? line : line.substring(0, colon);
                        String value = colon < 0 ? "" : line.substring(colon + 1);
                        if (value.startsWith(" ")) value = value.substring(1);
                        switch (field) {
                            case "event" -> name = value;
                            case "data" -> data.append(value).append('\n');
                            case "id" -> id = value;
                            default -> {} // retry and unknown fields: nothing to do
                        }
                    }
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            return false;
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null && !token.isBlank()) req.header("Authorization", "Bearer " + token);
        return req;
    }

    private String exchange(HttpRequest request, String path) throws ClientException {
        HttpResponse<String> res = call(request, HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() >= 400) throw refused(path, res.statusCode(), res.body());
        return res.body();
    }

    private <T> HttpResponse<T> call(HttpRequest request, HttpResponse.BodyHandler<T> body) throws ClientException {
        try {
            return http.send(request, body);
        } catch (IOException e) {
            throw new ClientException(
                    "cannot reach the Opsdeck server at " + base + " ("
                            + e.getClass().getSimpleName()
                            + "); start one with ./opsdeck serve or set --server / OPSDECK_URL",
                    Main.UNREACHABLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException("interrupted", Main.FAILED);
        }
    }

    /** An error answer as the user reads it: the problem's {@code detail}, and for 401 how to get a token. */
    private ClientException refused(String path, int status, String body) {
        String detail;
        try {
            detail = Json.MAPPER.readTree(body).path("detail").asText(body);
        } catch (IOException e) {
            detail = "(non-JSON answer)";
        }
        if (status == 401) {
            detail +=
                    "; set OPSDECK_TOKEN (or --token) to an API key: create one on the dashboard's Account page, or on the"
                            + " server's host with opsdeck apikey bootstrap NAME --config PATH";
        }
        return new ClientException(base + path + ": " + status + " " + detail, Main.FAILED);
    }
}
