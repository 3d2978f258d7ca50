package dev.opsdeck.runbook.steps;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The one table of runbook step types. A new type is one class plus one line here. */
public final class StepTypes {
    private final Map<String, StepType> types = new LinkedHashMap<>();

    private StepTypes() {}

    public static StepTypes standard() {
        StepTypes t = new StepTypes();
        t.add(new ShellStepType());
        t.add(new SshStepType());
        t.add(new HttpStepType());
        t.add(new SqlStepType());
        t.add(new CheckStepType());
        t.add(new WaitStepType());
        t.add(new ApprovalStepType());
        t.add(new NotifyStepType());
        t.add(new SubRunbookStepType());
        t.add(new SleepStepType());
        return t;
    }

    private void add(StepType type) {
        types.put(type.name(), type);
    }

    /** The type of a step the loader accepted, which names one of these. */
    public StepType get(String name) {
        StepType type = types.get(name);
        if (type == null) throw new IllegalArgumentException("no step type '" + name + "'");
        return type;
    }

    public Set<String> names() {
        return types.keySet();
    }
}
