package io.kapro.hub.engine;

/** A unit and the version a run promotes it to (or a rollback returns it to). */
public record DesiredVersion(String name, String version) {}
