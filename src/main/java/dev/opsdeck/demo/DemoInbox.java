package dev.opsdeck.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.opsdeck.config.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the demo's notifications go: a webhook receiver on loopback that acknowledges every message and logs
 * its headline, so a newcomer sees the page an outage sends without configuring Slack or mail. It is a real
 * receiver, so the demo's messages take the same outbox, retries and delivery log as any channel's.
 */
public final class DemoInbox implements AutoCloseable {
    /** What the receiver got: the message's template, headline and idempotency key. */
    public record Received(String template, String headline, String idempotencyKey) {}

    private static final Logger LOG = LoggerFactory.getLogger(DemoInbox.class);
    /** The demo keeps the latest messages only; the store's notification log keeps every one. */
    private static final int KEEP = 200;

    private static final int MAX_BODY = 1 << 20;

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();

    private DemoInbox() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/inbox", this::receive);
        server.start();
    }

    public static DemoInbox start() throws IOException {
        return new DemoInbox();
    }

    /** The webhook URL the demo's channel posts to. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/inbox";
    }

    /** The messages received so far, oldest first. */
    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    private void receive(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("POST")) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            JsonNode body;
            try (InputStream in = ex.getRequestBody()) {
                body = Json.MAPPER.readTree(in.readNBytes(MAX_BODY));
            } catch (IOException e) {
                ex.sendResponseHeaders(400, -1);
                return;
            }
            Received r = new Received(
                    body.path("template").asText(),
                    body.path("headline").asText(),
                    body.path("idempotency_key").asText());
            synchronized (this) {
                received.add(r);
                if (received.size() > KEEP) received.removeFirst();
            }
            LOG.info(
                    "event=demo_notification channel={} template={} key={} headline=\"{}\"",
                    body.path("channel").asText(),
                    r.template(),
                    r.idempotencyKey(),
                    r.headline().replace("\"", "'"));
            ex.sendResponseHeaders(204, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
