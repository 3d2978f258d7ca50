package dev.opsdeck.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What runbooks and their step types read alike: templates, environment variable names, hints for wrong names. */
public final class RunbookText {
    /** A name a command's environment may have. */
    public static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** {@code {{params.name}}} or {@code {{steps.id.value}}}: the only templates there are. */
    public static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*([^}]*?)\\s*}}");

    private RunbookText() {}

    /** The closest of {@code names} to a wrong {@code word}, or the names there are. */
    public static String hint(String word, Set<String> names) {
        String guess = Fields.closest(word, names);
        return guess != null
                ? "did you mean '" + guess + "'?"
                : names.isEmpty()
                        ? null
                        : "known: " + String.join(", ", names.stream().sorted().toList());
    }

    /** The template expressions in {@code text}, e.g. {@code params.start}. */
    public static List<String> templates(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TEMPLATE.matcher(text);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** {@code pass_env:} of a runbook or a step: names of the Opsdeck process's variables that commands may see. */
    public static List<String> passEnv(Fields f, String where, Problems problems) {
        List<String> names = new ArrayList<>();
        for (YamlNode n : f.scalarList("pass_env")) {
            if (!ENV_NAME.matcher(n.text()).matches()) {
                problems.add(
                        n.position(), where + ".pass_env: '" + n.text() + "' is not a valid environment variable name");
            } else if (!names.contains(n.text())) {
                names.add(n.text());
            }
        }
        return List.copyOf(names);
    }
}
