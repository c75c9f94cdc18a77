package io.kapro.hub.engine;

/** A unit and the version a run promotes it to (or a rollback returns it to). */
public record UnitVersion(String name, String version) {}
