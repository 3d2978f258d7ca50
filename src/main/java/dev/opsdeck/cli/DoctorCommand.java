package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.checklist.BootstrapState;
import dev.opsdeck.config.ConfigException;
import dev.opsdeck.config.Json;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.doctor.Doctor;
import dev.opsdeck.doctor.Finding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = {
            "Check a configuration against the production checklist, offline, in any profile.",
            "Exit code 1 when a required item fails, 2 when the configuration or --unit is invalid."
        })
final class DoctorCommand implements Callable<Integer> {
    static final int WIDTH = 100;

    @Mixin
    ConfigFile config;

    @Option(names = "--json", description = "Print JSON: {\"profile\", \"ready_for_production\", \"findings\": [...]}.")
    boolean json;

    @Option(
            names = "--unit",
            paramLabel = "FILE",
            description = "Also check the hardening of this node's systemd unit file (and its FILE.d/*.conf drop-ins).")
    Path unit;

    @Override
    public Integer call() throws Exception {
        OpsdeckConfig cfg;
        try {
            Blueprint bp = config.compile();
            bp.checks().values().forEach(c -> c.close());
            cfg = bp.config();
        } catch (ConfigException e) {
            return ConfigProblems.list(e);
        }
        if (unit != null && !Files.isRegularFile(unit)) {
            return refuse("--unit " + unit + ": " + (Files.exists(unit) ? "not a regular file" : "no such file"));
        }
        if (unit != null && !Files.isReadable(unit)) {
            return refuse("--unit " + unit + ": cannot be read (permission denied)");
        }
        // offline on purpose: doctor must work with the server stopped and the store unreachable
        List<Finding> findings;
        try {
            findings =
                    Doctor.examine(cfg, BootstrapState.fromDataDir(cfg.server().dataDir()), unit);
        } catch (IllegalArgumentException e) {
            return refuse("--unit " + unit + ": " + e.getMessage());
        }
        boolean ready = findings.stream().noneMatch(f -> f.outcome() == Finding.Outcome.FAIL);
        if (json) {
            Cli.printJson(toJson(cfg.runtime().profile(), ready, findings));
        } else {
            table(findings).forEach(System.out::println);
            System.out.println();
            System.out.println(summary(cfg.runtime().profile(), findings));
        }
        return ready ? Main.OK : Main.FAILED;
    }

    /** A --unit that cannot be checked: nothing is printed on stdout, exit 2 as for an invalid configuration. */
    private static int refuse(String message) {
        System.err.println("opsdeck: " + message);
        return Main.INVALID;
    }

    static ObjectNode toJson(String profile, boolean ready, List<Finding> findings) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("profile", profile);
        out.put("ready_for_production", ready);
        ArrayNode list = out.putArray("findings");
        for (Finding f : findings) {
            list.addObject()
                    .put("id", f.id())
                    .put("title", f.title())
                    .put("outcome", f.outcome().name().toLowerCase(Locale.ROOT))
                    .put("detail", f.detail())
                    .put("fix", f.fix());
        }
        return out;
    }

    static String summary(String profile, List<Finding> findings) {
        long failed = findings.stream()
                .filter(f -> f.outcome() == Finding.Outcome.FAIL)
                .count();
        long warned = findings.stream()
                .filter(f -> f.outcome() == Finding.Outcome.WARN)
                .count();
        String warnings = warned == 0 ? "" : ", " + warned + " warning(s)";
        return (failed == 0 ? "ready for production" : "not ready for production: " + failed + " failed") + warnings
                + " (runtime.profile: " + profile + ")";
    }

    /** ID, RESULT, DETAIL, FIX in {@link #WIDTH} columns; DETAIL and FIX wrap at spaces, long paths are split. */
    static List<String> table(List<Finding> findings) {
        int idWidth = "ID".length();
        for (Finding f : findings) idWidth = Math.max(idWidth, f.id().length());
        int resultWidth = "RESULT".length();
        int rest = WIDTH - idWidth - resultWidth - 6; // three gaps of two spaces
        int detailWidth = rest / 2;
        int fixWidth = rest - detailWidth;
        String format = "%-" + idWidth + "s  %-" + resultWidth + "s  %-" + detailWidth + "s  %s";
        List<String> lines = new ArrayList<>();
        lines.add(String.format(format, "ID", "RESULT", "DETAIL", "FIX").stripTrailing());
        for (Finding f : findings) {
            List<String> detail = wrap(f.detail(), detailWidth);
            List<String> fix = wrap(f.fix() == null ? "" : f.fix(), fixWidth);
            for (int i = 0; i < Math.max(1, Math.max(detail.size(), fix.size())); i++) {
                lines.add(String.format(
                                format,
                                i == 0 ? f.id() : "",
                                i == 0 ? f.outcome().name() : "",
                                i < detail.size() ? detail.get(i) : "",
                                i < fix.size() ? fix.get(i) : "")
                        .stripTrailing());
            }
        }
        return lines;
    }

    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            while (word.length() > width) { // a path longer than the column: split it, nothing is lost
                if (!line.isEmpty()) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                lines.add(word.substring(0, width));
                word = word.substring(width);
            }
            if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) line.append(' ');
            line.append(word);
        }
        if (!line.isEmpty()) lines.add(line.toString());
        return lines;
    }
}
