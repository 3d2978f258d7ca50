package dev.opsdeck.runbook.steps;

/** {@code approval}: pause until a person with {@code role} approves or rejects (also how {@code confirm:} asks). */
public record Approval(String role, boolean fourEyes, String prompt) implements StepSettings {}
