package io.kapro.oci.store;

import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.bundle.MediaTypes;
import io.kapro.oci.sign.SignedBundle;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The benchmark's baseline: the same bytes a {@link BundleStore#put} writes, pushed with nothing
 * but the JDK HttpClient and the OCI distribution API (POST+PUT monolithic blob uploads, PUT
 * manifests), anonymous plain HTTP, no existence checks and no read-backs.
 */
public final class BarePush {
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String base;

  public BarePush(String host) {
    this.base = "http://" + host;
  }

  public void put(String repo, SignedBundle b) throws IOException, InterruptedException {
    blob(repo, MediaTypes.EMPTY_CONFIG);
    blob(repo, b.bundle().layer());
    manifest(repo, b.digest(), b.bundle().manifest());
    blob(repo, b.signature().config());
    blob(repo, b.signature().payload());
    manifest(repo, BundleRepository.signatureTag(b.digest()), b.signature().manifest());
    manifest(repo, b.bundle().sequenceTag(), b.bundle().manifest());
    manifest(repo, BundleRepository.DESIRED_TAG, b.bundle().manifest());
  }

  private void blob(String repo, byte[] content) throws IOException, InterruptedException {
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
            HttpRequest.newBuilder(URI.create(upload + sep + "digest=" + Digests.sha256(content)))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    expect(done, 201);
  }

  private void manifest(String repo, String ref, byte[] manifest)
      throws IOException, InterruptedException {
    HttpResponse<Void> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/manifests/" + ref))
                .header("Content-Type", MediaTypes.OCI_MANIFEST)
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
}
