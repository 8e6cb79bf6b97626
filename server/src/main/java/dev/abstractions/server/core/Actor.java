package dev.abstractions.server.core;

/**
 * Who issues a command: a client identified by its bearer token ({@code authenticated}), or, on a
 * server without tokens, by its connection. Operations remember the actor that began them: with
 * tokens, only that principal (or an {@code admin} token) may commit, keep alive or abort them;
 * and one actor may hold only a share of a target's operation slots. Immutable.
 *
 * @param id the principal's name, or the connection's remote address
 */
public record Actor(String id, boolean authenticated, boolean admin) {

  /** The server acting for an operation it drives (an Execute's attempts, expiry). */
  public static final Actor SERVER = new Actor("server", true, true);

  /** Whether this actor may act on an operation {@code owner} began. */
  boolean mayActFor(Actor owner) {
    return admin || !owner.authenticated() || id.equals(owner.id());
  }
}
