/**
 * Small helpers the reconcilers share: RFC 3339 times, run names and hashes, and the one
 * conflict-safe status write ({@link io.kapro.hub.kube.StatusUpdate}) and spec edit ({@link
 * io.kapro.hub.kube.SpecEdit}).
 */
package io.kapro.hub.kube;
