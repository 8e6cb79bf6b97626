// Type-checked by test/types.test.js (tsc, never run): the ES module entry's declarations.
import api, { AbstractionsClient, OperationRejectedError, type PlainEntity } from '@abstractions/api';

const client = new AbstractionsClient('localhost:8980');
const ada: PlainEntity = await client.execute('id', 'increment', { path: 'credits' });
const same: typeof api.AbstractionsClient = AbstractionsClient;
try {
  await client.update(ada.lineage_id, async (data) => ({ ...data, seen: true }), { priorityClass: 'LOW' });
} catch (e) {
  if (e instanceof OperationRejectedError) console.log(e.reason, e.preemptedByOpId, e.operation.status);
}
// @ts-expect-error data must be a JSON object
await client.create('Student', 'Ada');
console.log(same.name);
