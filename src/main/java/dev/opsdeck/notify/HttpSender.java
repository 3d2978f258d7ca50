package dev.opsdeck.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.opsdeck.config.Fields;
import dev.opsdeck.config.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP side of webhook and Slack channels: one JSON POST per attempt. Redirects are not followed (a receiver
 * that redirects is misconfigured, and following could loop or leave the intended host); only a 2xx counts as
 * delivered. The channel's timeout bounds the whole attempt, headers and body, whatever the receiver does.
 */
final class HttpSender {
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
            WebhookChannel.body(d, message);
            SlackChannel.body(d, message);
            try {
                client.join()
                        .send(
                                HttpRequest.newBuilder(target)
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
            } catch (IOException | RuntimeException e) {
                // only ever a slower first page
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * POSTs {@code body} to {@code url} with the message's idempotency key and the channel's {@code headers}, signed
     * when a {@code secret} is given; returns on a 2xx. A 4xx other than 408, 425 and 429 is a permanent failure:
     * the receiver refuses this message and would refuse it again; anything else is worth a retry.
     */
    void post(URI url, Map<String, String> headers, String secret, Delivery d, byte[] body, Duration timeout)
            throws DeliveryFailure, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header(IDEMPOTENCY_KEY, d.idempotencyKey())
                .header("User-Agent", "opsdeck-notify")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::setHeader);
        if (secret != null) {
            long now = clock.instant().getEpochSecond();
            b.header(Signature.TIMESTAMP, Long.toString(now))
                    .header(Signature.HEADER, Signature.sign(secret, now, body));
        }
        CompletableFuture<HttpResponse<String>> call =
                client.join().sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> r;
        try {
            r = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new DeliveryFailure("no answer within " + timeout.toMillis() + "ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new DeliveryFailure("no answer within " + timeout.toMillis() + "ms");
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
        String reason =
                "HTTP " + status + (text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) : text));
        throw refused(status) ? DeliveryFailure.permanent(reason) : new DeliveryFailure(reason);
    }

    /** A 4xx refuses the request itself; 408 (request timeout), 425 (too early) and 429 (too many) ask for later. */
    static boolean refused(int status) {
        return status >= 400 && status < 500 && status != 408 && status != 425 && status != 429;
    }

    /** Serializes a request body; the fields were JSON when enqueued, so this does not fail. */
    static byte[] json(Object body) {
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("fields were JSON when enqueued", e);
        }
    }

    /** The {@code key} of an HTTP channel's settings when it is an http(s) URL with a host; null (reported) if not. */
    static String url(Fields f, String key, String url) {
        if (url == null) return null;
        try {
            URI u = new URI(url);
            if (u.getScheme() != null
                    && (u.getScheme().equals("http") || u.getScheme().equals("https"))
                    && u.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException ignored) {
            // reported below
        }
        f.problem(key, "not an http(s) URL", "write the full URL, e.g. https://hooks.example.com/opsdeck");
        return null;
    }

    /** A URL as the API shows it: scheme and host only, since paths and queries often hold tokens. */
    static String masked(String url) {
        URI u = URI.create(url);
        return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()) + "/***";
    }
}
