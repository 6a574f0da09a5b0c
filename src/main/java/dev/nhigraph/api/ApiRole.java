package dev.nhigraph.api;

import io.javalin.security.RouteRole;

/** What a bearer token may do. An admin token may also do everything a read token may. */
public enum ApiRole implements RouteRole {

    /** Reads the graph: search, blast radius, paths, access decisions. */
    READ,

    /** Changes the server's state: token rotation today, report runs and re-collection once those routes exist. */
    ADMIN;

    /** Returns whether a caller holding this role may call a route that requires {@code required}. */
    public boolean allows(ApiRole required) {
        return this == ADMIN || required == READ;
    }

    /** Returns the lower-case name used in audit lines and error messages. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
