package dev.abstractions.cli;

import dev.abstractions.client.EntityClient;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code --serializable} for the commands that read entities (get, list, history, tree get, tree history). */
final class ReadConsistency {

  private final OptionSpec serializable;

  /** Adds {@code --serializable} to {@code command}. */
  ReadConsistency(CommandSpec command) {
    serializable = Specs.option(command, OptionSpec.builder("--serializable")
        .type(boolean.class)
        .initialValue(false)
        .description("Read what the server reached has applied, without asking the leader of a replicated group: "
            + "cheaper, and answered even by a member cut off from its quorum, but it may miss the latest writes."));
  }

  /** The session's entity client, with serializable reads if asked for. */
  EntityClient entities(Session session) {
    EntityClient entities = session.client().entities();
    return serializable.<Boolean>getValue() ? entities.serializable() : entities;
  }
}
