package dev.abstractions.bench.load;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * (f) The same compare-and-set workloads against etcd through jetcd: a Txn that puts the
 * 200-byte value only if the key's version is the one read ({@code If(version == v) Then(put)}).
 * One jetcd client per channel slot group, as K channels on the gRPC side.
 */
final class EtcdScenarios {

  private final Settings settings;

  EtcdScenarios(Settings settings) {
    this.settings = settings;
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }

  private static final ByteSequence VALUE = ByteSequence.from(BareService.payload().getValue().toByteArray());

  /** Uncontended: slot {@code i} writes only key {@code i}, with the version it wrote last. */
  ResultRow compareAndSet(ServerProcess etcd) throws InterruptedException, ExecutionException {
    return ResultRow.of("f", "(f) etcd Txn CAS on distinct keys, C=" + settings.concurrency(),
        compareAndSetSample(etcd));
  }

  /** One measured window of the uncontended Txn CAS. */
  ResultRow.Sample compareAndSetSample(ServerProcess etcd) throws InterruptedException, ExecutionException {
    return compareAndSetSample(List.of(etcd), settings.channels());
  }

  /**
   * One measured window of the uncontended Txn CAS against the members of an etcd cluster, through
   * {@code connections} clients spread over them (client {@code k} to member {@code k % members}),
   * as the entity server's group is loaded; the server CPU is theirs summed.
   */
  ResultRow.Sample compareAndSetSample(List<ServerProcess> members, int connections)
      throws InterruptedException, ExecutionException {
    int slots = settings.concurrency();
    List<Client> clients = clients(ServerProcess.ports(members), connections);
    try {
      KV[] kvs = new KV[slots];
      ByteSequence[] keys = new ByteSequence[slots];
      long[] versions = new long[slots];
      for (int i = 0; i < slots; i++) {
        kvs[i] = clients.get(i % clients.size()).getKVClient();
        keys[i] = bytes("bench/cas/" + i);
        kvs[i].put(keys[i], VALUE).get();
        versions[i] = kvs[i].get(keys[i]).get().getKvs().get(0).getVersion();
      }
      ClosedLoop.Result result = ClosedLoop.run(slots, settings.warmup(), settings.measure(),
          ServerProcess.pids(members), (slot, done) -> casOnce(kvs[slot], keys[slot], versions[slot]).whenComplete((succeeded, error) -> {
            if (error != null) {
              done.failed(error);
            } else if (succeeded) {
              versions[slot]++;
              done.succeeded();
            } else {
              done.failed(new IllegalStateException("an uncontended etcd Txn did not apply"));
            }
          }), () -> {}, () -> {});
      return ResultRow.Sample.of(result, "");
    } finally {
      clients.forEach(Client::close);
    }
  }

  /** Hot key: Get, Txn on the version read, and if it did not apply read and try again. */
  ResultRow hotKey(ServerProcess etcd) throws InterruptedException, ExecutionException {
    int writers = settings.hotWriters();
    List<Client> clients = clients(List.of(etcd.port()), settings.channels());
    try {
      ByteSequence hot = bytes("bench/hot");
      clients.get(0).getKVClient().put(hot, VALUE).get();
      HotKeyAttempts attempts = new HotKeyAttempts();
      ClosedLoop.Result result = ClosedLoop.run(writers, settings.warmup(), settings.measure(), etcd.pid(),
          (slot, done) -> readThenWrite(clients.get(slot % clients.size()).getKVClient(), hot, attempts, done),
          attempts::windowStarts, attempts::windowEnds);
      return ResultRow.of("f-hot", "(f) etcd hot key, client loop Get→Txn→retry, " + writers + " writers", result,
          "Txn attempts per commit " + Ratio.number(attempts.perCommitInWindow()));
    } finally {
      clients.forEach(Client::close);
    }
  }

  private static void readThenWrite(KV kv, ByteSequence key, HotKeyAttempts attempts, ClosedLoop.Completion done) {
    kv.get(key).whenComplete((read, readError) -> {
      if (readError != null) {
        done.failed(readError);
        return;
      }
      casOnce(kv, key, read.getKvs().get(0).getVersion()).whenComplete((succeeded, error) -> {
        if (error != null) {
          done.failed(error);
          return;
        }
        attempts.attempted(succeeded);
        if (succeeded) {
          done.succeeded();
        } else {
          readThenWrite(kv, key, attempts, done);
        }
      });
    });
  }

  private static java.util.concurrent.CompletableFuture<Boolean> casOnce(KV kv, ByteSequence key, long version) {
    return kv.txn()
        .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(version)))
        .Then(Op.put(key, VALUE, PutOption.DEFAULT))
        .commit()
        .thenApply(response -> response.isSucceeded());
  }

  /** {@code count} clients, client {@code k} to the etcd on {@code ports.get(k % ports.size())}. */
  private static List<Client> clients(List<Integer> ports, int count) {
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      clients.add(Client.builder().endpoints("http://127.0.0.1:" + ports.get(i % ports.size())).build());
    }
    return clients;
  }
}
