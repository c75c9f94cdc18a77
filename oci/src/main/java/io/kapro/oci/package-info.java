/** Kapro module oci. */
package io.kapro.oci;
