package dev.opsdeck.runbook.markdown;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a runbook's prose says about when its steps run, turned into runbook keys once all its steps are known:
 * alternatives (systemd / PM2 / Docker, "Option A / B", "From local file" / "From S3") become a parameter that
 * picks one and a {@code when:} on each alternative's steps; "If restart fails" guards a section on the restart
 * step's failure (which then continues); a "Rollback" section becomes {@code rollback:}; a duration in a heading
 * becomes the {@code target:} of the steps under it.
 */
final class Branches {
    /** Where a step stood in the document; collected while reading it. */
    record Place(
            int section,
            int block,
            String heading,
            String option,
            String optionTitle,
            int optionGroup,
            boolean rollback,
            int scope,
            String scopeDuration,
            String failureOf) {}

    record Result(List<ImportedStep> steps, List<ImportedStep> rollback, List<ImportedChoice> choices) {}

    private static final String PLATFORMS = "(systemd|pm2|docker(?:[\\s-]compose)?|kubernetes|k8s)";
    /** A chunk's comment naming its platform: "If using systemd", "Or if using PM2", "Or for Docker". */
    private static final Pattern PLATFORM_TITLE =
            Pattern.compile("(?i)^(?:or\\s+)?(?:if\\s+)?(?:using|for|with|on|via)\\s+(?:a\\s+)?" + PLATFORMS + "\\b.*");
    /** A heading that is a platform's variant of what precedes it: "Docker Rollback", "Using PM2". */
    private static final Pattern PLATFORM_HEADING = Pattern.compile(
            "(?i)^(?:\\d+(?:\\.\\d+)*[.)]?\\s*)?" + "(?:(?:if\\s+)?using\\s+|with\\s+|on\\s+|for\\s+|via\\s+)?"
                    + PLATFORMS + "\\b(?:[\\s-]+\\w+)?\\s*(?:\\(.*\\))?:?$");
    /** "# From local file", "# Or from S3". */
    private static final Pattern FROM_TITLE =
            Pattern.compile("(?i)^(?:or\\s+)?from\\s+(?:an?\\s+|the\\s+)?(.+?)\\s*:?$");
    /** "If restart fails", "2. If the migration fails — ...": names what failed. */
    static final Pattern IF_FAILS =
            Pattern.compile("(?i)\\bif\\s+(?:the\\s+)?([a-z][\\w-]*)(?:\\s+[a-z][\\w-]*)?\\s+fails\\b");

    private Branches() {}

