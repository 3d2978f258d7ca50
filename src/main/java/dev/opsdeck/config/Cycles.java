package dev.opsdeck.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Finds the cycles of a directed graph of names by depth-first search, for the validations that forbid them
 * ({@code depends_on}, runbooks calling runbooks). Each cycle is reported once, as the path from the name where
 * the search entered it back to that name: {@code [a, b, a]}.
 */
public final class Cycles {
    private final Function<String, List<String>> edges;
    private final Consumer<List<String>> report;
    private final Set<String> done = new HashSet<>();
    private final Set<List<String>> reported = new HashSet<>();
    private final List<String> path = new ArrayList<>();

    private Cycles(Function<String, List<String>> edges, Consumer<List<String>> report) {
        this.edges = edges;
        this.report = report;
    }

    /** Searches from each of {@code roots} in order; {@code edges} gives the names a name leads to. */
    public static void find(List<String> roots, Function<String, List<String>> edges, Consumer<List<String>> report) {
        Cycles search = new Cycles(edges, report);
        roots.forEach(search::visit);
    }

    private void visit(String name) {
        int at = path.indexOf(name);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
            cycle.add(name);
            // the same cycle entered elsewhere has the same members: say it once
            if (reported.add(cycle.stream().sorted().distinct().toList())) {
                report.accept(List.copyOf(cycle));
            }
            return;
        }
        if (!done.add(name)) {
            return;
        }
        path.add(name);
        edges.apply(name).forEach(this::visit);
        path.remove(path.size() - 1);
    }
}
