/**
 * Kapro's API: the {@code kapro.io/v1alpha2} custom resources ({@link io.kapro.api.v1alpha2}),
 * their label/annotation/condition constants ({@link io.kapro.api.Kapro}), spec validation ({@link
 * io.kapro.api.validation.SpecValidator}) and small pure helpers (durations, conditions, names).
 * The CRD YAML is generated from these classes by the build.
 */
package io.kapro.api;
