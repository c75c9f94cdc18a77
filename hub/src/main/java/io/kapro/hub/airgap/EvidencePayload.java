package io.kapro.hub.airgap;

import io.kapro.agent.v1.AgentMessage;
import io.kapro.hub.link.LinkException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads an evidence artifact's payload — length-delimited {@code kapro.agent.v1.AgentMessage}s, the
 * items the agent would have streamed — from untrusted (if signed) bytes.
 */
final class EvidencePayload {
  /** More items than this in one artifact is not something an agent writes. */
  static final int MAX_ITEMS = 50_000;

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private EvidencePayload() {}

  /**
   * The items, each evidence or a rejection numbered 1..{@code sequence}, strictly increasing, the
   * last one numbered {@code sequence}.
   *
   * @throws LinkException INVALID_MESSAGE naming what is wrong
   */
  static List<AgentMessage> parse(byte[] payload, long sequence, String what) {
    List<AgentMessage> items = new ArrayList<>();
    ByteArrayInputStream in = new ByteArrayInputStream(payload);
    long last = 0;
    try {
      AgentMessage m;
      while ((m = AgentMessage.parseDelimitedFrom(in)) != null) {
        if (items.size() >= MAX_ITEMS) {
          throw invalid(what + " holds more than " + MAX_ITEMS + " items");
        }
        long n = number(m, what);
        if (n <= last || n > sequence) {
          throw invalid(
              what
                  + ": item number "
                  + n
                  + " is out of order (after "
                  + last
                  + ", up to "
                  + sequence
                  + ")");
        }
        last = n;
        items.add(m);
      }
    } catch (IOException e) {
      throw invalid(what + ": payload is not length-delimited agent messages: " + e.getMessage());
    }
    if (items.isEmpty() || last != sequence) {
      throw invalid(what + ": its last item must be numbered " + sequence + " (got " + last + ")");
    }
    return items;
  }

  private static long number(AgentMessage m, String what) {
    String digest;
    long n;
    switch (m.getBodyCase()) {
      case EVIDENCE -> {
        n = m.getEvidence().getNumber();
        digest = m.getEvidence().getBundleDigest();
      }
      case REJECTION -> {
        n = m.getRejection().getNumber();
        digest = m.getRejection().getBundleDigest();
      }
      default -> throw invalid(what + ": item " + m.getBodyCase() + " is not evidence");
    }
    if (!digest.isEmpty() && !DIGEST.matcher(digest).matches()) {
      throw invalid(what + ": item " + n + " names bundle digest '" + digest + "'");
    }
    return n;
  }

  private static LinkException invalid(String message) {
    return new LinkException(LinkException.Reason.INVALID_MESSAGE, message);
  }
}
