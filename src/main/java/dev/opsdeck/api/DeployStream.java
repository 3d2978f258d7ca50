package dev.opsdeck.api;

import dev.opsdeck.config.Json;
import dev.opsdeck.deploy.Deploy;
import dev.opsdeck.deploy.DeployRefused;
import dev.opsdeck.deploy.Deploys;
import dev.opsdeck.deploy.Evidence;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /api/v1/deploys/{id}/events}: a deploy as server-sent events while it goes. Events: {@code deploy} (the
 * deploy's view with {@code awaiting_approval}, whenever it changed), {@code evidence} (one new line of its evidence),
 * {@code end} (the deploy is final; the stream closes). Every event's id is the {@code seq} of the last evidence line
 * sent, so a client that reconnects with it ({@code Last-Event-ID}, or {@code ?after=} on the first connection) never
 * gets a line twice and never loses one.
 *
 * <p>Like the run stream, it reads what {@code GET /api/v1/deploys/{id}} reads a few times a second on its own virtual
 * thread: no hook into the deploy engine, so a slow browser cannot slow a deploy down.
 */
final class DeployStream {
    static final long TICK_MS = 200;
    private static final long KEEPALIVE_MS = 15_000;

    private final Deploys deploys;
    private final Set<SseClient> open = ConcurrentHashMap.newKeySet();

    DeployStream(Deploys deploys) {
        this.deploys = deploys;
    }

    void handle(Context ctx) {
        String id = ctx.pathParam("id");
        Deploy d = deploys.find(id)
                .orElseThrow(() -> new DeployRefused(DeployRefused.Reason.NOT_FOUND, "no deploy '" + clip(id) + "'"));
        String given = ctx.header("Last-Event-ID") != null ? ctx.header("Last-Event-ID") : ctx.queryParam("after");
        int after = 0;
        if (given != null && !given.isBlank()) {
            if (!given.strip().matches("[0-9]{1,9}"))
                throw ApiProblem.badRequest("Last-Event-ID / after: expected an evidence line number as sent in an"
                        + " event's id, got '" + clip(given) + "'");
            after = Integer.parseInt(given.strip());
        }
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new ApiProblem(
                    406, "Not Acceptable", "this is a server-sent event stream: send 'Accept: text/event-stream'");
        }
        int from = after;
        new SseHandler(client -> subscribe(client, d.id(), from)).handle(ctx);
    }

    private void subscribe(SseClient client, String id, int after) {
        client.keepAlive();
        open.add(client);
        client.onClose(() -> open.remove(client));
        Thread.ofVirtual().name("opsdeck-deploy-stream").start(() -> {
            try {
                pump(client, id, after);
            } catch (RuntimeException e) {
                // the browser went away mid-write, or the store failed: either way this stream is over
            } finally {
                client.close();
            }
        });
    }

    /** Closes every open stream: a server stopping must not wait for deploys to end. */
    void close() {
        open.forEach(SseClient::close);
        open.clear();
    }

    private void pump(SseClient client, String id, int after) {
        int cursor = after;
        String sent = null;
        long lastSent = System.currentTimeMillis();
        while (!client.terminated()) {
            Deploy d = deploys.find(id).orElse(null);
            if (d == null) return;
            // the evidence is read after the deploy: the outcome line is written before the final state, so when
            // the deploy read is final, every line it has is in this list
            for (Evidence e : deploys.evidence(id, cursor)) {
                cursor = e.seq();
                client.sendEvent("evidence", Json.write(e.view()), Integer.toString(cursor));
                lastSent = System.currentTimeMillis();
            }
            Map<String, Object> view = d.view();
            view.put(
                    "awaiting_approval",
                    deploys.pendingApproval(d)
                            .map(p -> Map.of("role", p.role(), "four_eyes", p.fourEyes()))
                            .orElse(null));
            String json = Json.write(view);
            if (!json.equals(sent)) {
                client.sendEvent("deploy", json, Integer.toString(cursor));
                sent = json;
                lastSent = System.currentTimeMillis();
            }
            if (d.state().isFinal()) {
                client.sendEvent("end", json, Integer.toString(cursor));
                return;
            }
            if (System.currentTimeMillis() - lastSent >= KEEPALIVE_MS) {
                client.sendComment("keepalive"); // finds dead connections and keeps proxies from timing out
                lastSent = System.currentTimeMillis();
            }
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String clip(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }
}
