package io.kapro.cli.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kapro.cli.CliException;
import io.kapro.cli.ExitCodes;
import io.kapro.cli.Output;
import io.kapro.cli.RegistryOptions;
import io.kapro.cli.keys.KeyFiles;
import io.kapro.oci.OciException;
import io.kapro.oci.bundle.BundleAnnotations;
import io.kapro.oci.bundle.OciManifest;
import io.kapro.oci.sign.TrustedKeys;
import io.kapro.oci.store.BundleStore;
import io.kapro.oci.store.BundleStores;
import io.kapro.oci.verify.BundleVerifier;
import io.kapro.oci.verify.ClusterIdentity;
import io.kapro.oci.verify.FieldGuard;
import io.kapro.oci.verify.PatchPolicy;
import io.kapro.oci.verify.VerifiedBundle;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kapro verify <bundle-ref> --key pub.pem}: runs the agent's checks offline on a bundle in a
 * registry or an OCI layout, prints the payload and the verdict with its reason. Exit 0 when the
 * bundle would be applied, 1 when it would be rejected.
 */
@Command(
    name = "verify",
    description = {
      "Verify a bundle offline, exactly as an agent would.",
      "Checks signature, digests, cluster, sequence, expiry, size, schema and the patch",
      "allow-list; prints the payload and the verdict with its reason.",
      "BUNDLE: host:port/repository[:tag|@sha256:...] or oci:<root>//<repository>[:tag]."
    })
