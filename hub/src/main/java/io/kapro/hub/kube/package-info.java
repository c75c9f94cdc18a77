/** Small helpers the reconcilers share: RFC 3339 times, run names and hashes. */
package io.kapro.hub.kube;
