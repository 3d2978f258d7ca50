package dev.opsdeck.network;

import java.nio.ByteBuffer;
import java.util.Set;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The server's error handler: answers the requests Jetty refuses itself, before any route runs (a path that is
 * not UTF-8 or is ambiguous, a request line or headers over the limits, a bad {@code Content-Length}), with the
 * same problem document as every other error. Jetty's own handler writes HTML, or nothing at all for a method
 * other than GET/POST/HEAD or an {@code Accept} it has no page for; an API client gets JSON whatever it sent.
 */
final class JettyProblems implements Request.Handler {
    /** Longest request path echoed in {@code instance}: a 414 is by definition a path too long to repeat. */
    static final int MAX_INSTANCE = 200;
    /** The targets Jetty puts on a request it could not read far enough to know the real one: no path to tell. */
    private static final Set<String> PLACEHOLDERS = Set.of("/badMessage", "/badURI");

    private JettyProblems() {}

    /** Installs the handler; call before anything wraps the server's error handler. */
    static void install(Server server) {
        server.setErrorHandler(new JettyProblems());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        if (request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer s && status < 400) status = s;
        String reason = request.getAttribute(ErrorHandler.ERROR_MESSAGE) instanceof String m ? m : null;
        if (request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException e) {
            status = e.getCode();
            if (reason == null) reason = e.getReason();
        }
        if (status < 400) status = 500; // the handler only runs for errors; never send an error as a success
        response.setStatus(status);
        response.getHeaders().put(ErrorHandler.ERROR_CACHE_CONTROL);
        if (HttpStatus.hasNoBody(status)) {
            callback.succeeded();
            return true;
        }
        String title = HttpStatus.getMessage(status);
        byte[] body = ProblemResponse.bytes(status, title, detail(status, title, reason), instance(request));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProblemResponse.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    /** Jetty's reason when it says more than the status phrase (never an exception's text: no internals leak). */
    static String detail(int status, String title, String reason) {
        String what = switch (status) {
            case 400 -> "the request is malformed";
            case 414 -> "the request line is longer than the server accepts";
            case 431 -> "the request headers are larger than the server accepts";
            default -> status >= 500 ? "the server failed to answer; see its log" : "the server refused the request";
        };
        if (status >= 500) return what; // Jetty's reason for a server error may name internals
        if (reason == null || reason.isBlank() || reason.equalsIgnoreCase(title) || reason.contains("Exception")) {
            return what;
        }
        return what + ": " + cut(reason.strip(), MAX_INSTANCE);
    }

    /** The request's path as sent (still encoded), cut; empty when Jetty could not read the request line. */
    static String instance(Request request) {
        try {
            HttpURI uri = request.getHttpURI();
            String path = uri == null ? null : uri.getPath();
            return path == null || PLACEHOLDERS.contains(path) ? "" : cut(path, MAX_INSTANCE);
        } catch (RuntimeException e) {
            return ""; // a URI Jetty refused may not even have a readable path
        }
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
