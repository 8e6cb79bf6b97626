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
