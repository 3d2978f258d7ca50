package dev.opsdeck.probe.condition;

/** Comparison operators of the condition language. */
enum Operator {
    EQ("=="),
    NE("!="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">=");

    final String symbol;

    Operator(String symbol) {
        this.symbol = symbol;
    }

    static Operator of(String symbol) {
        for (Operator o : values()) {
            if (o.symbol.equals(symbol)) return o;
        }
        throw new IllegalArgumentException(symbol);
    }

    boolean isEquality() {
        return this == EQ || this == NE;
    }

    boolean test(int comparison) {
        return switch (this) {
            case EQ -> comparison == 0;
            case NE -> comparison != 0;
            case LT -> comparison < 0;
            case LE -> comparison <= 0;
            case GT -> comparison > 0;
            case GE -> comparison >= 0;
        };
    }
}
