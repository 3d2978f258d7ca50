package dev.opsdeck.config;

/** Everything about telling people: alert rules, incidents, notification channels, alert intake. */
public record PagingConfig(AlertsConfig alerts, IncidentsConfig incidents, ChannelsConfig channels,
                           IntegrationsConfig integrations) {}
