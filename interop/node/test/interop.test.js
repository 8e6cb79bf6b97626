'use strict';
// Interop tests: the @abstractions/api stubs (src-gen/node) against a live server.
//
//   cd interop/node && ABSTRACTIONS_ADDRESS=localhost:8980 node --test test/
//
// Each test works on entities it creates, so the tests share one server without interfering.
// Outcomes are asserted exactly: versions, status codes, ErrorInfo reasons and metadata,
// operation outcomes and event sequences.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { grpc, createClients, toStruct, statusDetails, durationMillis } = require('@abstractions/api');
const example = require('../example');
const { call, dataOf } = example;

const ADDRESS = process.env.ABSTRACTIONS_ADDRESS || example.DEFAULT_ADDRESS;
const DOMAIN = 'abstractions.dev';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let clients;
before(async () => {
  clients = createClients(ADDRESS);
  await new Promise((resolve, reject) => clients.entities.waitForReady(Date.now() + 15000,
    (err) => (err ? reject(err) : resolve())));
});
after(() => clients.close());

const create = (data = {}, extra = {}) => call(clients.entities, 'Create',
  { entity_type: 'Student', data: toStruct(data), ...extra });
const update = (lineageId, expected, data) => call(clients.entities, 'Update',
  { lineage_id: lineageId, expected_version: expected, data: toStruct(data) });
const begin = async (lineageId, priorityClass = 'NORMAL', opType = 'test') => (await call(clients.operations,
  'Begin', { target_lineage_id: lineageId, priority_class: priorityClass, op_type: opType })).operation;
const commit = (opId, data) => call(clients.operations, 'Commit', { op_id: opId, data: toStruct(data) });

/** Expects promise to fail with this code and ErrorInfo; returns the decoded status. */
async function assertError(promise, code, reason, metadata) {
  const err = await promise.then(() => assert.fail('call succeeded'), (e) => e);
  assert.equal(err.code, code, `${grpc.status[err.code]}: ${err.details}`);
  const status = statusDetails(err);
  assert.ok(status?.errorInfo, 'no ErrorInfo in grpc-status-details-bin');
  assert.equal(status.code, code);
  assert.equal(status.errorInfo.reason, reason);
  assert.equal(status.errorInfo.domain, DOMAIN);
  if (metadata) assert.deepEqual(status.errorInfo.metadata, metadata);
  return status;
}

/**
 * Every event about lineageId from the oldest retained on, ended by a marker entity created
 * after the fact (ids are chosen client-side), so no timeout guesses.
 */
async function lineageEvents(lineageId) {
  const marker = crypto.randomUUID();
  await create({}, { entity_type: 'Marker', lineage_id: marker });
  return new Promise((resolve, reject) => {
    const events = [];
    const stream = clients.events.Subscribe({ filter: { lineage_ids: [lineageId, marker] }, from_oldest: true },
      { deadline: Date.now() + 15000 });
    stream.on('data', (event) => {
      if (event.kind === 'progress') return;
      if (event.target_lineage_id === marker) { stream.cancel(); resolve(events); } else events.push(event);
    });
    stream.on('error', (err) => { if (err.code !== grpc.status.CANCELLED) reject(err); });
  });
}

function summary(event) {
  const b = event[event.kind];
  switch (event.kind) {
    case 'entity_created': return [event.kind, b.entity.version];
    case 'entity_versioned': return [event.kind, b.old_version, b.new_version, b.changed_paths];
    case 'operation_started': return [event.kind, b.operation.priority_class, b.operation.priority];
    case 'operation_conflict': return [event.kind, b.snapshot_version, b.current_version, b.charged];
    case 'operation_retry': return [event.kind, b.retry_count, b.max_retries];
    case 'operation_rejected': return [event.kind, b.reason, b.preempted_by_op_id];
    case 'operation_succeeded': return [event.kind, b.version];
    default: return [event.kind];
  }
}

test('create then get returns the same version', async () => {
  const created = await create({ name: 'Ada', credits: 3, tags: ['a', 'b'], nested: { ok: true, none: null } });
  assert.match(created.lineage_id, UUID_RE);
  assert.match(created.ecs_id, UUID_RE);
  assert.equal(created.version, '1'); // int64 as a decimal string
  assert.equal(created.previous_ecs_id, '');
  assert.equal(created.entity_type, 'Student');
  assert.equal(created.deleted, false);
  assert.deepEqual(dataOf(created), { credits: 3, name: 'Ada', nested: { none: null, ok: true }, tags: ['a', 'b'] });
  const got = await call(clients.entities, 'Get', { lineage_id: created.lineage_id });
  assert.deepEqual(got, created);
});

