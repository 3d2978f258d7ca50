package dev.opsdeck.runbook.markdown;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Block;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.ListBlock;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SourceSpan;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/**
 * Turns a markdown runbook into runbook definitions: headings become sections, prose the description, shell code
 * blocks {@code shell} steps that ask for confirmation, placeholders parameters, checklists {@code approval}
 * steps; a document with several "RB-NNN" headings gives one runbook per heading. What it cannot convert is
 * listed with its line. A document without code fences is taken as text copied from a rendered page and its
 * markdown recovered first ({@link RenderedText}). Alternatives, failure handlers, a rollback section and durations
 * become {@code when:}, {@code rollback:} and {@code target:} ({@link Branches}).
 */
public final class MarkdownImport {
    private static final Pattern RUNBOOK_HEADING = Pattern.compile("^RB-(\\d+)\\b\\s*[:—–-]?\\s*(.*)$");
    private static final Pattern TASK = Pattern.compile("^\\s*(?:[-*+]|\\d+[.)])\\s+\\[[ xX]]\\s+(.*)$");
    /** "Rollback Procedure", "5. Rollback", "Rollback plan". */
    private static final Pattern ROLLBACK = Pattern.compile("(?i)^(?:\\d+(?:\\.\\d+)*[.)]?\\s*)?rollback\\b.*");
    /** "Option A: Git-Based Deployment" standing alone. */
    private static final Pattern OPTION = Pattern.compile("(?i)^option\\s+([a-z0-9])\\s*[:.—–-]\\s*(.{1,80})$");

    private static final Pattern NUMBER = Pattern.compile("(?i)^(?:step\\s+)?(\\d+)\\b.*");

    private MarkdownImport() {}

