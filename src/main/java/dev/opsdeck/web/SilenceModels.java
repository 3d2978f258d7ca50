package dev.opsdeck.web;

import dev.opsdeck.silence.Matcher;
import dev.opsdeck.silence.Silence;
import java.util.List;
import java.util.stream.Collectors;

/** What the silences page shows. */
public final class SilenceModels {
    private SilenceModels() {}

    /** One silence; {@code when} in words ("ends in 2 h", "starts in 10 min", "ended 3 h ago"). */
    public record Row(
            long id,
            String state,
            String matchers,
            String starts,
            String ends,
            String when,
            String creator,
            String comment,
            String expiredBy) {}

    /** What was typed into the form, shown again when it was refused. */
    public record Form(String matchers, String duration, String comment) {
        static final Form EMPTY = new Form("", "2h", "");
    }

    public record ListPage(
            Viewer viewer,
            String css,
            String icon,
            List<Row> current,
            List<Row> ended,
            boolean canOperate,
            String error,
            Form form) {}

    static Row row(Silence s, long nowMs) {
        String when = switch (s.state(nowMs)) {
            case PENDING -> "starts in " + Format.span(s.startsMs() - nowMs);
            case ACTIVE -> "ends in " + Format.span(s.endsMs() - nowMs);
            case EXPIRED -> "ended " + Format.ago(s.endsMs(), nowMs);
        };
        return new Row(
                s.id(),
                s.state(nowMs).label(),
                s.matchers().stream().map(Matcher::toString).collect(Collectors.joining(", ")),
                Format.utc(s.startsMs()),
                Format.utc(s.endsMs()),
                when,
                s.creator(),
                s.comment(),
                s.expiredBy());
    }
}
