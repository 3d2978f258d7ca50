package dev.opsdeck.network;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.opsdeck.config.Json;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem document in the same shape as the API's own errors, so a refusal by the guard
 * reads like any other error to clients. The one writer of problem documents: the api and the gate use
 * it too (network is the lowest layer that speaks HTTP).
 */
public final class ProblemResponse {
    public static final String CONTENT_TYPE = "application/problem+json";

    private ProblemResponse() {}

    /** Writes the problem and stops the request: no later before-handler, route or after-handler runs. */
    public static void refuse(Context ctx, int status, String title, String detail) {
        write(ctx, status, title, detail);
        ctx.skipRemainingHandlers();
    }

    /** Writes the problem as the response; the caller decides whether the request goes on. */
    public static void write(Context ctx, int status, String title, String detail) {
        ctx.status(status).json(body(status, title, detail, ctx.path())).contentType(CONTENT_TYPE);
    }

    /** The document as bytes, for answers written below Javalin (requests Jetty refuses itself). */
    static byte[] bytes(int status, String title, String detail, String instance) {
        try {
            return Json.MAPPER.writeValueAsBytes(body(status, title, detail, instance));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }

    private static Map<String, Object> body(int status, String title, String detail, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        // a path is attacker-chosen and up to 8 KiB long: enough of it to recognise the request, not an echo
        body.put(
                "instance",
                instance == null || instance.length() <= JettyProblems.MAX_INSTANCE
                        ? instance
                        : instance.substring(0, JettyProblems.MAX_INSTANCE) + "…");
        return body;
    }
}
