#!/usr/bin/env node
'use strict';
// A short tour of the Abstractions Entity Server from Node.
//
//   cd interop/node && npm ci && node example.js [ADDRESS]     (or ABSTRACTIONS_ADDRESS=host:port)
//
// It creates an entity, updates it with compare-and-set (recovering from a stale version by
// reading current_version from the ABORTED error's ErrorInfo), runs an operation with a
// priority class (retrying on CONFLICT after retry_after), and prints the entity's events from
// the start of the log. The stubs are the @abstractions/api package in src-gen/node.
const {
  grpc, createClients, toStruct, fromStruct, statusDetails, durationMillis,
} = require('@abstractions/api');

const DEFAULT_ADDRESS = 'localhost:8980';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls a unary method and returns a promise of its response. */
function call(client, method, request, options = {}) {
  return new Promise((resolve, reject) => {
    client[method](request, options, (err, response) => (err ? reject(err) : resolve(response)));
  });
}

/** Plain JSON of an entity's data, keys sorted (a Struct is a map). */
function dataOf(entity) {
  const data = fromStruct(entity.data);
  return Object.fromEntries(Object.keys(data).sort().map((k) => [k, data[k]]));
}

/**
 * Applies change(data) -> data at expectedVersion; on ABORTED / VERSION_CONFLICT re-reads the
 * version the error names and tries again (a bounded number of times).
 */
async function updateWithCas(clients, lineageId, expectedVersion, change, log = console.log) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await call(clients.entities, 'Get', { lineage_id: lineageId, version: expectedVersion });
    try {
      return await call(clients.entities, 'Update', {
        lineage_id: lineageId, expected_version: expectedVersion, data: toStruct(change(dataOf(current))),
      });
    } catch (err) {
      const info = statusDetails(err)?.errorInfo;
      if (err.code !== grpc.status.ABORTED || info?.reason !== 'VERSION_CONFLICT') throw err;
      log(`  update at v${expectedVersion}: ABORTED ${info.reason} current_version=${info.metadata.current_version}`);
      expectedVersion = Number(info.metadata.current_version);
    }
  }
  throw new Error('too many version conflicts');
}

/**
 * Begin, compute from the snapshot, Commit; on CONFLICT waits retry_after and recomputes from the
 * fresh snapshot. Resolves to the last CommitOperationResponse.
 */
async function runOperation(clients, lineageId, change, {
  priorityClass = 'NORMAL', opType = 'example', beforeCommit, log = console.log,
} = {}) {
  const begun = await call(clients.operations, 'Begin', {
    target_lineage_id: lineageId, priority_class: priorityClass, op_type: opType,
  });
  const op = begun.operation;
  let snapshot = begun.snapshot;
  log(`  began ${op.op_id.slice(0, 8)} ${op.priority_class} priority=${op.priority} `
    + `max_retries=${op.max_retries} snapshot=v${snapshot.version}`);
  if (beforeCommit) await beforeCommit(op);
  for (;;) {
    const resp = await call(clients.operations, 'Commit', { op_id: op.op_id, data: toStruct(change(dataOf(snapshot))) });
    if (resp.outcome !== 'OUTCOME_CONFLICT') {
      log(resp.outcome === 'OUTCOME_COMMITTED'
        ? `  commit: ${resp.outcome} -> v${resp.entity.version}`
        : `  commit: ${resp.outcome} ${resp.operation.rejection_reason}`);
      return resp;
    }
    const wait = durationMillis(resp.retry_after);
    log(`  commit: ${resp.outcome} fresh snapshot v${resp.entity.version}, `
      + `retry_count=${resp.operation.retry_count}, retry after ${wait} ms`);
    await sleep(wait);
    snapshot = resp.entity;
  }
}

/**
 * Up to `limit` events about lineageId from the oldest retained event on (Progress bookmarks
 * skipped); stops early when the stream has been open for waitMs.
 */
function readEvents(clients, lineageId, limit, waitMs = 2000) {
  return new Promise((resolve, reject) => {
    const events = [];
    const stream = clients.events.Subscribe(
      { filter: { lineage_ids: [lineageId] }, from_oldest: true },
      { deadline: Date.now() + waitMs },
    );
    let done = false;
    const finish = () => { if (!done) { done = true; stream.cancel(); resolve(events); } };
    stream.on('data', (event) => {
      if (event.kind !== 'progress') events.push(event);
      if (events.length >= limit) finish();
    });
    stream.on('error', (err) => {
      if (done) return;
      if (err.code === grpc.status.DEADLINE_EXCEEDED || err.code === grpc.status.CANCELLED) finish();
      else { done = true; reject(err); }
    });
    stream.on('end', finish);
  });
}

/** One line per event: sequence, kind and what changed. */
function describe(event) {
  const body = event[event.kind];
  const detail = {
    entity_created: () => `v${body.entity.version}`,
    entity_versioned: () => `v${body.old_version}->v${body.new_version} changed=${JSON.stringify(body.changed_paths)}`,
    operation_started: () => body.operation.priority_class,
    operation_conflict: () => `snapshot v${body.snapshot_version} current v${body.current_version}`,
    operation_retry: () => `retry ${body.retry_count}/${body.max_retries}`,
    operation_succeeded: () => `v${body.version}`,
  }[event.kind];
  return `#${event.sequence} ${event.kind}${detail ? ' ' + detail() : ''}`;
}

async function main(address, out = console.log) {
  const clients = createClients(address);
  try {
    out(`server ${address}`);
    const ada = await call(clients.entities, 'Create', { entity_type: 'Student', data: toStruct({ name: 'Ada', credits: 0 }) });
    out(`created ${ada.lineage_id} v${ada.version} ${JSON.stringify(dataOf(ada))}`);

    // Someone else writes v2 while we still hold v1 ...
    await call(clients.entities, 'Update', {
      lineage_id: ada.lineage_id, expected_version: 1, data: toStruct({ name: 'Ada', credits: 5 }),
    });
    // ... so our write at v1 is ABORTED and retried at the version the error names.
    out('compare-and-set:');
    const v3 = await updateWithCas(clients, ada.lineage_id, 1, (d) => ({ ...d, year: 2 }), out);
    out(`  updated -> v${v3.version} ${JSON.stringify(dataOf(v3))}`);

    // An operation whose snapshot goes stale (a plain write lands first) conflicts and retries.
    out('operation:');
    const done = await runOperation(clients, ada.lineage_id, (d) => ({ ...d, credits: d.credits + 3 }), {
      priorityClass: 'STRUCTURAL',
      opType: 'add-credits',
      beforeCommit: () => call(clients.entities, 'Update', {
        lineage_id: ada.lineage_id, expected_version: 3, data: toStruct({ ...dataOf(v3), credits: 10 }),
      }),
      log: out,
    });
    out(`  now v${done.entity.version} ${JSON.stringify(dataOf(done.entity))}`);

    out('events (from the start of the log):');
    for (const event of await readEvents(clients, ada.lineage_id, 20)) out('  ' + describe(event));
    return ada.lineage_id;
  } finally {
    clients.close();
  }
}

module.exports = {
  DEFAULT_ADDRESS, call, dataOf, updateWithCas, runOperation, readEvents, describe, main,
};

if (require.main === module) {
  main(process.argv[2] || process.env.ABSTRACTIONS_ADDRESS || DEFAULT_ADDRESS).catch((err) => {
    console.error(err.code !== undefined ? `${grpc.status[err.code]}: ${err.details}` : err);
    const details = statusDetails(err);
    if (details) console.error(JSON.stringify(details, null, 2));
    process.exitCode = 1;
  });
}
