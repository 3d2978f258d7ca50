package dev.opsdeck.notify;

/** What senders send with: one HTTP client per outbox (its connections are reused) and the SMTP client. */
record Transport(HttpSender http, EmailSender smtp) {}
