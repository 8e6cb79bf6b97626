'use strict';
// Entity trees through the promise client of @abstractions/api against a live server: members
// created under a parent, writeTree, getTree at one tree version (every page), treeHistory,
// updateTree from concurrent writers and its retry policy, promoteTreeMember, attachTree, the
// typed tree errors, and a watch filtered by root.
//
//   cd interop/node && ABSTRACTIONS_ADDRESS=localhost:8980 node --test test/trees.test.js
//
// Each test works on a tree it creates; outcomes are asserted exactly.
const { test, before, after, mock } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const timers = require('node:timers/promises');
const {
  grpc, AbstractionsClient, TreeVersionConflictError, NotARootError, NotInTreeError, MemberHasChildrenError,
  EntityNotFoundError, AlreadyARootError, TreeCycleError, ServerError, treeChange,
} = require('@abstractions/api');

const ADDRESS = process.env.ABSTRACTIONS_ADDRESS || 'localhost:8980';
const WRITERS = 6;
const WRITES_EACH = 5;

let client;
before(() => { client = new AbstractionsClient(ADDRESS); });
after(() => client.close());

/** Rejects unless promise fails with an error of type Type; returns the error. */
async function failure(promise, Type) {
  const err = await promise.then(() => assert.fail('the call succeeded'), (e) => e);
  assert.ok(err instanceof Type, `${err.name}: ${err.message}`);
  return err;
}

const byId = (members) => [...members].sort((a, b) => (a.lineage_id < b.lineage_id ? -1 : 1));
const member = (tree, id) => tree.members.find((m) => m.lineage_id === id);
const changed = (version) => version.changed.map((m) => [m.lineage_id, m.version, m.deleted]).sort();

async function orderWithLines(...quantities) {
  const order = await client.create('Order', { total: 0 });
  const lines = [];
  for (const qty of quantities) lines.push(await client.create('Line', { qty }, { parentLineageId: order.lineage_id }));
  return [order, lines];
}

/** Where a version is: [lineage_id, version, tree_version, root_lineage_id, parent_lineage_id, data]. */
const placed = (e) => [e.lineage_id, e.version, e.tree_version, e.root_lineage_id, e.parent_lineage_id, e.data];
/** An event's MemberChanged list: [lineage_id, old, new, changed_paths, deleted, entity version, tree version, root]. */
const membersChanged = (members) => members.map((m) => [m.lineage_id, m.old_version, m.new_version, m.changed_paths,
  m.deleted, m.entity.version, m.entity.tree_version, m.entity.root_lineage_id]);

/**
 * A root with a member and the member's child, moved on by `extraWrites` writes of the root (tree
 * version 3 + extraWrites); the root as the tree's latest read has it.
 */
async function attachedTree(extraWrites) {
  const order = await client.create('Order', { n: 0 });
  const line = await client.create('Line', { qty: 1 }, { parentLineageId: order.lineage_id });
  const note = await client.create('Note', { text: 'gift' }, { parentLineageId: line.lineage_id });
  for (let n = 1; n <= extraWrites; n++) await client.replace(order.lineage_id, n, { n });
  const tree = await client.getTree(order.lineage_id);
  assert.equal(tree.tree_version, String(3 + extraWrites));
  return [member(tree, order.lineage_id), line, note];
}

async function collect(iterable) {
  const out = [];
  for await (const x of iterable) out.push(x);
  return out;
}

test('members created under a parent report their tree', async () => {
  const [order, [line]] = await orderWithLines(1);
  const note = await client.create('Note', { text: 'gift' }, { parentLineageId: line.lineage_id });
  const tree = (e) => [e.root_lineage_id, e.parent_lineage_id, e.tree_version, e.version];
  assert.deepEqual(tree(order), [order.lineage_id, '', '1', '1']);
  assert.deepEqual(tree(line), [order.lineage_id, order.lineage_id, '2', '1']);
  assert.deepEqual(tree(note), [order.lineage_id, line.lineage_id, '3', '1']);
  const line2 = await client.replace(line.lineage_id, 1, { qty: 2 }); // one member's write moves the tree on by one
  assert.deepEqual([line2.version, line2.tree_version], ['2', '4']);
});

