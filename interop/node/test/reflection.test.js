'use strict';
// Reflection interop: what grpcurl relies on, through npm grpc-js-reflection-client with no
// .proto files: list the services (reflection v1 and v1alpha), fetch descriptors, and call Get,
// Subscribe and GetTree on stubs built from the fetched descriptors, with requests parsed from
// JSON; WriteTree and GetTree in proto3 JSON as grpcurl sends them; the grpcurl session (its
// AttachTree step included).
//
//   cd interop/node && ABSTRACTIONS_ADDRESS=localhost:8980 node --test test/reflection.test.js
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const grpc = require('@grpc/grpc-js');
const { GrpcReflection } = require('grpc-js-reflection-client');
const { createClients, toStruct } = require('@abstractions/api');
const { call, DEFAULT_ADDRESS } = require('../example');
const { ReflectionSession, formatError } = require('../reflection');
const { session } = require('../grpcurl-session');

const ADDRESS = process.env.ABSTRACTIONS_ADDRESS || DEFAULT_ADDRESS;
const insecure = () => grpc.credentials.createInsecure();
// The options grpcurl-like tools use with @grpc/proto-loader: proto field names, int64 as strings.
const LOADER = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

let clients;
let entity; // version 2 of a fresh lineage, written with the static stubs
before(async () => {
  clients = createClients(ADDRESS);
  const v1 = await call(clients.entities, 'Create', { entity_type: 'Course', data: toStruct({ title: 'Logic' }) });
  entity = await call(clients.entities, 'Update',
    { lineage_id: v1.lineage_id, expected_version: 1, data: toStruct({ title: 'Logic', seats: 30 }) });
});
after(() => clients.close());

for (const version of ['v1', 'v1alpha']) {
  test(`reflection ${version} lists the services`, async () => {
    const services = await new GrpcReflection(ADDRESS, insecure(), {}, version).listServices();
    for (const name of ['abstractions.v1.EntityService', 'abstractions.v1.OperationService',
      'abstractions.v1.EventService', 'grpc.health.v1.Health',
      'grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection']) {
      assert.ok(services.includes(name), `${name} missing from ${services}`);
    }
  });
}

test('descriptors describe every method of the three services', async () => {
  const reflection = new GrpcReflection(ADDRESS, insecure(), {}, 'v1');
  const methods = async (service) => (await reflection.listMethods(service))
    .map((m) => [m.name, m.definition.path, m.definition.requestStream, m.definition.responseStream]);
  assert.deepEqual(await methods('abstractions.v1.EntityService'), ['Create', 'Get', 'Update', 'Delete', 'List', 'History',
    'WriteTree', 'GetTree', 'TreeHistory', 'PromoteTreeMember', 'AttachTree'].map((n) => [n, `/abstractions.v1.EntityService/${n}`, false, false]));
  assert.deepEqual(await methods('abstractions.v1.OperationService'), ['Begin', 'Commit', 'Abort', 'KeepAlive', 'Get', 'List', 'Execute']
    .map((n) => [n, `/abstractions.v1.OperationService/${n}`, false, false]));
  assert.deepEqual(await methods('abstractions.v1.EventService'),
    [['Subscribe', '/abstractions.v1.EventService/Subscribe', false, true]]);
  const root = (await reflection.getDescriptorBySymbol('abstractions.v1.Event')).getProtobufJsRoot();
  const event = root.lookupType('abstractions.v1.Event');
  assert.deepEqual(event.oneofs.kind.oneof, ['entity_created', 'entity_versioned', 'entity_deleted',
    'operation_started', 'operation_conflict', 'operation_retry', 'operation_rejected', 'operation_succeeded',
    'operation_failed', 'operation_cancelled', 'progress', 'tree_changed', 'tree_promoted', 'tree_attached']);
  const priorityClass = root.lookupEnum('abstractions.v1.PriorityClass'); // from operation.proto, an import
  assert.deepEqual({ ...priorityClass.values }, { PRIORITY_CLASS_UNSPECIFIED: 0, STRUCTURAL: 1, NORMAL: 2, LOW: 3 });
});

test('Get, called on a stub built by reflection, from JSON', async () => {
  const reflection = new GrpcReflection(ADDRESS, insecure(), {}, 'v1');
  const pkg = (await reflection.getDescriptorBySymbol('abstractions.v1.EntityService')).getPackageObject(LOADER);
  const stub = new pkg.abstractions.v1.EntityService(ADDRESS, insecure());
  try {
    const latest = await call(stub, 'Get', JSON.parse(`{"lineage_id": "${entity.lineage_id}"}`));
    assert.deepEqual([latest.lineage_id, latest.version, latest.ecs_id, latest.entity_type],
      [entity.lineage_id, '2', entity.ecs_id, 'Course']);
    const first = await call(stub, 'Get', JSON.parse(`{"lineage_id": "${entity.lineage_id}", "version": "1"}`));
    assert.deepEqual([first.version, first.ecs_id], ['1', entity.previous_ecs_id]);
  } finally {
    stub.close();
  }
});

