package dev.opsdeck.api;

import static dev.opsdeck.auth.Permission.OPERATE;
import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import dev.opsdeck.notify.Channel;
import dev.opsdeck.notify.Delivery;
import dev.opsdeck.notify.Outbox;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Notification channels and the notification log: list the channels (no secrets: URLs show only their
 * host), send a test message and wait for its first result, read the log.
 */
public final class ChannelRoutes {
    /** How long {@code POST .../test} waits for the first attempt: the default channel timeout and a margin. */
    static final Duration TEST_WAIT = Duration.ofSeconds(12);

    private static final Set<String> STATUSES = Set.of(Delivery.PENDING, Delivery.DELIVERED, Delivery.FAILED);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Outbox outbox;
    private final AuditLog audit;

    public ChannelRoutes(Outbox outbox, AuditLog audit) {
        this.outbox = outbox;
        this.audit = audit;
    }

    public void register(JavalinConfig config) {
        new SecuredRoutes(config)
                .get(
                        "/api/v1/channels",
                        READ,
                        ctx -> ctx.json(Map.of(
                                "channels",
                                outbox.channels().all().stream()
                                        .map(Channel::describe)
                                        .toList())))
                .post("/api/v1/channels/{name}/test", OPERATE, this::test)
                .get("/api/v1/notifications", READ, this::log);
    }

    private void test(Context ctx) throws InterruptedException {
        String name = ctx.pathParam("name");
        Channel channel = outbox.channels()
                .channel(name)
                .orElseThrow(() -> ApiProblem.notFound("no channel named '" + name + "'"));
        String actor = Requests.principal(ctx).actor();
        String key = "test-" + name + "-" + HexFormat.of().formatHex(RANDOM.generateSeed(8));
        long id = outbox.enqueue(name, key, "test", Map.of("actor", actor));
        Duration wait = channel.timeout().plusSeconds(2).compareTo(TEST_WAIT) < 0
                ? channel.timeout().plusSeconds(2)
                : TEST_WAIT;
        Delivery d = outbox.awaitFirstResult(id, wait);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("id", id);
        details.put("status", d.status());
        if (d.lastError() != null) details.put("error", d.lastError());
        audit.record(
                actor,
                Requests.client(ctx),
                "channel.test",
                "channel:" + name,
                d.status().equals(Delivery.DELIVERED) ? AuditLog.OK : AuditLog.FAILED,
                details);
        ctx.json(d.view());
    }

    private void log(Context ctx) {
        String status = ctx.queryParam("status");
        if (status != null && !STATUSES.contains(status)) {
            throw ApiProblem.badRequest("status: expected pending, delivered or failed; got '" + status + "'");
        }
        int limit = QueryParams.limit(ctx, 50, 1000);
        List<Map<String, Object>> entries = outbox.log(status, ctx.queryParam("channel"), limit).stream()
                .map(Delivery::view)
                .toList();
        ctx.json(Map.of("notifications", entries));
    }
}
