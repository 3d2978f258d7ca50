package dev.opsdeck.gate;

import dev.opsdeck.auth.Permission;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseClient;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.function.Consumer;

/**
 * The only way Opsdeck registers an HTTP route: each one names its permission on the line that
 * adds it. The {@link Gate} refuses any route without one, and RbacMatrixTest lists them all.
 */
public final class SecuredRoutes {
    private final JavalinDefaultRoutingApi routes;

    public SecuredRoutes(JavalinConfig config) {
        this.routes = config.routes;
    }

    public SecuredRoutes get(String path, Permission p, Handler h) {
        return add(HandlerType.GET, path, p, h);
    }

    public SecuredRoutes post(String path, Permission p, Handler h) {
        return add(HandlerType.POST, path, p, h);
    }

    public SecuredRoutes put(String path, Permission p, Handler h) {
        return add(HandlerType.PUT, path, p, h);
    }

    public SecuredRoutes patch(String path, Permission p, Handler h) {
        return add(HandlerType.PATCH, path, p, h);
    }

    public SecuredRoutes delete(String path, Permission p, Handler h) {
        return add(HandlerType.DELETE, path, p, h);
    }

    private SecuredRoutes add(HandlerType method, String path, Permission p, Handler h) {
        routes.addHttpHandler(method, path, h, new Requires(p));
        return this;
    }

    public SecuredRoutes sse(String path, Permission p, Consumer<SseClient> client) {
        routes.sse(path, client, new Requires(p));
        return this;
    }
}
