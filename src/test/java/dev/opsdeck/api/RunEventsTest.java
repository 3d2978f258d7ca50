package dev.opsdeck.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/runs/{id}/events} against a real server and real shell steps: a client that drops the stream
 * midway and reconnects with {@code Last-Event-ID} ends up with exactly the stored output (nothing lost, nothing
 * twice); secrets are masked in what is streamed; no credentials, unknown runs, bad cursors and clients that do not
 * accept event streams are refused precisely.
 */
class RunEventsTest {
    static final String SECRET = "hunter2-very-secret";
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;

    static TestServer server;

    record Event(String id, String name, JsonNode data) {}

    @BeforeAll
    static void start() throws Exception {
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s" }
                runbooks:
                  rb-print:
                    title: Prints slowly
                    params:
                      token: { secret: true, required: true }
                    steps:
                      - { id: count, type: shell, target: 10s, run: 'for i in 1 2 3 4 5 6 7 8; do echo "line $i uses $T"; sleep 0.25; done', env: { T: "{{params.token}}" } }
                      - { id: tail, type: shell, run: 'printf "no newline at the end"' }
                """.formatted(dir.resolve("data")));
        server = new TestServer(config);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void aReconnectWithTheLastEventIdLosesAndRepeatsNothingAndSecretsStayMasked() throws Exception {
        String id = startRun();
        List<Event> first = new ArrayList<>();
        // read until two output events came, then drop the connection in the middle of the step
        read("/api/v1/runs/" + id + "/events", null, e -> {
            first.add(e);
            return first.stream().filter(x -> x.name().equals("output")).count() < 2;
        });
        List<String> names = first.stream().map(Event::name).toList();
        assertThat(names.indexOf("step"))
                .as("the step is announced before its output")
                .isLessThan(names.indexOf("output"));
        assertThat(first.stream()
                        .filter(e -> e.name().equals("step"))
                        .reduce((a, b) -> b)
                        .orElseThrow()
                        .data()
                        .path("status")
                        .asText())
                .as("the connection dropped while the step ran")
                .isEqualTo("running");
        String lastId = first.get(first.size() - 1).id();
        assertThat(lastId).matches("1:[0-9]+");

        List<Event> second = new ArrayList<>();
        read("/api/v1/runs/" + id + "/events", lastId, e -> {
            second.add(e);
            return !e.name().equals("end");
        });
        assertThat(second.get(second.size() - 1).name()).isEqualTo("end");
        assertThat(second.get(second.size() - 1).data().path("status").asText()).isEqualTo("succeeded");

        Map<Integer, StringBuilder> streamed = new LinkedHashMap<>();
        for (List<Event> part : List.of(first, second)) {
            for (Event e : part) {
                if (!e.name().equals("output")) continue;
                int seq = e.data().path("seq").asInt();
                StringBuilder sb = streamed.computeIfAbsent(seq, k -> new StringBuilder());
                assertThat(e.data().path("offset").asLong())
                        .as("each output event goes on where the last one ended")
                        .isEqualTo(sb.length());
                sb.append(e.data().path("text").asText());
            }
        }
        String stored1 = server.get("/api/v1/runs/" + id + "/steps/1/output").body();
        String stored2 = server.get("/api/v1/runs/" + id + "/steps/2/output").body();
        assertThat(stored1).startsWith("line 1 uses ***\nline 2 uses ***\n").endsWith("line 8 uses ***\n");
        assertThat(streamed.get(1).toString()).isEqualTo(stored1);
        assertThat(streamed.get(2).toString()).isEqualTo(stored2).isEqualTo("no newline at the end");
        for (List<Event> part : List.of(first, second)) {
            for (Event e : part) assertThat(e.data().toString()).doesNotContain(SECRET);
        }
        assertThat(second.stream()
                        .filter(e -> e.name().equals("step"))
                        .map(e -> e.data().path("status").asText()))
                .contains("succeeded");

        // a run that has ended: the whole story at once, then the end
        List<Event> replay = new ArrayList<>();
        read("/api/v1/runs/" + id + "/events", null, e -> {
            replay.add(e);
            return !e.name().equals("end");
        });
        assertThat(replay.stream().map(Event::name)).containsExactly("step", "output", "step", "output", "run", "end");
        assertThat(replay.get(replay.size() - 1).id()).isEqualTo("2:" + stored2.length());
        // ?after= for a first connection (EventSource cannot set the header): nothing before the cursor again
        List<Event> after = new ArrayList<>();
        read("/api/v1/runs/" + id + "/events?after=1:" + stored1.length(), null, e -> {
            after.add(e);
            return !e.name().equals("end");
        });
        assertThat(after.stream()
                        .filter(e -> e.name().equals("output"))
                        .map(e -> e.data().path("seq").asInt()))
                .containsExactly(2);
    }

    @Test
    void refusals() throws Exception {
        String id = startRun();
        HttpResponse<String> anonymous = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/runs/" + id + "/events"))
                        .header("Accept", "text/event-stream")
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).doesNotContain("line 1");

        HttpResponse<String> unknown = send("/api/v1/runs/run-000000000000/events", "text/event-stream", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(TestServer.JSON.readTree(unknown.body()).path("detail").asText())
                .isEqualTo("no run 'run-000000000000'");

        HttpResponse<String> badCursor = send("/api/v1/runs/" + id + "/events", "text/event-stream", "7;DROP");
        assertThat(badCursor.statusCode()).isEqualTo(400);
        assertThat(TestServer.JSON.readTree(badCursor.body()).path("detail").asText())
                .isEqualTo("Last-Event-ID / after: expected SEQ:OFFSET as sent in an event's id; got '7;DROP'");

        HttpResponse<String> notAStreamClient = send("/api/v1/runs/" + id + "/events", "application/json", null);
        assertThat(notAStreamClient.statusCode()).isEqualTo(406);
        assertThat(TestServer.JSON
                        .readTree(notAStreamClient.body())
                        .path("detail")
                        .asText())
                .isEqualTo("this is a server-sent event stream: send 'Accept: text/event-stream'");
        TestServer.awaitHttp(
                () -> server.json("/api/v1/runs/" + id).path("status").asText().equals("succeeded"), "the run's end");
    }

    private static String startRun() throws Exception {
        HttpResponse<String> started = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/runbooks/rb-print/runs"))
                        .header("Authorization", "Bearer " + server.token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"params\":{\"token\":\"" + SECRET + "\"}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        return TestServer.JSON.readTree(started.body()).path("id").asText();
    }

    private static HttpResponse<String> send(String path, String accept, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + server.token)
                .header("Accept", accept);
        if (lastEventId != null) b.header("Last-Event-ID", lastEventId);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    interface Handler {
        boolean more(Event e);
    }

    /** Reads events until {@code handler} says stop or the server closes the stream; closing drops the connection. */
    static void read(String path, String lastEventId, Handler handler) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Authorization", "Bearer " + server.token)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) b.header("Last-Event-ID", lastEventId);
        HttpResponse<Stream<String>> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        try (Stream<String> lines = res.body()) {
            Iterator<String> it = lines.iterator();
            String id = null;
            String name = null;
            StringBuilder data = new StringBuilder();
            while (it.hasNext()) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (name != null) {
                        if (!handler.more(new Event(id, name, TestServer.JSON.readTree(data.toString())))) return;
                    }
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
        }
    }
}
