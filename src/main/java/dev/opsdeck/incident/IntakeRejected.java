package dev.opsdeck.incident;

import java.util.List;

/** A payload from outside that is not what its format says, with every problem found, each naming its field. */
public final class IntakeRejected extends RuntimeException {
    private final List<String> problems;

    public IntakeRejected(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
