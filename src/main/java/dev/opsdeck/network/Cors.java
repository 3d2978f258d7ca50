package dev.opsdeck.network;

import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cross-origin access for the listed origins only. Never {@code Allow-Credentials}: a browser then sends
 * no session cookie cross-origin, so another site can use the API only with an API key it already holds.
 */
final class Cors {
    static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE";
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, X-CSRF-Token";
    static final String MAX_AGE_SECONDS = "600";

    private final Set<String> origins;

    Cors(List<String> origins) {
        this.origins = origins.stream().map(o -> o.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** Adds the CORS headers an allowed origin gets; answers (and ends) a preflight. */
    void apply(Context ctx) {
        String origin = ctx.header("Origin");
        if (!origins.isEmpty()) {
            // the answer differs by Origin, so a shared cache must not hand one origin's answer to another
            ctx.header("Vary", "Origin");
        }
        boolean allowed = origin != null && origins.contains(origin.toLowerCase(Locale.ROOT));
        boolean preflight = ctx.method().name().equals("OPTIONS")
                && origin != null
                && ctx.header("Access-Control-Request-Method") != null;
        if (allowed) {
            ctx.header("Access-Control-Allow-Origin", origin);
        }
        if (preflight && allowed) {
            ctx.header("Access-Control-Allow-Methods", ALLOWED_METHODS);
            ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            ctx.header("Access-Control-Max-Age", MAX_AGE_SECONDS);
            ctx.status(204);
            ctx.skipRemainingHandlers();
        } else if (preflight) {
            ProblemResponse.refuse(
                    ctx,
                    403,
                    "Forbidden",
                    "cross-origin requests from " + origin + " are not allowed (network.cors_origins)");
        }
    }
}
