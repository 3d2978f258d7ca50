package dev.opsdeck.oncall;

import dev.opsdeck.config.OnCallConfig;
import dev.opsdeck.config.OnCallConfig.Contact;
import dev.opsdeck.config.OnCallConfig.Rotation;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** "Who is on call now, and who next" for every rotation of the current configuration, for the API, CLI and pages. */
public final class OnCall {
    /** One rotation's current and next shift. */
    public record Now(Rotation rotation, Shift now, Shift next) {}

    private final Supplier<OnCallConfig> config;
    private final Clock clock;

    public OnCall(Supplier<OnCallConfig> config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    public OnCallConfig config() {
        return config.get();
    }

    /** Every rotation, in name order. */
    public List<Now> now() {
        Instant t = clock.instant();
        List<Now> out = new ArrayList<>();
        config.get().rotations().values().stream()
                .sorted(Comparator.comparing(Rotation::key))
                .forEach(r -> out.add(new Now(r, Rotations.at(r, t), Rotations.next(r, t))));
        return out;
    }

    /** As the API shows it: contact names with their display names. */
    public static Map<String, Object> view(Now n, OnCallConfig config) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rotation", n.rotation().key());
        m.put("now", shift(n.now(), config));
        m.put("next", shift(n.next(), config));
        return m;
    }

    public static Map<String, Object> shift(Shift s, OnCallConfig config) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("contact", s.contact());
        Contact c = s.contact() == null ? null : config.contacts().get(s.contact());
        m.put("name", c == null ? null : c.name());
        m.put("from", s.from() == null ? null : s.from().toString());
        m.put("until", s.until().toString());
        m.put("override", s.override());
        return m;
    }
}
