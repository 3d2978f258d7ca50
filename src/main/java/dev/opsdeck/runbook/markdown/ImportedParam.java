package dev.opsdeck.runbook.markdown;

/**
 * A runbook parameter found as a placeholder ({@code <START>}, {@code $ADMIN_KEY}, {@code ${VAR}}): required,
 * a string, secret when its name says key, token, password or secret. {@code variable} is the environment
 * variable the steps read it from; {@code placeholder} how the document wrote it, first on {@code line}.
 */
public record ImportedParam(String name, String variable, String placeholder, boolean secret, int line) {}