test('writeTree changes several members at one tree version', async () => {
  const [order, [a, b, c]] = await orderWithLines(1, 5, 9);
  const noteId = crypto.randomUUID();
  const written = await client.writeTree(order.lineage_id, 4, [
    { update: { lineageId: order.lineage_id, data: { total: 3 }, expectedVersion: 1 } },
    { update: { lineageId: a.lineage_id, data: { qty: 2 } } },
    { create: { parentLineageId: a.lineage_id, entityType: 'Note', data: { text: 'new' }, lineageId: noteId } },
    { delete: { lineageId: c.lineage_id } },
  ]);
  assert.equal(written.tree_version, '5');
  assert.deepEqual(written.written.map((e) => [e.lineage_id, e.version, e.tree_version, e.deleted]), [
    [order.lineage_id, '2', '5', false], [a.lineage_id, '2', '5', false], [noteId, '1', '5', false],
    [c.lineage_id, '2', '5', true]]);
  const [order2, a2, note] = written.written;
  assert.deepEqual(new Set(written.written.map((e) => e.last_modified_ns)), new Set([order2.last_modified_ns]));
  assert.deepEqual([order2.previous_ecs_id, a2.previous_ecs_id], [order.ecs_id, a.ecs_id]);
  assert.deepEqual([order2.data, a2.data, note.data, note.parent_lineage_id], [{ total: 3 }, { qty: 2 }, { text: 'new' }, a.lineage_id]);
  assert.deepEqual(await client.get(b.lineage_id), b);

  const latest = await client.getTree(order.lineage_id);
  assert.deepEqual([latest.root_lineage_id, latest.tree_version, latest.last_modified_ns],
    [order.lineage_id, '5', order2.last_modified_ns]);
  assert.deepEqual(latest.members, byId([order2, a2, b, note]));
  const before4 = await client.getTree(order.lineage_id, 4);
  assert.deepEqual([before4.tree_version, before4.last_modified_ns, before4.members],
    ['4', c.last_modified_ns, byId([order, a, b, c])]);
  assert.deepEqual((await client.getTree(order.lineage_id, '2')).members, byId([order, a]));
  const never = await failure(client.getTree(order.lineage_id, 6), EntityNotFoundError);
  assert.deepEqual([never.reason, never.metadata],
    ['VERSION_NOT_FOUND', { root_lineage_id: order.lineage_id, current_tree_version: '5' }]);
});

test('getTree reads every page at the tree version of the first', async () => {
  const [order, lines] = await orderWithLines(0, 1, 2, 3);
  const members = byId([order, ...lines]);
  assert.deepEqual((await client.getTree(order.lineage_id, 0, { pageSize: 1 })).members, members);
  // Page by page on the stub: a write between pages does not reach the pages that follow.
  const page = (token) => new Promise((resolve, reject) => client.entities.GetTree(
    { root_lineage_id: order.lineage_id, page_size: 1, page_token: token },
    (err, response) => (err ? reject(err) : resolve(response))));
  const pages = [await page('')];
  const moved = await client.replace(members[4].lineage_id, 1, { moved: true });
  while (pages[pages.length - 1].next_page_token) pages.push(await page(pages[pages.length - 1].next_page_token));
  assert.deepEqual(pages.map((p) => [p.members.length, p.tree_version]), Array(5).fill([1, '5']));
  assert.deepEqual(pages.map((p) => p.members[0].lineage_id), members.map((m) => m.lineage_id));
  assert.equal(pages[4].members[0].version, '1');
  const latest = await client.getTree(order.lineage_id, 0, { pageSize: 1 });
  assert.deepEqual([latest.tree_version, latest.members[4]], ['6', moved]);
});

