package io.kapro.agent.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kapro.agent.apply.AppliedObject;
import io.kapro.agent.config.ManagedKind;
import io.kapro.oci.bundle.BundleUnit;
import io.kapro.oci.bundle.ObjectReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The applied bundle in the state directory ({@code applied-bundle.json}), so that after a restart
 * the agent judges and reports the bundle it applied without asking the registry. Written only
 * after the bundle verified and applied; replaced atomically and fsync'd.
 */
public final class AppliedBundleFile {
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final long MAX_BYTES = 4 * 1024 * 1024;

  private final Path file;

  public AppliedBundleFile(Path stateDir) {
    this.file = stateDir.resolve("applied-bundle.json");
  }

  record SavedObject(
      ObjectReference ref,
      String kind,
      List<String> units,
      String requestedAt,
      long generation,
      String appliedAt,
      boolean syncStarted) {}

  record Saved(
      long sequence,
      String digest,
      List<BundleUnit> units,
      List<SavedObject> objects,
      String expiresAt,
      String drift) {}

  /** Stores {@code bundle}. */
  public void save(AppliedBundle bundle) {
    List<SavedObject> objects =
        bundle.objects().stream()
            .map(
                o ->
                    new SavedObject(
                        o.ref(),
                        o.kind().name(),
                        o.units().stream().map(BundleUnit::name).toList(),
                        o.requestedAt(),
                        o.generation(),
                        o.appliedAt().toString(),
                        o.syncStarted()))
            .toList();
    try {
      StateFiles.writeAtomically(
          file,
          JSON.writeValueAsBytes(
              new Saved(
                  bundle.sequence(),
                  bundle.digest(),
                  bundle.units(),
                  objects,
                  bundle.expiresAt() == null ? null : bundle.expiresAt().toString(),
                  bundle.drift())));
    } catch (IOException e) {
      throw new BundleStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The stored bundle, empty when there is none or it cannot be read (then logged by caller). */
  public Optional<AppliedBundle> load() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new BundleStateException(file + " is larger than 4 MiB; delete it");
      }
      Saved s = JSON.readValue(file.toFile(), Saved.class);
      List<AppliedObject> objects =
          s.objects().stream()
              .map(
                  o ->
                      new AppliedObject(
                          o.ref(),
                          ManagedKind.valueOf(o.kind()),
                          s.units().stream().filter(u -> o.units().contains(u.name())).toList(),
                          o.requestedAt(),
                          o.generation(),
                          Instant.parse(o.appliedAt()),
                          o.syncStarted()))
              .toList();
      return Optional.of(
          new AppliedBundle(
              s.sequence(),
              s.digest(),
              s.units(),
              objects,
              s.expiresAt() == null ? null : Instant.parse(s.expiresAt()),
              s.drift()));
    } catch (JsonProcessingException | RuntimeException e) {
      if (e instanceof BundleStateException b) {
        throw b;
      }
      throw new BundleStateException(
          file + " is not a valid applied-bundle record (" + e.getMessage() + "); delete it", e);
    } catch (IOException e) {
      throw new BundleStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