test('stale update is ABORTED / VERSION_CONFLICT with current version and ecs_id', async () => {
  const v1 = await create({ n: 1 });
  const v2 = await update(v1.lineage_id, 1, { n: 2 });
  assert.deepEqual([v2.version, v2.previous_ecs_id], ['2', v1.ecs_id]);
  await assertError(update(v1.lineage_id, 1, { n: 99 }), grpc.status.ABORTED, 'VERSION_CONFLICT',
    { lineage_id: v1.lineage_id, current_version: '2', current_ecs_id: v2.ecs_id });
  const latest = await call(clients.entities, 'Get', { lineage_id: v1.lineage_id });
  assert.deepEqual([latest.version, dataOf(latest)], ['2', { n: 2 }]);
});

test('example CAS loop recovers from the conflict', async () => {
  const v1 = await create({ credits: 0 });
  await update(v1.lineage_id, 1, { credits: 5 });
  const log = [];
  const v3 = await example.updateWithCas(clients, v1.lineage_id, 1, (d) => ({ ...d, year: 2 }), (l) => log.push(l));
  assert.deepEqual([v3.version, dataOf(v3)], ['3', { credits: 5, year: 2 }]);
  assert.deepEqual(log, ['  update at v1: ABORTED VERSION_CONFLICT current_version=2']);
});

test('not found, already exists and bad input carry their reasons', async () => {
  const missing = crypto.randomUUID();
  await assertError(call(clients.entities, 'Get', { lineage_id: missing }), grpc.status.NOT_FOUND,
    'ENTITY_NOT_FOUND', { lineage_id: missing });
  const v1 = await create();
  await assertError(create({}, { lineage_id: v1.lineage_id }), grpc.status.ALREADY_EXISTS,
    'ENTITY_ALREADY_EXISTS', { lineage_id: v1.lineage_id, current_version: '1' });
  const status = await assertError(create({}, { entity_type: '', lineage_id: 'nope' }),
    grpc.status.INVALID_ARGUMENT, 'INVALID_REQUEST', {});
  assert.deepEqual(status.badRequest.field_violations.map((v) => v.field).sort(), ['entity_type', 'lineage_id']);
});

test('operation conflicts, is told to retry at once as gate owner, then commits', async () => {
  const v1 = await create({ credits: 0 });
  const op = await begin(v1.lineage_id, 'STRUCTURAL', 'add-credits');
  assert.deepEqual([op.priority, op.max_retries, op.status, op.snapshot_version], [10, 20, 'PENDING', '1']);
  await update(v1.lineage_id, 1, { credits: 10 });
  const first = await commit(op.op_id, { credits: 3 });
  assert.equal(first.outcome, 'OUTCOME_CONFLICT');
  assert.deepEqual([first.entity.version, dataOf(first.entity)], ['2', { credits: 10 }]);
  assert.deepEqual([first.charged, first.operation.status, first.operation.retry_count], [true, 'RETRYING', 1]);
  assert.equal(durationMillis(first.retry_after), 0);
  const second = await commit(op.op_id, { credits: 13 });
  assert.deepEqual([second.outcome, second.entity.version, second.entity.derived_from_op_id],
    ['OUTCOME_COMMITTED', '3', op.op_id]);
  assert.deepEqual([second.operation.status, second.operation.committed_version], ['SUCCEEDED', '3']);
});

test('equal priority waits behind the gate owner with a retry_after, uncharged', async () => {
  const v1 = await create({ n: 0 });
  const a = await begin(v1.lineage_id, 'NORMAL', 'a');
  const b = await begin(v1.lineage_id, 'NORMAL', 'b');
  await update(v1.lineage_id, 1, { n: 1 });
  const a1 = await commit(a.op_id, { n: 2 });
  assert.deepEqual([a1.outcome, a1.charged], ['OUTCOME_CONFLICT', true]);
  const b1 = await commit(b.op_id, { n: 2 });
  assert.deepEqual([b1.outcome, b1.charged, b1.operation.retry_count], ['OUTCOME_CONFLICT', false, 0]);
  assert.ok(Number(b1.retry_after.seconds) > 0 || b1.retry_after.nanos > 0, 'retry_after must be positive');
  const status = await assertError(update(v1.lineage_id, 2, { n: 9 }), grpc.status.ABORTED, 'GATE_HELD');
  assert.equal(status.errorInfo.metadata.gate_owner_op_id, a.op_id);
  assert.ok(Number(status.errorInfo.metadata.retry_after_ms) > 0);
  const a2 = await commit(a.op_id, { n: 2 });
  assert.deepEqual([a2.outcome, a2.entity.version], ['OUTCOME_COMMITTED', '3']);
  await new Promise((resolve) => setTimeout(resolve, durationMillis(b1.retry_after)));
  const b2 = await commit(b.op_id, { n: 3 }); // its snapshot predates its gate ownership: not charged
  assert.deepEqual([b2.outcome, b2.charged, b2.entity.version], ['OUTCOME_CONFLICT', false, '3']);
  const b3 = await commit(b.op_id, { n: 3 });
  assert.deepEqual([b3.outcome, b3.entity.version, b3.operation.retry_count], ['OUTCOME_COMMITTED', '4', 0]);
});