test('treeHistory lists every tree version with the members it wrote', async () => {
  const [order, [a, b]] = await orderWithLines(1, 2);
  const written = await client.writeTree(order.lineage_id, 3,
    [{ update: { lineageId: a.lineage_id, data: { qty: 10 } } }, { delete: { lineageId: b.lineage_id } }]);
  const history = await collect(client.treeHistory(order.lineage_id, { pageSize: 2 }));
  assert.deepEqual(history.map((v) => v.tree_version), ['1', '2', '3', '4']);
  assert.deepEqual(history.map(changed), [
    [[order.lineage_id, '1', false]], [[a.lineage_id, '1', false]], [[b.lineage_id, '1', false]],
    [[a.lineage_id, '2', false], [b.lineage_id, '2', true]].sort()]);
  assert.equal(history[3].last_modified_ns, written.written[0].last_modified_ns);
  assert.deepEqual(await collect(client.treeHistory(order.lineage_id)), history);
});

test('a stale writeTree rejects with TreeVersionConflictError and changes nothing', async () => {
  const [order, [line]] = await orderWithLines(1);
  await client.replace(line.lineage_id, 1, { qty: 2 }); // tree version 3
  const tree = await client.getTree(order.lineage_id);
  const err = await failure(client.writeTree(order.lineage_id, 2,
    [{ update: { lineageId: order.lineage_id, data: { total: 99 } } }]), TreeVersionConflictError);
  assert.deepEqual([err.code, err.codeName, err.reason], [grpc.status.ABORTED, 'ABORTED', 'TREE_VERSION_CONFLICT']);
  assert.deepEqual([err.rootLineageId, err.currentTreeVersion], [order.lineage_id, '3']);
  assert.deepEqual(err.metadata, { root_lineage_id: order.lineage_id, current_tree_version: '3' });
  assert.equal(err.name, 'TreeVersionConflictError');
  assert.deepEqual(await client.getTree(order.lineage_id), tree);
});

test('tree calls on a member or across trees reject with typed errors', async () => {
  const [order, [line]] = await orderWithLines(1);
  const note = await client.create('Note', {}, { parentLineageId: line.lineage_id });
  const other = await client.create('Order', {});
  const notRoot = await failure(client.getTree(line.lineage_id), NotARootError);
  assert.deepEqual([notRoot.code, notRoot.reason, notRoot.lineageId, notRoot.rootLineageId],
    [grpc.status.FAILED_PRECONDITION, 'NOT_A_ROOT', line.lineage_id, order.lineage_id]);
  await failure(collect(client.treeHistory(note.lineage_id)), NotARootError);
  const foreign = await failure(client.writeTree(order.lineage_id, 3,
    [{ update: { lineageId: other.lineage_id, data: {} } }]), NotInTreeError);
  assert.deepEqual([foreign.lineageId, foreign.rootLineageId], [other.lineage_id, other.lineage_id]);
  const children = await failure(client.writeTree(order.lineage_id, 3, [{ delete: { lineageId: line.lineage_id } }]),
    MemberHasChildrenError);
  assert.deepEqual([children.lineageId, children.childLineageId], [line.lineage_id, note.lineage_id]);
  const gone = await client.writeTree(order.lineage_id, 3,
    [{ delete: { lineageId: line.lineage_id } }, { delete: { lineageId: note.lineage_id } }]);
  assert.deepEqual([gone.tree_version, gone.written.map((e) => e.deleted)], ['4', [true, true]]);
  assert.deepEqual((await client.getTree(order.lineage_id)).members, [await client.get(order.lineage_id)]);
  assert.throws(() => treeChange({ replace: { lineageId: order.lineage_id } }), TypeError);
});

