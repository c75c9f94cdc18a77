/** Kapro module hub. */
package io.kapro.hub;
