package io.kapro.agent.link;

import io.kapro.agent.v1.AgentMessage;
import java.util.List;

/** What the agent tells the hub on every (re)connect: its high-water mark and its full state. */
public interface AgentStateSource {

  /** Sequence of the last bundle applied (the persisted high-water mark), 0 if none. */
  long lastAppliedSequence();

  /** Manifest digest of that bundle, empty if none. */
  String lastAppliedDigest();

  /**
   * The full current state, as unnumbered evidence messages (one per bundle/unit set). The client
   * marks them {@code resync}, numbers them through the outbox and sends them after the hello.
   */
  List<AgentMessage> currentState();
}
