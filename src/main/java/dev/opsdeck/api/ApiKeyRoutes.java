package dev.opsdeck.api;

import static dev.opsdeck.auth.Permission.ADMINISTER;
import static dev.opsdeck.auth.Permission.SIGNED_IN;

import dev.opsdeck.auth.ApiKeys;
import dev.opsdeck.auth.Principal;
import dev.opsdeck.auth.Role;
import dev.opsdeck.config.Units;
import dev.opsdeck.gate.Access;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * API keys: everyone manages their own; admins see all, make keys for other users and for service accounts,
 * and revoke any. The secret appears once, in the creation response.
 */
final class ApiKeyRoutes {
    private final Access access;
    private final Clock clock = Clock.systemUTC();

    ApiKeyRoutes(Access access) {
        this.access = access;
    }

    void register(JavalinConfig config) {
        new SecuredRoutes(config)
                .get("/api/v1/apikeys", SIGNED_IN, this::list)
                .post("/api/v1/apikeys", SIGNED_IN, this::create)
                .delete("/api/v1/apikeys/{id}", SIGNED_IN, this::revoke)
                .get(
                        "/api/v1/apikeys/unused",
                        ADMINISTER,
                        ctx -> ctx.json(Map.of(
                                "unused_after",
                                Units.format(access.auth().apiKeyUnusedAfter()),
                                "keys",
                                access.apiKeys().unused(access.auth().apiKeyUnusedAfter()).stream()
                                        .map(ApiKeyRoutes::view)
                                        .toList())));
    }

    private void list(Context ctx) {
        Principal me = Requests.principal(ctx);
        boolean all = "true".equals(ctx.queryParam("all"));
        if (all && me.role() != Role.ADMIN) throw new ApiProblem(403, "Forbidden", "all=true needs the admin role");
        List<ApiKeys.ApiKey> keys =
                all ? access.apiKeys().list() : access.apiKeys().listFor(me.name());
        ctx.json(Map.of("keys", keys.stream().map(ApiKeyRoutes::view).toList()));
    }

    private void create(Context ctx) {
        Principal me = Requests.principal(ctx);
        JsonBody b = JsonBody.of(ctx, Set.of("name", "role", "expires_in", "service_account", "owner"));
        String name = b.text("name", true);
        Role role = AccessRoutes.role(b.text("role", true));
        boolean service = Boolean.TRUE.equals(b.bool("service_account"));
        String ownerField = b.text("owner", false);
        String expiresIn = b.text("expires_in", false);
        Long expires = null;
        if (expiresIn != null) {
            Duration d = Units.duration(expiresIn);
            if (d == null || d.isZero())
                throw ApiProblem.badRequest(
                        "field 'expires_in': expected a duration such as 90d; got '" + expiresIn + "'");
            expires = clock.millis() + d.toMillis();
        }
        if (service && ownerField != null) {
            throw ApiProblem.badRequest(
                    "fields 'owner' and 'service_account' exclude each other: a service account is named after its key");
        }
        if (service && me.role() != Role.ADMIN) {
            throw new ApiProblem(403, "Forbidden", "service-account keys need the admin role");
        }
        if (ownerField != null && !ownerField.equals(me.name()) && me.role() != Role.ADMIN) {
            throw new ApiProblem(403, "Forbidden", "keys for other users need the admin role");
        }
        if (!me.role().includes(role)) {
            throw new ApiProblem(
                    403,
                    "Forbidden",
                    "a key's role can be at most yours (" + me.role().label() + ")");
        }
        // a service account is named after the key: it acts as itself, not as the admin who made it; a service
        // account's own request for a key (no owner given) makes another key of that account, as it is no user
        boolean forServiceAccount = service || ownerField == null && actsAsServiceAccount(me);
        String owner = service ? name : ownerField != null ? ownerField : me.name();
        Long expiresMs = expires;
        ApiKeys.Created created =
                AccessRoutes.attempt(() -> access.apiKeys().create(name, owner, role, forServiceAccount, expiresMs));
        access.audit()
                .record(
                        me.actor(),
                        Requests.client(ctx),
                        "apikey.create",
                        "apikey:" + created.key().id(),
                        "ok",
                        Map.of(
                                "name",
                                name,
                                "owner",
                                owner,
                                "role",
                                role.label(),
                                "service_account",
                                forServiceAccount));
        Map<String, Object> out = view(created.key());
        out.put("secret", created.secret());
        ctx.status(201).json(out);
    }

    private boolean actsAsServiceAccount(Principal me) {
        return me.kind() == Principal.Kind.API_KEY
                && access.apiKeys()
                        .find(me.keyId())
                        .map(ApiKeys.ApiKey::serviceAccount)
                        .orElse(false);
    }

    private void revoke(Context ctx) {
        Principal me = Requests.principal(ctx);
        String id = ctx.pathParam("id");
        ApiKeys.ApiKey key = access.apiKeys()
                .find(id)
                .filter(k -> me.role() == Role.ADMIN || (k.owner().equals(me.name()) && !k.serviceAccount()))
                .orElseThrow(() -> ApiProblem.notFound("no API key '" + id + "' that you may revoke"));
        access.apiKeys().revoke(key.id());
        access.audit()
                .record(
                        me.actor(),
                        Requests.client(ctx),
                        "apikey.revoke",
                        "apikey:" + id,
                        "ok",
                        Map.of("name", key.name(), "owner", key.owner()));
        ctx.status(204);
    }

    static Map<String, Object> view(ApiKeys.ApiKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("name", k.name());
        m.put("owner", k.owner());
        m.put("role", k.role().label());
        m.put("service_account", k.serviceAccount());
        m.put("created_ms", k.createdMs());
        m.put("expires_ms", k.expiresMs());
        m.put("last_used_ms", k.lastUsedMs());
        m.put("last_used_from", k.lastUsedFrom());
        m.put("revoked_ms", k.revokedMs());
        return m;
    }
}
