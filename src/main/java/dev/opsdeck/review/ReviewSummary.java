package dev.opsdeck.review;

import dev.opsdeck.incident.Incident;

/** One line of the review list: the incident, where its review stands and when it is due. */
public record ReviewSummary(Incident incident, Review.Stage stage, boolean required, Long dueMs, boolean overdue) {}
