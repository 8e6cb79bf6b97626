'use strict';
// Tests of the promise client of @abstractions/api (src-gen/node) against a live server.
//
//   cd interop/node && ABSTRACTIONS_ADDRESS=localhost:8980 node --test test/client.test.js
//
// Each test works on entities it creates; outcomes are asserted exactly.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const api = require('@abstractions/api');
const { Relay } = require('./relay');

const {
  grpc, AbstractionsClient, ServerError, VersionConflictError, EntityNotFoundError, GateHeldError,
  EventsLostError, toStruct,
} = api;
const ADDRESS = process.env.ABSTRACTIONS_ADDRESS || 'localhost:8980';

let client;
before(() => { client = new AbstractionsClient(ADDRESS); });
after(() => client.close());

/** Rejects unless promise fails with an error of type Type; returns the error. */
async function failure(promise, Type) {
  const err = await promise.then(() => assert.fail('the call succeeded'), (e) => e);
  assert.ok(err instanceof Type, `${err.name}: ${err.message}`);
  return err;
}

// Raw stub calls for a second, competing writer.
const raw = (stub, method, request) => new Promise((resolve, reject) => {
  stub[method](request, (err, response) => (err ? reject(err) : resolve(response)));
});
const beginOther = async (lineageId, priorityClass = 'NORMAL') => (await raw(client.operations, 'Begin',
  { target_lineage_id: lineageId, priority_class: priorityClass, op_type: 'other' })).operation;
const commitOther = (opId, data) => raw(client.operations, 'Commit', { op_id: opId, data: toStruct(data) });

function summary(event) {
  const b = event[event.kind];
  if (event.kind === 'entity_created') return [event.kind, b.entity.version];
  if (event.kind === 'entity_versioned') return [event.kind, b.old_version, b.new_version];
  return [event.kind];
}

test('the ES module entry exports the same client and errors as the CommonJS one', async () => {
  const esm = await import('@abstractions/api');
  assert.equal(esm.AbstractionsClient, AbstractionsClient);
  assert.equal(esm.VersionConflictError, VersionConflictError);
  assert.equal(esm.default, api);
  assert.deepEqual(Object.keys(esm).filter((k) => k !== 'default').sort(), Object.keys(api).sort());
});

test('create, get, replace and history', async () => {
  const v1 = await client.create('Student', { name: 'Ada', credits: 3, tags: ['a'], gpa: 3.5 });
  assert.deepEqual([v1.version, v1.entity_type, v1.previous_ecs_id, v1.deleted], ['1', 'Student', '', false]);
  assert.deepEqual(v1.data, { credits: 3, gpa: 3.5, name: 'Ada', tags: ['a'] });
  assert.deepEqual(await client.get(v1.lineage_id), v1);
  const v2 = await client.replace(v1.lineage_id, 1, { name: 'Ada', credits: 4 });
  assert.deepEqual([v2.lineage_id, v2.version, v2.previous_ecs_id], [v1.lineage_id, '2', v1.ecs_id]);
  assert.deepEqual(await client.get(v1.lineage_id, 1), v1);
  const history = [];
  for await (const e of client.history(v1.lineage_id, { pageSize: 1 })) history.push(e);
  assert.deepEqual(history, [v1, v2]);
});

test('serializable reads read what the server applied', async () => {
  // One server applies every write it acknowledges before answering: serializable reads see the
  // same as linearizable ones (a member cut off from its quorum is the Java tests').
  const type = `Serial${crypto.randomUUID().slice(0, 8)}`;
  const v1 = await client.create(type, { n: 1 });
  const v2 = await client.replace(v1.lineage_id, 1, { n: 2 });
  assert.deepEqual(await client.get(v1.lineage_id, 0, { serializable: true }), v2);
  assert.deepEqual(await client.get(v1.lineage_id, 1, { serializable: true }), v1);
  const history = [];
  for await (const e of client.history(v1.lineage_id, { serializable: true })) history.push(e);
  assert.deepEqual(history, [v1, v2]);
  const listed = [];
  for await (const e of client.list(type, { serializable: true })) listed.push(e);
  assert.deepEqual(listed, [v2]);
});

test('list reads every page', async () => {
  const type = `Page${crypto.randomUUID().slice(0, 8)}`;
  const created = new Set();
  for (let i = 0; i < 5; i++) created.add((await client.create(type, { i })).lineage_id);
  const listed = [];
  for await (const e of client.list(type, { pageSize: 2 })) listed.push(e.lineage_id);
  assert.deepEqual([...listed].sort(), [...created].sort());
});

