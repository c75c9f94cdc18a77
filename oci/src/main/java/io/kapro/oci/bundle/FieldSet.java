package io.kapro.oci.bundle;

import java.util.Objects;

/**
 * One field a bundle sets on a local object.
 *
 * <p>The path is dotted from the object root, with two kinds of list step: {@code [2]} selects by
 * index and {@code [name=podinfo]} selects the element whose {@code name} equals {@code podinfo}.
 * Examples: {@code spec.chart.spec.version}, {@code spec.ref.tag}, {@code
 * spec.sources[1].targetRevision}, {@code spec.images[name=ghcr.io/acme/app].newTag}, {@code
 * spec.postBuild.substitute.APP_VERSION}. The agent applies only paths its allow-list permits.
 *
 * @param path where the value goes
 * @param value the string value to set there
 */
public record FieldSet(String path, String value) {
  public FieldSet {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(value, "value");
  }
}
