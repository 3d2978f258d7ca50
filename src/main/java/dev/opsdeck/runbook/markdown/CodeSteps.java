package dev.opsdeck.runbook.markdown;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns code blocks into steps. A block is split where a comment line follows a blank line, so "# Check
 * health" and its commands become one step titled "Check health". Shell steps ask for confirmation;
 * placeholders become parameters the step reads from its environment, so no value is ever part of the script.
 */
final class CodeSteps {
    private static final Set<String> SHELL =
            Set.of("bash", "sh", "shell", "zsh", "console", "shell-session", "shellsession");
    private static final Pattern SECRET =
            Pattern.compile("(?i).*(key|token|password|passwd|secret|credential|webhook).*");
    private static final Pattern SQL =
            Pattern.compile("^(SELECT|INSERT|UPDATE|DELETE|VACUUM|EXPLAIN|WITH|CREATE|ALTER|DROP)\\b.*");
    private static final Pattern DOCKER = Pattern.compile("(^|[\\s;|&(])docker(-compose)?\\s");
    /** Commands that run until stopped: following a file or logs, watching, interactive monitors. */
    private static final Pattern ENDLESS = Pattern.compile(
            "(^|[\\s;|&(])(?:(?:tail|journalctl)\\s+(?:[^|;&]*\\s)?"
                    + "(?:-[a-zA-Z]*[fF][a-zA-Z]*|--follow)\\b|(?:logs)\\s+(?:[^|;&]*\\s)?(?:-f|--follow)\\b|pm2\\s+logs\\b(?!.*--nostream)|watch\\s|top\\s*$|htop\\b)");

    private final List<Unconverted> notes;
    private final List<ImportedStep> steps = new ArrayList<>();
    private final Map<String, ImportedParam> params = new LinkedHashMap<>();
    private final Set<String> ids = new HashSet<>();

    CodeSteps(List<Unconverted> notes) {
        this.notes = notes;
    }

    List<ImportedStep> steps() {
        return List.copyOf(steps);
    }

    List<ImportedParam> params() {
        return List.copyOf(params.values());
    }

    void approval(String title, String prompt, int line) {
        steps.add(ImportedStep.approval(id(title), title, prompt, line));
    }

    /** One code block: {@code firstLine} is the markdown line index of its first line of code. */
    void code(String info, String literal, MarkdownImport.Source source, int firstLine, String section) {
        String lang = info.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        String[] lines = literal.split("\n", -1);
        int start = 0;
        for (int i = 1; i <= lines.length; i++) {
            boolean split = i == lines.length || (isComment(lines[i]) && lines[i - 1].isBlank());
            if (split) {
                chunk(lang, lines, start, i, source, firstLine, section);
                start = i;
            }
        }
    }

