package dev.opsdeck.network;

import dev.opsdeck.config.Cidr;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/**
 * Browser hardening headers on every response. Installed in Jetty, outside Javalin, so they are also
 * on 404s, on errors from exception handlers and on refusals that skip the after-handlers. Headers are
 * added when missing, both before the request runs and again just before the response is committed
 * (an error path may reset the response); a header a route set itself (the dashboard's full CSP) wins.
 */
final class SecurityHeaders extends Handler.Wrapper {
    private final List<Cidr> trustedProxies;

    SecurityHeaders(List<Cidr> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /** Wraps the server's handler, and its error handler, which answers requests Jetty could not parse. */
    static void install(Server server, List<Cidr> trustedProxies) {
        SecurityHeaders headers = new SecurityHeaders(trustedProxies);
        headers.setHandler(server.getHandler());
        server.setHandler(headers);
        Request.Handler errors = server.getErrorHandler();
        server.setErrorHandler((request, response, callback) -> {
            addMissing(response.getHeaders(), headers.secure(request));
            return errors.handle(request, response, callback);
        });
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        boolean secure = secure(request);
        addMissing(response.getHeaders(), secure);
        Response guarded = new Response.Wrapper(request, response) {
            @Override
            public void write(boolean last, ByteBuffer content, Callback writeCallback) {
                if (!isCommitted()) addMissing(getHeaders(), secure);
                super.write(last, content, writeCallback);
            }
        };
        return super.handle(request, guarded, callback);
    }

    private boolean secure(Request request) {
        InetAddress peer = IpLiteral.parse(Request.getRemoteAddr(request));
        return ClientAddress.secure(
                request.isSecure(),
                peer == null ? InetAddress.getLoopbackAddress() : peer,
                request.getHeaders().getValues("X-Forwarded-Proto"),
                trustedProxies);
    }

    static void addMissing(HttpFields.Mutable headers, boolean secure) {
        addIfMissing(headers, "X-Content-Type-Options", "nosniff");
        addIfMissing(headers, "Referrer-Policy", "same-origin");
        addIfMissing(headers, "X-Frame-Options", "DENY");
        addIfMissing(headers, "Content-Security-Policy", "frame-ancestors 'none'");
        addIfMissing(headers, "Cross-Origin-Opener-Policy", "same-origin");
        if (secure) {
            // only over HTTPS (RFC 6797 8.1: browsers ignore it on plain HTTP, and it would be a false claim)
            addIfMissing(headers, "Strict-Transport-Security", "max-age=31536000");
        }
    }

    private static void addIfMissing(HttpFields.Mutable headers, String name, String value) {
        if (!headers.contains(name)) headers.put(name, value);
    }
}
