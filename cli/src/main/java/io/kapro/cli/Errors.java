package io.kapro.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kapro.oci.OciException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.file.NoSuchFileException;

/** Maps any failure to a {@link CliException} (message, hint, exit code) in one place. */
final class Errors {
  private Errors() {}

  static CliException map(Throwable t) {
    if (t instanceof CliException c) {
      return c;
    }
    if (t instanceof KubernetesClientException k) {
      return kube(k);
    }
    if (t instanceof OciException o) {
      return oci(o);
    }
    if (t instanceof UncheckedIOException u) {
      return io(u.getCause());
    }
    if (t instanceof IOException io) {
      return io(io);
    }
    return new CliException(
        CliException.Reason.FAILED,
        t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()),
        "run again with --debug for details",
        t);
  }

  private static CliException kube(KubernetesClientException e) {
    int code = e.getCode();
    String message =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : e.getMessage();
    return switch (code) {
      case 401 ->
          new CliException(
              CliException.Reason.FORBIDDEN,
              "the API server refused the credentials (401): " + message,
              "check the user of your kubeconfig context (kubectl config view --minify)",
              e);
      case 403 ->
          new CliException(
              CliException.Reason.FORBIDDEN,
              "the API server denied the request (403): " + message,
              "ask for RBAC permission on kapro.io resources in this namespace"
                  + " (kubectl auth can-i --list -n <namespace>)",
              e);
      case 404 ->
          new CliException(
              CliException.Reason.NOT_FOUND,
              "not found (404): " + message,
              "are the Kapro CRDs installed (kubectl get crd | grep kapro.io) and is -n right?",
              e);
      default -> {
        if (code <= 0 && (hasCause(e, ConnectException.class) || hasCause(e, IOException.class))) {
          yield new CliException(
              CliException.Reason.UNREACHABLE,
              "cannot reach the API server: " + rootMessage(e),
              "check --kubeconfig/--context and that the cluster is up (kubectl cluster-info)",
              e);
        }
        yield new CliException(
            CliException.Reason.FAILED,
            "the API server answered " + (code == 0 ? "with an error" : code) + ": " + message,
            "run again with --debug for details",
            e);
      }
    };
  }

  private static CliException oci(OciException e) {
    CliException.Reason r =
        switch (e.reason()) {
          case NOT_FOUND -> CliException.Reason.NOT_FOUND;
          case AUTH_FAILED, FORBIDDEN -> CliException.Reason.FORBIDDEN;
          case UNREACHABLE, TLS_FAILED -> CliException.Reason.UNREACHABLE;
          case INVALID_INPUT -> CliException.Reason.USAGE;
          default -> CliException.Reason.FAILED;
        };
    String hint =
        switch (e.reason()) {
          case NOT_FOUND -> "check the repository and tag (list tags with: oras repo tags <repo>)";
          case AUTH_FAILED, FORBIDDEN -> "check --username and KAPRO_REGISTRY_PASSWORD";
          case UNREACHABLE -> "check the registry address; plain HTTP registries need --insecure";
          case TLS_FAILED -> "give the registry's CA with --ca-file, or --insecure for plain HTTP";
          default -> null;
        };
    return new CliException(r, e.getMessage(), hint, e);
  }

  private static CliException io(IOException e) {
    if (e instanceof NoSuchFileException n) {
      return new CliException(
          CliException.Reason.USAGE, "no such file: " + n.getFile(), "check the path", e);
    }
    return new CliException(
        CliException.Reason.FAILED, "I/O error: " + e.getMessage(), "check the path", e);
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.toString() : c.getMessage();
  }
}
