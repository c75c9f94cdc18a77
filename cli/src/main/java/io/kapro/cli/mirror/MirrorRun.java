package io.kapro.cli.mirror;

import io.kapro.cli.CliException;
import io.kapro.cli.ExitCodes;
import io.kapro.cli.keys.KeyFiles;
import io.kapro.oci.mirror.Mirror;
import io.kapro.oci.mirror.MirrorReport;
import io.kapro.oci.mirror.Selection;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.BundleStores;
import io.kapro.oci.store.RegistryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/** Checks the flags, runs one mirror operation and prints its report. */
final class MirrorRun {
  private MirrorRun() {}

  static int run(CommandLine cmd, String operation, MirrorOptions o) {
    Selection selection = selection(o);
    Mirror mirror = mirror(o, selection);
    requireLayout("--from", o.from);
    checkRegistry("--from", o.from);
    checkRegistry("--to", o.to);
    o.registry.validate();
    RegistryConfig.Credentials credentials = o.registry.credentials();
    MirrorReport report;
    try (BundleStore from =
            BundleStores.open(o.from, o.registry.insecure, credentials, o.registry.caFile);
        BundleStore to =
            BundleStores.open(o.to, o.registry.insecure, credentials, o.registry.caFile)) {
      report =
          switch (operation) {
            case "pull" -> mirror.pull(from, to, selection);
            case "push" -> mirror.push(from, to, selection);
            default -> mirror.sync(from, to, selection);
          };
    }
    MirrorPrinter.print(cmd.getOut(), cmd.getErr(), o.format, report);
    return report.complete() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  static Selection selection(MirrorOptions o) {
    int forms = (o.clusters == null ? 0 : 1) + (o.namespaces == null ? 0 : 1) + (o.all ? 1 : 0);
    if (forms != 1) {
      throw CliException.usage(
          forms == 0 ? "nothing selected" : "--cluster, --namespace and --all exclude each other",
          "give --cluster NAMESPACE/NAME (repeatable), --namespace NAMESPACE or --all");
    }
    try {
      io.kapro.oci.bundle.BundleRepository.requireRepository(o.prefix);
    } catch (io.kapro.oci.OciException e) {
      throw CliException.usage(
          "--prefix '" + o.prefix + "': " + e.getMessage(),
          "give the fleet's spec.registry.repositoryPrefix, e.g. --prefix kapro");
    }
    Selection.Content content;
    try {
      content = Selection.Content.valueOf(o.content.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw CliException.usage(
          "--content '" + o.content + "' is not bundles, evidence or both",
          "e.g. --content evidence");
    }
    if (o.clusters != null) {
      for (String c : o.clusters) {
        if (!c.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?/[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
          throw CliException.usage(
              "--cluster '" + c + "' is not NAMESPACE/NAME", "e.g. --cluster team-a/edge-1");
        }
      }
      return Selection.clusters(o.prefix, o.clusters).with(content);
    }
    if (o.namespaces != null) {
      for (String ns : o.namespaces) {
        if (!ns.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
          throw CliException.usage(
              "--namespace '" + ns + "' is not a namespace name", "e.g. --namespace team-a");
        }
      }
      return Selection.namespaces(o.prefix, o.namespaces).with(content);
    }
    return Selection.all(o.prefix).with(content);
  }

  private static Mirror mirror(MirrorOptions o, Selection selection) {
    if (o.parallelism < 1 || o.parallelism > 64) {
      throw CliException.usage(
          "--parallelism " + o.parallelism + " is outside 1..64", "e.g. --parallelism 4");
    }
    Mirror.Builder b = Mirror.builder(keys("--key", o.keys)).parallelism(o.parallelism);
    if (o.evidenceCa != null) {
      b.evidenceAuthorities(EvidenceCa.read(o.evidenceCa));
    } else if (o.evidenceKeys != null) {
      b.evidenceKeys(keys("--evidence-key", o.evidenceKeys));
    } else if (selection.content() != Selection.Content.BUNDLES) {
      throw CliException.usage(
          "--content " + o.content + " carries evidence, which is verified against the hub CA",
          "give --evidence-ca hub-ca.pem (the CA certificate the agents trust for the hub)");
    }
    return b.build();
  }

  private static TrustedKeys keys(String flag, List<Path> files) {
    List<PublicKey> all = new ArrayList<>();
    for (Path p : files) {
      all.addAll(KeyFiles.publicKeys(KeyFiles.read(flag, p), p.toString()));
    }
    return TrustedKeys.of(all);
  }

  /** A layout source must exist: opening a missing directory would create an empty one. */
  private static void requireLayout(String flag, String location) {
    if (location != null && location.startsWith("oci:")) {
      Path p = Path.of(location.substring("oci:".length()));
      if (!Files.exists(p)) {
        throw CliException.notFound(
            flag + " " + location + ": no such OCI layout directory or tar",
            "check the path (mirror pull writes it: --to oci:<dir> or oci:<file>.tar)");
      }
    }
  }

  /** A registry location is {@code [http[s]://]host[:port]}; anything else is a typo. */
  private static void checkRegistry(String flag, String location) {
    if (location.startsWith("oci:")) {
      return;
    }
    if (!location.matches("(https?://)?[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:\\d{1,5})?/?")
        && !location.matches("(https?://)?\\[[0-9A-Fa-f:]+\\](:\\d{1,5})?/?")) {
      throw CliException.usage(
          flag + " '" + location + "' is neither a registry nor an OCI layout",
          "give host:port, https://host[:port], or oci:<dir> / oci:<file>.tar");
    }
  }
}
