package io.kapro.agent.bundle;

import io.kapro.oci.bundle.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The high-water mark in the state directory: file {@code high-water-mark}, one line {@code
 * <sequence> <digest>}, replaced atomically and fsync'd.
 */
public final class FileHighWaterMarkStore implements HighWaterMarkStore {
  private final Path file;

  public FileHighWaterMarkStore(Path stateDir) {
    this.file = stateDir.resolve("high-water-mark");
  }

  @Override
  public Optional<HighWaterMark> load() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String text;
    try {
      if (Files.size(file) > 1024) {
        throw bad("is larger than 1 KiB");
      }
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new BundleStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return Optional.of(parse(text));
  }

  private HighWaterMark parse(String text) {
    String[] parts = text.split(" ");
    if (parts.length != 2
        || !HighWaterMark.isStoredSequence(parts[0])
        || !Digests.isSha256(parts[1])) {
      throw bad("does not hold '<sequence> sha256:<hex>'");
    }
    return new HighWaterMark(Long.parseLong(parts[0]), parts[1]);
  }

  private BundleStateException bad(String why) {
    return new BundleStateException(
        file + " " + why + "; restore it from the Secret copy or delete it to trust the Secret");
  }

  @Override
  public void save(HighWaterMark mark) {
    try {
      StateFiles.writeAtomically(
          file, (mark.sequence() + " " + mark.digest() + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new BundleStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return file.toString();
  }
}
