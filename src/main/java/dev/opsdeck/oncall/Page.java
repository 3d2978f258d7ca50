package dev.opsdeck.oncall;

import java.util.Map;

/**
 * One message an escalation step sends: to {@code channel}, about {@code contact} (null for a channel named in the
 * step itself). {@code fields} are added to the message: {@code paged}, and for a contact {@code contact},
 * {@code contact_email}, {@code contact_slack}, {@code contact_phone}; an email channel writes to
 * {@code contact_email} instead of its own {@code to}.
 */
public record Page(String channel, String contact, Map<String, Object> fields) {}
