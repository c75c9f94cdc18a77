package io.kapro.cli.keys;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kapro.cli.CliException;
import io.kapro.cli.Flags;
import io.kapro.cli.Output;
import io.kapro.cli.kube.KubeOptions;
import io.kapro.cli.kube.KubeSession;
import io.kapro.oci.sign.SigningKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kapro keys generate --out-dir D | --secret NAME}. */
@Command(
    name = "generate",
    description = {
      "Generate a signing key; prints its key id.",
      "Writes cosign.key (PKCS#8, mode 600) and cosign.pub in --out-dir,",
      "or a Secret with both (the Fleet's spec.signing.keySecretRef)."
    })
public final class GenerateKeyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Where where;

  @Option(names = "--force", description = "Overwrite existing files.")
  boolean force;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "Print the key id and public key as json or yaml.")
  Output.Format format;

  static final class Where {
    @Option(names = "--out-dir", paramLabel = "DIR", description = "Write PEM files here.")
    Path outDir;

    @Option(names = "--secret", paramLabel = "NAME", description = "Create this Secret.")
    String secret;
  }

  @Override
  public Integer call() throws IOException {
    SigningKey key = SigningKey.generate();
    PrintWriter out = spec.commandLine().getOut();
    String location;
    if (where.outDir != null) {
      location = write(where.outDir, key);
    } else {
      Flags.name("--secret", where.secret);
      try (KubeSession session = kube.open()) {
        Secret s =
            new SecretBuilder()
                .withNewMetadata()
                .withName(where.secret)
                .withNamespace(session.namespace())
                .addToLabels("app.kubernetes.io/part-of", "kapro")
                .addToAnnotations("kapro.io/key-id", key.keyId())
                .endMetadata()
                .withType("Opaque")
                .addToData("cosign.key", b64(key.privateKeyPem()))
                .addToData("cosign.pub", b64(key.publicKeyPem()))
                .build();
        session.client().secrets().inNamespace(session.namespace()).resource(s).create();
        location = "secret/" + where.secret + " (namespace " + session.namespace() + ")";
      }
    }
    if (format == Output.Format.json || format == Output.Format.yaml) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("keyId", key.keyId());
      m.put("location", location);
      m.put("publicKeyPem", key.publicKeyPem());
      Output.structured(out, format, m);
    } else {
      out.println("key id: " + key.keyId());
      out.println("written: " + location);
      out.flush();
    }
    return 0;
  }

  private String write(Path dir, SigningKey key) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw CliException.usage("--out-dir " + dir + " is a file", "give a directory");
    }
    Files.createDirectories(dir);
    Path priv = dir.resolve("cosign.key");
    Path pub = dir.resolve("cosign.pub");
    if (!force && (Files.exists(priv) || Files.exists(pub))) {
      throw CliException.usage(
          dir + " already holds cosign.key or cosign.pub; nothing was written",
          "choose another --out-dir, or --force to replace the key");
    }
    Files.deleteIfExists(priv);
    try {
      Files.createFile(
          priv, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(priv);
    } catch (FileAlreadyExistsException e) {
      throw CliException.usage(priv + " appeared while writing", "try again");
    }
    Files.writeString(
        priv, key.privateKeyPem(), StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    Files.writeString(pub, key.publicKeyPem(), StandardCharsets.US_ASCII);
    return priv + ", " + pub;
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }
}