public final class VerifyCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_SHOWN_PAYLOAD = BundleVerifier.DEFAULT_MAX_PAYLOAD;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BUNDLE", description = "The bundle reference.")
  String ref;

  @Option(
      names = {"-k", "--key"},
      required = true,
      paramLabel = "FILE",
      description = "Trusted public key PEM (cosign.pub), repeatable for rotation.")
  List<Path> keys;

  @Option(
      names = "--cluster",
      paramLabel = "NAMESPACE/NAME",
      description = "The cluster the bundle must be for (default: the one it names, unchecked).")
  String cluster;

  @Option(
      names = "--min-sequence",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Last applied sequence: the bundle's must be higher (default ${DEFAULT-VALUE}).")
  long minSequence;

  @Option(
      names = "--at",
      paramLabel = "TIME",
      description = "Judge expiry at this RFC 3339 time instead of now.")
  String at;

  @Option(
      names = "--allow-field",
      paramLabel = "PREFIX",
      description =
          "Field path prefixes a bundle may set (repeatable; default: the agent's default"
              + " allow-list, FieldGuard.DEFAULT_FIELDS). The built-in deny-list applies either"
              + " way.")
  List<String> allowFields;

  @Option(names = "--allow-any-field", description = "Do not check the fields a bundle sets.")
  boolean allowAnyField;

  @Mixin RegistryOptions registry;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "text (default), json or yaml.")
  Output.Format format;

  @Override
  public Integer call() {
    BundleRef bundle = BundleRef.parse(ref);
    TrustedKeys trusted = trustedKeys();
    Clock clock = clock();
    if (minSequence < 0) {
      throw CliException.usage(
          "--min-sequence must not be negative", "give 0 or the last applied sequence");
    }
    registry.validate();
    if (bundle.location().startsWith("oci:")
        && !java.nio.file.Files.exists(Path.of(bundle.location().substring(4)))) {
      throw CliException.notFound(
          "OCI layout " + bundle.location().substring(4) + " does not exist", "check the path");
    }
    try (BundleStore store =
        BundleStores.open(
            bundle.location(), registry.insecure, registry.credentials(), registry.caFile)) {
      ClusterIdentity identity = identity(store, bundle);
      BundleVerifier verifier =
          BundleVerifier.builder(trusted, identity).clock(clock).patchPolicy(policy()).build();
      Verdict verdict;
      try {
        VerifiedBundle v =
            verifier.verify(store, bundle.repository(), bundle.reference(), minSequence);
        verdict =
            new Verdict(
                store.location(),
                bundle.repository(),
                bundle.reference(),
                v.digest(),
                "ACCEPTED",
                null,
                "signed by trusted key "
                    + v.keyId()
                    + ", sequence "
                    + v.payload().sequence()
                    + " for cluster "
                    + identity
                    + (cluster == null ? " (taken from the bundle)" : "")
                    + ", expires "
                    + v.payload().expiresAt(),
                v.keyId(),
                tree(v.layer()));
      } catch (OciException e) {
        if (!e.isRejection()) {
          throw e;
        }
        verdict =
            new Verdict(
                store.location(),
                bundle.repository(),
                bundle.reference(),
                digest(store, bundle),
                "REJECTED",
                e.reason().name(),
                e.getMessage(),
                null,
                unverifiedPayload(store, bundle));
      }
      print(verdict);
      return verdict.reason() == null ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }

  private void print(Verdict v) {
    PrintWriter out = spec.commandLine().getOut();
    if (format == Output.Format.json || format == Output.Format.yaml) {
      Output.structured(out, format, v);
      return;
    }
    out.println(
        "bundle:  "
            + v.location()
            + " "
            + v.repository()
            + ":"
            + v.reference()
            + (v.digest() == null ? "" : " (" + v.digest() + ")"));
    if (v.payload() != null) {
      out.println("payload" + (v.reason() == null ? ":" : " (UNVERIFIED, as found):"));
      out.println(Output.json(v.payload()));
    }
    out.println("verdict: " + v.verdict() + (v.reason() == null ? "" : " (" + v.reason() + ")"));
    out.println("reason:  " + v.message());
    out.flush();
  }

  private TrustedKeys trustedKeys() {
    List<PublicKey> all = new ArrayList<>();
    for (Path p : keys) {
      all.addAll(KeyFiles.publicKeys(KeyFiles.read("--key", p), p.toString()));
    }
    return TrustedKeys.of(all);
  }

  private Clock clock() {
    if (at == null) {
      return Clock.systemUTC();
    }
    try {
      return Clock.fixed(Instant.parse(at), ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw CliException.usage(
          "--at '" + at + "' is not an RFC 3339 time", "e.g. --at 2026-06-01T12:00:00Z");
    }
  }

  private PatchPolicy policy() {
    if (allowAnyField) {
      return PatchPolicy.allowAll();
    }
    if (allowFields == null || allowFields.isEmpty()) {
      return FieldGuard.defaultPolicy(); // the agent's default and its deny-list
    }
    List<String> allowed = allowFields;
    return (unit, field) -> {
      Optional<String> privileged = FieldGuard.deny(field.path());
      if (privileged.isPresent()) {
        return privileged;
      }
      return allowed.stream().anyMatch(field.path()::startsWith)
          ? Optional.empty()
          : Optional.of("field path is not under " + allowed + " (--allow-field)");
    };
  }

  private ClusterIdentity identity(BundleStore store, BundleRef bundle) {
    if (cluster != null) {
      String[] parts = cluster.split("/", -1);
      String label = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
      if (parts.length != 2
          || !parts[0].matches(label)
          || !parts[1].matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
        throw CliException.usage(
            "--cluster '" + cluster + "' is not NAMESPACE/NAME", "e.g. --cluster team-a/edge-1");
      }
      return new ClusterIdentity(parts[0], parts[1]);
    }
    Map<String, String> ann = annotations(store, bundle);
    String ns = ann.get(BundleAnnotations.NAMESPACE);
    String name = ann.get(BundleAnnotations.CLUSTER);
    if (ns == null || name == null) {
      throw CliException.usage(
          "the bundle names no cluster in its manifest annotations",
          "give the cluster to check against with --cluster NAMESPACE/NAME");
    }
    return new ClusterIdentity(ns, name);
  }

  private static Map<String, String> annotations(BundleStore store, BundleRef bundle) {
    try {
      byte[] m =
          store.fetchManifest(
              bundle.repository(), bundle.reference(), BundleVerifier.DEFAULT_MAX_MANIFEST);
      return OciManifest.parse(m).annotations();
    } catch (OciException e) {
      if (e.isRejection()) {
        return Map
            .of(); // the verifier will reject it with its reason; we need --cluster only to get
        // there
      }
      throw e;
    }
  }

  private static String digest(BundleStore store, BundleRef bundle) {
    if (bundle.reference().startsWith("sha256:")) {
      return bundle.reference();
    }
    try {
      return store
          .resolve(bundle.repository(), bundle.reference())
          .map(d -> d.digest())
          .orElse(null);
    } catch (OciException e) {
      return null;
    }
  }

  /** Best effort, bounded: the payload as stored, for a person to look at. */
  private static JsonNode unverifiedPayload(BundleStore store, BundleRef bundle) {
    try {
      byte[] m =
          store.fetchManifest(
              bundle.repository(), bundle.reference(), BundleVerifier.DEFAULT_MAX_MANIFEST);
      OciManifest manifest = OciManifest.parse(m);
      if (manifest.layers().size() != 1 || manifest.layers().get(0).size() > MAX_SHOWN_PAYLOAD) {
        return null;
      }
      return tree(
          store.fetchBlob(
              bundle.repository(), manifest.layers().get(0).digest(), MAX_SHOWN_PAYLOAD));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static JsonNode tree(byte[] json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
