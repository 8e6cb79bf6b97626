// Type-checked by test/types.test.js (tsc, never run): the CommonJS entry's declarations.
import api = require('@abstractions/api');

export async function tour(address: string): Promise<string> {
  const client = new api.AbstractionsClient(address, { timeoutMs: 5000 });
  const ada: api.PlainEntity = await client.create('Student', { name: 'Ada', credits: 3 });
  const v2 = await client.update(ada.lineage_id, (data) => ({ ...data, credits: Number(data.credits) + 1 }),
    { priorityClass: 'STRUCTURAL' });
  // @ts-expect-error fn must return the new data
  await client.update(ada.lineage_id, () => 42);
  // @ts-expect-error priority classes are STRUCTURAL, NORMAL and LOW
  await client.update(ada.lineage_id, (data) => data, { priorityClass: 'HIGH' });
  try {
    await client.replace(ada.lineage_id, 1, { credits: 5 });
  } catch (e) {
    if (e instanceof api.VersionConflictError) return e.currentVersion;
    if (e instanceof api.ServerError && e.code === api.grpc.status.ABORTED) return e.reason;
  }
  const watch: api.Watch = client.watch({ lineageIds: [ada.lineage_id], kinds: ['EVENT_ENTITY_VERSIONED'] }, { fromOldest: true });
  for await (const event of watch) {
    if (event.kind === 'entity_versioned' && event.entity_versioned) return event.entity_versioned.new_version;
  }
  client.close();
  return v2.version;
}

export async function trees(address: string): Promise<string> {
  const client = new api.AbstractionsClient(address);
  const root = await client.create('Order', { total: 0 });
  const line = await client.create('Line', { qty: 1 }, { parentLineageId: root.lineage_id });
  const written: api.TreeWrite = await client.writeTree(root.lineage_id, line.tree_version, [
    { update: { lineageId: root.lineage_id, data: { total: 1 }, expectedVersion: 1 } },
    { create: { parentLineageId: line.lineage_id, entityType: 'Note', data: { text: 'gift' } } },
    { delete: { lineageId: line.lineage_id } },
  ]);
  // @ts-expect-error a change is one of create, update and delete
  await client.writeTree(root.lineage_id, 1, [{ replace: { lineageId: root.lineage_id } }]);
  const tree: api.PlainTree = await client.getTree(root.lineage_id, written.tree_version, { pageSize: 1 });
  for await (const version of client.treeHistory(root.lineage_id)) {
    const changed: api.MemberVersion__Output[] = version.changed;
    if (changed.length > 1) return version.tree_version;
  }
  try {
    await client.updateTree(root.lineage_id, (t) => [{ update: { lineageId: t.root_lineage_id, data: { total: t.members.length } } }],
      { maxAttempts: 5 });
  } catch (e) {
    if (e instanceof api.TreeVersionConflictError) return e.currentTreeVersion;
    if (e instanceof api.NotARootError) return e.rootLineageId;
  }
  // @ts-expect-error fn returns the changes, not data
  await client.updateTree(root.lineage_id, () => ({ total: 1 }));
  for await (const event of client.watch({ rootLineageIds: [root.lineage_id], kinds: ['EVENT_TREE_CHANGED'] })) {
    if (event.kind === 'tree_changed' && event.tree_changed) return event.tree_changed.new_tree_version;
  }
  const promoted: api.TreePromotion = await client.promoteTreeMember(line.lineage_id, 4, { priority: 10 });
  try {
    const attached: api.TreeAttachment = await client.attachTree(line.lineage_id, promoted.tree_version,
      root.lineage_id, promoted.tree_version, { priority: 3, requestId: 'r' });
    const moved: api.PlainEntity[] = attached.written;
    if (moved.length > 2) return attached.root_lineage_id;
  } catch (e) {
    if (e instanceof api.TreeCycleError) return e.parentLineageId;
    if (e instanceof api.AlreadyARootError) return e.lineageId;
  }
  // @ts-expect-error attachTree needs the parent's tree version
  await client.attachTree(line.lineage_id, 1, root.lineage_id);
  for await (const event of client.watch({ rootLineageIds: [root.lineage_id], kinds: ['EVENT_TREE_ATTACHED'] })) {
    if (event.kind === 'tree_attached' && event.tree_attached) return event.tree_attached.attached_tree_version;
  }
  client.close();
  return tree.tree_version;
}