test('updateTree from concurrent writers loses no write and leaves a gap-free history', async () => {
  const order = await client.create('Order', { total: 0 });
  const counter = await client.create('Counter', { n: 0 }, { parentLineageId: order.lineage_id });
  let calls = 0;
  const addOne = async (tree) => {
    calls += 1;
    await new Promise((resolve) => setImmediate(resolve)); // let the other writers read the same tree version
    const root = member(tree, tree.root_lineage_id);
    const n = member(tree, counter.lineage_id);
    return [{ update: { lineageId: root.lineage_id, data: { total: root.data.total + 1 } } },
      { update: { lineageId: n.lineage_id, data: { n: n.data.n + 1 }, expectedVersion: n.version } }];
  };
  await Promise.all(Array.from({ length: WRITERS }, async () => {
    for (let i = 0; i < WRITES_EACH; i++) await client.updateTree(order.lineage_id, addOne);
  }));
  const writes = WRITERS * WRITES_EACH;
  const tree = await client.getTree(order.lineage_id);
  assert.deepEqual([tree.tree_version, member(tree, order.lineage_id).data, member(tree, counter.lineage_id).data],
    [String(2 + writes), { total: writes }, { n: writes }]);
  const history = await collect(client.treeHistory(order.lineage_id));
  assert.deepEqual(history.map((v) => Number(v.tree_version)), Array.from({ length: 2 + writes }, (_, i) => i + 1));
  assert.deepEqual(history.slice(2).map((v) => v.changed.length), Array(writes).fill(2));
  assert.ok(calls >= writes, `${calls} calls`);
  // Nothing to change: no write, the tree version read.
  assert.deepEqual(await client.updateTree(order.lineage_id, () => []), { tree_version: String(2 + writes), written: [] });
});

test('updateTree gives up after maxAttempts', async () => {
  const order = await client.create('Order', { total: 0 });
  const err = await failure(client.updateTree(order.lineage_id, async (tree) => {
    const root = member(tree, order.lineage_id);
    await client.replace(order.lineage_id, root.version, { total: Number(root.version) }); // always first
    return [{ update: { lineageId: order.lineage_id, data: { total: -1 } } }];
  }, { maxAttempts: 3 }), TreeVersionConflictError);
  assert.equal(err.currentTreeVersion, '4');
  assert.deepEqual((await client.get(order.lineage_id)).data, { total: 3 });
});

test('a watch by root receives the TreeChanged event with its members', async () => {
  const [order, [line]] = await orderWithLines(1);
  await client.create('Order', { elsewhere: true }); // another tree: filtered out
  const written = await client.writeTree(order.lineage_id, 2, [
    { update: { lineageId: line.lineage_id, data: { qty: 2 } } },
    { create: { parentLineageId: line.lineage_id, entityType: 'Note', data: { text: 'gift' } } }]);
  const note = written.written[1];
  const marker = crypto.randomUUID(); // a tree of its own, made after the fact, ends the reading
  await client.create('Marker', {}, { lineageId: marker });
  const events = [];
  for await (const event of client.watch({ rootLineageIds: [order.lineage_id, marker] },
    { fromOldest: true, includeEntities: true })) {
    if (event.root_lineage_id === marker) break;
    events.push(event);
  }
  const summary = (e) => {
    const b = e[e.kind];
    if (e.kind === 'entity_created') return [e.kind, e.target_lineage_id, b.entity.version, b.entity.tree_version];
    if (e.kind === 'tree_changed') {
      return [e.kind, e.target_lineage_id, b.old_tree_version, b.new_tree_version, b.members.map((m) => [
        m.lineage_id, m.old_version, m.new_version, m.changed_paths, m.deleted, m.entity.version, m.entity.tree_version])];
    }
    return [e.kind, e.target_lineage_id];
  };
  assert.deepEqual(events.map(summary), [
    ['entity_created', order.lineage_id, '1', '1'],
    ['entity_created', line.lineage_id, '1', '2'],
    ['tree_changed', order.lineage_id, '2', '3', [
      [line.lineage_id, '1', '2', ['qty'], false, '2', '3'],
      [note.lineage_id, '0', '1', ['text'], false, '1', '3']]],
  ]);
  assert.deepEqual(new Set(events.map((e) => e.root_lineage_id)), new Set([order.lineage_id]));
  assert.equal(events[2].tree_changed.members[1].entity.parent_lineage_id, line.lineage_id);
  const onlyTrees = client.watch({ rootLineageIds: [order.lineage_id], kinds: ['EVENT_TREE_CHANGED'] }, { fromOldest: true });
  const first = await onlyTrees.next();
  onlyTrees.close();
  assert.equal(first.value.sequence, events[2].sequence);
});

