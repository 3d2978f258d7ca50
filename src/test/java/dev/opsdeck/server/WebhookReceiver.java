package dev.opsdeck.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real HTTP receiver for webhook channels: it answers 204 and keeps every JSON body it was sent. */
final class WebhookReceiver implements AutoCloseable {
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            received.add(
                    TestServer.JSON.readTree(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
    }

    /** The URL to put in a channel's {@code url}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** How many received bodies mention {@code text} (e.g. "triggered"). */
    long count(String text) {
        return received.stream().filter(m -> m.toString().contains(text)).count();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
