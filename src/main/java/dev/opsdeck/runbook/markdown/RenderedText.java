package dev.opsdeck.runbook.markdown;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Recovers markdown from a runbook copied out of a rendered page (a repository viewer, a wiki): the heading marks,
 * code fences and checkbox marks are gone, but the shape survives. Headings are short lines standing alone,
 * "RB-001: ..." or "Step 2: ..." or numbered like "2.1 Backup"; code is a line that starts with a shell comment
 * or a known command, with the lines its quotes, brackets and backslashes carry on; "•" lines are bullets, and
 * the bullets under a "... checklist" line are checklist items. Every recovered line remembers the line it came
 * from, so the import still reports positions in the document as given.
 */
final class RenderedText {
    /** Commands a runbook line typically starts with; prose starts with a capital letter, these do not. */
    static final Set<String> COMMANDS = Set.of(
            "apt",
            "apt-get",
            "aws",
            "awk",
            "bash",
            "cat",
            "cd",
            "certbot",
            "chmod",
            "chown",
            "cp",
            "crontab",
            "curl",
            "date",
            "df",
            "dig",
            "docker",
            "docker-compose",
            "du",
            "echo",
            "env",
            "exit",
            "export",
            "find",
            "for",
            "free",
            "git",
            "grep",
            "gunzip",
            "gzip",
            "head",
            "helm",
            "if",
            "iostat",
            "jq",
            "journalctl",
            "kill",
            "kubectl",
            "ln",
            "ls",
            "lsof",
            "make",
            "mkdir",
            "mv",
            "netstat",
            "newgrp",
            "nginx",
            "node",
            "npm",
            "npx",
            "openssl",
            "pg_ctl",
            "pg_ctlcluster",
            "pg_dump",
            "pg_isready",
            "pg_restore",
            "pgrep",
            "ping",
            "pkill",
            "pm2",
            "printf",
            "ps",
            "psql",
            "python",
            "python3",
            "redis-cli",
            "rm",
            "rsync",
            "scp",
            "sed",
            "service",
            "set",
            "sh",
            "shred",
            "sleep",
            "sort",
            "source",
            "ss",
            "ssh",
            "sudo",
            "systemctl",
            "tail",
            "tar",
            "tee",
            "top",
            "touch",
            "uptime",
            "usermod",
            "vmstat",
            "watch",
            "wc",
            "wget",
            "while",
            "xargs",
            "yarn",
            "zcat");

    private static final Set<String> CHROME =
            Set.of("Skip to content", "Latest commit", "History", "File metadata and controls");
    private static final Pattern RULE = Pattern.compile("^[-=*_]{3,}$");
    private static final Pattern SHORT_NUMBERED = Pattern.compile("^\\d+\\.\\s+[A-Z][^.:]{0,58}$");
    private static final Pattern SIZE_LINE = Pattern.compile("^\\d+ lines \\(\\d+ loc\\) · .*");
    private static final Pattern BULLET = Pattern.compile("^\\s*[•●▪◦·*-]\\s+(.*)$");
    private static final Pattern NUMBERED_ITEM = Pattern.compile("^\\s+(\\d+)\\.\\s+(.*)$");
    private static final Pattern RUNBOOK_ID = Pattern.compile("^RB-\\d+\\b.*");
    private static final Pattern STEP = Pattern.compile("^Step \\d+\\b.*");
    private static final Pattern NUMBERED_HEADING = Pattern.compile("^\\d+(\\.\\d+)*\\.?\\s+\\S.*");
    /** SQL keywords in capitals, as runbooks write them; "Update the DNS record" is prose. */
    private static final Pattern SQL =
            Pattern.compile("^(SELECT|INSERT|UPDATE|DELETE|VACUUM|EXPLAIN|WITH|CREATE|ALTER|DROP)\\b.*");

    private static final Pattern ASSIGNMENT = Pattern.compile("^[A-Z_][A-Z0-9_]*=\\S*(\\s.*)?$");

    private RenderedText() {}

    /** Markdown text and, for each of its lines (0-based), the 1-based line of the original it came from. */
    record Recovered(String markdown, List<Integer> origin) {}

    /** True when the text has no code fence: then it is taken as copied from a rendered page. */
    static boolean looksRendered(String text) {
        for (String line : text.split("\n", -1)) {
            String t = line.strip();
            if (t.startsWith("```") || t.startsWith("~~~")) return false;
        }
        return true;
    }