test('updateTree waits the Java client\'s backoff and gives up after 50 attempts', async () => {
  const order = await client.create('Order', { total: 0 });
  const reads = [];
  // Each wait drawn at its cap (Math.random just under 1), and recorded instead of slept: 2 ms doubling to 100 ms.
  const random = mock.method(Math, 'random', () => 1 - 2 ** -40);
  const waits = [];
  const sleep = mock.method(timers, 'setTimeout', async (ms) => { waits.push(Math.round(ms * 1000) / 1000); });
  try {
    const err = await failure(client.updateTree(order.lineage_id, async (tree) => {
      reads.push(Number(tree.tree_version));
      const root = member(tree, order.lineage_id);
      await client.replace(order.lineage_id, root.version, { total: Number(root.version) }); // always first
      return [{ update: { lineageId: order.lineage_id, data: { total: -1 } } }];
    }), TreeVersionConflictError);
    assert.equal(err.currentTreeVersion, '51');
  } finally {
    sleep.mock.restore();
    random.mock.restore();
  }
  assert.deepEqual(reads, Array.from({ length: 50 }, (_, i) => i + 1)); // 50 attempts, each losing to fn's write
  assert.deepEqual(waits, [2, 4, 8, 16, 32, 64, ...Array(43).fill(100)]);
  assert.deepEqual((await client.get(order.lineage_id)).data, { total: 50 });
});

test('promoteTreeMember makes a member the root of its subtree', async () => {
  const [order, [line, other]] = await orderWithLines(1, 2);
  const note = await client.create('Note', { text: 'gift' }, { parentLineageId: line.lineage_id });
  const promoted = await client.promoteTreeMember(line.lineage_id, 4);
  assert.deepEqual([promoted.old_root_lineage_id, promoted.tree_version], [order.lineage_id, '5']);
  assert.deepEqual(promoted.written.map(placed), [
    [order.lineage_id, '2', '5', order.lineage_id, '', { total: 0 }],
    [line.lineage_id, '2', '5', line.lineage_id, '', { qty: 1 }],
    [note.lineage_id, '2', '5', line.lineage_id, line.lineage_id, { text: 'gift' }]]);
  assert.deepEqual(promoted.written.map((e) => e.previous_ecs_id), [order.ecs_id, line.ecs_id, note.ecs_id]);
  const [order2, line2, note2] = promoted.written;
  assert.deepEqual((await client.getTree(order.lineage_id)).members, byId([order2, other]));
  assert.deepEqual((await client.getTree(line.lineage_id)).members, byId([line2, note2]));
  const root = await failure(client.promoteTreeMember(line.lineage_id, 5, { priority: 10 }), AlreadyARootError);
  assert.deepEqual([root.code, root.reason, root.lineageId], [grpc.status.FAILED_PRECONDITION, 'ALREADY_A_ROOT', line.lineage_id]);
  // Only the version: the server's root_lineage_id here is the member named, not its tree's root.
  const stale = await failure(client.promoteTreeMember(note.lineage_id, 4), TreeVersionConflictError);
  assert.deepEqual([stale.code, stale.currentTreeVersion], [grpc.status.ABORTED, '5']);
});

