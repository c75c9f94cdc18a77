/** Kapro module e2e. */
package io.kapro.e2e;