test('a stale replace rejects with VersionConflictError carrying the current version', async () => {
  const v1 = await client.create('Student', { n: 1 });
  const v2 = await client.replace(v1.lineage_id, 1, { n: 2 });
  const err = await failure(client.replace(v1.lineage_id, 1, { n: 99 }), VersionConflictError);
  assert.deepEqual([err.code, err.codeName, err.reason], [grpc.status.ABORTED, 'ABORTED', 'VERSION_CONFLICT']);
  assert.deepEqual([err.lineageId, err.currentVersion, err.currentEcsId], [v1.lineage_id, '2', v2.ecs_id]);
  assert.deepEqual(err.metadata, { lineage_id: v1.lineage_id, current_version: '2', current_ecs_id: v2.ecs_id });
  assert.equal(err.name, 'VersionConflictError');
  assert.equal(err.cause.code, grpc.status.ABORTED);
});

test('missing and deleted entities reject with EntityNotFoundError', async () => {
  const missing = crypto.randomUUID();
  const err = await failure(client.get(missing), EntityNotFoundError);
  assert.deepEqual([err.code, err.reason, err.metadata], [grpc.status.NOT_FOUND, 'ENTITY_NOT_FOUND', { lineage_id: missing }]);
  const v1 = await client.create('Student', { n: 1 });
  const tomb = await client.delete(v1.lineage_id, 1);
  assert.deepEqual([tomb.version, tomb.deleted], ['2', true]);
  const gone = await failure(client.get(v1.lineage_id), EntityNotFoundError);
  assert.deepEqual([gone.reason, gone.metadata], ['ENTITY_DELETED', { lineage_id: v1.lineage_id, deleted_version: '2' }]);
});

test('bad input rejects with a ServerError listing every field violation', async () => {
  const err = await failure(client.create('', {}, { lineageId: 'nope' }), ServerError);
  assert.equal(err.constructor, ServerError);
  assert.deepEqual([err.code, err.reason], [grpc.status.INVALID_ARGUMENT, 'INVALID_REQUEST']);
  assert.deepEqual(err.fieldViolations.map((v) => v.field).sort(), ['entity_type', 'lineage_id']);
});

test('update recomputes on a concurrent write', async () => {
  const v1 = await client.create('Counter', { n: 0 });
  const seen = [];
  const v3 = await client.update(v1.lineage_id, async (data) => {
    seen.push(data);
    if (seen.length === 1) await client.replace(v1.lineage_id, 1, { n: 10 }); // another writer lands first
    return { n: data.n + 1 };
  });
  assert.deepEqual(seen, [{ n: 0 }, { n: 10 }]);
  assert.deepEqual([v3.version, v3.data], ['3', { n: 11 }]);
  const op = await raw(client.operations, 'Get', { op_id: v3.derived_from_op_id });
  assert.deepEqual([op.status, op.retry_count, op.op_type, op.priority_class], ['SUCCEEDED', 1, 'update', 'NORMAL']);
});

test('update waits the retry_after of an equal-priority gate owner', async () => {
  const v1 = await client.create('Counter', { n: 0 });
  const owner = await beginOther(v1.lineage_id);
  await client.replace(v1.lineage_id, 1, { n: 1 });
  assert.equal((await commitOther(owner.op_id, { n: -1 })).outcome, 'OUTCOME_CONFLICT'); // owner holds the gate
  const seen = [];
  const latest = await client.update(v1.lineage_id, async (data) => {
    seen.push(data);
    if (seen.length === 2) assert.equal((await commitOther(owner.op_id, { n: 100 })).outcome, 'OUTCOME_COMMITTED');
    return { n: data.n + 1 };
  });
  // 1st: told to wait (uncharged) behind the owner; 2nd: its snapshot predates the owner's
  // write, so a fresh one (uncharged); 3rd: commits.
  assert.deepEqual(seen, [{ n: 1 }, { n: 1 }, { n: 100 }]);
  assert.deepEqual([latest.version, latest.data], ['4', { n: 101 }]);
  const op = await raw(client.operations, 'Get', { op_id: latest.derived_from_op_id });
  assert.deepEqual([op.status, op.retry_count], ['SUCCEEDED', 0]);
});

test('update keeps the gate while fn runs longer than the gate lease', async () => {
  const v1 = await client.create('Counter', { n: 0 });
  const seen = [];
  const v3 = await client.update(v1.lineage_id, async (data) => {
    seen.push(data);
    if (seen.length === 1) await client.replace(v1.lineage_id, 1, { n: 10 }); // the conflict makes it the gate owner
    else await new Promise((resolve) => setTimeout(resolve, 6000)); // longer than the server's gate lease (5 s)
    return { n: data.n + 1 };
  });
  assert.deepEqual([seen, v3.version, v3.data], [[{ n: 0 }, { n: 10 }], '3', { n: 11 }]);
});

