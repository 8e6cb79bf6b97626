"""Tests of the asyncio client (abstractions.aio.Client) against a live server; see
test_client.py for how to run them. Outcomes are asserted exactly."""
import asyncio
import os
import unittest
import uuid

import grpc

from abstractions import EntityNotFoundError, VersionConflictError
from abstractions.aio import Client
from abstractions.model import to_struct
from abstractions.v1 import operation_pb2 as O
from relay import Relay
from test_client import summary

ADDRESS = os.environ.get("ABSTRACTIONS_ADDRESS", "localhost:8980")


class AsyncClientTest(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.client = Client(ADDRESS)

    async def asyncTearDown(self):
        await self.client.close()

    async def test_create_get_replace_and_conflict(self):
        v1 = await self.client.create("Student", {"name": "Ada", "credits": 3})
        self.assertEqual((v1.version, v1.data), (1, {"name": "Ada", "credits": 3}))
        self.assertEqual(await self.client.get(v1.lineage_id), v1)
        v2 = await self.client.replace(v1.lineage_id, 1, {"credits": 4})
        self.assertEqual((v2.version, v2.previous_ecs_id, v2.data), (2, v1.ecs_id, {"credits": 4}))
        with self.assertRaises(VersionConflictError) as caught:
            await self.client.replace(v1.lineage_id, 1, {"credits": 99})
        self.assertEqual((caught.exception.code, caught.exception.current_version, caught.exception.current_ecs_id),
                         (grpc.StatusCode.ABORTED, 2, v2.ecs_id))
        self.assertEqual([e.version async for e in self.client.history(v1.lineage_id, page_size=1)], [1, 2])
        missing = str(uuid.uuid4())
        with self.assertRaises(EntityNotFoundError) as caught:
            await self.client.get(missing)
        self.assertEqual(caught.exception.metadata, {"lineage_id": missing})

    async def test_update_with_a_coroutine_fn_recomputes_on_a_concurrent_write(self):
        v1 = await self.client.create("Counter", {"n": 0})
        seen = []

        async def add_one(data):
            seen.append(data)
            if len(seen) == 1:
                await self.client.replace(v1.lineage_id, 1, {"n": 10})
            return {"n": data["n"] + 1}

        v3 = await self.client.update(v1.lineage_id, add_one)
        self.assertEqual((seen, v3.version, v3.data), ([{"n": 0}, {"n": 10}], 3, {"n": 11}))

    async def test_update_that_meets_a_higher_gate_owner_yields_and_lands_after_it(self):
        v1 = await self.client.create("Counter", {"n": 0})
        high = []

        async def add_one(data):
            if not high:
                begun = await self.client.operations.Begin(O.BeginOperationRequest(
                    target_lineage_id=v1.lineage_id, priority_class=O.STRUCTURAL))
                high.append(begun.operation.op_id)
                await self.client.replace(v1.lineage_id, 1, {"n": 5})
                conflict = await self.client.operations.Commit(O.CommitOperationRequest(
                    op_id=high[0], data=to_struct({"n": 6})))
                self.assertEqual(conflict.outcome, O.OUTCOME_CONFLICT)
            elif data["n"] == 5:  # yielded to the owner: it commits, and the gate passes to this one
                landed = await self.client.operations.Commit(O.CommitOperationRequest(
                    op_id=high[0], data=to_struct({"n": 6})))
                self.assertEqual(landed.outcome, O.OUTCOME_COMMITTED)
            return {"n": data["n"] + 1}

        v4 = await self.client.update(v1.lineage_id, add_one, priority_class="LOW")
        self.assertEqual((v4.version, v4.data), (4, {"n": 7}))

    async def test_execute_runs_a_server_function(self):
        v1 = await self.client.create("Counter", {"items": ["a"]})
        v2 = await self.client.execute(v1.lineage_id, "append", {"path": "items", "value": "b"})
        self.assertEqual((v2.version, v2.data), (2, {"items": ["a", "b"]}))

    async def test_watch_resumes_after_the_connection_drops(self):
        v1 = await self.client.create("Student", {"n": 1})
        with Relay(ADDRESS) as relay:
            through_relay = Client(relay.address)
            try:
                events = []
                async with through_relay.watch(lineage_ids=[v1.lineage_id], from_oldest=True) as watch:
                    async for event in watch:
                        events.append(event)
                        if len(events) == 1:
                            relay.cut()
                            await self.client.replace(v1.lineage_id, 1, {"n": 2})
                            await self.client.replace(v1.lineage_id, 2, {"n": 3})
                        if len(events) == 3:
                            break
            finally:
                await through_relay.close()
            self.assertEqual(relay.connections, 2)
        self.assertEqual([summary(e) for e in events],
                         [("entity_created", 1), ("entity_versioned", 1, 2), ("entity_versioned", 2, 3)])

    async def test_watch_close_ends_the_iteration(self):
        watch = self.client.watch(lineage_ids=[str(uuid.uuid4())])
        asyncio.get_running_loop().call_later(0.3, watch.close)
        self.assertEqual([e async for e in watch], [])


if __name__ == "__main__":
    unittest.main()
