package dev.opsdeck.oncall;

import java.time.Instant;

/**
 * Who is on call for a rotation from {@code from} until {@code until}. {@code contact} and {@code from} are null when nobody is (before
 * the rotation's start, or without members); {@code override} when an override put them there.
 */
public record Shift(String rotation, String contact, Instant from, Instant until, boolean override) {}
