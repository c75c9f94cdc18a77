/** Kapro module cli. */
package io.kapro.cli;
