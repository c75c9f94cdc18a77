/** Fleet status: readiness (spec, signing key) and the number of Clusters each Fleet owns. */
package io.kapro.hub.fleet;
