package io.kapro.api.v1alpha2;

/** Regular expressions used both in the CRD schema and by {@code SpecValidator}. */
public final class Patterns {
  /** RFC 1123 DNS label (length is checked separately). */
  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  /** A Go duration such as {@code 90s}, {@code 5m}, {@code 1h30m}. */
  public static final String DURATION = "^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$";

  /** A wave: a cluster count ({@code 3}) or a percentage ({@code 10%}). */
  public static final String WAVE = "^([1-9][0-9]*|([1-9][0-9]?|100)%)$";

  /** 24-hour clock time {@code HH:MM}. */
  public static final String CLOCK_TIME = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

  /** A SPIFFE ID. */
  public static final String SPIFFE_ID = "^spiffe://[^/]+(/.+)?$";

  /** An OCI digest. */
  public static final String DIGEST = "^sha256:[a-f0-9]{64}$";

  /** A CamelCase condition reason. */
  public static final String REASON = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$";

  /** Repository path components: lower-case, digits, separators. */
  public static final String REPOSITORY_PREFIX =
      "^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$";

  /** An absolute file-system path. */
  public static final String ABSOLUTE_PATH = "^/.*$";

  /** An http or https URL. */
  public static final String HTTP_URL = "^https?://[^\\s]+$";

  private Patterns() {}
}
