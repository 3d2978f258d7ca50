package dev.opsdeck.oncall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opsdeck.config.Json;
import dev.opsdeck.config.OnCallConfig;
import dev.opsdeck.config.OnCallConfig.Contact;
import dev.opsdeck.config.OnCallConfig.Override;
import dev.opsdeck.config.OnCallConfig.Policy;
import dev.opsdeck.config.OnCallConfig.Rotation;
import dev.opsdeck.config.OnCallConfig.Step;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An escalation policy as it was when an incident started paging, with the rotations and contacts it names: kept
 * with the incident as JSON, so a config reload (a new member, a changed wait) never changes an escalation
 * already running, and a restarted server carries on with exactly what it had.
 */
public record EscalationPlan(
        String policy, int repeat, List<Step> steps, Map<String, Contact> contacts, Map<String, Rotation> rotations) {

    /** What one step pages now, and the words for the timeline ("alice (on call for primary)"). */
    public record Resolved(List<Page> pages, List<String> paged, List<String> nobody) {}

    /** The plan of {@code p}, with everything it refers to copied out of {@code config}. */
    public static EscalationPlan of(Policy p, OnCallConfig config) {
        Map<String, Rotation> rotations = new LinkedHashMap<>();
        Set<String> people = new LinkedHashSet<>();
        for (Step s : p.steps()) {
            people.addAll(s.contacts());
            for (String r : s.rotations()) {
                Rotation rot = config.rotations().get(r);
                if (rot == null) continue;
                rotations.put(r, rot);
                people.addAll(rot.members());
                rot.overrides().forEach(o -> people.add(o.contact()));
            }
        }
        Map<String, Contact> contacts = new LinkedHashMap<>();
        for (String c : people)
            if (config.contacts().containsKey(c))
                contacts.put(c, config.contacts().get(c));
        return new EscalationPlan(p.key(), p.repeat(), p.steps(), contacts, rotations);
    }

    /** Whom step {@code index} (0-based) pages at {@code now}: each channel once per contact. */
    public Resolved resolve(int index, Instant now) {
        Step step = steps.get(index);
        Map<String, String> why = new LinkedHashMap<>(); // contact -> "alice (on call for primary)"
        List<String> nobody = new ArrayList<>();
        for (String r : step.rotations()) {
            Rotation rot = rotations.get(r);
            String who = rot == null ? null : Rotations.at(rot, now).contact();
            if (who == null) nobody.add("nobody is on call for " + r);
            else why.putIfAbsent(who, name(who) + " (on call for " + r + ")");
        }
        for (String c : step.contacts()) why.putIfAbsent(c, name(c));
        List<Page> pages = new ArrayList<>();
        List<String> paged = new ArrayList<>();
        why.forEach((key, text) -> {
            Contact c = contacts.get(key);
            if (c == null) {
                nobody.add(key + " is not a contact");
                return;
            }
            paged.add(text);
            for (String channel : c.channels()) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("paged", text);
                f.put("contact", c.name());
                f.put("contact_email", c.email());
                f.put("contact_slack", c.slack());
                f.put("contact_phone", c.phone());
                pages.add(new Page(channel, key, f));
            }
        });
        for (String channel : step.channels()) {
            paged.add("channel " + channel);
            pages.add(new Page(channel, null, Map.of("paged", "channel " + channel)));
        }
        return new Resolved(List.copyOf(pages), List.copyOf(paged), List.copyOf(nobody));
    }

    private String name(String contact) {
        Contact c = contacts.get(contact);
        return c == null ? contact : c.name();
    }

    public String toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("policy", policy);
        root.put("repeat", repeat);
        ArrayNode st = root.putArray("steps");
        for (Step s : steps) {
            ObjectNode n = st.addObject();
            strings(n.putArray("rotations"), s.rotations());
            strings(n.putArray("contacts"), s.contacts());
            strings(n.putArray("channels"), s.channels());
            n.put("wait_ms", s.waitFor().toMillis());
        }
        ObjectNode cs = root.putObject("contacts");
        contacts.forEach((k, c) -> {
            ObjectNode n = cs.putObject(k);
            n.put("name", c.name());
            n.put("email", c.email());
            n.put("slack", c.slack());
            n.put("phone", c.phone());
            strings(n.putArray("notify"), c.channels());
        });
        ObjectNode rs = root.putObject("rotations");
        rotations.forEach((k, r) -> {
            ObjectNode n = rs.putObject(k);
            strings(n.putArray("members"), r.members());
            n.put("length_ms", r.length().toMillis());
            n.put("handoff", r.handoff().toString());
            n.put("time_zone", r.zone().getId());
            n.put("start", r.start().toString());
            ArrayNode os = n.putArray("overrides");
            for (Override o : r.overrides()) {
                os.addObject()
                        .put("from", o.from().toString())
                        .put("to", o.to().toString())
                        .put("contact", o.contact());
            }
        });
        return root.toString();
    }

    public static EscalationPlan fromJson(String json) {
        try {
            JsonNode root = Json.MAPPER.readTree(json);
            List<Step> steps = new ArrayList<>();
            for (JsonNode n : root.get("steps")) {
                steps.add(new Step(
                        strings(n.get("rotations")),
                        strings(n.get("contacts")),
                        strings(n.get("channels")),
                        Duration.ofMillis(n.get("wait_ms").asLong())));
            }
            Map<String, Contact> contacts = new LinkedHashMap<>();
            root.get("contacts").properties().forEach(e -> {
                JsonNode n = e.getValue();
                contacts.put(
                        e.getKey(),
                        new Contact(
                                e.getKey(),
                                text(n, "name"),
                                text(n, "email"),
                                text(n, "slack"),
                                text(n, "phone"),
                                strings(n.get("notify"))));
            });
            Map<String, Rotation> rotations = new LinkedHashMap<>();
            root.get("rotations").properties().forEach(e -> {
                JsonNode n = e.getValue();
                List<Override> overrides = new ArrayList<>();
                for (JsonNode o : n.get("overrides")) {
                    overrides.add(new Override(
                            LocalDateTime.parse(text(o, "from")),
                            LocalDateTime.parse(text(o, "to")),
                            text(o, "contact")));
                }
                rotations.put(
                        e.getKey(),
                        new Rotation(
                                e.getKey(),
                                strings(n.get("members")),
                                Duration.ofMillis(n.get("length_ms").asLong()),
                                LocalTime.parse(text(n, "handoff")),
                                ZoneId.of(text(n, "time_zone")),
                                LocalDate.parse(text(n, "start")),
                                List.copyOf(overrides)));
            });
            return new EscalationPlan(
                    text(root, "policy"), root.get("repeat").asInt(), List.copyOf(steps), contacts, rotations);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("unreadable escalation policy snapshot: " + e.getMessage(), e);
        }
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        if (a != null) a.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
