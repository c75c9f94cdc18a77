/**
 * Small helpers the reconcilers share: RFC 3339 times, run names and hashes, and the one
 * conflict-safe status write ({@link io.kapro.hub.kube.StatusUpdate}).
 */
package io.kapro.hub.kube;