async function checkAttach(extraAttached, extraReceiving, treeVersion) {
  const [order, line, note] = await attachedTree(extraAttached);
  const customer = await client.create('Customer', { name: 'Ada' });
  let orders = await client.create('Orders', {}, { parentLineageId: customer.lineage_id });
  for (let n = 1; n <= extraReceiving; n++) orders = await client.replace(orders.lineage_id, orders.version, { n });
  const tAttached = 3 + extraAttached;
  const tReceiving = 2 + extraReceiving;
  assert.equal((await client.getTree(customer.lineage_id)).tree_version, String(tReceiving));

  const attached = await client.attachTree(order.lineage_id, tAttached, orders.lineage_id, tReceiving);
  const tv = String(treeVersion);
  assert.deepEqual([attached.root_lineage_id, attached.tree_version], [customer.lineage_id, tv]);
  const [orders2, order2] = attached.written;
  assert.deepEqual(attached.written.slice(0, 2).map(placed), [
    [orders.lineage_id, String(Number(orders.version) + 1), tv, customer.lineage_id, customer.lineage_id, orders.data],
    [order.lineage_id, String(Number(order.version) + 1), tv, customer.lineage_id, orders.lineage_id, order.data]]);
  // The members that moved with it (in no order the contract names): root and tree version changed.
  const moved = byId(attached.written.slice(2));
  const before = byId([line, note]);
  assert.deepEqual(moved.map(placed), before.map((e) => [e.lineage_id, '2', tv, customer.lineage_id, e.parent_lineage_id, e.data]));
  assert.deepEqual([orders2, order2, ...moved].map((e) => e.previous_ecs_id), [orders.ecs_id, order.ecs_id, ...before.map((e) => e.ecs_id)]);
  assert.deepEqual(new Set(attached.written.map((e) => e.last_modified_ns)), new Set([order2.last_modified_ns]));

  const tree = await client.getTree(customer.lineage_id);
  assert.deepEqual([tree.root_lineage_id, tree.tree_version], [customer.lineage_id, tv]);
  assert.deepEqual(tree.members, byId([customer, ...attached.written]));
  assert.deepEqual((await client.getTree(customer.lineage_id, tReceiving)).members, byId([customer, orders]));
  assert.deepEqual((await collect(client.treeHistory(customer.lineage_id))).slice(-2).map((v) => v.tree_version),
    [String(tReceiving), tv]);
  const notRoot = await failure(client.getTree(order.lineage_id), NotARootError);
  assert.deepEqual([notRoot.code, notRoot.reason, notRoot.metadata], [grpc.status.FAILED_PRECONDITION, 'NOT_A_ROOT',
    { lineage_id: order.lineage_id, root_lineage_id: customer.lineage_id }]);
}

test('attachTree of a higher version puts both trees at its version + 1', async () => {
  await checkAttach(3, 0, 7); // 6 > 2
});

test('attachTree of a lower version puts both trees at the receiving version + 1', async () => {
  await checkAttach(0, 4, 7); // 3 < 6
});

test('attachTree under a root, and at a priority', async () => {
  const order = await client.create('Order', {});
  const customer = await client.create('Customer', {});
  const attached = await client.attachTree(order.lineage_id, 1, customer.lineage_id, 1,
    { priority: 3, requestId: crypto.randomUUID() });
  assert.deepEqual([attached.root_lineage_id, attached.tree_version, attached.written.map(placed)], [customer.lineage_id, '2', [
    [customer.lineage_id, '2', '2', customer.lineage_id, '', {}],
    [order.lineage_id, '2', '2', customer.lineage_id, customer.lineage_id, {}]]]);
  const watch = client.watch({ rootLineageIds: [customer.lineage_id], kinds: ['EVENT_TREE_ATTACHED'] }, { fromOldest: true });
  const { value: event } = await watch.next();
  watch.close();
  assert.equal(event.priority, 3);
  const other = await client.create('Order', {});
  const invalid = await failure(client.attachTree(other.lineage_id, 1, customer.lineage_id, 2, { priority: 11 }), ServerError);
  assert.deepEqual([invalid.code, invalid.reason, invalid.fieldViolations.map((v) => v.field)],
    [grpc.status.INVALID_ARGUMENT, 'INVALID_REQUEST', ['priority']]);
});

test('attachTree under its own member rejects with TreeCycleError and writes nothing', async () => {
  const [order, , note] = await attachedTree(0);
  const before = await client.getTree(order.lineage_id);
  for (const parent of [note.lineage_id, order.lineage_id]) {
    const err = await failure(client.attachTree(order.lineage_id, 3, parent, 3), TreeCycleError);
    assert.deepEqual([err.code, err.reason, err.lineageId, err.parentLineageId],
      [grpc.status.FAILED_PRECONDITION, 'TREE_CYCLE', order.lineage_id, parent]);
    assert.deepEqual(err.metadata, { lineage_id: order.lineage_id, parent_lineage_id: parent });
    assert.equal(err.name, 'TreeCycleError');
  }
  assert.deepEqual(await client.getTree(order.lineage_id), before);
});

