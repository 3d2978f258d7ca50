package dev.opsdeck.probe.types;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.Fields;
import dev.opsdeck.probe.CheckType;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Probe;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code type: disk} — space on the file system holding {@code path}.
 * USED_PERCENT is computed like df: used / (used + available to unprivileged users), so it
 * reaches 100% when ordinary processes can no longer write, even if root-reserved blocks remain.
 */
public final class DiskCheck implements CheckType {
    @Override
    public String name() {
        return "disk";
    }

    @Override
    public Set<String> placeholders() {
        return Set.of("USED_PERCENT", "FREE_BYTES", "USED_BYTES", "TOTAL_BYTES", "RESPONSE_TIME");
    }

    @Override
    public List<String> defaultConditions() {
        return List.of("[USED_PERCENT] < 90%");
    }

    @Override
    public Probe configure(CheckDef check, Fields f) {
        String path = f.requiredString("path");
        if (path == null) {
            return null;
        }
        Path p;
        try {
            p = Path.of(path);
        } catch (Exception e) {
            f.problem("path", "not a valid path");
            return null;
        }
        // the path is only checked when probing: a mount may appear after opsdeck starts
        return context -> measure(p);
    }

    private static Observation measure(Path path) throws Exception {
        if (!Files.exists(path)) {
            return Observation.failed("path not found: " + path);
        }
        FileStore store;
        try {
            store = Files.getFileStore(path);
        } catch (NoSuchFileException e) {
            return Observation.failed("path not found: " + path);
        } catch (AccessDeniedException e) {
            return Observation.failed("permission denied: " + path);
        }
        long total = store.getTotalSpace();
        long free = store.getUnallocatedSpace();
        long available = store.getUsableSpace();
        long used = total - free;
        double percent = used + available == 0 ? 0.0 : used * 100.0 / (used + available);
        return new Observation()
                .put("USED_PERCENT", percent)
                .put("FREE_BYTES", new Observation.Size(available))
                .put("USED_BYTES", new Observation.Size(used))
                .put("TOTAL_BYTES", new Observation.Size(total));
    }
}
