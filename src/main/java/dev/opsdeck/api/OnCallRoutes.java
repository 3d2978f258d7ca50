package dev.opsdeck.api;

import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.config.OnCallConfig;
import dev.opsdeck.gate.SecuredRoutes;
import dev.opsdeck.oncall.OnCall;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * On-call, read only (the configuration is the place to change it): who is on call now and next per rotation,
 * contacts, rotations and escalation policies in routing order.
 */
public final class OnCallRoutes {
    private final OnCall oncall;

    public OnCallRoutes(OnCall oncall) {
        this.oncall = oncall;
    }

    public void register(JavalinConfig config) {
        new SecuredRoutes(config)
                .get("/api/v1/oncall", READ, this::now)
                .get("/api/v1/contacts", READ, this::contacts)
                .get("/api/v1/rotations", READ, this::rotations)
                .get("/api/v1/escalation-policies", READ, this::policies);
    }

    private void now(Context ctx) {
        OnCallConfig c = oncall.config();
        ctx.json(Map.of(
                "oncall", oncall.now().stream().map(n -> OnCall.view(n, c)).toList()));
    }

    private void contacts(Context ctx) {
        ctx.json(Map.of(
                "contacts",
                oncall.config().contacts().values().stream()
                        .sorted(Comparator.comparing(OnCallConfig.Contact::key))
                        .map(c -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("contact", c.key());
                            m.put("name", c.name());
                            m.put("email", c.email());
                            m.put("slack", c.slack());
                            m.put("phone", c.phone());
                            m.put("notify", c.channels());
                            return m;
                        })
                        .toList()));
    }

    private void rotations(Context ctx) {
        ctx.json(Map.of(
                "rotations",
                oncall.config().rotations().values().stream()
                        .sorted(Comparator.comparing(OnCallConfig.Rotation::key))
                        .map(r -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("rotation", r.key());
                            m.put("members", r.members());
                            m.put("length", duration(r.length()));
                            m.put("handoff", r.handoff().toString());
                            m.put("time_zone", r.zone().getId());
                            m.put("start", r.start().toString());
                            m.put(
                                    "overrides",
                                    r.overrides().stream()
                                            .map(o -> Map.of(
                                                    "from",
                                                    o.from().toString(),
                                                    "to",
                                                    o.to().toString(),
                                                    "contact",
                                                    o.contact()))
                                            .toList());
                            return m;
                        })
                        .toList()));
    }

    private void policies(Context ctx) {
        ctx.json(Map.of(
                "escalation_policies",
                oncall.config().policies().stream()
                        .map(p -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("policy", p.key());
                            m.put(
                                    "match",
                                    Map.of(
                                            "severity",
                                            p.severities().stream().sorted().toList(),
                                            "service",
                                            p.services().stream().sorted().toList(),
                                            "labels",
                                            p.labels()));
                            m.put("default", p.isDefault());
                            m.put("repeat", p.repeat());
                            m.put(
                                    "steps",
                                    p.steps().stream()
                                            .map(s -> Map.of(
                                                    "rotations",
                                                    s.rotations(),
                                                    "contacts",
                                                    s.contacts(),
                                                    "channels",
                                                    s.channels(),
                                                    "wait",
                                                    duration(s.waitFor())))
                                            .toList());
                            return m;
                        })
                        .toList()));
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s % 604_800 == 0) return s / 604_800 + "w";
        if (s % 86_400 == 0) return s / 86_400 + "d";
        if (s % 3600 == 0) return s / 3600 + "h";
        if (s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }
}