test('Subscribe, called on a stub built by reflection, from JSON', async () => {
  const reflection = new GrpcReflection(ADDRESS, insecure(), {}, 'v1alpha');
  const pkg = (await reflection.getDescriptorBySymbol('abstractions.v1.EventService')).getPackageObject(LOADER);
  const stub = new pkg.abstractions.v1.EventService(ADDRESS, insecure());
  const request = JSON.parse(`{"filter": {"lineage_ids": ["${entity.lineage_id}"]}, "from_oldest": true}`);
  const events = await new Promise((resolve, reject) => {
    const got = [];
    const stream = stub.Subscribe(request, { deadline: Date.now() + 15000 });
    stream.on('data', (e) => {
      if (e.kind !== 'progress' && got.push(e) === 2) { stream.cancel(); resolve(got); }
    });
    stream.on('error', (err) => { if (err.code !== grpc.status.CANCELLED) reject(err); });
  });
  stub.close();
  assert.deepEqual(events.map((e) => e.kind), ['entity_created', 'entity_versioned']);
  assert.deepEqual(events.map((e) => e.target_lineage_id), [entity.lineage_id, entity.lineage_id]);
  assert.equal(events[0].entity_created.entity.version, '1');
  assert.deepEqual([events[1].entity_versioned.old_version, events[1].entity_versioned.new_version,
    events[1].entity_versioned.changed_paths], ['1', '2', ['seats']]);
  assert.equal(Number(events[1].sequence), Number(events[0].sequence) + 1);
});

test('GetTree, called on a stub built by reflection, from JSON', async () => {
  const root = await call(clients.entities, 'Create', { entity_type: 'Course', data: toStruct({ title: 'Logic' }) });
  const unit = await call(clients.entities, 'Create',
    { entity_type: 'Unit', parent_lineage_id: root.lineage_id, data: toStruct({ n: 1 }) });
  const reflection = new GrpcReflection(ADDRESS, insecure(), {}, 'v1');
  const pkg = (await reflection.getDescriptorBySymbol('abstractions.v1.EntityService')).getPackageObject(LOADER);
  const stub = new pkg.abstractions.v1.EntityService(ADDRESS, insecure());
  try {
    const first = await call(stub, 'GetTree', JSON.parse(`{"root_lineage_id": "${root.lineage_id}", "page_size": 1}`));
    const second = await call(stub, 'GetTree', JSON.parse(
      `{"root_lineage_id": "${root.lineage_id}", "page_size": 1, "page_token": "${first.next_page_token}"}`));
    assert.deepEqual([first.root_lineage_id, first.tree_version, second.tree_version, second.next_page_token],
      [root.lineage_id, '2', '2', '']);
    assert.deepEqual([...first.members, ...second.members].map((m) => [m.lineage_id, m.version, m.tree_version,
      m.parent_lineage_id]).sort(), [[root.lineage_id, '1', '1', ''], [unit.lineage_id, '1', '2', root.lineage_id]].sort());
    const older = await call(stub, 'GetTree', JSON.parse(`{"root_lineage_id": "${root.lineage_id}", "tree_version": "1"}`));
    assert.deepEqual(older.members.map((m) => m.lineage_id), [root.lineage_id]);
  } finally {
    stub.close();
  }
});

test('proto3 JSON calls by reflection: WriteTree, GetTree and a stale WriteTree with error details', async () => {
  const s = new ReflectionSession(ADDRESS);
  try {
    const root = (await s.invoke('abstractions.v1.EntityService/Create', { entityType: 'Course', data: { title: 'Sets' } }))
      .messages[0];
    const unit = (await s.invoke('abstractions.v1.EntityService/Create',
      { entityType: 'Unit', parentLineageId: root.lineageId, data: { n: 1 } })).messages[0];
    assert.deepEqual([unit.rootLineageId, unit.parentLineageId, unit.treeVersion], [root.lineageId, root.lineageId, '2']);
    const written = await s.invoke('abstractions.v1.EntityService/WriteTree', {
      rootLineageId: root.lineageId, expectedTreeVersion: '2', changes: [
        { update: { lineageId: root.lineageId, expectedVersion: '1', data: { title: 'Sets', units: 2 } } },
        { create: { parentLineageId: root.lineageId, entityType: 'Unit', data: { n: 2 } } },
      ],
    });
    assert.equal(written.error, null);
    const w = written.messages[0];
    assert.deepEqual([w.treeVersion, w.written.map((e) => [e.version, e.treeVersion, e.data])],
      ['3', [['2', '3', { title: 'Sets', units: 2 }], ['1', '3', { n: 2 }]]]);
    const tree = await s.invoke('abstractions.v1.EntityService/GetTree', { rootLineageId: root.lineageId });
    assert.equal(tree.error, null);
    assert.deepEqual([tree.messages[0].treeVersion, tree.messages[0].members.length, tree.messages[0].nextPageToken],
      ['3', 3, undefined]);
    const stale = await s.invoke('abstractions.v1.EntityService/WriteTree', {
      rootLineageId: root.lineageId, expectedTreeVersion: '2', changes: [{ delete: { lineageId: unit.lineageId } }],
    });
    assert.equal(stale.error.code, grpc.status.ABORTED);
    assert.deepEqual([stale.error.status.errorInfo.reason, stale.error.status.errorInfo.metadata],
      ['TREE_VERSION_CONFLICT', { root_lineage_id: root.lineageId, current_tree_version: '3' }]);
    assert.ok(formatError(stale.error).includes('    \t  "reason": "TREE_VERSION_CONFLICT",'), formatError(stale.error));
  } finally {
    s.close();
  }
});

