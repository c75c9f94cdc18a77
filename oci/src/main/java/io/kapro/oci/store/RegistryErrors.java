package io.kapro.oci.store;

import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import land.oras.exception.OrasException;

/** Turns registry client failures into messages a person can act on. */
final class RegistryErrors {
  private RegistryErrors() {}

  /**
   * @param config the registry
   * @param what the operation, e.g. "push blob sha256:… to kapro/ns/c1"
   */
  static OciException translate(RegistryConfig config, String what, RuntimeException e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof OciException oe) {
        return oe; // raised by our own code inside the library (auth, checks): already precise
      }
    }
    String where = "registry " + config.baseUrl() + ": " + what + " failed: ";
    Integer status = e instanceof OrasException oe ? oe.getStatusCode() : null;
    if (status != null && status > 0) {
      return forStatus(config, where, status, e);
    }
    if (e.getMessage() != null && e.getMessage().contains("WWW-Authenticate")) {
      return new OciException(
          Reason.AUTH_FAILED,
          where
              + "authentication failed ("
              + e.getMessage()
              + ", sent "
              + config.credentials()
              + "); check the credentials or token (Fleet registry.credentialsSecretRef)",
          e);
    }
    Throwable tls = find(e, SSLException.class, CertificateException.class);
    if (tls != null) {
      String hint =
          config.caFile() == null
              ? "the server's certificate is not trusted by this JVM; give the registry CA (Fleet"
                  + " registry.caSecretRef / --ca-file), check the host name is in the certificate,"
                  + " or, if the registry speaks plain HTTP, set registry.insecure=true"
              : "the server's certificate does not chain to the CA in "
                  + config.caFile()
                  + " or does not name host "
                  + config.host()
                  + "; check the CA file and the certificate's subject alternative names";
      return new OciException(
          Reason.TLS_FAILED, where + "TLS handshake failed (" + tls.getMessage() + "): " + hint, e);
    }
    Throwable net =
        find(
            e,
            ConnectException.class,
            UnknownHostException.class,
            HttpConnectTimeoutException.class,
            HttpTimeoutException.class,
            ClosedChannelException.class);
    if (net != null) {
      return new OciException(
          Reason.UNREACHABLE,
          where
              + "cannot connect ("
              + net.getClass().getSimpleName()
              + (net.getMessage() == null ? "" : ": " + net.getMessage())
              + "); check the host and port, that the registry is running and that the network"
              + " path (proxy, firewall) allows it"
              + (net instanceof ClosedChannelException && !config.plainHttp()
                  ? tlsSetupHint(config)
                  : ""),
          e);
    }
    if (find(e, IOException.class) != null) {
      return new OciException(
          Reason.UNREACHABLE,
          where
              + "I/O error talking to the registry ("
              + rootMessage(e)
              + "); it may be restarting or a proxy cut the connection",
          e);
    }
    return new OciException(
        Reason.PROTOCOL_ERROR,
        where + rootMessage(e) + "; check that this is an OCI distribution registry",
        e);
  }

  /**
   * The JDK's HTTP client sometimes reports a TLS handshake this side aborted (an untrusted
   * certificate) as a closed channel, without the handshake's exception: say that it may be TLS.
   */
  private static String tlsSetupHint(RegistryConfig config) {
    return config.caFile() == null
        ? "; a connection closed while it was being set up can also be a TLS handshake that"
            + " failed: if the registry's certificate comes from a private CA, give that CA"
            + " (Fleet registry.caSecretRef / --ca-file)"
        : "; a connection closed while it was being set up can also be a TLS handshake that"
            + " failed: check that the registry's certificate chains to the CA in "
            + config.caFile();
  }

  static OciException forStatus(RegistryConfig config, String where, int status, Throwable cause) {
    String detail = cause == null ? "" : " (" + firstLine(cause.getMessage()) + ")";
    return switch (status) {
      case 401 ->
          new OciException(
              Reason.AUTH_FAILED,
              where
                  + "the registry rejected the credentials (HTTP 401"
                  + (config.credentials() instanceof RegistryConfig.Credentials.None
                      ? ", none were given"
                      : ", sent " + config.credentials())
                  + "); check the username and password or token (Fleet"
                  + " registry.credentialsSecretRef / --username)",
              cause);
      case 403 ->
          new OciException(
              Reason.FORBIDDEN,
              where
                  + "the registry refused access (HTTP 403); the credentials are valid but lack"
                  + " permission for this repository",
              cause);
      case 404 ->
          new OciException(Reason.NOT_FOUND, where + "not found (HTTP 404)" + detail, cause);
      case 429 ->
          new OciException(
              Reason.RATE_LIMITED,
              where + "rate limited (HTTP 429); retry later or lower the parallelism",
              cause);
      default ->
          status >= 500
              ? new OciException(
                  Reason.REGISTRY_ERROR,
                  where + "registry error (HTTP " + status + ")" + detail,
                  cause)
              : new OciException(
                  Reason.PROTOCOL_ERROR,
                  where + "the registry refused the request (HTTP " + status + ")" + detail,
                  cause);
    };
  }

  @SafeVarargs
  private static Throwable find(Throwable e, Class<? extends Throwable>... types) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      for (Class<? extends Throwable> type : types) {
        if (type.isInstance(t)) {
          return t;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName()
        + (t.getMessage() == null ? "" : ": " + firstLine(t.getMessage()));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }
}