    static Result apply(List<ImportedStep> input, List<Place> places, Set<String> takenNames) {
        List<ImportedStep> steps = new ArrayList<>(input);
        int n = steps.size();
        String[] platform = platforms(steps, places);
        String[] source = sources(steps, places);
        Map<String, ImportedChoice> choices = new LinkedHashMap<>();
        String platformName = name("platform", takenNames);
        String sourceName = name("source", takenNames);
        ImportedChoice platformChoice = choice(platformName, platform, steps, "Which platform the service runs on");
        ImportedChoice sourceChoice = choice(sourceName, source, steps, "Where to take it from");
        if (platformChoice != null) choices.put(platformName, platformChoice);
        if (sourceChoice != null) choices.put(sourceName, sourceChoice);
        Map<Integer, String> optionNames = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Place p = places.get(i);
            if (p.option() == null) continue;
            String name = optionNames.computeIfAbsent(
                    p.optionGroup(),
                    g -> name(optionNames.isEmpty() ? "option" : "option_" + (optionNames.size() + 1), takenNames));
            ImportedChoice c = choices.get(name);
            List<String> values = c == null ? new ArrayList<>() : new ArrayList<>(c.values());
            List<String> labels = c == null ? new ArrayList<>() : new ArrayList<>(c.labels());
            if (!values.contains(p.option())) {
                values.add(p.option());
                labels.add(p.optionTitle());
            }
            choices.put(
                    name,
                    new ImportedChoice(
                            name,
                            values,
                            labels,
                            "Which option of \"" + p.heading() + "\" to follow",
                            c == null ? steps.get(i).line() : c.line()));
        }
        // a lone "Option A" offers nothing to choose
        choices.values().removeIf(c -> c.values().size() < 2);
        for (int i = 0; i < n; i++) {
            Place p = places.get(i);
            ImportedStep s = steps.get(i);
            String failed = failureTarget(steps, places, i);
            if (failed != null) {
                s = s.when("[steps." + failed + ".status] == failed");
                for (int j = 0; j < i; j++) {
                    if (steps.get(j).id().equals(failed))
                        steps.set(j, steps.get(j).continuing());
                }
            } else if (platform[i] != null && platformChoice != null) {
                s = s.when("[params." + platformName + "] == " + platform[i]);
            } else if (source[i] != null && sourceChoice != null) {
                s = s.when("[params." + sourceName + "] == " + source[i]);
            } else if (p.option() != null && choices.containsKey(optionNames.get(p.optionGroup()))) {
                s = s.when("[params." + optionNames.get(p.optionGroup()) + "] == " + p.option());
            }
            steps.set(i, s);
        }
        targets(steps, places, choices.values());
        List<ImportedStep> main = new ArrayList<>();
        List<ImportedStep> rollback = new ArrayList<>();
        for (int i = 0; i < n; i++) (places.get(i).rollback() ? rollback : main).add(steps.get(i));
        return new Result(main, rollback, List.copyOf(choices.values()));
    }

    /** Each step's platform: named by its comment or heading, or, heading a group of named ones, by its commands. */
    private static String[] platforms(List<ImportedStep> steps, List<Place> places) {
        int n = steps.size();
        String[] out = new String[n];
        boolean[] byTitle = new boolean[n];
        for (int i = 0; i < n; i++) {
            Matcher t = PLATFORM_TITLE.matcher(steps.get(i).title());
            Matcher h = PLATFORM_HEADING.matcher(
                    places.get(i).heading() == null ? "" : places.get(i).heading());
            if (t.matches()) {
                out[i] = platform(t.group(1));
                byTitle[i] = true;
            } else if (h.matches()) {
                out[i] = platform(h.group(1));
            }
        }
        for (int i = 1; i < n; i++) {
            if (out[i] == null || out[i - 1] != null) continue;
            if (byTitle[i]) {
                // the unnamed chunk right before "Or if using PM2" in the same block is the first alternative
                if (places.get(i - 1).block() == places.get(i).block()) {
                    String p = detect(steps.get(i - 1));
                    if (p != null && !p.equals(out[i])) out[i - 1] = p;
                }
            } else if (places.get(i - 1).section() != places.get(i).section()) {
                // a section before "Docker Rollback" whose commands use one other platform only is that platform's
                int section = places.get(i - 1).section();
                int from = i - 1;
                while (from > 0 && places.get(from - 1).section() == section && out[from - 1] == null) from--;
                if (from > 0 && places.get(from - 1).section() == section) continue;
                String p = null;
                boolean one = true;
                for (int j = from; j < i; j++) {
                    String d = detect(steps.get(j));
                    if (d != null && p != null && !p.equals(d)) one = false;
                    if (d != null) p = d;
                }
                if (one && p != null && !p.equals(out[i])) for (int j = from; j < i; j++) out[j] = p;
            }
        }
        return out;
    }

    /** "From local file" / "From S3" chunks, two or more in a row in one block. */
    private static String[] sources(List<ImportedStep> steps, List<Place> places) {
        int n = steps.size();
        String[] out = new String[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n
                    && FROM_TITLE.matcher(steps.get(j).title()).matches()
                    && places.get(j).block() == places.get(i).block()) j++;
            if (j - i >= 2) {
                for (int k = i; k < j; k++) {
                    Matcher m = FROM_TITLE.matcher(steps.get(k).title());
                    m.matches();
                    out[k] = Slug.of(m.group(1), "other");
                }
            }
            i = Math.max(j, i + 1);
        }
        return out;
    }

    /** A choice when the steps name two or more values; null otherwise (one alternative is no choice). */
    private static ImportedChoice choice(String name, String[] values, List<ImportedStep> steps, String description) {
        List<String> seen = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        int line = 0;
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null || seen.contains(values[i])) continue;
            if (seen.isEmpty()) line = steps.get(i).line();
            seen.add(values[i]);
            labels.add(steps.get(i).title());
        }
        return seen.size() < 2 ? null : new ImportedChoice(name, seen, labels, description, line);
    }

    /** The id of the earlier step whose failure this one handles ("If restart fails"), or null. */
    private static String failureTarget(List<ImportedStep> steps, List<Place> places, int i) {
        String what = places.get(i).failureOf();
        Matcher m = IF_FAILS.matcher(steps.get(i).title());
        if (m.find()) what = m.group(1);
        if (what == null) return null;
        String word = what.toLowerCase(Locale.ROOT);
        for (int j = i - 1; j >= 0; j--) {
            ImportedStep s = steps.get(j);
            if (places.get(j).failureOf() != null || IF_FAILS.matcher(s.title()).find()) continue;
            String text = (s.title() + "\n" + (s.run() == null ? "" : s.run())).toLowerCase(Locale.ROOT);
            if (text.contains(word)) return s.id();
        }
        return null;
    }

    /**
     * A heading's duration is the budget of the steps under it: one step gets it as its target; several share it
     * evenly, counting the steps of the default path (the first value of each choice, not the failure handlers).
     */
    private static void targets(List<ImportedStep> steps, List<Place> places, Collection<ImportedChoice> choices) {
        Map<Integer, List<Integer>> scopes = new LinkedHashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            if (places.get(i).scopeDuration() != null)
                scopes.computeIfAbsent(places.get(i).scope(), k -> new ArrayList<>())
                        .add(i);
        }
        for (List<Integer> members : scopes.values()) {
            long seconds = Durations.seconds(places.get(members.getFirst()).scopeDuration());
            long onPath = members.stream()
                    .filter(i -> defaultPath(steps.get(i), choices))
                    .count();
            long share = (seconds + Math.max(onPath, 1) - 1) / Math.max(onPath, 1);
            for (int i : members) steps.set(i, steps.get(i).target(Durations.format(share)));
        }
    }

    private static boolean defaultPath(ImportedStep s, Collection<ImportedChoice> choices) {
        if (s.when() == null) return true;
        for (ImportedChoice c : choices) {
            if (s.when().equals("[params." + c.name() + "] == " + c.values().getFirst())) return true;
        }
        return false;
    }

    private static String detect(ImportedStep s) {
        if (s.run() == null) return null;
        String found = null;
        for (String line : s.run().split("\n")) {
            if (line.stripLeading().startsWith("#")) continue;
            String p = line.matches(".*\\b(systemctl|journalctl)\\b.*")
                    ? "systemd"
                    : line.matches(".*\\bpm2\\b.*")
                            ? "pm2"
                            : line.matches(".*\\bkubectl\\b.*")
                                    ? "kubernetes"
                                    : line.matches(".*\\bdocker\\b.*") ? "docker" : null;
            if (p == null) continue;
            if (found != null && !found.equals(p)) return null;
            found = p;
        }
        return found;
    }

    private static String platform(String written) {
        String p = written.toLowerCase(Locale.ROOT);
        return p.startsWith("docker") ? "docker" : p.equals("k8s") ? "kubernetes" : p;
    }

    private static String name(String wanted, Set<String> taken) {
        String name = wanted;
        for (int n = 2; taken.contains(name); n++) name = wanted + "_" + n;
        taken.add(name);
        return name;
    }
}