    static Recovered toMarkdown(String text) {
        String[] lines = text.split("\r?\n", -1);
        List<String> md = new ArrayList<>();
        List<Integer> origin = new ArrayList<>();
        boolean titled = false;
        boolean checklist = false;
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            String t = line.strip();
            if (CHROME.contains(t) || SIZE_LINE.matcher(t).matches()) {
                i++;
                continue;
            }
            if (t.isEmpty() || RULE.matcher(t).matches()) {
                // a rule under a line would make it a setext heading: a rule is only a separator here
                add(md, origin, "", i);
                i++;
                continue;
            }
            if (!titled && t.length() <= 80 && ".:!?,;".indexOf(t.charAt(t.length() - 1)) < 0) {
                // the first line of a page is its title, whether or not a blank line follows it
                titled = true;
                add(md, origin, "# " + t, i);
                checklist = t.toLowerCase(Locale.ROOT).contains("checklist");
                i++;
                continue;
            }
            if (isCode(t)) {
                i = code(lines, i, md, origin);
                continue;
            }
            var bullet = BULLET.matcher(line);
            if (bullet.matches()) {
                add(md, origin, (checklist ? "- [ ] " : "- ") + bullet.group(1).strip(), i);
                i++;
                continue;
            }
            var item = NUMBERED_ITEM.matcher(line);
            if (item.matches()) {
                add(md, origin, item.group(1) + ". " + item.group(2).strip(), i);
                checklist = item.group(2).toLowerCase(Locale.ROOT).contains("checklist");
                i++;
                continue;
            }
            int level = headingLevel(lines, i, t);
            if (level > 0) {
                if (!titled) level = 1;
                titled = true;
                add(md, origin, "#".repeat(level) + " " + t, i);
                checklist = t.toLowerCase(Locale.ROOT).contains("checklist");
                i++;
                continue;
            }
            if (t.toLowerCase(Locale.ROOT).contains("checklist")) checklist = true;
            add(md, origin, t, i);
            i++;
        }
        return new Recovered(String.join("\n", md) + "\n", origin);
    }

    private static void add(List<String> md, List<Integer> origin, String line, int index) {
        md.add(line);
        origin.add(index + 1);
    }

    static boolean isCode(String t) {
        if (t.startsWith("#") || t.startsWith("./") || t.startsWith("$ ")) return true;
        if (SQL.matcher(t).matches() || ASSIGNMENT.matcher(t).matches()) return true;
        String first = t.split("[\\s;|&]", 2)[0];
        return COMMANDS.contains(first);
    }

    /** A fenced block from line {@code start}: code lines, what they carry on, and indented or JSON lines after them. */
    private static int code(String[] lines, int start, List<String> md, List<Integer> origin) {
        boolean sql = SQL.matcher(lines[start].strip()).matches();
        add(md, origin, sql ? "```sql" : "```sh", start);
        // a trailing | is no sign here: pages glue prose ("json.tool| Schedule | Task") onto commands
        ShellText.Continuation cont = new ShellText.Continuation(false);
        int i = start;
        int last = start;
        boolean carrying = false;
        while (i < lines.length) {
            String line = lines[i];
            String t = line.strip();
            boolean belongs;
            if (carrying) belongs = true;
            else if (t.isEmpty()) belongs = false;
            else
                belongs = isCode(t)
                        || (i == last + 1
                                && i > start
                                && (Character.isWhitespace(line.charAt(0))
                                        || t.startsWith("{")
                                        || t.startsWith("}")
                                        || t.startsWith("[")
                                        || t.startsWith("]")
                                        || t.startsWith("\"")));
            if (!belongs) {
                // a blank line inside a block: the block goes on if code follows it
                if (t.isEmpty()
                        && i + 1 < lines.length
                        && !lines[i + 1].isBlank()
                        && isCode(lines[i + 1].strip())
                        && !BULLET.matcher(lines[i + 1]).matches()) {
                    i++;
                    continue;
                }
                break;
            }
            for (int b = last + 1; b < i; b++) add(md, origin, "", b);
            add(md, origin, sql ? t : stripIndentOfFirst(line, i == start), i);
            carrying = cont.feed(line);
            last = i;
            i++;
        }
        add(md, origin, "```", last);
        return last + 1;
    }

    private static String stripIndentOfFirst(String line, boolean first) {
        return first ? line.strip() : line.stripTrailing();
    }

    /**
     * 0 for a line that is not a heading; else 2 for a numbered top-level section beside a rule (two blank lines),
     * 3 for an "RB-NNN" runbook, 4 for everything below.
     */
    private static int headingLevel(String[] lines, int i, String t) {
        if (Character.isWhitespace(lines[i].charAt(0))) return 0;
        boolean blankBefore = i == 0 || lines[i - 1].isBlank();
        boolean blankAfter = i + 1 >= lines.length || lines[i + 1].isBlank();
        // pages copied without blank lines still show "3. Restrict network exposure" on a line of its own
        if (!blankBefore || !blankAfter) return SHORT_NUMBERED.matcher(t).matches() ? 4 : 0;
        if (RUNBOOK_ID.matcher(t).matches()) return 3;
        if (STEP.matcher(t).matches()) return 4;
        if (NUMBERED_HEADING.matcher(t).matches() && t.length() <= 90) {
            // a rule (---) around a top-level section renders as one more blank line
            boolean rule = (i >= 2 && lines[i - 2].isBlank()) || (i + 2 < lines.length && lines[i + 2].isBlank());
            return t.matches("^\\d+\\.\\s.*") && rule ? 2 : 4;
        }
        if (t.length() > 60 || t.contains(": ") || ".:!?,;".indexOf(t.charAt(t.length() - 1)) >= 0) return 0;
        if (!Character.isUpperCase(t.codePointAt(0)) && Character.isLetterOrDigit(t.codePointAt(0))) return 0;
        return 4;
    }
}