test('attachTree refuses a member, a stale tree and an unknown lineage', async () => {
  const [order, line] = await attachedTree(1); // tree version 4
  const customer = await client.create('Customer', {});
  await client.replace(customer.lineage_id, 1, { name: 'Ada' }); // tree version 2
  const memberErr = await failure(client.attachTree(line.lineage_id, 4, customer.lineage_id, 2), NotARootError);
  assert.deepEqual([memberErr.code, memberErr.lineageId, memberErr.rootLineageId],
    [grpc.status.FAILED_PRECONDITION, line.lineage_id, order.lineage_id]);
  const stale = await failure(client.attachTree(order.lineage_id, 3, customer.lineage_id, 2), TreeVersionConflictError);
  assert.deepEqual([stale.code, stale.reason, stale.metadata], [grpc.status.ABORTED, 'TREE_VERSION_CONFLICT',
    { root_lineage_id: order.lineage_id, current_tree_version: '4' }]);
  assert.deepEqual([stale.rootLineageId, stale.currentTreeVersion], [order.lineage_id, '4']);
  const staleParent = await failure(client.attachTree(order.lineage_id, 4, customer.lineage_id, 1), TreeVersionConflictError);
  assert.deepEqual(staleParent.metadata, { root_lineage_id: customer.lineage_id, current_tree_version: '2' });
  const unknown = crypto.randomUUID();
  for (const [lineageId, parent] of [[unknown, customer.lineage_id], [order.lineage_id, unknown]]) {
    const missing = await failure(client.attachTree(lineageId, 4, parent, 2), EntityNotFoundError);
    assert.deepEqual([missing.code, missing.reason, missing.metadata],
      [grpc.status.NOT_FOUND, 'ENTITY_NOT_FOUND', { lineage_id: unknown }]);
  }
  assert.deepEqual([(await client.getTree(order.lineage_id)).tree_version, (await client.getTree(customer.lineage_id)).tree_version],
    ['4', '2']);
});

test('a watch receives the TreeAttached event', async () => {
  const [order, line, note] = await attachedTree(2); // tree version 5
  const customer = await client.create('Customer', {});
  const orders = await client.create('Orders', {}, { parentLineageId: customer.lineage_id }); // tree version 2
  const attached = await client.attachTree(order.lineage_id, 5, orders.lineage_id, 2);
  const watch = client.watch({ rootLineageIds: [customer.lineage_id], kinds: ['EVENT_TREE_ATTACHED'] },
    { fromOldest: true, includeEntities: true });
  const { value: event } = await watch.next();
  watch.close();
  assert.deepEqual([event.kind, event.target_lineage_id, event.root_lineage_id, event.entity_type, event.priority],
    ['tree_attached', order.lineage_id, customer.lineage_id, 'Order', 10]);
  const body = event.tree_attached;
  assert.deepEqual([body.old_tree_version, body.attached_tree_version, body.tree_version], ['2', '5', '6']);
  assert.deepEqual(membersChanged(body.members.slice(0, 2)), [
    [orders.lineage_id, '1', '2', [], false, '2', '6', customer.lineage_id],
    [order.lineage_id, '3', '4', [], false, '4', '6', customer.lineage_id]]);
  assert.deepEqual(membersChanged(body.members.slice(2)).sort(),
    byId([line, note]).map((m) => [m.lineage_id, '1', '2', [], false, '2', '6', customer.lineage_id]));
  assert.deepEqual(body.members.map((m) => m.entity.ecs_id), attached.written.map((e) => e.ecs_id));
  // A watch of the attached tree gets it too: the attachment that put it under another tree.
  const byAttached = client.watch({ rootLineageIds: [order.lineage_id], kinds: ['EVENT_TREE_ATTACHED'] }, { fromOldest: true });
  const { value: same } = await byAttached.next();
  byAttached.close();
  assert.equal(same.sequence, event.sequence);
});
