package dev.opsdeck.schedule;

import dev.opsdeck.backup.Backup;
import dev.opsdeck.backup.BackupFailure;
import dev.opsdeck.backup.Backups;
import dev.opsdeck.backup.DrillResult;
import dev.opsdeck.backup.Drills;
import dev.opsdeck.config.ScheduleDef;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.probe.Status;
import dev.opsdeck.runbook.Run;
import dev.opsdeck.runbook.RunRefused;
import dev.opsdeck.runbook.Runbooks;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The real targets: a backup (counted ok only once verified), a runbook run (ok when it succeeded), a check of the
 * running config (ok when up or degraded), and a restore drill (ok when it passed). Each waits for the end, so the
 * schedule's run lasts as long as the work and the overlap policy sees it.
 */
public final class StandardTargets implements Targets {
    private static final long POLL_MS = 500;
    private final Backups backups;
    private final Runbooks runbooks;
    private final Function<String, CompiledCheck> checks;
    private final Drills drills;

    /** Any of them may be null when that feature is not wired in this process: its targets then fail and say so. */
    public StandardTargets(Backups backups, Runbooks runbooks, Function<String, CompiledCheck> checks, Drills drills) {
        this.backups = backups;
        this.runbooks = runbooks;
        this.checks = checks;
        this.drills = drills;
    }

    @Override
    public Outcome run(ScheduleDef.Target target, String actor, Consumer<String> linked) {
        try {
            return switch (target) {
                case ScheduleDef.BackupTarget b -> backup(b.ref(), linked);
                case ScheduleDef.RunbookTarget r -> runbook(r, actor, linked);
                case ScheduleDef.CheckTarget c -> check(c.ref(), linked);
                case ScheduleDef.DrillTarget d -> drill(d.ref(), actor, linked);
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failed("interrupted: Opsdeck stopped while waiting for the " + target.kind());
        } catch (BackupFailure e) {
            return Outcome.failed(e.describe());
        } catch (RunRefused | Backups.UnknownTarget | Drills.UnknownDrill e) {
            return Outcome.failed(e.getMessage());
        }
    }

    private Outcome backup(String target, Consumer<String> linked) throws InterruptedException {
        if (backups == null) return Outcome.failed("backups are not available in this process");
        long id = backups.startInTurn(target); // after a backup of the target that is running (another schedule's)
        linked.accept(Long.toString(id));
        Backup b = awaitEnd(() -> backups.get(id), x -> x.status().equals(Backup.RUNNING));
        boolean ok = b.status().equals(Backup.VERIFIED);
        String size = b.sizeBytes() == null ? "" : ", " + b.sizeBytes() + " bytes";
        return new Outcome(
                ok,
                Long.toString(id),
                "backup " + id + " " + b.status() + size + (b.error() == null ? "" : ": " + b.error()));
    }

    private Outcome drill(String drill, String actor, Consumer<String> linked) throws InterruptedException {
        if (drills == null) return Outcome.failed("drills are not available in this process");
        long id = drills.start(drill, actor);
        linked.accept(Long.toString(id));
        DrillResult d = awaitEnd(() -> drills.get(id), x -> x.status().equals(DrillResult.RUNNING));
        // a failed drill's error names its failed checks
        return new Outcome(
                d.passed(),
                Long.toString(id),
                "drill run " + id + " " + d.status() + (d.error() == null ? "" : ": " + d.error()));
    }

    private Outcome runbook(ScheduleDef.RunbookTarget target, String actor, Consumer<String> linked)
            throws InterruptedException {
        if (runbooks == null) return Outcome.failed("runbooks are not available in this process");
        Run run = runbooks.start(target.ref(), target.params(), actor, null);
        linked.accept(run.id());
        Run started = run;
        Run done = awaitEnd(
                () -> runbooks.find(started.id()).orElse(started),
                x -> x.status().active());
        return new Outcome(
                done.status() == Run.Status.SUCCEEDED,
                done.id(),
                "runbook run " + done.id() + " " + done.status().label()
                        + (done.message() == null ? "" : ": " + done.message()));
    }

    /** Reads {@code current} every half second while {@code going} holds: the schedule's run lasts as long as the work. */
    private static <T> T awaitEnd(Supplier<T> current, Predicate<T> going) throws InterruptedException {
        T t = current.get();
        while (going.test(t)) {
            Thread.sleep(POLL_MS);
            t = current.get();
        }
        return t;
    }

    private Outcome check(String id, Consumer<String> linked) {
        CompiledCheck check = checks == null ? null : checks.apply(id);
        if (check == null) return Outcome.failed("no check '" + id + "' is running");
        linked.accept(id);
        CheckResult r = check.run();
        boolean ok = r.status() == Status.UP || r.status() == Status.DEGRADED;
        return new Outcome(ok, id, r.status().name().toLowerCase(Locale.ROOT) + ": " + r.message());
    }
}