test('proto3 JSON calls by reflection: create, stale update with error details', async () => {
  const s = new ReflectionSession(ADDRESS);
  try {
    const created = await s.invoke('abstractions.v1.EntityService/Create',
      { entityType: 'Course', data: { title: 'Sets', tags: ['math'] } });
    assert.equal(created.error, null);
    const e = created.messages[0];
    assert.deepEqual([e.version, e.entityType, e.data], ['1', 'Course', { title: 'Sets', tags: ['math'] }]);
    const stale = await s.invoke('abstractions.v1.EntityService/Update',
      { lineageId: e.lineageId, expectedVersion: '2', data: {} });
    assert.equal(stale.error.code, grpc.status.ABORTED);
    assert.equal(stale.error.status.errorInfo.reason, 'VERSION_CONFLICT');
    assert.deepEqual(stale.error.status.errorInfo.metadata,
      { lineage_id: e.lineageId, current_version: '1', current_ecs_id: e.ecsId });
    const printed = formatError(stale.error).split('\n');
    assert.deepEqual(printed.slice(0, 2), ['ERROR:', '  Code: Aborted']);
    assert.ok(printed.includes('    \t  "reason": "VERSION_CONFLICT",'), printed.join('\n'));
    const events = await s.invoke('abstractions.v1.EventService/Subscribe',
      { filter: { lineageIds: [e.lineageId] }, fromOldest: true }, { limit: 1 });
    assert.deepEqual([events.error, events.messages[0].entityCreated.entity.ecsId], [null, e.ecsId]);
  } finally {
    s.close();
  }
});

test('the grpcurl session runs every step', async () => {
  const md = await session(ADDRESS);
  for (const heading of ['## 1. List the services', '## 2. Describe a service', '## 3. Create an entity',
    '## 4. Update it (compare-and-set)', '## 5. Update with a stale version', '## 6. Subscribe to its events',
    '## 7. Change a tree at once (WriteTree)', '## 8. Read the whole tree (GetTree)',
    '## 9. Put a tree under another (AttachTree)']) {
    assert.ok(md.includes(`\n${heading}\n`), heading);
  }
  assert.match(md, /\$ grpcurl -plaintext \S+ list\nabstractions\.v1\.EntityService\nabstractions\.v1\.EventService\n/);
  assert.match(md, /\n {2}rpc Update \( \.abstractions\.v1\.UpdateEntityRequest \) returns \( \.abstractions\.v1\.Entity \);\n/);
  assert.match(md, /ERROR:\n {2}Code: Aborted\n {2}Message: version conflict/);
  assert.match(md, /"current_version": "2"/);
  assert.equal((md.match(/"sequence": "\d+"/g) || []).length, 2);
  assert.match(md, /\n {2}rpc WriteTree \( \.abstractions\.v1\.WriteTreeRequest \) returns \( \.abstractions\.v1\.WriteTreeResponse \);\n/);
  assert.match(md, /abstractions\.v1\.EntityService\/WriteTree\n\{\n {2}"treeVersion": "3",\n/);
  assert.match(md, /abstractions\.v1\.EntityService\/GetTree\n\{\n {2}"rootLineageId": "[0-9a-f-]+",\n {2}"treeVersion": "3",\n/);
  assert.match(md, /\n {2}rpc AttachTree \( \.abstractions\.v1\.AttachTreeRequest \) returns \( \.abstractions\.v1\.AttachTreeResponse \);\n/);
  const school = /"entityType":"School".*\n\{\n {2}"lineageId": "([0-9a-f-]+)",/.exec(md);
  assert.ok(school, 'the School create');
  assert.match(md, new RegExp(`abstractions\\.v1\\.EntityService/AttachTree\\n\\{\\n {2}"rootLineageId": "${school[1]}",\\n {2}"treeVersion": "4",\\n`));
  assert.match(md, /ERROR:\n {2}Code: FailedPrecondition\n[\s\S]*"reason": "NOT_A_ROOT"/);
  assert.ok(md.includes(`"root_lineage_id": "${school[1]}"`), 'NOT_A_ROOT names the school');
});