test('update that meets a higher-priority gate owner yields, uncharged, and lands after it', async () => {
  const v1 = await client.create('Counter', { n: 0 });
  let high = null;
  const seen = [];
  const v4 = await client.update(v1.lineage_id, async (data) => {
    seen.push(data.n);
    if (!high) { // a STRUCTURAL operation conflicts while this LOW one computes, and owns the gate
      high = await beginOther(v1.lineage_id, 'STRUCTURAL');
      await client.replace(v1.lineage_id, 1, { n: 5 });
      assert.equal((await commitOther(high.op_id, { n: 6 })).outcome, 'OUTCOME_CONFLICT');
    } else if (seen.length === 2) { // yielded: a plain write meets the same gate, then the owner commits
      const held = await failure(client.replace(v1.lineage_id, 2, { n: 9 }), GateHeldError);
      assert.deepEqual([held.reason, held.metadata.preempted_by_op_id, held.retryAfterMs], ['PREEMPTED', high.op_id, null]);
      assert.equal((await commitOther(high.op_id, { n: 6 })).outcome, 'OUTCOME_COMMITTED');
    }
    return { n: data.n + 1 };
  }, { priorityClass: 'LOW' });
  // Computed on v1, then on v2 (the snapshot it yielded with), then on v3 once the gate passed to it.
  assert.deepEqual([seen, v4.version, v4.data], [[0, 5, 6], '4', { n: 7 }]);
  const op = await raw(client.operations, 'Get', { op_id: v4.derived_from_op_id });
  assert.deepEqual([op.status, op.retry_count, op.priority], ['SUCCEEDED', 0, 2]);
});

test('an error in fn aborts the operation and rejects with it', async () => {
  const v1 = await client.create('Counter', { n: 0 });
  const broken = new RangeError('broken');
  const err = await failure(client.update(v1.lineage_id, () => { throw broken; }, { opType: 'broken' }), RangeError);
  assert.equal(err, broken);
  const ops = (await raw(client.operations, 'List', { target_lineage_id: v1.lineage_id })).operations;
  assert.deepEqual(ops.map((op) => [op.op_type, op.status]), [['broken', 'CANCELLED']]);
  assert.equal((await client.get(v1.lineage_id)).version, '1');
});

test('execute runs a server function', async () => {
  const v1 = await client.create('Counter', { n: 1 });
  const v2 = await client.execute(v1.lineage_id, 'increment', { path: 'n', by: 4 }, { priorityClass: 'STRUCTURAL' });
  assert.deepEqual([v2.version, v2.data, v2.derived_from_function], ['2', { n: 5 }, 'increment']);
});

test('watch resumes after the connection drops', async () => {
  const v1 = await client.create('Student', { n: 1 });
  const relay = await Relay.start(ADDRESS);
  const throughRelay = new AbstractionsClient(relay.address);
  const events = [];
  try {
    const watch = throughRelay.watch({ lineageIds: [v1.lineage_id] }, { fromOldest: true });
    for await (const event of watch) {
      events.push(event);
      if (events.length === 1) {
        relay.cut();
        // Written while the watch is cut off, through a connection of its own.
        await client.replace(v1.lineage_id, 1, { n: 2 });
        await client.replace(v1.lineage_id, 2, { n: 3 });
      }
      if (events.length === 3) break;
    }
    assert.equal(watch.lastSequence, events[2].sequence);
    assert.equal(relay.connections, 2);
  } finally {
    throughRelay.close();
    await relay.close();
  }
  assert.deepEqual(events.map(summary), [['entity_created', '1'], ['entity_versioned', '1', '2'], ['entity_versioned', '2', '3']]);
  const sequences = events.map((e) => BigInt(e.sequence));
  assert.ok(sequences[0] < sequences[1] && sequences[1] < sequences[2], `sequences ${sequences}`);
});

test('watch close ends the iteration', async () => {
  const watch = client.watch({ lineageIds: [crypto.randomUUID()] });
  setTimeout(() => watch.close(), 300);
  const events = [];
  for await (const event of watch) events.push(event);
  assert.deepEqual(events, []);
});

test('watch from beyond the log rejects with EventsLostError', async () => {
  const watch = client.watch({}, { fromSequence: 10 ** 12 });
  const err = await failure(watch.next(), EventsLostError);
  assert.deepEqual([err.code, err.reason], [grpc.status.OUT_OF_RANGE, 'EVENTS_NOT_RETAINED']);
  assert.deepEqual(Object.keys(err.metadata).sort(), ['head_sequence', 'oldest_sequence']);
});
