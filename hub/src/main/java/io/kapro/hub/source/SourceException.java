package io.kapro.hub.source;

/** A Source spec the hub cannot act on; the message names the field and the fix. */
public final class SourceException extends RuntimeException {
  public SourceException(String message) {
    super(message);
  }
}
