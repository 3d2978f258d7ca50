package dev.opsdeck.network;

import dev.opsdeck.config.NetworkConfig;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;

/**
 * The first gate every request passes, before authentication: where it comes from, how often, how
 * big, and from which browser origin. Refusals are problem documents, like every other API error.
 */
public final class NetworkGuard {
    /** Probes from load balancers and orchestrators must never be throttled into "down". */
    static final Set<String> RATE_EXEMPT_PATHS = Set.of("/health", "/ready");
    /** Distinct client addresses tracked at once; see {@link RateLimiter} for what happens beyond. */
    static final int MAX_TRACKED_SOURCES = 100_000;

    private final NetworkConfig config;
    private final RateLimiter perSource;
    private final RateLimiter perKey;
    private final Cors cors;

    public NetworkGuard(NetworkConfig config, Clock clock) {
        this.config = config;
        this.perSource = new RateLimiter(config.perSource(), clock, MAX_TRACKED_SOURCES);
        this.perKey = new RateLimiter(config.perKey(), clock, MAX_TRACKED_SOURCES);
        this.cors = new Cors(config.corsOrigins());
    }

    /** Installs the guard; call it before anything else registers before-handlers (the auth gate). */
    public void register(JavalinConfig c) {
        // Content-Length is checked below; this also caps chunked bodies as Javalin reads them
        c.http.maxRequestSize = config.maxRequestBody();
        c.jetty.modifyServer(server -> {
            JettyProblems.install(server); // first: the security headers wrap whatever error handler is set
            SecurityHeaders.install(server, config.trustedProxies());
        });
        c.routes.before(this::check);
    }

    void check(Context ctx) {
        InetAddress client = ClientAddress.resolveAndRecord(ctx, config.trustedProxies());
        if (!config.allowedSubnets().isEmpty() && !ClientAddress.within(client, config.allowedSubnets())) {
            ProblemResponse.refuse(
                    ctx,
                    403,
                    "Forbidden",
                    "requests from " + client.getHostAddress() + " are not allowed (network.allowed_subnets)");
            return;
        }
        if (!RATE_EXEMPT_PATHS.contains(ctx.path())) {
            long waitNanos = perSource.tryConsume(sourceKey(client));
            if (waitNanos > 0) {
                tooManyRequests(ctx, seconds(waitNanos));
                return;
            }
        }
        long length = ctx.req().getContentLengthLong();
        if (length > config.maxRequestBody()) {
            ProblemResponse.refuse(
                    ctx,
                    413,
                    "Content Too Large",
                    "the request body is " + length + " bytes; the limit is " + config.maxRequestBody()
                            + " (network.max_request_body)");
            return;
        }
        cors.apply(ctx);
    }

    /** Takes one request from the API key's allowance ({@code network.rate_limit.per_key}); false when spent. */
    public boolean tryConsumeKey(String keyId) {
        return perKey.tryConsume(keyId) == 0;
    }

    /**
     * Like {@link #tryConsumeKey}, and when the allowance is spent also answers 429 with the real
     * {@code Retry-After} and ends the request. For the auth gate, right after it recognised a key.
     */
    public boolean admitKey(Context ctx, String keyId) {
        long waitNanos = perKey.tryConsume(keyId);
        if (waitNanos == 0) return true;
        tooManyRequests(ctx, seconds(waitNanos));
        return false;
    }

    /** Answers 429 with {@code Retry-After} and ends the request. */
    public static void tooManyRequests(Context ctx, long retryAfterSeconds) {
        long seconds = Math.max(1, retryAfterSeconds);
        ctx.header("Retry-After", Long.toString(seconds));
        ProblemResponse.refuse(ctx, 429, "Too Many Requests", "rate limit reached; retry in " + seconds + " s");
    }

    /**
     * IPv4 addresses count one by one; IPv6 ones by their /64, since one host commonly holds a whole
     * /64 and could otherwise take a fresh allowance for every request.
     */
    static String sourceKey(InetAddress client) {
        if (client instanceof Inet6Address) {
            return HexFormat.of().formatHex(Arrays.copyOf(client.getAddress(), 8)) + "::/64";
        }
        return client.getHostAddress();
    }

    private static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
