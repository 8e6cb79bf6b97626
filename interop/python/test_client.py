"""Tests of the packaged Python client (abstractions.Client) against a live server.

    ABSTRACTIONS_ADDRESS=localhost:8980 python -m unittest discover -s interop/python -v

Run in a virtual environment where the package is installed (interop/run.sh makes a fresh one).
Each test works on entities it creates; outcomes are asserted exactly.
"""
import os
import threading
import time
import unittest
import uuid

import grpc

from abstractions import (Client, EntityNotFoundError, EventsLostError, GateHeldError,
                          ServerError, VersionConflictError)
from abstractions.v1 import operation_pb2 as O
from relay import Relay

ADDRESS = os.environ.get("ABSTRACTIONS_ADDRESS", "localhost:8980")


def summary(event):
    kind = event.WhichOneof("kind")
    body = getattr(event, kind)
    if kind == "entity_created":
        return (kind, body.entity.version)
    if kind == "entity_versioned":
        return (kind, body.old_version, body.new_version)
    return (kind,)


class ClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = Client(ADDRESS)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()

    def begin(self, lineage_id, priority_class=O.NORMAL):
        return self.client.operations.Begin(O.BeginOperationRequest(
            target_lineage_id=lineage_id, priority_class=priority_class, op_type="other")).operation

    def commit(self, op_id, data):
        from abstractions.model import to_struct
        return self.client.operations.Commit(O.CommitOperationRequest(op_id=op_id, data=to_struct(data)))

    # ---- entities -----------------------------------------------------------------------

    def test_create_get_replace_and_history(self):
        v1 = self.client.create("Student", {"name": "Ada", "credits": 3, "tags": ["a"], "gpa": 3.5})
        self.assertEqual((v1.version, v1.entity_type, v1.previous_ecs_id, v1.deleted), (1, "Student", "", False))
        self.assertEqual(v1.data, {"name": "Ada", "credits": 3, "tags": ["a"], "gpa": 3.5})
        self.assertIs(type(v1.data["credits"]), int)  # a whole Struct number comes back as an int
        self.assertEqual(self.client.get(v1.lineage_id), v1)
        v2 = self.client.replace(v1.lineage_id, 1, {"name": "Ada", "credits": 4})
        self.assertEqual((v2.lineage_id, v2.version, v2.previous_ecs_id), (v1.lineage_id, 2, v1.ecs_id))
        self.assertGreater(v2.last_modified_ns, v1.last_modified_ns)
        self.assertEqual(self.client.get(v1.lineage_id, version=1), v1)
        self.assertEqual(list(self.client.history(v1.lineage_id, page_size=1)), [v1, v2])

    def test_serializable_reads_read_what_the_server_applied(self):
        # One server applies every write it acknowledges before answering: serializable reads
        # see the same as linearizable ones (a member cut off from its quorum is the Java tests').
        entity_type = "Serial" + uuid.uuid4().hex[:8]
        v1 = self.client.create(entity_type, {"n": 1})
        v2 = self.client.replace(v1.lineage_id, 1, {"n": 2})
        self.assertEqual(self.client.get(v1.lineage_id, serializable=True), v2)
        self.assertEqual(self.client.get(v1.lineage_id, version=1, serializable=True), v1)
        self.assertEqual(list(self.client.history(v1.lineage_id, serializable=True)), [v1, v2])
        self.assertEqual(list(self.client.list(entity_type, serializable=True)), [v2])

    def test_list_reads_every_page(self):
        entity_type = "Page" + uuid.uuid4().hex[:8]
        created = {self.client.create(entity_type, {"i": i}).lineage_id for i in range(5)}
        listed = list(self.client.list(entity_type, page_size=2))
        self.assertEqual({e.lineage_id for e in listed}, created)
        self.assertEqual(len(listed), 5)

    def test_stale_replace_raises_version_conflict_with_the_current_version(self):
        v1 = self.client.create("Student", {"n": 1})
        v2 = self.client.replace(v1.lineage_id, 1, {"n": 2})
        with self.assertRaises(VersionConflictError) as caught:
            self.client.replace(v1.lineage_id, 1, {"n": 99})
        err = caught.exception
        self.assertEqual((err.code, err.reason), (grpc.StatusCode.ABORTED, "VERSION_CONFLICT"))
        self.assertEqual((err.lineage_id, err.current_version, err.current_ecs_id), (v1.lineage_id, 2, v2.ecs_id))
        self.assertEqual(err.metadata, {"lineage_id": v1.lineage_id, "current_version": "2",
                                        "current_ecs_id": v2.ecs_id})
        self.assertEqual(err.status.code, grpc.StatusCode.ABORTED.value[0])
        self.assertIsInstance(err.__cause__, grpc.RpcError)

    def test_missing_and_deleted_entities_raise_entity_not_found(self):
        missing = str(uuid.uuid4())
        with self.assertRaises(EntityNotFoundError) as caught:
            self.client.get(missing)
        self.assertEqual((caught.exception.code, caught.exception.reason, caught.exception.metadata),
                         (grpc.StatusCode.NOT_FOUND, "ENTITY_NOT_FOUND", {"lineage_id": missing}))
        v1 = self.client.create("Student", {"n": 1})
        tomb = self.client.delete(v1.lineage_id, 1)
        self.assertEqual((tomb.version, tomb.deleted), (2, True))
        with self.assertRaises(EntityNotFoundError) as caught:
            self.client.get(v1.lineage_id)
        self.assertEqual((caught.exception.reason, caught.exception.metadata),
                         ("ENTITY_DELETED", {"lineage_id": v1.lineage_id, "deleted_version": "2"}))

    def test_bad_input_raises_a_server_error_with_every_field_violation(self):
        with self.assertRaises(ServerError) as caught:
            self.client.create("", {}, lineage_id="nope")
        err = caught.exception
        self.assertIs(type(err), ServerError)
        self.assertEqual((err.code, err.reason), (grpc.StatusCode.INVALID_ARGUMENT, "INVALID_REQUEST"))
        self.assertEqual(sorted(field for field, _ in err.field_violations), ["entity_type", "lineage_id"])

    # ---- update(id, fn) ---------------------------------------------------------------------

    def test_update_recomputes_on_a_concurrent_write(self):
        v1 = self.client.create("Counter", {"n": 0})
        seen = []

        def add_one(data):
            seen.append(data)
            if len(seen) == 1:  # another writer lands between Begin and Commit
                self.client.replace(v1.lineage_id, 1, {"n": 10})
            return {"n": data["n"] + 1}

        v3 = self.client.update(v1.lineage_id, add_one)
        self.assertEqual(seen, [{"n": 0}, {"n": 10}])
        self.assertEqual((v3.version, v3.data), (3, {"n": 11}))
        op = self.client.operations.Get(O.GetOperationRequest(op_id=v3.derived_from_op_id))
        self.assertEqual((op.status, op.retry_count, op.op_type, op.priority_class),
                         (O.SUCCEEDED, 1, "update", O.NORMAL))

    def test_update_waits_the_retry_after_of_an_equal_priority_gate_owner(self):
        v1 = self.client.create("Counter", {"n": 0})
        owner = self.begin(v1.lineage_id)
        self.client.replace(v1.lineage_id, 1, {"n": 1})
        self.assertEqual(self.commit(owner.op_id, {"n": -1}).outcome, O.OUTCOME_CONFLICT)  # owner holds the gate
        seen = []

        def add_one(data):
            seen.append(data)
            if len(seen) == 2:  # the owner finishes while this operation waits its turn
                self.assertEqual(self.commit(owner.op_id, {"n": 100}).outcome, O.OUTCOME_COMMITTED)
            return {"n": data["n"] + 1}

        latest = self.client.update(v1.lineage_id, add_one)
        # 1st: told to wait (uncharged) behind the owner; 2nd: its snapshot predates the owner's
        # write, so a fresh one (uncharged); 3rd: commits.
        self.assertEqual(seen, [{"n": 1}, {"n": 1}, {"n": 100}])
        self.assertEqual((latest.version, latest.data), (4, {"n": 101}))
        op = self.client.operations.Get(O.GetOperationRequest(op_id=latest.derived_from_op_id))
        self.assertEqual((op.status, op.retry_count), (O.SUCCEEDED, 0))

    def test_update_keeps_the_gate_while_fn_runs_longer_than_the_gate_lease(self):
        v1 = self.client.create("Counter", {"n": 0})
        seen = []

        def slow_add_one(data):
            seen.append(data)
            if len(seen) == 1:
                self.client.replace(v1.lineage_id, 1, {"n": 10})  # the conflict makes it the gate owner
            else:
                time.sleep(6)  # longer than the server's gate lease (5 s)
            return {"n": data["n"] + 1}

        v3 = self.client.update(v1.lineage_id, slow_add_one)
        self.assertEqual((seen, v3.version, v3.data), ([{"n": 0}, {"n": 10}], 3, {"n": 11}))

    def test_update_that_meets_a_higher_gate_owner_yields_uncharged_and_lands_after_it(self):
        v1 = self.client.create("Counter", {"n": 0})
        high = []
        seen = []

        def add_one(data):
            seen.append(data["n"])
            if not high:  # a STRUCTURAL operation conflicts while this LOW one computes, and owns the gate
                high.append(self.begin(v1.lineage_id, O.STRUCTURAL))
                self.client.replace(v1.lineage_id, 1, {"n": 5})
                self.assertEqual(self.commit(high[0].op_id, {"n": 6}).outcome, O.OUTCOME_CONFLICT)
            elif len(seen) == 2:  # yielded: a plain write meets the same gate, then the owner commits
                with self.assertRaises(GateHeldError) as held:
                    self.client.replace(v1.lineage_id, 2, {"n": 9})
                self.assertEqual((held.exception.reason, held.exception.metadata["preempted_by_op_id"]),
                                 ("PREEMPTED", high[0].op_id))
                self.assertEqual(self.commit(high[0].op_id, {"n": 6}).outcome, O.OUTCOME_COMMITTED)
            return {"n": data["n"] + 1}

        v4 = self.client.update(v1.lineage_id, add_one, priority_class="LOW")
        # Computed on v1, then on v2 (the snapshot it yielded with), then on v3 once the gate passed to it.
        self.assertEqual((seen, v4.version, v4.data), ([0, 5, 6], 4, {"n": 7}))

    def test_an_error_in_fn_aborts_the_operation_and_propagates(self):
        v1 = self.client.create("Counter", {"n": 0})

        def broken(_data):
            raise KeyError("missing")

        with self.assertRaises(KeyError):
            self.client.update(v1.lineage_id, broken, op_type="broken")
        ops = self.client.operations.List(O.ListOperationsRequest(target_lineage_id=v1.lineage_id)).operations
        self.assertEqual([(op.op_type, op.status) for op in ops], [("broken", O.CANCELLED)])
        self.assertEqual(self.client.get(v1.lineage_id).version, 1)

    def test_execute_runs_a_server_function(self):
        v1 = self.client.create("Counter", {"n": 1})
        v2 = self.client.execute(v1.lineage_id, "increment", {"path": "n", "by": 4}, priority_class="STRUCTURAL")
        self.assertEqual((v2.version, v2.data, v2.derived_from_function), (2, {"n": 5}, "increment"))

    # ---- watch --------------------------------------------------------------------------

    def test_watch_resumes_after_the_connection_drops(self):
        v1 = self.client.create("Student", {"n": 1})
        with Relay(ADDRESS) as relay, Client(relay.address) as through_relay:
            with through_relay.watch(lineage_ids=[v1.lineage_id], from_oldest=True) as watch:
                first = next(watch)
                relay.cut()
                # Written while the watch is cut off, through a connection of its own.
                self.client.replace(v1.lineage_id, 1, {"n": 2})
                self.client.replace(v1.lineage_id, 2, {"n": 3})
                rest = [next(watch), next(watch)]
            self.assertEqual(relay.connections, 2)
        events = [first] + rest
        self.assertEqual([summary(e) for e in events],
                         [("entity_created", 1), ("entity_versioned", 1, 2), ("entity_versioned", 2, 3)])
        self.assertEqual(sorted({e.sequence for e in events}), [e.sequence for e in events])
        self.assertEqual(watch.last_sequence, events[-1].sequence)

    def test_watch_close_from_another_thread_ends_the_iteration(self):
        watch = self.client.watch(lineage_ids=[str(uuid.uuid4())])
        closer = threading.Timer(0.3, watch.close)
        closer.start()
        self.assertEqual(list(watch), [])
        closer.join()

    def test_watch_from_beyond_the_log_raises_events_lost(self):
        with self.assertRaises(EventsLostError) as caught:
            next(self.client.watch(from_sequence=10**12))
        err = caught.exception
        self.assertEqual((err.code, err.reason), (grpc.StatusCode.OUT_OF_RANGE, "EVENTS_NOT_RETAINED"))
        self.assertEqual(sorted(err.metadata), ["head_sequence", "oldest_sequence"])


if __name__ == "__main__":
    unittest.main()
