package io.kapro.agent.tls;

import io.kapro.oci.sign.Pem;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * Credentials in the state directory: {@code tls/credentials.pem} (private key then chain, mode
 * 0600) and {@code tls/trust.pem} (trust anchors). Each file is replaced atomically and fsync'd.
 */
public final class FileCredentialStore implements CredentialStore {
  private final Path dir;

  public FileCredentialStore(Path stateDirectory) {
    this.dir = stateDirectory.resolve("tls");
  }

  @Override
  public Optional<AgentCredentials> load() {
    Path creds = dir.resolve("credentials.pem");
    Path trust = dir.resolve("trust.pem");
    if (!Files.exists(creds)) {
      return Optional.empty();
    }
    try {
      Pem.TlsMaterial c = AgentCredentials.readPem(Files.readString(creds), creds.toString());
      Pem.TlsMaterial t = AgentCredentials.readPem(Files.readString(trust), trust.toString());
      if (c.key() == null || c.certificates().isEmpty() || t.certificates().isEmpty()) {
        throw new TlsException(
            TlsException.Reason.INVALID_CREDENTIALS,
            dir
                + " is incomplete (needs a key, a certificate and trust.pem); delete it and enroll"
                + " again with a bootstrap token");
      }
      return Optional.of(new AgentCredentials(c.key(), c.certificates(), t.certificates()));
    } catch (IOException e) {
      throw new TlsException(
          TlsException.Reason.STORE_FAILED, "cannot read credentials in " + dir + ": " + e, e);
    }
  }

  @Override
  public void save(AgentCredentials credentials) {
    try {
      Files.createDirectories(dir);
      write(dir.resolve("trust.pem"), Pem.certificates(credentials.trustAnchors()));
      write(
          dir.resolve("credentials.pem"),
          Pem.keyAndCertificates(credentials.key(), credentials.chain()));
    } catch (IOException e) {
      throw new TlsException(
          TlsException.Reason.STORE_FAILED, "cannot write credentials to " + dir + ": " + e, e);
    }
  }

  @Override
  public String describe() {
    return dir.toString();
  }

  private static void write(Path target, String content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    try (FileChannel ch =
        FileChannel.open(
            tmp, List.of(StandardOpenOption.WRITE).toArray(StandardOpenOption[]::new))) {
      ch.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
