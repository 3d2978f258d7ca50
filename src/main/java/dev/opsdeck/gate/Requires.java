package dev.opsdeck.gate;

import dev.opsdeck.auth.Permission;
import io.javalin.security.RouteRole;

/** The permission a route declares, in the form Javalin keeps with the route. */
public record Requires(Permission permission) implements RouteRole {}
