package dev.abstractions.cli;

import dev.abstractions.client.EntityClient;
import picocli.CommandLine.Option;

/** {@code --serializable} for the commands that read entities (get, list, history, tree get, tree history). */
final class ReadConsistency {

  @Option(names = "--serializable",
      description = "Read what the server reached has applied, without asking the leader of a replicated group: "
          + "cheaper, and answered even by a member cut off from its quorum, but it may miss the latest writes.")
  boolean serializable;

  /** The session's entity client, with serializable reads if asked for. */
  EntityClient entities(Session session) {
    EntityClient entities = session.client().entities();
    return serializable ? entities.serializable() : entities;
  }
}
