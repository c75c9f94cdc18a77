/**
 * Checks of Kapro specs beyond the CRD schema; see {@link io.kapro.api.validation.SpecValidator}.
 */
package io.kapro.api.validation;