    public static ImportResult convert(String document) {
        String text = document.replace('\u00a0', ' ').replace("\r\n", "\n");
        boolean rendered = RenderedText.looksRendered(text);
        List<Integer> origin;
        String markdown;
        if (rendered) {
            RenderedText.Recovered r = RenderedText.toMarkdown(text);
            markdown = r.markdown();
            origin = r.origin();
        } else {
            markdown = text;
            origin = null;
        }
        Source source = new Source(markdown.split("\n", -1), origin);
        Node doc = Parser.builder()
                .includeSourceSpans(IncludeSourceSpans.BLOCKS)
                .build()
                .parse(markdown);
        List<Block> blocks = new ArrayList<>();
        for (Node n = doc.getFirstChild(); n != null; n = n.getNext()) blocks.add((Block) n);

        List<Unconverted> notes = new ArrayList<>();
        List<ImportedRunbook> runbooks = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i) instanceof Heading h
                    && RUNBOOK_HEADING.matcher(text(h)).matches()) starts.add(i);
        }
        if (starts.size() >= 2) {
            boolean[] inside = new boolean[blocks.size()];
            for (int start : starts) {
                Heading h = (Heading) blocks.get(start);
                int end = start + 1;
                while (end < blocks.size()
                        && !(blocks.get(end) instanceof Heading next
                                && (next.getLevel() <= h.getLevel() || starts.contains(end)))) end++;
                for (int i = start; i < end; i++) inside[i] = true;
                Matcher m = RUNBOOK_HEADING.matcher(text(h));
                m.matches();
                String id = "rb-" + m.group(1);
                String title = m.group(2).isBlank() ? text(h) : m.group(2).strip();
                runbooks.add(new RunbookBuilder(unique(id, runbooks), title, source.line(h), source, notes)
                        .add(blocks.subList(start + 1, end))
                        .build());
            }
            for (int i = 0; i < blocks.size(); i++) {
                if (!inside[i] && blocks.get(i) instanceof Heading h && i > 0) {
                    notes.add(new Unconverted(
                            source.line(h),
                            "outside",
                            text(h),
                            "section outside any RB-NNN runbook: kept out of the import"));
                }
            }
        } else {
            Heading first = null;
            for (Block b : blocks) {
                if (b instanceof Heading h && (first == null || h.getLevel() < first.getLevel())) first = h;
                if (first != null && first.getLevel() == 1) break;
            }
            String title = first == null ? "Imported runbook" : text(first);
            Matcher m = RUNBOOK_HEADING.matcher(title);
            String id = m.matches() ? "rb-" + m.group(1) : Slug.of(title, "imported-runbook");
            if (m.matches() && !m.group(2).isBlank()) title = m.group(2).strip();
            List<Block> body = new ArrayList<>(blocks);
            body.remove(first);
            runbooks.add(new RunbookBuilder(id, title, first == null ? 1 : source.line(first), source, notes)
                    .add(body)
                    .build());
        }
        notes.sort((a, b) -> Integer.compare(a.line(), b.line()));
        return new ImportResult(List.copyOf(runbooks), List.copyOf(notes), rendered);
    }

    private static String unique(String id, List<ImportedRunbook> made) {
        String candidate = id;
        for (int n = 2; ; n++) {
            String c = candidate;
            if (made.stream().noneMatch(r -> r.id().equals(c))) return candidate;
            candidate = id + "-" + n;
        }
    }

    /** The plain text of a heading or paragraph. */
    static String text(Node node) {
        StringBuilder b = new StringBuilder();
        node.accept(new AbstractVisitor() {
            @Override
            public void visit(Text t) {
                b.append(t.getLiteral());
            }

            @Override
            public void visit(Code c) {
                b.append(c.getLiteral());
            }
        });
        return b.toString().strip();
    }

    /** The markdown lines, and where each came from in the document as given. */
    record Source(String[] lines, List<Integer> origin) {
        int original(int index) {
            return origin == null ? index + 1 : origin.get(Math.min(index, origin.size() - 1));
        }

        int first(Node n) {
            List<SourceSpan> spans = n.getSourceSpans();
            return spans.isEmpty() ? 0 : spans.get(0).getLineIndex();
        }

        int last(Node n) {
            List<SourceSpan> spans = n.getSourceSpans();
            return spans.isEmpty() ? 0 : spans.get(spans.size() - 1).getLineIndex();
        }

        int line(Node n) {
            return original(first(n));
        }

        String slice(Node n) {
            StringBuilder b = new StringBuilder();
            for (int i = first(n); i <= last(n) && i < lines.length; i++)
                b.append(lines[i]).append('\n');
            return b.toString();
        }
    }

    /** Collects one runbook's description, steps and parameters from its blocks. */
    private static final class RunbookBuilder {
        private final String id;
        private final String title;
        private final int line;
        private final Source source;
        private final List<Unconverted> notes;
        private final StringBuilder description = new StringBuilder();
        private final CodeSteps steps;
        private final List<Branches.Place> places = new ArrayList<>();
        private String section;
        private int sectionNo;
        private int blockNo;
        /** The alternative being read ("Option B: ..." until the next heading), and which group of options it is in. */
        private String option;

        private String optionTitle;
        private int optionGroup;
        private int optionSection = -1;
        private boolean rollback;
        private int rollbackLevel;
        /** The heading duration in force, the steps it covers, and how that heading was numbered ("Step 1" → "1"). */
        private int scope;

        private String scopeDuration;
        private int scopeLevel;
        private String scopeNumber;
        /** What the current section handles the failure of ("If restart fails" → "restart"). */
        private String failureOf;

        private String target;
        /** The text of the block before the current one: "7. Verification Checklist" names the list after it. */
        private String previous = "";

        RunbookBuilder(String id, String title, int line, Source source, List<Unconverted> notes) {
            this.id = id;
            this.title = title;
            this.line = line;
            this.source = source;
            this.notes = notes;
            this.steps = new CodeSteps(notes);
        }

        RunbookBuilder add(List<Block> blocks) {
            for (Block b : blocks) {
                add(b);
                blockNo++;
                while (places.size() < steps.steps().size()) {
                    places.add(new Branches.Place(
                            sectionNo,
                            blockNo,
                            section,
                            option,
                            optionTitle,
                            optionGroup,
                            rollback,
                            scope,
                            scopeDuration,
                            failureOf));
                }
                previous = b instanceof ListBlock list && list.getLastChild() != null
                        ? text(list.getLastChild())
                        : text(b);
            }
            return this;
        }

        private void add(Block b) {
            switch (b) {
                case Heading h -> {
                    section = text(h);
                    heading(h.getLevel());
                    describe(b);
                }
                case FencedCodeBlock f ->
                    steps.code(
                            f.getInfo() == null ? "" : f.getInfo().strip(),
                            f.getLiteral(),
                            source,
                            source.first(f) + 1,
                            section == null ? title : section);
                case IndentedCodeBlock c ->
                    steps.code("", c.getLiteral(), source, source.first(c), section == null ? title : section);
                case ListBlock list -> {
                    if (!checklist(list)) describe(b);
                }
                case HtmlBlock html ->
                    notes.add(new Unconverted(
                            source.line(html),
                            "html",
                            source.slice(html).strip().lines().findFirst().orElse(""),
                            "raw HTML: left out"));
                case Paragraph p -> {
                    images(p);
                    condition(text(p));
                    String raw = source.slice(p);
                    if (raw.stripLeading().startsWith("|") || raw.contains("|---") || raw.contains("| ---")) {
                        notes.add(new Unconverted(
                                source.line(p),
                                "table",
                                raw.lines().findFirst().orElse("").strip(),
                                "a table: kept in the description, not turned into steps"));
                    }
                    describe(b);
                }
                default -> describe(b);
            }
        }

        /** What a heading starts: a section, maybe a failure handler, the rollback, a new duration. */
        private void heading(int level) {
            sectionNo++;
            option = null;
            Matcher fails = Branches.IF_FAILS.matcher(section);
            failureOf = fails.find() ? fails.group(1) : null;
            if (ROLLBACK.matcher(section).matches()) {
                rollback = true;
                rollbackLevel = level;
            } else if (rollback
                    && level <= rollbackLevel
                    && !section.toLowerCase(Locale.ROOT).contains("rollback")) {
                rollback = false;
            }
            String duration = Durations.inHeading(section);
            Matcher number = NUMBER.matcher(section);
            if (duration != null) {
                scope++;
                scopeDuration = duration;
                scopeLevel = level;
                scopeNumber = number.matches() ? number.group(1) : null;
            } else if (scopeDuration != null
                    && level <= scopeLevel
                    && (scopeNumber == null || !section.startsWith(scopeNumber + "."))) {
                scopeDuration = null;
            }
            if (target == null) target = Durations.rto(section);
        }

        /** A paragraph that says which alternative follows, or what failed, or the RTO target. */
        private void condition(String paragraph) {
            Matcher o = OPTION.matcher(paragraph);
            if (o.matches()) {
                String letter = o.group(1).toLowerCase(Locale.ROOT);
                if (option == null && (letter.equals("a") || letter.equals("1") || optionSection != sectionNo))
                    optionGroup++;
                option = letter;
                optionTitle = o.group(2).strip();
                optionSection = sectionNo;
            }
            Matcher fails = Branches.IF_FAILS.matcher(paragraph);
            if (paragraph.length() <= 80 && fails.find()) failureOf = fails.group(1);
            if (target == null) target = Durations.rto(paragraph);
        }

        private void describe(Block b) {
            if (!description.isEmpty()) description.append('\n');
            description.append(source.slice(b));
        }

        private void images(Paragraph p) {
            p.accept(new AbstractVisitor() {
                @Override
                public void visit(Image image) {
                    notes.add(new Unconverted(
                            source.line(p),
                            "image",
                            image.getDestination(),
                            "an image cannot become a step: check what it shows by hand"));
                }
            });
        }

        /** A list of "- [ ] item" lines becomes one approval step listing every item. */
        private boolean checklist(ListBlock list) {
            List<String> items = new ArrayList<>();
            boolean any = false;
            for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
                String first = source.lines()[source.first(item)];
                Matcher m = TASK.matcher(first);
                if (m.matches()) any = true;
                items.add(m.matches() ? m.group(1).strip() : text(item));
            }
            if (!any) return false;
            String where = previous.toLowerCase(Locale.ROOT).contains("checklist") && previous.length() <= 80
                    ? previous.replaceFirst("^\\d+[.)]\\s*", "").replaceFirst(":$", "")
                    : section == null
                            ? "Checklist"
                            : section.toLowerCase(Locale.ROOT).contains("checklist") ? section : section + " checklist";
            StringBuilder prompt = new StringBuilder("Confirm each item of \"" + where + "\":");
            for (String item : items) prompt.append("\n- ").append(item);
            steps.approval(where, prompt.toString(), source.line(list));
            return true;
        }

        ImportedRunbook build() {
            if (steps.steps().isEmpty()) {
                notes.add(new Unconverted(
                        line,
                        "empty",
                        title,
                        "no commands or checklist: the runbook is a single"
                                + " approval step asking to follow its description"));
                steps.approval(
                        "Follow the description",
                        "No commands to run: work through the description, then approve.",
                        line);
                places.add(new Branches.Place(0, -1, null, null, null, 0, false, 0, null, null));
            }
            Set<String> taken = new HashSet<>();
            steps.params().forEach(p -> taken.add(p.name()));
            Branches.Result r = Branches.apply(steps.steps(), places, taken);
            return new ImportedRunbook(
                    id,
                    title,
                    description.toString().strip(),
                    steps.params(),
                    r.choices(),
                    r.steps(),
                    r.rollback(),
                    target,
                    line);
        }
    }
}
