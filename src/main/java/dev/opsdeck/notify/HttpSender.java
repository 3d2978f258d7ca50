package dev.opsdeck.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.opsdeck.config.ChannelDef;
import dev.opsdeck.config.Json;
import dev.opsdeck.config.Position;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Webhook and Slack channels: one JSON POST per attempt. Redirects are not followed (a receiver that
 * redirects is misconfigured, and following could loop or leave the intended host); only a 2xx counts as
 * delivered. The channel's timeout bounds the whole attempt, headers and body, whatever the receiver does.
 */
final class HttpSender implements Sender {
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private final CompletableFuture<HttpClient> client;
    private final Clock clock;

    HttpSender(Clock clock) {
        this.clock = clock;
        // built beside the server's start rather than in it: a JDK client (its selector thread, the default
        // SSL context with the CA certificates) takes a cold JVM ~0.1 s, and the first delivery is far later.
        // HTTP/1.1: no h2c upgrade dance with receivers that are often small, hand-written endpoints
        this.client = CompletableFuture.supplyAsync(
                () -> HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build(),
                task -> Thread.ofVirtual().name("opsdeck-notify-http-client").start(task));
    }

    /**
     * In the background, the work of a first page without sending one: a message rendered and made into both
     * body shapes, then one GET to {@code target} (its answer ignored) for the client's first exchange.
     */
    void warmUp(URI target) {
        Thread.ofVirtual().name("opsdeck-notify-warm-up").start(() -> {
            Map<String, Object> fields = Map.of(
                    "severity",
                    "P1",
                    "incident_id",
                    0,
                    "title",
                    "warm-up",
                    "service",
                    "opsdeck",
                    "incident_url",
                    target.toString());
            Delivery d = new Delivery(
                    0,
                    "warm-up",
                    "warm-up",
                    "incident.triggered",
                    fields,
                    Delivery.PENDING,
                    1,
                    clock.millis(),
                    0,
                    null,
                    null,
                    null);
            MessageTemplates.Message message = MessageTemplates.render(d.template(), Map.of(), fields);
            for (String type : List.of("webhook", "slack")) {
                body(
                        new ChannelDef(
                                "warm-up",
                                type,
                                target.toString(),
                                null,
                                Map.of(),
                                null,
                                null,
                                List.of(),
                                Map.of(),
                                ChannelDef.DEFAULT_RETRY_HORIZON,
                                ChannelDef.DEFAULT_TIMEOUT,
                                1,
                                Position.NONE),
                        d,
                        message);
            }
            try {
                client.join()
                        .send(
                                HttpRequest.newBuilder(target)
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
            } catch (java.io.IOException | RuntimeException e) {
                // only ever a slower first page
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public void send(ChannelDef channel, Delivery d, MessageTemplates.Message message)
            throws DeliveryFailure, InterruptedException {
        byte[] body = body(channel, d, message);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(channel.url()))
                .timeout(channel.timeout())
                .header("Content-Type", "application/json")
                .header(IDEMPOTENCY_KEY, d.idempotencyKey())
                .header("User-Agent", "opsdeck-notify")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        channel.headers().forEach(b::setHeader);
        if (channel.secret() != null) {
            long now = clock.instant().getEpochSecond();
            b.header(Signature.TIMESTAMP, Long.toString(now))
                    .header(Signature.HEADER, Signature.sign(channel.secret(), now, body));
        }
        CompletableFuture<HttpResponse<String>> call =
                client.join().sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> r;
        try {
            r = call.get(channel.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new DeliveryFailure("no answer within " + channel.timeout().toMillis() + "ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof java.net.http.HttpTimeoutException) {
                throw new DeliveryFailure(
                        "no answer within " + channel.timeout().toMillis() + "ms");
            }
            throw new DeliveryFailure(
                    cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        }
        int status = r.statusCode();
        if (status >= 200 && status < 300) return;
        if (status >= 300 && status < 400) {
            throw new DeliveryFailure("HTTP " + status + " redirect to "
                    + r.headers().firstValue("Location").orElse("nowhere") + " not followed; configure the final URL");
        }
        String text = r.body() == null ? "" : r.body().strip();
        throw new DeliveryFailure("HTTP " + status
                + (text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) : text)));
    }

    /** Slack's incoming-webhook shape, or Opsdeck's own JSON for a webhook. The same bytes on every attempt. */
    static byte[] body(ChannelDef channel, Delivery d, MessageTemplates.Message message) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (channel.type().equals("slack")) {
            out.put("text", message.headline());
            List<Object> blocks = new java.util.ArrayList<>();
            blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", message.text())));
            String url = MessageTemplates.value(d.fields().get("incident_url"));
            if (!url.isEmpty()) {
                blocks.add(Map.of(
                        "type",
                        "actions",
                        "elements",
                        List.of(Map.of(
                                "type",
                                "button",
                                "text",
                                Map.of("type", "plain_text", "text", "Open incident"),
                                "url",
                                url))));
            }
            out.put("blocks", blocks);
        } else {
            out.put("id", d.id());
            out.put("idempotency_key", d.idempotencyKey());
            out.put("channel", d.channel());
            out.put("template", d.template());
            out.put("created_at", Instant.ofEpochMilli(d.createdMs()).toString());
            out.put("headline", message.headline());
            out.put("text", message.text());
            out.put("fields", d.fields());
        }
        try {
            return Json.MAPPER.writeValueAsBytes(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("fields were JSON when enqueued", e);
        }
    }
}
