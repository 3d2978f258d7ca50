package dev.opsdeck.api;

import dev.opsdeck.config.Json;
import dev.opsdeck.runbook.Run;
import dev.opsdeck.runbook.Runbooks;
import dev.opsdeck.runbook.StepRun;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/runs/{id}/events}: a run as server-sent events while it goes. Events: {@code run} (the run's
 * state, with any pending approval), {@code step} (a step started or changed), {@code output} (new output of a step:
 * complete lines while it runs, the rest when it ends; already masked and capped), {@code end} (the run ended; the
 * stream closes).
 *
 * <p>Every event's id is the output cursor {@code SEQ:OFFSET}: all output of the steps before {@code SEQ} and the
 * first {@code OFFSET} characters of step {@code SEQ} have been sent. A client that reconnects with that id (browsers
 * send it as {@code Last-Event-ID} by themselves; {@code ?after=} does the same for the first connection) gets the
 * run and step states again but never a line twice and never loses one. Run and step events are states, not
 * changes, so a repeated one is harmless.
 *
 * <p>The stream reads the same state as {@code GET /api/v1/runs/{id}} a few times a second on its own virtual thread
 * and sends only what changed: no hook into the runbook engine, so a slow browser can never slow a run down.
 */
final class RunStream {
    static final long TICK_MS = 200;
    private static final long KEEPALIVE_MS = 15_000;
    private static final Pattern CURSOR = Pattern.compile("([0-9]{1,9}):([0-9]{1,12})");

    /** How far the client has the output. {@code 0:0}: nothing yet. */
    record Cursor(int seq, long offset) {
        static final Cursor START = new Cursor(0, 0);

        /** Null for text that is not a cursor. */
        static Cursor parse(String text) {
            Matcher m = CURSOR.matcher(text);
            return m.matches() ? new Cursor(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))) : null;
        }

        @Override
        public String toString() {
            return seq + ":" + offset;
        }
    }

    private final Runbooks runbooks;
    private final Set<SseClient> open = ConcurrentHashMap.newKeySet();

    RunStream(Runbooks runbooks) {
        this.runbooks = runbooks;
    }

    void handle(Context ctx) {
        String id = ctx.pathParam("id");
        Run run = runbooks.find(id).orElseThrow(() -> ApiProblem.notFound("no run '" + id + "'"));
        String given = ctx.header("Last-Event-ID") != null ? ctx.header("Last-Event-ID") : ctx.queryParam("after");
        Cursor from = given == null || given.isBlank() ? Cursor.START : Cursor.parse(given.strip());
        if (from == null) {
            throw ApiProblem.badRequest(
                    "Last-Event-ID / after: expected SEQ:OFFSET as sent in an event's id; got '" + given + "'");
        }
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new ApiProblem(
                    406, "Not Acceptable", "this is a server-sent event stream: send 'Accept: text/event-stream'");
        }
        new SseHandler(client -> subscribe(client, run.id(), from)).handle(ctx);
    }

    private void subscribe(SseClient client, String runId, Cursor from) {
        client.keepAlive();
        open.add(client);
        client.onClose(() -> open.remove(client));
        Thread.ofVirtual().name("opsdeck-run-stream").start(() -> {
            try {
                pump(client, runId, from);
            } catch (RuntimeException e) {
                // the browser went away mid-write, or the store failed: either way this stream is over
            } finally {
                client.close();
            }
        });
    }

    /** Closes every open stream: a server stopping must not wait for runs to end. */
    void close() {
        open.forEach(SseClient::close);
        open.clear();
    }

    private void pump(SseClient client, String runId, Cursor from) {
        Cursor cursor = from;
        String sentRun = null;
        Map<Integer, String> sentSteps = new HashMap<>();
        long lastSent = System.currentTimeMillis();
        while (!client.terminated()) {
            Runbooks.Snapshot now = runbooks.snapshot(runId).orElse(null);
            if (now == null) return;
            // the steps are read after the run: when the run has ended, every step it recorded is in the list
            Run run = now.run();
            List<StepRun> steps = now.steps();
            for (StepRun s : steps) {
                String stepJson = json(s.view());
                boolean changed = !stepJson.equals(sentSteps.get(s.seq()));
                boolean first = !sentSteps.containsKey(s.seq());
                sentSteps.put(s.seq(), stepJson);
                // a new step is announced before its output; a change (its end) follows the output it made
                if (changed && first) client.sendEvent("step", stepJson, cursor.toString());
                cursor = output(client, s, now, cursor);
                if (changed && !first) client.sendEvent("step", stepJson, cursor.toString());
            }
            // told only when the snapshot itself waits: the live pending approval can be ahead of the snapshot (the
            // run moved on after it was read), and a client must see the earlier step's output and end, and the
            // step that waits, before "waiting for approval"
            Map<String, Object> runView = run.view();
            runView.put(
                    "pending_approval",
                    run.status() == Run.Status.WAITING_APPROVAL
                            ? runbooks.pendingApproval(runId).orElse(null)
                            : null);
            String runJson = json(runView);
            if (!runJson.equals(sentRun)) {
                client.sendEvent("run", runJson, cursor.toString());
                sentRun = runJson;
            }
            if (!run.status().active()) {
                client.sendEvent("end", runJson, cursor.toString());
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

    /** Sends what {@code s} printed past the cursor; returns the cursor after it. */
    private static Cursor output(SseClient client, StepRun s, Runbooks.Snapshot now, Cursor cursor) {
        if (s.seq() < cursor.seq()) return cursor; // its output was all sent before
        boolean running = running(s);
        String text = running
                ? (Integer.valueOf(s.seq()).equals(now.liveSeq()) ? now.liveText() : "")
                : s.output() == null ? "" : s.output();
        // while it runs only complete lines go out: a half-written line could hold the start of a secret the
        // mask can only hide once the whole value is printed
        int end = running ? text.lastIndexOf('\n') + 1 : text.length();
        long start = s.seq() == cursor.seq() ? cursor.offset() : 0;
        if (end > start) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("seq", s.seq());
            out.put("step", s.stepId());
            out.put("offset", start);
            out.put("text", text.substring((int) start, end));
            Cursor after = new Cursor(s.seq(), end);
            client.sendEvent("output", json(out), after.toString());
            return after;
        }
        // an ended step with nothing (more) to show: later reconnects start past it
        return !running && s.seq() > cursor.seq() ? new Cursor(s.seq(), end) : cursor;
    }

    private static boolean running(StepRun s) {
        return s.status() == StepRun.Status.RUNNING || s.status() == StepRun.Status.WAITING;
    }

    private static String json(Object value) {
        return Json.write(value);
    }
}
