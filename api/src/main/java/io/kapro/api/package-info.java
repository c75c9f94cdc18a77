/** Kapro module api. */
package io.kapro.api;
