package dev.opsdeck.web;

import dev.opsdeck.network.ProblemResponse;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's static files, read once from the classpath: our CSS and script from
 * {@code /web/}, htmx from its webjar (the machine may be offline, so never a CDN). Pages link
 * them with {@code ?v=<content hash>}, which lets browsers cache them for a year and still
 * pick up a new build at once.
 */
public final class Assets {
    /** URLs of the assets as the pages link them. */
    public record Urls(String css, String htmx, String live, String icon, String run, String deploy) {}

    private record Asset(byte[] bytes, String contentType, String hash) {}

    private static final String HTMX = "/META-INF/resources/webjars/htmx.org/2.0.7/dist/htmx.min.js";

    private final Map<String, Asset> byName = new LinkedHashMap<>();
    private final Urls urls;

    Assets() {
        load("dashboard.css", "/web/dashboard.css", "text/css; charset=utf-8");
        load("live.js", "/web/live.js", "text/javascript; charset=utf-8");
        load("run.js", "/web/run.js", "text/javascript; charset=utf-8");
        load("deploy.js", "/web/deploy.js", "text/javascript; charset=utf-8");
        load("icon.svg", "/web/icon.svg", "image/svg+xml");
        load("htmx.min.js", HTMX, "text/javascript; charset=utf-8");
        urls = new Urls(
                url("dashboard.css"),
                url("htmx.min.js"),
                url("live.js"),
                url("icon.svg"),
                url("run.js"),
                url("deploy.js"));
    }

    Urls urls() {
        return urls;
    }

    /** {@code GET /assets/{file}}. */
    void serve(Context ctx) {
        Asset a = byName.get(ctx.pathParam("file"));
        if (a == null) {
            ProblemResponse.write(ctx, 404, "Not Found", "no such asset: " + ctx.pathParam("file"));
            return;
        }
        String etag = "\"" + a.hash + "\"";
        ctx.header("ETag", etag);
        ctx.header("X-Content-Type-Options", "nosniff");
        // versioned links never change content; an unversioned fetch must revalidate
        ctx.header(
                "Cache-Control",
                a.hash.equals(ctx.queryParam("v")) ? "public, max-age=31536000, immutable" : "no-cache");
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType(a.contentType).result(a.bytes);
    }

    private String url(String name) {
        return "/assets/" + name + "?v=" + byName.get(name).hash;
    }

    private void load(String name, String resource, String contentType) {
        try (InputStream in = Assets.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("dashboard asset missing from the build: " + resource);
            byte[] bytes = in.readAllBytes();
            byName.put(name, new Asset(bytes, contentType, hash(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hash(byte[] bytes) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
                    .substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
