package io.kapro.cli.mirror;

import io.kapro.cli.Output;
import io.kapro.cli.RegistryOptions;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The flags every {@code kapro mirror} command shares. */
public final class MirrorOptions {
  @Option(
      names = "--from",
      required = true,
      paramLabel = "LOCATION",
      description = "Source: registry or oci:<dir>|oci:<file>.tar.")
  String from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "LOCATION",
      description = "Destination: registry or oci:<dir>|oci:<file>.tar.")
  String to;

  @Option(
      names = {"-k", "--key"},
      paramLabel = "FILE",
      required = true,
      description =
          "The fleet's public key PEM (kapro keys show --secret <fleet key>); repeatable,"
              + " or several PEM blocks in one file, during a rotation.")
  List<Path> keys;

  @Option(
      names = "--cluster",
      paramLabel = "NAMESPACE/NAME",
      description = "Carry this cluster (repeatable); needs no registry catalog.")
  List<String> clusters;

  @Option(
      names = "--namespace",
      paramLabel = "NAMESPACE",
      description = "Carry every cluster of this namespace (repeatable; lists the source).")
  List<String> namespaces;

  @Option(names = "--all", description = "Carry every cluster under --prefix (lists the source).")
  boolean all;

  @Option(
      names = "--prefix",
      paramLabel = "PREFIX",
      defaultValue = "kapro",
      description = "The fleet's repository prefix (default ${DEFAULT-VALUE}).")
  String prefix;

  @Option(
      names = "--content",
      paramLabel = "WHAT",
      defaultValue = "bundles",
      description = "bundles (default), evidence or both.")
  String content;

  @Option(
      names = "--evidence-ca",
      paramLabel = "FILE",
      description =
          "The hub CA certificate (PEM): evidence must be signed by a key it certified for the"
              + " cluster. Needed for --content evidence|both.")
  List<Path> evidenceCa;

  @Option(
      names = "--evidence-key",
      paramLabel = "FILE",
      description = "Instead of --evidence-ca: the clusters' public keys (PEM), repeatable.")
  List<Path> evidenceKeys;

  @Mixin RegistryOptions registry;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      defaultValue = "4",
      description = "Repositories carried at the same time (default ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "text (default), json or yaml.")
  Output.Format format;
}
