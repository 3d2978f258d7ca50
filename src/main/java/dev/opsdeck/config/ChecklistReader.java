package dev.opsdeck.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code checklists:}. The keys every item shares are read here; an inline check's own keys are left to its
 * check type and a fact's {@code params} to the fact, both read when the configuration is compiled.
 */
final class ChecklistReader {
    /** A checklist name is part of URLs and a metric label. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
    /** An item id is part of URLs too; dots are allowed ("tls.expiry"). */
    private static final Pattern ITEM_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,79}");

    static final List<String> KINDS = List.of("check", "type", "manual", "fact");
    private static final Set<String> ITEM_KEYS = Set.of("id", "title", "severity", "link");
    private static final Set<String> SEVERITIES = BackupDef.ordered("required", "recommended");
    static final Set<String> ATTEST_ROLES = BackupDef.ordered("responder", "operator", "admin");

    private final Problems problems;
    private final MonitoringConfig monitoring;
    private final Set<String> checks = new LinkedHashSet<>();

    ChecklistReader(List<ServiceDef> services, MonitoringConfig monitoring, Problems problems) {
        this.problems = problems;
        this.monitoring = monitoring;
        services.forEach(s -> s.checks().forEach(c -> checks.add(c.id())));
    }

    Map<String, ChecklistDef> read(KeyedSections sections) {
        Map<String, ChecklistDef> out = new LinkedHashMap<>();
        sections.of("checklists").forEach((key, node) -> {
            if (!NAME.matcher(key.name()).matches()) {
                problems.add(
                        key.position(),
                        "checklist name '" + key.name() + "' is not allowed",
                        "use letters, digits, '_' or '-', starting with a letter or digit");
            }
            out.put(key.name(), checklist(key, node));
        });
        return out;
    }

    private ChecklistDef checklist(YamlNode.Key key, YamlNode node) {
        String section = "checklists." + key.name();
        Fields f = new Fields(node, section, problems);
        String title = f.string("title", key.name());
        String description = f.string("description", "");
        Cron cron = null;
        String cronText = f.string("schedule", null);
        if (cronText != null) {
            try {
                cron = Cron.parse(cronText);
            } catch (IllegalArgumentException e) {
                problems.add(
                        f.positionOf("schedule"),
                        section + ".schedule: " + e.getMessage(),
                        "minute hour day-of-month month day-of-week in UTC, e.g. \"0 6 * * *\"");
            }
        }
        Duration every = f.has("every") ? f.positiveDuration("every", null) : null;
        if (every != null && every.compareTo(Duration.ofMinutes(1)) < 0) {
            problems.add(f.positionOf("every"), section + ".every: must be at least 1m");
        }
        List<ChecklistDef.Section> list = new ArrayList<>();
        Map<String, Position> ids = new LinkedHashMap<>();
        YamlNode sectionsNode = f.node("sections");
        if (sectionsNode == null
                || !sectionsNode.isList()
                || sectionsNode.items().isEmpty()) {
            problems.add(
                    f.positionOf("sections"),
                    section + ".sections: expected a list of sections with items",
                    "sections: [ { title: Access, items: [ { id: tls, title: ..., check: web/tls } ] } ]");
        } else {
            for (int i = 0; i < sectionsNode.items().size(); i++) {
                list.add(section(
                        key.name(),
                        section + ".sections[" + i + "]",
                        sectionsNode.items().get(i),
                        ids));
            }
        }
        f.finish();
        return new ChecklistDef(key.name(), title, description, cron, every, List.copyOf(list), key.position());
    }

    private ChecklistDef.Section section(String list, String at, YamlNode node, Map<String, Position> ids) {
        Fields f = new Fields(node, at, problems);
        String title = f.string("title", "");
        List<ChecklistDef.Item> items = new ArrayList<>();
        YamlNode itemsNode = f.node("items");
        if (itemsNode == null || !itemsNode.isList()) {
            problems.add(f.positionOf("items"), at + ".items: expected a list of items");
        } else {
            for (YamlNode item : itemsNode.items()) {
                ChecklistDef.Item read = item(list, at + ".items", item, ids);
                if (read != null) items.add(read);
            }
        }
        f.finish();
        return new ChecklistDef.Section(title, List.copyOf(items));
    }

    private ChecklistDef.Item item(String list, String at, YamlNode node, Map<String, Position> ids) {
        if (!node.isMap()) {
            problems.add(node.position(), at + ": expected an item mapping, got " + node.describe());
            return null;
        }
        String id = new Fields(node, at, problems).requiredString("id");
        if (id == null) return null;
        // the item's other keys are named after its id in messages
        String section = "checklists." + list + ".items." + id;
        Fields f = new Fields(node, section, problems);
        if (!ITEM_ID.matcher(id).matches()) {
            problems.add(
                    f.positionOf("id"),
                    section + ": item id '" + id + "' is not allowed",
                    "use letters, digits, '.', '_' or '-', starting with a letter or digit (at most 80)");
        }
        Position earlier = ids.putIfAbsent(id, f.positionOf("id"));
        if (earlier != null) {
            problems.add(
                    f.positionOf("id"),
                    "checklists." + list + ": item id '" + id + "' is used twice",
                    "first used at " + earlier);
        }
        String title = f.string("title", id);
        String severity = f.oneOf("severity", "required", SEVERITIES);
        String link = f.string("link", null);
        List<String> given = new ArrayList<>();
        for (String k : KINDS) if (f.has(k)) given.add(k);
        if (given.size() != 1) {
            problems.add(
                    given.size() > 1 ? f.positionOf(given.get(1)) : f.position(),
                    section
                            + (given.isEmpty()
                                    ? ": says nothing about how it is proven"
                                    : ": has " + String.join(" and ", given) + "; an item is proven exactly one way"),
                    "one of check: SERVICE/CHECK, type: (an inline check), manual: { expires: 90d }, fact: NAME");
            f.node("params");
            f.finish();
            return null;
        }
        ChecklistDef.Source source = switch (given.getFirst()) {
            case "check" -> checkRef(f, section);
            case "manual" -> manual(f, section);
            case "fact" -> new ChecklistDef.Fact(f.string("fact", ""), f.node("params"), f.positionOf("fact"));
            default -> inline(list, id, node, f, section);
        };
        if (source == null) return null;
        if (!(source instanceof ChecklistDef.Inline)) f.finish(); // an inline check's type reads the rest
        else ITEM_KEYS.forEach(f::node);
        return new ChecklistDef.Item(
                id,
                title,
                ChecklistDef.Severity.valueOf(severity.toUpperCase(Locale.ROOT)),
                link,
                source,
                f.positionOf("id"));
    }

    private ChecklistDef.Source checkRef(Fields f, String section) {
        String ref = f.string("check", "");
        if (!checks.contains(ref)) {
            String guess = Fields.closest(ref, checks);
            problems.add(
                    f.positionOf("check"),
                    section + ".check: no check '" + ref + "'",
                    "name a configured check as service/check"
                            + (guess == null ? "" : "; did you mean '" + guess + "'?"));
        }
        return new ChecklistDef.CheckRef(ref);
    }

    private ChecklistDef.Source manual(Fields f, String section) {
        Fields m = f.child("manual");
        Duration expires = m.positiveDuration("expires", Duration.ofDays(90));
        String role = m.oneOf("role", "responder", ATTEST_ROLES);
        m.finish();
        if (!f.node("manual").isMap()) {
            problems.add(f.positionOf("manual"), section + ".manual: expected a mapping", "manual: { expires: 90d }");
        }
        return new ChecklistDef.Manual(expires, role);
    }

    /** The item's node without the item's own keys becomes the check's node, read by its type like any check. */
    private ChecklistDef.Source inline(String list, String id, YamlNode node, Fields f, String section) {
        String type = f.requiredString("type");
        if (type == null) {
            // reported already; the other keys belong to the unknown type, so say nothing about them
            node.entries().keySet().forEach(k -> f.node(k.name()));
            return null;
        }
        Duration timeout = f.duration("timeout", monitoring.defaultTimeout());
        if (timeout.isZero() || timeout.isNegative()) {
            problems.add(f.positionOf("timeout"), section + ".timeout: must be positive");
        }
        LinkedHashMap<YamlNode.Key, YamlNode> rest = new LinkedHashMap<>(node.entries());
        rest.keySet().removeIf(k -> ITEM_KEYS.contains(k.name()));
        CheckDef check = new CheckDef(
                "checklist:" + list,
                id,
                type,
                f.positionOf("type"),
                monitoring.defaultInterval(),
                timeout,
                1,
                1,
                f.scalarList("conditions"),
                f.scalarList("degraded_when"),
                YamlNode.map(rest, node.position()),
                f.positionOf("id"));
        return new ChecklistDef.Inline(check);
    }
}
