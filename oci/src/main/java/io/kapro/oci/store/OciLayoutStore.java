package io.kapro.oci.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kapro.oci.OciException;
import io.kapro.oci.OciException.Reason;
import io.kapro.oci.bundle.BundleAnnotations;
import io.kapro.oci.bundle.BundleRepository;
import io.kapro.oci.bundle.CanonicalJson;
import io.kapro.oci.bundle.Descriptor;
import io.kapro.oci.bundle.Digests;
import io.kapro.oci.bundle.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A {@link BundleStore} on OCI image layouts, for air gaps. Each repository is a standard OCI image
 * layout directory under the root ({@code <root>/<repository>/oci-layout}, {@code index.json},
 * {@code blobs/sha256/<hex>}), tags are {@code org.opencontainers.image.ref.name} annotations in
 * index.json, so tools such as oras and skopeo read {@code oci:<root>/<repository>:desired}. Every
 * file is written to a temporary name and moved into place atomically.
 *
 * <p>{@link #tar(Path)} opens a tar of such a root: it is unpacked into a private directory and, if
 * anything was written, packed back atomically on {@link #close()}.
 */
public final class OciLayoutStore implements BundleStore {
  /** Bound for a repository's {@code index.json} (about 40,000 entries). */
  static final long MAX_INDEX_BYTES = 8L * 1024 * 1024;

  private static final byte[] OCI_LAYOUT =
      "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

  private final Path root;
  private final Path tar;
  private boolean dirty;

  private OciLayoutStore(Path root, Path tar) {
    this.root = root;
    this.tar = tar;
  }

  /** A store on a layout root directory (created when missing). */
  public static OciLayoutStore directory(Path root) {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw io("create layout directory " + root, e);
    }
    return new OciLayoutStore(root, null);
  }

  /**
   * A store on a tar file of a layout root: read from it if it exists, written back on close when
   * changed.
   */
  public static OciLayoutStore tar(Path tarFile) {
    try {
      Path work = Files.createTempDirectory("kapro-layout-");
      if (Files.exists(tarFile)) {
        LayoutTar.unpack(tarFile, work);
      }
      return new OciLayoutStore(work, tarFile);
    } catch (IOException e) {
      throw io("open layout tar " + tarFile, e);
    }
  }

  public Path root() {
    return root;
  }

  @Override
  public String location() {
    return tar != null ? "oci-layout-tar:" + tar : "oci-layout:" + root;
  }

  @Override
  public synchronized void putBlob(String repository, byte[] content) {
    Path file = blob(repository, Digests.sha256(content));
    if (Files.exists(file)) {
      return;
    }
    ensureLayout(repository);
    writeAtomically(file, content);
  }

  @Override
  public synchronized void putManifest(String repository, String reference, byte[] manifest) {
    String digest = Digests.sha256(manifest);
    boolean byDigest = reference.startsWith("sha256:");
    if (byDigest && !digest.equals(reference)) {
      throw new OciException(
          Reason.INVALID_INPUT, "manifest bytes do not hash to the reference " + reference);
    }
    if (!byDigest) {
      requireTag(reference);
    }
    putBlob(repository, manifest);
    List<ObjectNode> entries = readIndex(repository);
    if (!byDigest) {
      entries.removeIf(
          e ->
              reference.equals(
                  e.path("annotations").path(BundleAnnotations.OCI_REF_NAME).asText(null)));
    } else if (entries.stream().anyMatch(e -> digest.equals(e.path("digest").asText()))) {
      return;
    }
    ObjectNode e = CanonicalJson.object();
    e.put("mediaType", MediaTypes.OCI_MANIFEST);
    e.put("digest", digest);
    e.put("size", manifest.length);
    if (!byDigest) {
      e.putObject("annotations").put(BundleAnnotations.OCI_REF_NAME, reference);
    }
    entries.add(e);
    writeIndex(repository, entries);
  }

  @Override
  public synchronized Optional<Descriptor> resolve(String repository, String reference) {
    if (reference.startsWith("sha256:")) {
      Path file = blob(repository, reference);
      try {
        return Optional.of(new Descriptor(MediaTypes.OCI_MANIFEST, reference, Files.size(file)));
      } catch (NoSuchFileException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw io("stat " + file, e);
      }
    }
    requireTag(reference);
    for (ObjectNode e : readIndex(repository)) {
      if (reference.equals(
          e.path("annotations").path(BundleAnnotations.OCI_REF_NAME).asText(null))) {
        String digest = e.path("digest").asText();
        if (!Digests.isSha256(digest)) {
          throw new OciException(
              Reason.MALFORMED,
              location()
                  + ": index.json of "
                  + repository
                  + " has a bad digest for tag "
                  + reference);
        }
        return Optional.of(
            new Descriptor(
                e.path("mediaType").asText(MediaTypes.OCI_MANIFEST),
                digest,
                e.path("size").asLong(-1)));
      }
    }
    return Optional.empty();
  }

  @Override
  public byte[] fetchManifest(String repository, String reference, long maxBytes) {
    Descriptor d =
        resolve(repository, reference)
            .orElseThrow(
                () ->
                    new OciException(
                        Reason.NOT_FOUND,
                        location() + ": manifest " + repository + ":" + reference + " not found"));
    return fetchBlob(repository, d.digest(), maxBytes);
  }

  @Override
  public byte[] fetchBlob(String repository, String digest, long maxBytes) {
    Digests.requireSha256(digest, "blob digest");
    Path file = blob(repository, digest);
    String what = location() + ": blob " + digest + " in " + repository;
    try {
      if (Files.size(file) > maxBytes) {
        throw Bounded.tooLarge(what, maxBytes);
      }
      try (InputStream in = Files.newInputStream(file)) {
        return Bounded.read(in, maxBytes, what);
      }
    } catch (NoSuchFileException e) {
      throw new OciException(Reason.NOT_FOUND, what + " not found");
    } catch (IOException e) {
      throw io("read " + file, e);
    }
  }

  @Override
  public synchronized List<String> listTags(String repository) {
    LinkedHashSet<String> tags = new LinkedHashSet<>();
    for (ObjectNode e : readIndex(repository)) {
      String t = e.path("annotations").path(BundleAnnotations.OCI_REF_NAME).asText(null);
      if (t != null) {
        tags.add(t);
      }
    }
    return List.copyOf(tags);
  }

  @Override
  public boolean hasBlob(String repository, String digest) {
    return Files.isRegularFile(blob(repository, Digests.requireSha256(digest, "blob digest")));
  }

  /** The repositories in this layout root (directories holding an {@code oci-layout} file). */
  @Override
  public List<String> repositories() {
    try (var s = Files.walk(root, 16)) {
      return s.filter(p -> p.getFileName().toString().equals("oci-layout"))
          .map(p -> root.relativize(p.getParent()).toString().replace('\\', '/'))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw io("list " + root, e);
    }
  }

  /** Packs the layout into {@code tarFile} (atomically). */
  public synchronized void exportTar(Path tarFile) {
    try {
      LayoutTar.pack(root, tarFile);
    } catch (IOException e) {
      throw io("write layout tar " + tarFile, e);
    }
  }

  @Override
  public synchronized void close() {
    if (tar == null) {
      return;
    }
    try {
      if (dirty) {
        LayoutTar.pack(root, tar);
      }
    } catch (IOException e) {
      throw io("write layout tar " + tar, e);
    } finally {
      LayoutTar.deleteTree(root);
    }
  }

  private Path repoDir(String repository) {
    return root.resolve(BundleRepository.requireRepository(repository));
  }

  private Path blob(String repository, String digest) {
    return repoDir(repository).resolve("blobs").resolve("sha256").resolve(Digests.hex(digest));
  }

  private void ensureLayout(String repository) {
    Path dir = repoDir(repository);
    try {
      Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
    } catch (IOException e) {
      throw io("create " + dir, e);
    }
    if (!Files.exists(dir.resolve("oci-layout"))) {
      writeAtomically(dir.resolve("oci-layout"), OCI_LAYOUT);
    }
  }

  private List<ObjectNode> readIndex(String repository) {
    Path index = repoDir(repository).resolve("index.json");
    List<ObjectNode> out = new ArrayList<>();
    byte[] bytes;
    try (InputStream in = Files.newInputStream(index)) {
      bytes = Bounded.read(in, MAX_INDEX_BYTES, location() + ": " + index);
    } catch (NoSuchFileException e) {
      return out;
    } catch (IOException e) {
      throw io("read " + index, e);
    }
    try {
      JsonNode root = CanonicalJson.readStrict(bytes);
      JsonNode manifests = root.path("manifests");
      if (!manifests.isArray()) {
        throw new IOException("no manifests array");
      }
      for (JsonNode m : manifests) {
        if (!m.isObject()) {
          throw new IOException("manifests entry is not an object");
        }
        out.add((ObjectNode) m);
      }
      return out;
    } catch (IOException e) {
      throw new OciException(
          Reason.MALFORMED,
          location() + ": " + index + " is not a valid OCI index: " + e.getMessage());
    }
  }

  private void writeIndex(String repository, List<ObjectNode> entries) {
    ObjectNode root = CanonicalJson.object();
    root.put("schemaVersion", 2);
    root.put("mediaType", MediaTypes.OCI_INDEX);
    ArrayNode arr = root.putArray("manifests");
    entries.forEach(arr::add);
    writeAtomically(repoDir(repository).resolve("index.json"), CanonicalJson.write(root));
  }

  private void writeAtomically(Path file, byte[] content) {
    Path tmp = file.resolveSibling(".tmp-" + UUID.randomUUID());
    try {
      Files.write(tmp, content);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      dirty = true;
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort
      }
      throw io("write " + file, e);
    }
  }

  private static void requireTag(String tag) {
    if (!tag.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")) {
      throw new OciException(
          Reason.INVALID_INPUT, "'" + tag + "' is neither a sha256 digest nor a valid tag");
    }
  }

  private static OciException io(String what, IOException e) {
    return new OciException(Reason.IO_ERROR, "cannot " + what + ": " + e, e);
  }

  @Override
  public String toString() {
    return "OciLayoutStore[" + location() + "]";
  }
}
