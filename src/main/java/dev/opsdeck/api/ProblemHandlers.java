package dev.opsdeck.api;

import dev.opsdeck.network.ProblemResponse;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error leaves as an RFC 9457 problem document ({@code application/problem+json}). */
final class ProblemHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandlers.class);

    private ProblemHandlers() {}

    static void register(JavalinConfig config) {
        config.routes.exception(ApiProblem.class, (e, ctx) -> write(ctx, e.status(), e.title(), e.getMessage()));
        // Javalin's own refusals would otherwise be its plain JSON: no route for the path, a chunked body over the
        // limit
        config.routes.exception(
                HttpResponseException.class,
                (e, ctx) -> write(
                        ctx,
                        e.getStatus(),
                        HttpStatus.forStatus(e.getStatus()).getMessage(),
                        switch (e.getStatus()) {
                            case 404 -> noSuchEndpoint(ctx);
                            case 413 -> "the request body is larger than network.max_request_body allows";
                            default -> e.getMessage();
                        }));
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("event=request_failed path={} error=\"{}\"", ctx.path(), e.toString());
            write(ctx, 500, "Internal Server Error", "the server failed to answer; see its log");
        });
        config.routes.error(404, "*", ctx -> {
            if (ctx.result() == null
                    || ctx.result().isEmpty()
                    || ctx.result().equals("Endpoint " + ctx.method() + " " + ctx.path() + " not found")) {
                write(ctx, 404, "Not Found", noSuchEndpoint(ctx));
            }
        });
    }

    /** Answers 404 with the exception's message when a route is asked for something by a name nothing has. */
    static void notFound(JavalinConfig config, Class<? extends Exception> unknownName) {
        config.routes.exception(unknownName, (e, ctx) -> write(ctx, 404, "Not Found", e.getMessage()));
    }

    private static String noSuchEndpoint(Context ctx) {
        return "no such endpoint: " + ctx.method() + " " + ctx.path();
    }

    static void write(Context ctx, int status, String title, String detail) {
        ProblemResponse.write(ctx, status, title, detail);
    }
}