    private void chunk(
            String lang,
            String[] lines,
            int from,
            int to,
            MarkdownImport.Source source,
            int firstLine,
            String section) {
        while (from < to && lines[from].isBlank()) from++;
        while (to > from && lines[to - 1].isBlank()) to--;
        if (from >= to) return;
        int line = source.original(firstLine + from);
        List<String> body = new ArrayList<>();
        String title = null;
        String command = null;
        for (int i = from; i < to; i++) {
            String l = lines[i];
            if (lang.equals("console") || lang.equals("shell-session") || lang.equals("shellsession")) {
                if (!l.startsWith("$ ") && !isComment(l)) continue;
                if (l.startsWith("$ ")) l = l.substring(2);
            }
            body.add(l);
            if (isComment(l) && title == null && command == null)
                title = l.strip().replaceFirst("^#+\\s*", "").replaceFirst("^\\d+\\.\\s*", "");
            if (!isComment(l) && !l.isBlank() && command == null) command = l.strip();
        }
        String summary = command != null ? command : lines[from].strip();
        String script = String.join("\n", body);
        String[] rejected = rejection(lang, command, title, script);
        if (rejected != null) {
            notes.add(new Unconverted(line, rejected[0], summary, rejected[1]));
            return;
        }
        if (ShellText.incomplete(script)) {
            notes.add(new Unconverted(
                    line,
                    "incomplete",
                    summary,
                    "the script ends inside a quote, bracket, block or"
                            + " pipeline: the step keeps it, fix it by hand before running it"));
        }
        ShellText.Rewritten rewritten = ShellText.rewrite(script, line);
        Map<String, String> env = new LinkedHashMap<>();
        rewritten.variables().forEach((variable, at) -> {
            String name = variable.toLowerCase(Locale.ROOT);
            params.putIfAbsent(
                    name,
                    new ImportedParam(
                            name,
                            variable,
                            at.written(),
                            SECRET.matcher(variable).matches(),
                            at.line()));
            env.put(variable, "{{params." + name + "}}");
        });
        for (int i = from; i < to; i++) {
            if (!isComment(lines[i]) && DOCKER.matcher(lines[i] + " ").find()) {
                notes.add(
                        new Unconverted(
                                source.original(firstLine + i),
                                "docker",
                                lines[i].strip().replaceFirst("^\\$ ", ""),
                                "assumes Docker containers: the step keeps it as written; replace it with the host's own"
                                        + " command (systemctl, pg_ctlcluster, redis-cli) where the service does not run in Docker"));
                break;
            }
        }
        for (int i = from; i < to; i++) {
            if (!isComment(lines[i]) && ENDLESS.matcher(lines[i]).find()) {
                notes.add(new Unconverted(
                        source.original(firstLine + i),
                        "endless",
                        lines[i].strip().replaceFirst("^\\$ ", ""),
                        "never ends on its own: the step would run until its timeout and fail; bound it (tail -n 200,"
                                + " logs --tail 200, journalctl -n 200 --no-pager) or leave it to a person"));
                break;
            }
        }
        String stepTitle = title != null && !title.isBlank()
                ? title
                : section.replaceFirst("^(Step\\s+)?\\d+(\\.\\d+)*\\.?\\s*([:—–-]\\s*)?", "")
                        .replaceFirst(
                                "\\s*\\((?:~|about\\s+)?\\d+\\s*[a-zA-Z]+\\)\\s*$", ""); // the duration is the target
        steps.add(ImportedStep.shell(id(stepTitle), stepTitle, rewritten.script() + "\n", env, line));
    }

    /** Why a chunk cannot be a shell step, as {kind, reason}; null when it can. */
    private static String[] rejection(String lang, String command, String title, String script) {
        if (command == null) return new String[] {"note", "a comment without a command: left for a person to do"};
        if (!lang.isEmpty() && !SHELL.contains(lang) && !lang.equals("sql")) {
            return new String[] {"code", "a ```" + lang + " block is not a shell script"};
        }
        if (command.startsWith("{")
                || command.startsWith("[")
                || command.startsWith("\"")
                || (title != null && title.toLowerCase(Locale.ROOT).startsWith("expected"))) {
            return new String[] {
                "output",
                "expected output, not a command: compare it by hand or turn it into an http"
                        + " or shell step's conditions"
            };
        }
        if (lang.equals("sql") || SQL.matcher(command).matches()) {
            return new String[] {"sql", "a SQL statement: write a sql step with a datasource for it"};
        }
        if (lang.isEmpty() && !RenderedText.isCode(command)) {
            return new String[] {"code", "an unlabelled block that does not look like shell commands"};
        }
        if (script.contains("{{")) {
            return new String[] {
                "code",
                "holds '{{', which a step's run: may not contain (templates go in env: and"
                        + " args:): rewrite it by hand"
            };
        }
        return null;
    }

    private static boolean isComment(String line) {
        return line.stripLeading().startsWith("#");
    }

    private String id(String title) {
        String base = Slug.of(title, "step");
        String id = base;
        for (int n = 2; !ids.add(id); n++) id = base + "-" + n;
        return id;
    }
}
