"""Interop tests: the generated Python stubs (abstractions.v1) against a live server.

    ABSTRACTIONS_ADDRESS=localhost:8980 python -m unittest discover -s interop/python -v

(in a virtual environment with the package installed: pip install ./src-gen/python).

Each test works on entities it creates, so the tests share one server (and may run after
other clients) without interfering. Outcomes are asserted exactly: versions, status codes,
ErrorInfo reasons and metadata, operation outcomes, and event sequences.
"""
import contextlib
import io
import os
import re
import time
import unittest
import uuid

import grpc

import example
from example import Client, as_dict, error_details, struct
from abstractions.v1 import entity_pb2, event_pb2, operation_pb2

E, O, EV = entity_pb2, operation_pb2, event_pb2
ADDRESS = os.environ.get("ABSTRACTIONS_ADDRESS", example.DEFAULT_ADDRESS)
DOMAIN = "abstractions.dev"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def quiet(*_args, **_kwargs):
    pass


class InteropTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = Client(ADDRESS)
        grpc.channel_ready_future(cls.client.channel).result(timeout=15)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()

    # ---- helpers ------------------------------------------------------------------------

    def create(self, data=None, entity_type="Student", **kw):
        return self.client.entities.Create(E.CreateEntityRequest(
            entity_type=entity_type, data=struct(data or {}), **kw))

    def update(self, lineage_id, expected_version, data):
        return self.client.entities.Update(E.UpdateEntityRequest(
            lineage_id=lineage_id, expected_version=expected_version, data=struct(data)))

    def begin(self, lineage_id, priority_class=O.NORMAL, op_type="test"):
        return self.client.operations.Begin(O.BeginOperationRequest(
            target_lineage_id=lineage_id, priority_class=priority_class, op_type=op_type)).operation

    def commit(self, op_id, data):
        return self.client.operations.Commit(O.CommitOperationRequest(op_id=op_id, data=struct(data)))

    def assert_error(self, call, code, reason, metadata=None):
        """Runs call, expects an RpcError with this code and ErrorInfo; returns (info, bad)."""
        with self.assertRaises(grpc.RpcError) as caught:
            call()
        err = caught.exception
        self.assertEqual(err.code(), code, err.details())
        info, bad = error_details(err)
        self.assertIsNotNone(info, "no ErrorInfo in grpc-status-details-bin")
        self.assertEqual(info.reason, reason)
        self.assertEqual(info.domain, DOMAIN)
        if metadata is not None:
            self.assertEqual(dict(info.metadata), metadata)
        return info, bad

    def lineage_events(self, lineage_id):
        """Every event about lineage_id from the oldest retained on. Ends at a marker entity
        created after the fact (ids are chosen client-side), so no timeout guesses."""
        marker = str(uuid.uuid4())
        self.create(entity_type="Marker", lineage_id=marker)
        stream = self.client.events.Subscribe(EV.SubscribeRequest(
            filter=EV.EventFilter(lineage_ids=[lineage_id, marker]), from_oldest=True), timeout=15)
        events = []
        try:
            for event in stream:
                if event.WhichOneof("kind") == "progress":
                    continue
                if event.target_lineage_id == marker:
                    break
                events.append(event)
        finally:
            stream.cancel()
        return events

    @staticmethod
    def summary(event):
        kind = event.WhichOneof("kind")
        body = getattr(event, kind)
        if kind == "entity_created":
            return (kind, body.entity.version)
        if kind == "entity_versioned":
            return (kind, body.old_version, body.new_version, tuple(body.changed_paths))
        if kind == "entity_deleted":
            return (kind, body.version)
        if kind == "operation_started":
            return (kind, O.PriorityClass.Name(body.operation.priority_class), body.operation.priority)
        if kind == "operation_conflict":
            return (kind, body.snapshot_version, body.current_version, body.charged)
        if kind == "operation_retry":
            return (kind, body.retry_count, body.max_retries)
        if kind == "operation_rejected":
            return (kind, O.RejectionReason.Name(body.reason), body.preempted_by_op_id)
        if kind == "operation_succeeded":
            return (kind, body.version)
        return (kind,)

    # ---- entities -----------------------------------------------------------------------

    def test_create_then_get(self):
        created = self.create({"name": "Ada", "credits": 3, "tags": ["a", "b"]})
        self.assertRegex(created.lineage_id, UUID_RE)
        self.assertRegex(created.ecs_id, UUID_RE)
        self.assertEqual(created.version, 1)
        self.assertEqual(created.previous_ecs_id, "")
        self.assertEqual(created.entity_type, "Student")
        self.assertFalse(created.deleted)
        self.assertGreater(created.last_modified_ns, 0)
        self.assertEqual(as_dict(created.data), {"name": "Ada", "credits": 3, "tags": ["a", "b"]})
        got = self.client.entities.Get(E.GetEntityRequest(lineage_id=created.lineage_id))
        self.assertEqual(got, created)

    def test_update_chains_versions(self):
        v1 = self.create({"n": 1})
        v2 = self.update(v1.lineage_id, 1, {"n": 2})
        self.assertEqual((v2.lineage_id, v2.version, v2.previous_ecs_id), (v1.lineage_id, 2, v1.ecs_id))
        self.assertNotEqual(v2.ecs_id, v1.ecs_id)
        self.assertGreater(v2.last_modified_ns, v1.last_modified_ns)
        old = self.client.entities.Get(E.GetEntityRequest(lineage_id=v1.lineage_id, version=1))
        self.assertEqual(as_dict(old.data), {"n": 1})

    def test_stale_update_is_aborted_with_current_version(self):
        v1 = self.create({"n": 1})
        v2 = self.update(v1.lineage_id, 1, {"n": 2})
        self.assert_error(lambda: self.update(v1.lineage_id, 1, {"n": 99}),
                          grpc.StatusCode.ABORTED, "VERSION_CONFLICT",
                          {"lineage_id": v1.lineage_id, "current_version": "2", "current_ecs_id": v2.ecs_id})
        latest = self.client.entities.Get(E.GetEntityRequest(lineage_id=v1.lineage_id))
        self.assertEqual((latest.version, as_dict(latest.data)), (2, {"n": 2}))

    def test_example_cas_loop_recovers_from_conflict(self):
        v1 = self.create({"credits": 0})
        self.update(v1.lineage_id, 1, {"credits": 5})
        log = []
        v3 = example.update_with_cas(self.client, v1.lineage_id, 1, lambda d: {**d, "year": 2}, log=log.append)
        self.assertEqual(v3.version, 3)
        self.assertEqual(as_dict(v3.data), {"credits": 5, "year": 2})
        self.assertEqual(log, ["  update at v1: ABORTED VERSION_CONFLICT current_version=2"])

    def test_unknown_lineage_is_not_found(self):
        missing = str(uuid.uuid4())
        self.assert_error(lambda: self.client.entities.Get(E.GetEntityRequest(lineage_id=missing)),
                          grpc.StatusCode.NOT_FOUND, "ENTITY_NOT_FOUND", {"lineage_id": missing})

    def test_create_of_existing_id_already_exists(self):
        v1 = self.create({"n": 1})
        self.assert_error(lambda: self.create(lineage_id=v1.lineage_id),
                          grpc.StatusCode.ALREADY_EXISTS, "ENTITY_ALREADY_EXISTS",
                          {"lineage_id": v1.lineage_id, "current_version": "1"})

    def test_bad_input_lists_field_violations(self):
        _, bad = self.assert_error(lambda: self.create(entity_type="", lineage_id="nope"),
                                   grpc.StatusCode.INVALID_ARGUMENT, "INVALID_REQUEST")
        self.assertIsNotNone(bad, "no BadRequest detail")
        fields = sorted(v.field for v in bad.field_violations)
        self.assertEqual(fields, ["entity_type", "lineage_id"])

    def test_delete_writes_a_tombstone(self):
        v1 = self.create({"n": 1})
        tomb = self.client.entities.Delete(E.DeleteEntityRequest(lineage_id=v1.lineage_id, expected_version=1))
        self.assertEqual((tomb.version, tomb.deleted, as_dict(tomb.data)), (2, True, {"n": 1}))
        self.assert_error(lambda: self.client.entities.Get(E.GetEntityRequest(lineage_id=v1.lineage_id)),
                          grpc.StatusCode.NOT_FOUND, "ENTITY_DELETED",
                          {"lineage_id": v1.lineage_id, "deleted_version": "2"})

    # ---- operations ---------------------------------------------------------------------

    def test_operation_conflicts_then_commits(self):
        v1 = self.create({"credits": 0})
        op = self.begin(v1.lineage_id, O.STRUCTURAL, "add-credits")
        self.assertEqual((op.priority, op.effective_priority, op.max_retries, op.status, op.snapshot_version),
                         (10, 10, 20, O.PENDING, 1))
        self.update(v1.lineage_id, 1, {"credits": 10})  # makes the snapshot stale
        first = self.commit(op.op_id, {"credits": 3})
        self.assertEqual(first.outcome, O.OUTCOME_CONFLICT)
        self.assertEqual((first.entity.version, as_dict(first.entity.data)), (2, {"credits": 10}))
        self.assertTrue(first.charged)
        self.assertEqual((first.operation.status, first.operation.retry_count), (O.RETRYING, 1))
        self.assertEqual(first.retry_after.ToNanoseconds(), 0)  # the gate owner retries at once
        second = self.commit(op.op_id, {"credits": 13})
        self.assertEqual(second.outcome, O.OUTCOME_COMMITTED)
        self.assertEqual((second.entity.version, second.entity.derived_from_op_id), (3, op.op_id))
        self.assertEqual((second.operation.status, second.operation.committed_version), (O.SUCCEEDED, 3))

    def test_example_operation_loop(self):
        v1 = self.create({"credits": 0})
        log = []
        done = example.run_operation(
            self.client, v1.lineage_id, lambda d: {**d, "credits": d["credits"] + 3},
            priority_class=O.STRUCTURAL, op_type="add-credits",
            before_commit=lambda _op: self.update(v1.lineage_id, 1, {"credits": 10}), log=log.append)
        self.assertEqual(done.outcome, O.OUTCOME_COMMITTED)
        self.assertEqual((done.entity.version, as_dict(done.entity.data)), (3, {"credits": 13}))
        self.assertEqual(log[1:], ["  commit: OUTCOME_CONFLICT fresh snapshot v2, retry_count=1, retry after 0 ms",
                                   "  commit: OUTCOME_COMMITTED -> v3"])

    def test_equal_priority_waits_behind_gate_owner(self):
        v1 = self.create({"n": 0})
        a = self.begin(v1.lineage_id, op_type="a")
        b = self.begin(v1.lineage_id, op_type="b")
        self.update(v1.lineage_id, 1, {"n": 1})
        a1 = self.commit(a.op_id, {"n": 2})
        self.assertEqual((a1.outcome, a1.charged, a1.retry_after.ToNanoseconds()), (O.OUTCOME_CONFLICT, True, 0))
        b1 = self.commit(b.op_id, {"n": 2})  # a owns the gate: b waits, uncharged, with a retry_after
        self.assertEqual((b1.outcome, b1.charged, b1.operation.retry_count), (O.OUTCOME_CONFLICT, False, 0))
        self.assertGreater(b1.retry_after.ToNanoseconds(), 0)
        # A plain write (an anonymous NORMAL operation) is told to come back later, too.
        info, _ = self.assert_error(lambda: self.update(v1.lineage_id, 2, {"n": 9}),
                                    grpc.StatusCode.ABORTED, "GATE_HELD")
        self.assertEqual(info.metadata["gate_owner_op_id"], a.op_id)
        self.assertGreater(int(info.metadata["retry_after_ms"]), 0)
        a2 = self.commit(a.op_id, {"n": 2})
        self.assertEqual((a2.outcome, a2.entity.version), (O.OUTCOME_COMMITTED, 3))
        time.sleep(b1.retry_after.ToTimedelta().total_seconds())
        b2 = self.commit(b.op_id, {"n": 3})  # stale snapshot from before it owned the gate: not charged
        self.assertEqual((b2.outcome, b2.charged, b2.entity.version), (O.OUTCOME_CONFLICT, False, 3))
        b3 = self.commit(b.op_id, {"n": 3})
        self.assertEqual((b3.outcome, b3.entity.version, b3.operation.retry_count), (O.OUTCOME_COMMITTED, 4, 0))

    def test_lower_priority_yields_to_a_higher_gate_owner_uncharged(self):
        v1 = self.create({"n": 0})
        low = self.begin(v1.lineage_id, O.LOW)
        self.assertEqual((low.priority, low.max_retries), (2, 3))
        high = self.begin(v1.lineage_id, O.STRUCTURAL)
        self.update(v1.lineage_id, 1, {"n": 1})
        self.assertEqual(self.commit(high.op_id, {"n": 2}).outcome, O.OUTCOME_CONFLICT)
        yields = self.commit(low.op_id, {"n": 2})
        self.assertEqual((yields.outcome, yields.charged, yields.operation.status, yields.operation.retry_count),
                         (O.OUTCOME_CONFLICT, False, O.RETRYING, 0))
        self.assertGreater(yields.retry_after.ToNanoseconds(), 0)
        self.assert_error(lambda: self.update(v1.lineage_id, 2, {"n": 9}), grpc.StatusCode.ABORTED, "PREEMPTED",
                          {"lineage_id": v1.lineage_id, "preempted_by_op_id": high.op_id})
        events = [self.summary(e) for e in self.lineage_events(v1.lineage_id)]
        self.assertEqual(events, [
            ("entity_created", 1),
            ("operation_started", "LOW", 2),
            ("operation_started", "STRUCTURAL", 10),
            ("entity_versioned", 1, 2, ("n",)),
            ("operation_conflict", 1, 2, True),
            ("operation_retry", 1, 20),
            ("operation_conflict", 1, 2, False),
            ("operation_retry", 0, 3),
        ])

    def test_unknown_operation_is_not_found(self):
        missing = str(uuid.uuid4())
        self.assert_error(lambda: self.client.operations.Get(O.GetOperationRequest(op_id=missing)),
                          grpc.StatusCode.NOT_FOUND, "OPERATION_NOT_FOUND", {"op_id": missing})

    # ---- events -------------------------------------------------------------------------

    def test_example_main_and_its_event_sequence(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            example.main(ADDRESS)
        text = out.getvalue()
        lineage_id = re.search(r"^created (\S+) v1 ", text, re.M).group(1)
        self.assertIn("  update at v1: ABORTED VERSION_CONFLICT current_version=2\n", text)
        self.assertIn("  updated -> v3 {'credits': 5, 'name': 'Ada', 'year': 2}\n", text)
        self.assertIn("  commit: OUTCOME_COMMITTED -> v5\n", text)
        events = self.lineage_events(lineage_id)
        self.assertEqual([self.summary(e) for e in events], [
            ("entity_created", 1),
            ("entity_versioned", 1, 2, ("credits",)),
            ("entity_versioned", 2, 3, ("year",)),
            ("operation_started", "STRUCTURAL", 10),
            ("entity_versioned", 3, 4, ("credits",)),
            ("operation_conflict", 3, 4, True),
            ("operation_retry", 1, 20),
            ("entity_versioned", 4, 5, ("credits",)),
            ("operation_succeeded", 5),
        ])
        sequences = [e.sequence for e in events]
        self.assertEqual(sequences, sorted(sequences))
        # The example printed the same events, one line each, in the same order.
        printed = re.findall(r"^  #(\d+) ", text, re.M)
        self.assertEqual([int(s) for s in printed], sequences)
        op_ids = {e.op_id for e in events if e.WhichOneof("kind").startswith("operation_")}
        self.assertEqual(len(op_ids), 1)
        self.assertEqual(events[-2].op_id, events[-1].op_id)  # the op's version carries its id

    def test_resume_token_continues_after_the_event(self):
        v1 = self.create({"n": 1})
        for v in range(1, 4):
            self.update(v1.lineage_id, v, {"n": v + 1})
        events = self.lineage_events(v1.lineage_id)
        self.assertEqual([self.summary(e)[:3] for e in events],
                         [("entity_created", 1), ("entity_versioned", 1, 2),
                          ("entity_versioned", 2, 3), ("entity_versioned", 3, 4)])
        stream = self.client.events.Subscribe(EV.SubscribeRequest(
            filter=EV.EventFilter(lineage_ids=[v1.lineage_id]), resume_token=events[1].resume_token,
            include_entities=True), timeout=15)
        try:
            resumed = [next(stream), next(stream)]
        finally:
            stream.cancel()
        self.assertEqual([e.sequence for e in resumed], [e.sequence for e in events[2:]])
        self.assertEqual([e.entity_versioned.entity.version for e in resumed], [3, 4])
        self.assertEqual(as_dict(resumed[1].entity_versioned.entity.data), {"n": 4})

    def test_start_beyond_the_log_is_out_of_range(self):
        def subscribe():
            for _ in self.client.events.Subscribe(EV.SubscribeRequest(from_sequence=10**12), timeout=15):
                pass
        info, _ = self.assert_error(subscribe, grpc.StatusCode.OUT_OF_RANGE, "EVENTS_NOT_RETAINED")
        self.assertEqual(sorted(info.metadata), ["head_sequence", "oldest_sequence"])
        self.assertGreaterEqual(int(info.metadata["head_sequence"]), int(info.metadata["oldest_sequence"]))


if __name__ == "__main__":
    unittest.main()
