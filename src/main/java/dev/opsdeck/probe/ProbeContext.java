package dev.opsdeck.probe;

import java.time.Duration;

/** What a probe needs to know for one run: how long it may take in total. */
public record ProbeContext(Duration timeout) {}
