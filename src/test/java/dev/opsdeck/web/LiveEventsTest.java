package dev.opsdeck.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@code GET /events} on a real server: an event follows a state change quickly, and bursts are throttled. */
@Tag("server")
class LiveEventsTest {
    @TempDir
    Path dir;

    TestServer server;
    LocalTarget target;
    Stream<String> stream;

    @AfterEach
    void stop() throws Exception {
        if (stream != null) stream.close();
        if (server != null) server.close();
        if (target != null) target.close();
    }

    @Test
    void aStateChangeIsPushedWithinASecond() throws Exception {
        target = LocalTarget.open();
        server = TestServer.start(dir, """
                  steady:
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms, timeout: 1s }
                """.formatted(target.port()));
        TestServer.await(
                Duration.ofSeconds(5),
                "steady is up",
                () -> server.server
                        .engine()
                        .services()
                        .getFirst()
                        .status()
                        .label()
                        .equals("up"));
        BlockingQueue<Event> events = subscribe();
        assertThat(events.poll(3, TimeUnit.SECONDS)).extracting(Event::name).isEqualTo("hello");
        Thread.sleep(1_100); // let any results-only update from before go out first
        events.clear();

        long closedAt = System.nanoTime();
        target.close();
        Event update = nextUpdate(events, "state", Duration.ofSeconds(3));
        assertThat(update)
                .as("a state update within 3 s of the target going away")
                .isNotNull();
        assertThat(update.atNanos - closedAt)
                .isLessThan(Duration.ofMillis(2_500).toNanos());
    }

    @Test
    void manyChangesBecomeAtMostAboutOneEventPerSecond() throws Exception {
        // every other reply fails the expectation, so the check changes state on every 100 ms run
        target = LocalTarget.replying("pong", "nope");
        server = TestServer.start(dir, """
                  flappy:
                    checks:
                      echo: { type: tcp, host: 127.0.0.1, port: %d, send: "ping", expect: pong, interval: 100ms, timeout: 1s }
                """.formatted(target.port()));
        BlockingQueue<Event> events = subscribe();
        assertThat(events.poll(3, TimeUnit.SECONDS)).extracting(Event::name).isEqualTo("hello");

        List<Event> updates = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (System.nanoTime() < end) {
            Event e = events.poll(50, TimeUnit.MILLISECONDS);
            if (e != null && e.name.equals("update")) updates.add(e);
        }
        // about 40 state changes happened; the browser hears about them 3 to 5 times
        assertThat(updates).hasSizeBetween(3, 5);
        for (int i = 1; i < updates.size(); i++) {
            assertThat(updates.get(i).atNanos - updates.get(i - 1).atNanos)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900).toNanos());
        }
    }

    @Test
    void aClosedPageIsForgottenQuietly() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        logs.start();
        try {
            target = LocalTarget.replying("pong", "nope"); // a state change on every 100 ms run: an event every second
            server = TestServer.start(dir, """
                      flappy:
                        checks:
                          echo: { type: tcp, host: 127.0.0.1, port: %d, send: "ping", expect: pong, interval: 100ms, timeout: 1s }
                    """.formatted(target.port()));
            for (int page = 0; page < 3; page++) {
                BlockingQueue<Event> events = subscribe();
                assertThat(events.poll(3, TimeUnit.SECONDS))
                        .extracting(Event::name)
                        .isEqualTo("hello");
                assertThat(nextUpdate(events, "state", Duration.ofSeconds(3))).isNotNull();
                stream.close(); // the browser tab closes
                stream = null;
            }
            Thread.sleep(3_000); // state changes go on: the server finds each page gone at its next write
            // Javalin warns "Cannot send data, SseClient has been terminated" for a send to a stream already closed
            assertThat(logs.list)
                    .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN)
                            && (e.getLoggerName().startsWith("io.javalin")
                                    || e.getLoggerName().contains("Live")))
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .isEmpty();
        } finally {
            root.detachAppender(logs);
        }
    }

    private record Event(String name, String data, long atNanos) {}

    /** Opens the stream and parses it into events on a background thread. */
    private BlockingQueue<Event> subscribe() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url("/events")))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + server.token)
                .build();
        HttpResponse<Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        stream = response.body();
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            String name = null;
            try {
                for (var it = stream.iterator(); it.hasNext(); ) {
                    String line = it.next();
                    if (line.startsWith("event:")) name = line.substring(6).strip();
                    else if (line.startsWith("data:") && name != null) {
                        events.add(new Event(name, line.substring(5).strip(), System.nanoTime()));
                        name = null;
                    }
                }
            } catch (RuntimeException closed) {
                // the test closed the stream
            }
        });
        return events;
    }

    private static Event nextUpdate(BlockingQueue<Event> events, String data, Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Event e = events.poll(50, TimeUnit.MILLISECONDS);
            if (e != null && e.name.equals("update") && e.data.equals(data)) return e;
        }
        return null;
    }
}
