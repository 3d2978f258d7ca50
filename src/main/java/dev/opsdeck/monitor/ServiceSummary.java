package dev.opsdeck.monitor;

import dev.opsdeck.probe.Status;

/**
 * A service's name, description and status alone: what a list of every service filters, counts and sorts on,
 * without building each check's view (see {@link MonitorEngine#summaries()}).
 */
public record ServiceSummary(String name, String description, Status status) {}
