package io.kapro.oci.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The publish benchmarks' baseline: blobs and manifests pushed with nothing but the JDK HttpClient
 * and the OCI distribution API (POST+PUT monolithic blob uploads, PUT image manifests), anonymous
 * plain HTTP, no existence checks and no read-backs. The benchmark pushes the same bytes its {@code
 * BundleStore.put} writes, in the same order.
 */
public final class BarePush {
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String base;

  public BarePush(String host) {
    this.base = "http://" + host;
  }

  /** Uploads one blob (monolithic POST+PUT). */
  public void blob(String repo, byte[] content) throws IOException, InterruptedException {
    HttpResponse<Void> start =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    expect(start, 202);
    String location = start.headers().firstValue("Location").orElseThrow();
    URI upload = URI.create(base).resolve(location);
    String sep = upload.getQuery() == null ? "?" : "&";
    HttpResponse<Void> done =
        http.send(
            HttpRequest.newBuilder(URI.create(upload + sep + "digest=" + sha256(content)))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    expect(done, 201);
  }

  /** Puts an OCI image manifest under {@code ref} (a tag or digest). */
  public void manifest(String repo, String ref, byte[] manifest)
      throws IOException, InterruptedException {
    HttpResponse<Void> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/manifests/" + ref))
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    expect(r, 201);
  }

  private static void expect(HttpResponse<?> r, int status) throws IOException {
    if (r.statusCode() != status) {
      throw new IOException(
          r.request().method() + " " + r.request().uri() + " answered " + r.statusCode());
    }
  }

  private static String sha256(byte[] content) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
