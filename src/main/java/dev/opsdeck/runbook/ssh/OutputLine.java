package dev.opsdeck.runbook.ssh;

/** One line of a remote command's output, as it arrives; {@code stderr} tells the two streams apart. */
public record OutputLine(boolean stderr, String text) {}
