package dev.opsdeck.probe.condition;

import dev.opsdeck.probe.Observation;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/** A parsed condition; evaluating it says whether it holds and, if not, exactly why. */
public final class Condition {
    /** The outcome of one evaluation: {@code message} explains a failure, e.g. {@code [BODY].status: expected healthy, got "degraded"}. */
    public record Outcome(boolean holds, String message) {}

    private final String text;
    private final Operand left;
    private final Operator operator;
    private final Operand right;

    Condition(String text, Operand left, Operator operator, Operand right) {
        this.text = text;
        this.left = left;
        this.operator = operator;
        this.right = right;
    }

    public String text() {
        return text;
    }

    public Outcome evaluate(Observation o) {
        Object l;
        Object r;
        try {
            l = value(left, o);
            r = value(right, o);
        } catch (Values.Missing m) {
            return new Outcome(false, subject() + ": " + m.getMessage());
        }
        boolean holds = compare(l, r);
        if (holds) {
            return new Outcome(true, subject() + ": " + Values.show(l) + " " + operator.symbol + " " + right.text());
        }
        String expected = operator == Operator.EQ ? right.text() : operator.symbol + " " + right.text();
        return new Outcome(false, subject() + ": expected " + expected + ", got " + shown(l));
    }

    private String subject() {
        return left instanceof Operand.Literal ? right.text() : left.text();
    }

    private String shown(Object l) {
        if (right instanceof Operand.Literal lit
                && lit.value() instanceof Quantity q
                && !(l instanceof Observation.Secret)) {
            Double n = Values.numeric(l);
            if (n != null) return q.format(n);
        }
        return Values.show(l);
    }

    private static Object value(Operand op, Observation o) throws Values.Missing {
        return switch (op) {
            case Operand.Placeholder p -> Values.resolve(p, o);
            case Operand.Literal lit -> lit.value();
            case Operand.Has h -> {
                try {
                    Values.resolve(h.of(), o);
                    yield Boolean.TRUE;
                } catch (Values.Missing m) {
                    yield Boolean.FALSE;
                }
            }
            case Operand.Len len -> {
                Object v = Values.reveal(Values.resolve(len.of(), o));
                if (v instanceof String s) yield (double) s.length();
                if (v instanceof Collection<?> c) yield (double) c.size();
                if (v instanceof Map<?, ?> m) yield (double) m.size();
                throw new Values.Missing("len() needs text, a list or an object, got " + Values.kind(v));
            }
            case Operand.AnyOf any -> any;
            case Operand.Pattern pat -> pat;
        };
    }

    private boolean compare(Object shown, Object r) {
        Object l = Values.reveal(shown);
        if (r instanceof Operand.AnyOf any) {
            boolean match = any.options().stream().anyMatch(opt -> equal(l, opt.value()));
            return operator == Operator.EQ ? match : !match;
        }
        if (r instanceof Operand.Pattern pat) {
            boolean match = l != null && pat.regex().matcher(plain(l)).matches();
            return operator == Operator.EQ ? match : !match;
        }
        if (operator.isEquality()) {
            boolean eq = equal(l, r);
            return operator == Operator.EQ ? eq : !eq;
        }
        Double a = Values.numeric(l);
        Double b = Values.numeric(r);
        if (a == null || b == null) {
            return false;
        }
        return operator.test(Double.compare(a, b));
    }

    private static boolean equal(Object l, Object r) {
        if (l == null || r == null) {
            return l == r;
        }
        if (l instanceof Boolean || r instanceof Boolean) {
            return plain(l).equalsIgnoreCase(plain(r));
        }
        if (unlimited(l) || unlimited(r)) {
            // a limit without bound (ulimit's "unlimited", systemd's "infinity") is +Infinity: larger than any number
            String word = plain(unlimited(l) ? r : l);
            if (word.equalsIgnoreCase("unlimited") || word.equalsIgnoreCase("infinity")) return true;
        }
        Double a = Values.numeric(l);
        Double b = Values.numeric(r);
        if (a != null && b != null) {
            return Double.compare(a, b) == 0;
        }
        return Objects.equals(plain(l), plain(r));
    }

    private static boolean unlimited(Object v) {
        return v instanceof Double d && d == Double.POSITIVE_INFINITY;
    }

    private static String plain(Object v) {
        if (v instanceof Quantity q) return Values.number(q.value());
        return String.valueOf(v);
    }

    @Override
    public String toString() {
        return text;
    }
}
