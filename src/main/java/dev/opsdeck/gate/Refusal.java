package dev.opsdeck.gate;

import dev.opsdeck.network.ProblemResponse;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Map;

/**
 * A request the gate turns away, answered as an RFC 9457 problem. Thrown from the before-handler
 * because throwing is what stops Javalin from running the route.
 */
public final class Refusal extends RuntimeException {
    private final int status;
    private final String title;
    private final Map<String, String> headers;

    public Refusal(int status, String title, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.headers = headers;
    }

    public static Refusal unauthenticated(String detail) {
        return new Refusal(401, "Unauthorized", detail, Map.of("WWW-Authenticate", "Bearer realm=\"opsdeck\""));
    }

    public static Refusal forbidden(String detail) {
        return new Refusal(403, "Forbidden", detail, Map.of());
    }

    /** A browser sent elsewhere (to sign in, to change a password) rather than shown an error. */
    public static Refusal redirect(String location) {
        return new Refusal(303, "See Other", "continue at " + location, Map.of("Location", location));
    }

    public static Refusal badRequest(String detail) {
        return new Refusal(400, "Bad Request", detail, Map.of());
    }

    public int status() {
        return status;
    }

    static void register(JavalinConfig config) {
        config.routes.exception(Refusal.class, (e, ctx) -> e.write(ctx));
    }

    void write(Context ctx) {
        headers.forEach(ctx::header);
        ProblemResponse.write(ctx, status, title, getMessage());
    }
}