test('a lower-priority operation yields to a higher gate owner, uncharged; events say so', async () => {
  const v1 = await create({ n: 0 });
  const low = await begin(v1.lineage_id, 'LOW');
  assert.deepEqual([low.priority, low.max_retries], [2, 3]);
  const high = await begin(v1.lineage_id, 'STRUCTURAL');
  await update(v1.lineage_id, 1, { n: 1 });
  assert.equal((await commit(high.op_id, { n: 2 })).outcome, 'OUTCOME_CONFLICT');
  const yields = await commit(low.op_id, { n: 2 });
  assert.deepEqual([yields.outcome, yields.charged, yields.operation.status, yields.operation.retry_count],
    ['OUTCOME_CONFLICT', false, 'RETRYING', 0]);
  assert.ok(Number(yields.retry_after.nanos) > 0 || Number(yields.retry_after.seconds) > 0);
  await assertError(update(v1.lineage_id, 2, { n: 9 }), grpc.status.ABORTED, 'PREEMPTED',
    { lineage_id: v1.lineage_id, preempted_by_op_id: high.op_id });
  assert.deepEqual((await lineageEvents(v1.lineage_id)).map(summary), [
    ['entity_created', '1'],
    ['operation_started', 'LOW', 2],
    ['operation_started', 'STRUCTURAL', 10],
    ['entity_versioned', '1', '2', ['n']],
    ['operation_conflict', '1', '2', true],
    ['operation_retry', 1, 20],
    ['operation_conflict', '1', '2', false],
    ['operation_retry', 0, 3],
  ]);
});

test('example main prints its steps and the exact event sequence', async () => {
  const lines = [];
  const lineageId = await example.main(ADDRESS, (l) => lines.push(l));
  assert.deepEqual(lines.slice(2, 4), ['compare-and-set:', '  update at v1: ABORTED VERSION_CONFLICT current_version=2']);
  assert.ok(lines.includes('  updated -> v3 {"credits":5,"name":"Ada","year":2}'), lines.join('\n'));
  assert.ok(lines.includes('  commit: OUTCOME_COMMITTED -> v5'), lines.join('\n'));
  assert.ok(lines.includes('  now v5 {"credits":13,"name":"Ada","year":2}'), lines.join('\n'));
  const events = await lineageEvents(lineageId);
  assert.deepEqual(events.map(summary), [
    ['entity_created', '1'],
    ['entity_versioned', '1', '2', ['credits']],
    ['entity_versioned', '2', '3', ['year']],
    ['operation_started', 'STRUCTURAL', 10],
    ['entity_versioned', '3', '4', ['credits']],
    ['operation_conflict', '3', '4', true],
    ['operation_retry', 1, 20],
    ['entity_versioned', '4', '5', ['credits']],
    ['operation_succeeded', '5'],
  ]);
  const printed = lines.filter((l) => l.startsWith('  #')).map((l) => l.slice(3, l.indexOf(' ', 3)));
  assert.deepEqual(printed, events.map((e) => e.sequence));
});

test('resume_token continues right after its event', async () => {
  const v1 = await create({ n: 1 });
  for (let v = 1; v <= 3; v++) await update(v1.lineage_id, v, { n: v + 1 });
  const events = await lineageEvents(v1.lineage_id);
  assert.deepEqual(events.map((e) => e.kind), ['entity_created', 'entity_versioned', 'entity_versioned', 'entity_versioned']);
  const resumed = await new Promise((resolve, reject) => {
    const got = [];
    const stream = clients.events.Subscribe({
      filter: { lineage_ids: [v1.lineage_id] }, resume_token: events[1].resume_token, include_entities: true,
    }, { deadline: Date.now() + 15000 });
    stream.on('data', (e) => { if (e.kind !== 'progress' && got.push(e) === 2) { stream.cancel(); resolve(got); } });
    stream.on('error', (err) => { if (err.code !== grpc.status.CANCELLED) reject(err); });
  });
  assert.deepEqual(resumed.map((e) => e.sequence), events.slice(2).map((e) => e.sequence));
  assert.deepEqual(resumed.map((e) => e.entity_versioned.entity.version), ['3', '4']);
  assert.deepEqual(dataOf(resumed[1].entity_versioned.entity), { n: 4 });
});

test('a start beyond the log is OUT_OF_RANGE / EVENTS_NOT_RETAINED', async () => {
  const failure = new Promise((resolve, reject) => {
    const stream = clients.events.Subscribe({ from_sequence: '1000000000000' }, { deadline: Date.now() + 15000 });
    stream.on('data', () => {});
    stream.on('error', reject);
    stream.on('end', resolve);
  });
  const status = await assertError(failure, grpc.status.OUT_OF_RANGE, 'EVENTS_NOT_RETAINED');
  assert.deepEqual(Object.keys(status.errorInfo.metadata).sort(), ['head_sequence', 'oldest_sequence']);
});
