package io.kapro.cli.keys;

import io.fabric8.kubernetes.api.model.Secret;
import io.kapro.cli.CliException;
import io.kapro.cli.Flags;
import io.kapro.cli.Output;
import io.kapro.cli.kube.KubeOptions;
import io.kapro.cli.kube.KubeSession;
import io.kapro.oci.sign.Pem;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kapro keys show --file F | --secret NAME}: key id and public PEM. */
@Command(
    name = "show",
    description = "Print the key id and public PEM of a key file (private or public) or Secret.")
public final class ShowKeyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Where where;

  @Option(
      names = "--key",
      paramLabel = "KEY",
      defaultValue = "cosign.key",
      description = "Data key in the Secret (default ${DEFAULT-VALUE}; cosign.pub works too).")
  String dataKey;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "json or yaml.")
  Output.Format format;

  static final class Where {
    @Option(names = "--file", paramLabel = "FILE", description = "A PEM file.")
    Path file;

    @Option(names = "--secret", paramLabel = "NAME", description = "A Secret.")
    String secret;
  }

  @Override
  public Integer call() {
    String pem;
    String source;
    if (where.file != null) {
      source = where.file.toString();
      pem = KeyFiles.read("--file", where.file);
    } else {
      Flags.name("--secret", where.secret);
      try (KubeSession session = kube.open()) {
        Secret s = session.find(Secret.class, where.secret);
        if (s == null) {
          throw CliException.notFound(
              "Secret '" + where.secret + "' not found in namespace " + session.namespace(),
              "create one with: kapro keys generate --secret " + where.secret);
        }
        String data = s.getData() == null ? null : s.getData().get(dataKey);
        if (data == null) {
          throw CliException.notFound(
              "Secret " + where.secret + " has no key '" + dataKey + "'",
              "its keys are "
                  + (s.getData() == null ? "[]" : s.getData().keySet())
                  + "; pick one with --key");
        }
        source = "secret/" + where.secret + "[" + dataKey + "]";
        try {
          pem = new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw CliException.usage(source + " is not base64", "recreate the Secret");
        }
      }
    }
    List<PublicKey> keys = KeyFiles.publicKeys(pem, source);
    PrintWriter out = spec.commandLine().getOut();
    List<Map<String, String>> shown = new ArrayList<>();
    for (PublicKey k : keys) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("keyId", Pem.keyId(k));
      m.put("source", source);
      m.put("publicKeyPem", Pem.publicKeyPem(k));
      shown.add(m);
    }
    if (format == Output.Format.json || format == Output.Format.yaml) {
      Output.structured(out, format, shown.size() == 1 ? shown.get(0) : shown);
    } else {
      for (Map<String, String> m : shown) {
        out.println("key id: " + m.get("keyId"));
        out.print(m.get("publicKeyPem"));
      }
      out.flush();
    }
    return 0;
  }
}
