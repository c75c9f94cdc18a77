package io.kapro.hub.gateway;

import io.kapro.hub.ca.ClusterId;
import java.security.cert.X509Certificate;

/** The caller of a Connect or Renew call, as proven by its client certificate. */
public record AuthenticatedAgent(ClusterId cluster, X509Certificate certificate) {}
