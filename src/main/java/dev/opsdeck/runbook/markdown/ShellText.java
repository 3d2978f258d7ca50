package dev.opsdeck.runbook.markdown;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough POSIX shell lexing for the import: where quotes open and close, so that a placeholder is turned
 * into a variable reference that stays one word, and whether a command line continues on the next line.
 */
final class ShellText {
    /** Names a script reads but nobody supplies as a runbook parameter. */
    private static final Set<String> AMBIENT = Set.of(
            "HOME",
            "USER",
            "PATH",
            "PWD",
            "OLDPWD",
            "SHELL",
            "HOSTNAME",
            "LANG",
            "TERM",
            "TMPDIR",
            "RANDOM",
            "UID",
            "EUID",
            "PPID",
            "IFS",
            "SECONDS",
            "LINENO",
            "LOGNAME",
            "EDITOR");

    private static final Pattern PLACEHOLDER = Pattern.compile("<([A-Za-z][A-Za-z0-9_-]*)>");
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Z][A-Z0-9_]*)}|([A-Z][A-Z0-9_]*))");
    private static final Pattern ASSIGNED = Pattern.compile(
            "(?:^|[;&|(\\s])(?:export\\s+|local\\s+)?([A-Za-z_][A-Za-z0-9_]*)=|\\bfor\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+in\\b"
                    + "|\\bread\\s+(?:-\\w+\\s+)*([A-Za-z_][A-Za-z0-9_]*)");
    private static final Set<String> OPENERS = Set.of("if", "for", "while", "until", "case");
    private static final Set<String> CLOSERS = Set.of("fi", "done", "esac");

    private ShellText() {}

    /** A script with its placeholders turned into variable references, and those variables in order. */
    record Rewritten(String script, Map<String, Found> variables) {}

    /** Where a variable first appeared and how it was written there ({@code <START>}, {@code $ADMIN_KEY}). */
    record Found(int line, String written) {}

    /**
     * Turns {@code <NAME>} placeholders into {@code "$NAME"} references (written so they stay one word whether
     * they stood bare, in single or in double quotes), quotes bare {@code $NAME} references, and collects every
     * upper-case variable the script reads without setting it. {@code firstLine} numbers the lines for the report.
     */
    static Rewritten rewrite(String script, int firstLine) {
        Set<String> assigned = new HashSet<>();
        Matcher a = ASSIGNED.matcher(script);
        while (a.find()) {
            for (int g = 1; g <= 3; g++) if (a.group(g) != null) assigned.add(a.group(g));
        }
        Map<String, Found> vars = new LinkedHashMap<>();
        StringBuilder out = new StringBuilder();
        char quote = 0;
        int line = firstLine;
        int i = 0;
        while (i < script.length()) {
            char c = script.charAt(i);
            if (c == '\n') line++;
            if (quote == 0 && c == '#' && (i == 0 || Character.isWhitespace(script.charAt(i - 1)))) {
                int end = script.indexOf('\n', i);
                if (end < 0) end = script.length();
                out.append(script, i, end);
                i = end;
                continue;
            }
            if (c == '\\' && quote != '\'' && i + 1 < script.length()) {
                out.append(c).append(script.charAt(i + 1));
                if (script.charAt(i + 1) == '\n') line++;
                i += 2;
                continue;
            }
            if (c == '\'' && quote != '"') {
                quote = quote == 0 ? '\'' : 0;
                out.append(c);
                i++;
                continue;
            }
            if (c == '"' && quote != '\'') {
                quote = quote == 0 ? '"' : 0;
                out.append(c);
                i++;
                continue;
            }
            Matcher p = PLACEHOLDER.matcher(script).region(i, script.length());
            if (c == '<' && p.lookingAt() && (i == 0 || script.charAt(i - 1) != '<')) {
                String name = p.group(1).toUpperCase().replace('-', '_');
                vars.putIfAbsent(name, new Found(line, p.group()));
                out.append(
                        switch (quote) {
                            case '\'' -> "'\"$" + name + "\"'";
                            case '"' -> "${" + name + "}";
                            default -> "\"$" + name + "\"";
                        });
                i = p.end();
                continue;
            }
            Matcher v = VARIABLE.matcher(script).region(i, script.length());
            if (c == '$' && quote != '\'' && v.lookingAt()) {
                String name = v.group(1) != null ? v.group(1) : v.group(2);
                if (!AMBIENT.contains(name) && !assigned.contains(name)) {
                    vars.putIfAbsent(name, new Found(line, v.group()));
                    out.append(quote == 0 ? "\"$" + name + "\"" : v.group());
                } else {
                    out.append(v.group());
                }
                i = v.end();
                continue;
            }
            out.append(c);
            i++;
        }
        return new Rewritten(out.toString(), vars);
    }

    /** True when the script ends inside a quote, bracket, here-document, block or pipeline. */
    static boolean incomplete(String script) {
        Continuation c = new Continuation(true);
        boolean open = false;
        for (String line : script.split("\n", -1)) {
            if (line.isBlank() && !open) continue;
            open = c.feed(line);
        }
        return open;
    }

    /**
     * Follows a command across lines, as text copied from a rendered page shows it: a line continues while a
     * backslash ends it, a quote, bracket or here-document is open, or an if/for/while/case is not closed.
     */
    static final class Continuation {
        /** Whether a line ending in | or && goes on: true to judge a script, false to recover one from a page. */
        private final boolean pipelines;

        private char quote;
        private int brackets;
        private int blocks;
        private String heredoc;

        Continuation(boolean pipelines) {
            this.pipelines = pipelines;
        }

        /** Feeds one line; true when the command it belongs to goes on. */
        boolean feed(String line) {
            if (heredoc != null) {
                if (line.trim().equals(heredoc)) heredoc = null;
                return heredoc != null;
            }
            boolean escaped = false;
            StringBuilder word = new StringBuilder();
            for (int i = 0; i <= line.length(); i++) {
                char c = i < line.length() ? line.charAt(i) : '\n';
                if (escaped) {
                    escaped = false;
                    continue;
                }
                if (quote == '\'') {
                    if (c == '\'') quote = 0;
                    continue;
                }
                if (c == '\\' && i == line.length() - 1 && quote == 0) return true;
                if (c == '\\') {
                    escaped = true;
                    continue;
                }
                if (quote == '"') {
                    if (c == '"') quote = 0;
                    continue;
                }
                if (Character.isLetterOrDigit(c) || c == '_') {
                    word.append(c);
                    continue;
                }
                endWord(word.toString());
                word.setLength(0);
                switch (c) {
                    case '\'', '"' -> quote = c;
                    case '(', '{', '[' -> brackets++;
                    case ')', '}', ']' -> brackets = Math.max(0, brackets - 1);
                    case '#' -> {
                        if (i == 0 || Character.isWhitespace(line.charAt(i - 1))) i = line.length();
                    }
                    case '<' -> {
                        Matcher m = Pattern.compile("<<-?\\s*['\"]?([A-Za-z_]\\w*)['\"]?")
                                .matcher(line)
                                .region(i, line.length());
                        if (m.lookingAt()) {
                            heredoc = m.group(1);
                            i = m.end() - 1;
                        }
                    }
                    default -> {}
                }
            }
            String end = line.stripTrailing();
            boolean pipeline = pipelines && quote == 0 && !commented(line) && (end.endsWith("|") || end.endsWith("&&"));
            return pipeline || quote != 0 || brackets > 0 || blocks > 0 || heredoc != null;
        }

        private static boolean commented(String line) {
            return line.stripLeading().startsWith("#");
        }

        private void endWord(String w) {
            if (OPENERS.contains(w)) blocks++;
            else if (CLOSERS.contains(w)) blocks = Math.max(0, blocks - 1);
        }
    }
}
