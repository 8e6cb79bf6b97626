#!/usr/bin/env python3
"""A short tour of the Abstractions Entity Server from Python, on the generated stubs alone.

    pip install ./src-gen/python                      (in a virtual environment)
    python interop/python/example.py [ADDRESS]        (or ABSTRACTIONS_ADDRESS=host:port)

The stubs (abstractions.v1) and google.rpc (googleapis-common-protos) come from the installed
package; the package's own client (abstractions.Client) wraps what this does by hand. It
creates an entity, updates it with compare-and-set (recovering from a stale version by reading
current_version from the ABORTED error's ErrorInfo), runs an operation with a priority class
(retrying on CONFLICT after retry_after), and prints the entity's events from the start of the
log.
"""
import os
import sys
import time

import grpc
from google.protobuf import json_format, struct_pb2
from google.rpc import error_details_pb2, status_pb2

from abstractions.v1 import entity_pb2, entity_pb2_grpc
from abstractions.v1 import event_pb2, event_pb2_grpc
from abstractions.v1 import operation_pb2, operation_pb2_grpc

DEFAULT_ADDRESS = "localhost:8980"


def struct(data: dict) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update(data)
    return s


def as_dict(s: struct_pb2.Struct) -> dict:
    """Struct numbers are doubles: whole ones come back as ints; keys sorted (a Struct is a map)."""
    def tidy(v):
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if isinstance(v, dict):
            return {k: tidy(v[k]) for k in sorted(v)}
        if isinstance(v, list):
            return [tidy(x) for x in v]
        return v
    return tidy(json_format.MessageToDict(s))


def error_details(err: grpc.RpcError):
    """(ErrorInfo, BadRequest) from the google.rpc.Status in the grpc-status-details-bin trailer."""
    raw = dict(err.trailing_metadata() or ()).get("grpc-status-details-bin")
    info, bad = None, None
    for detail in status_pb2.Status.FromString(raw).details if raw else []:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
        elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
    return info, bad


class Client:
    """The three service stubs on one channel."""

    def __init__(self, address: str):
        self.channel = grpc.insecure_channel(address)
        self.entities = entity_pb2_grpc.EntityServiceStub(self.channel)
        self.operations = operation_pb2_grpc.OperationServiceStub(self.channel)
        self.events = event_pb2_grpc.EventServiceStub(self.channel)

    def close(self):
        self.channel.close()


def update_with_cas(client: Client, lineage_id: str, expected_version: int, change, log=print):
    """Applies change(data) -> data at expected_version; on a VERSION_CONFLICT re-reads the
    version the server names and tries again (a bounded number of times)."""
    for _ in range(5):
        current = client.entities.Get(entity_pb2.GetEntityRequest(
            lineage_id=lineage_id, version=expected_version))
        try:
            return client.entities.Update(entity_pb2.UpdateEntityRequest(
                lineage_id=lineage_id, expected_version=expected_version,
                data=struct(change(as_dict(current.data)))))
        except grpc.RpcError as err:
            info, _ = error_details(err)
            if err.code() != grpc.StatusCode.ABORTED or info is None or info.reason != "VERSION_CONFLICT":
                raise
            log(f"  update at v{expected_version}: {err.code().name} {info.reason} "
                f"current_version={info.metadata['current_version']}")
            expected_version = int(info.metadata["current_version"])
    raise RuntimeError("too many version conflicts")


def run_operation(client: Client, lineage_id: str, change, priority_class=operation_pb2.NORMAL,
                  op_type="example", before_commit=None, log=print):
    """Begin, compute from the snapshot, Commit; on CONFLICT waits retry_after and recomputes
    from the fresh snapshot. Returns the last CommitOperationResponse."""
    begun = client.operations.Begin(operation_pb2.BeginOperationRequest(
        target_lineage_id=lineage_id, priority_class=priority_class, op_type=op_type))
    op, snapshot = begun.operation, begun.snapshot
    log(f"  began {op.op_id[:8]} {operation_pb2.PriorityClass.Name(op.priority_class)} "
        f"priority={op.priority} max_retries={op.max_retries} snapshot=v{snapshot.version}")
    if before_commit:
        before_commit(op)
    while True:
        resp = client.operations.Commit(operation_pb2.CommitOperationRequest(
            op_id=op.op_id, data=struct(change(as_dict(snapshot.data)))))
        outcome = operation_pb2.CommitOutcome.Name(resp.outcome)
        if resp.outcome != operation_pb2.OUTCOME_CONFLICT:
            log(f"  commit: {outcome} -> v{resp.entity.version}" if resp.outcome == operation_pb2.OUTCOME_COMMITTED
                else f"  commit: {outcome} {operation_pb2.RejectionReason.Name(resp.operation.rejection_reason)}")
            return resp
        wait = resp.retry_after.ToTimedelta().total_seconds()
        log(f"  commit: {outcome} fresh snapshot v{resp.entity.version}, retry_count="
            f"{resp.operation.retry_count}, retry after {wait * 1000:.0f} ms")
        time.sleep(wait)
        snapshot = resp.entity


def read_events(client: Client, lineage_id: str, limit: int, wait_seconds: float = 2.0):
    """Up to `limit` events about lineage_id, from the oldest retained event on (Progress
    bookmarks skipped); stops early when the stream has been open for wait_seconds."""
    stream = client.events.Subscribe(event_pb2.SubscribeRequest(
        filter=event_pb2.EventFilter(lineage_ids=[lineage_id]), from_oldest=True), timeout=wait_seconds)
    events = []
    try:
        for event in stream:
            if event.WhichOneof("kind") != "progress":
                events.append(event)
            if len(events) == limit:
                break
    except grpc.RpcError as err:
        if err.code() != grpc.StatusCode.DEADLINE_EXCEEDED:
            raise
    finally:
        stream.cancel()
    return events


def describe(event: event_pb2.Event) -> str:
    kind = event.WhichOneof("kind")
    body = getattr(event, kind)
    detail = {
        "entity_created": lambda: f"v{body.entity.version}",
        "entity_versioned": lambda: f"v{body.old_version}->v{body.new_version} changed={list(body.changed_paths)}",
        "operation_started": lambda: operation_pb2.PriorityClass.Name(body.operation.priority_class),
        "operation_conflict": lambda: f"snapshot v{body.snapshot_version} current v{body.current_version}",
        "operation_retry": lambda: f"retry {body.retry_count}/{body.max_retries}",
        "operation_succeeded": lambda: f"v{body.version}",
    }.get(kind, lambda: "")()
    return f"#{event.sequence} {kind} {detail}".rstrip()


def main(address: str) -> None:
    client = Client(address)
    try:
        print(f"server {address}")
        ada = client.entities.Create(entity_pb2.CreateEntityRequest(
            entity_type="Student", data=struct({"name": "Ada", "credits": 0})))
        print(f"created {ada.lineage_id} v{ada.version} {as_dict(ada.data)}")

        # Someone else writes v2 while we still hold v1 ...
        client.entities.Update(entity_pb2.UpdateEntityRequest(
            lineage_id=ada.lineage_id, expected_version=1, data=struct({"name": "Ada", "credits": 5})))
        # ... so our write at v1 is ABORTED and retried at the version the error names.
        print("compare-and-set:")
        v3 = update_with_cas(client, ada.lineage_id, 1, lambda d: {**d, "year": 2})
        print(f"  updated -> v{v3.version} {as_dict(v3.data)}")

        # An operation whose snapshot goes stale (a plain write lands first) conflicts and retries.
        print("operation:")
        def interloper(_op):
            client.entities.Update(entity_pb2.UpdateEntityRequest(
                lineage_id=ada.lineage_id, expected_version=3,
                data=struct({**as_dict(v3.data), "credits": 10})))
        done = run_operation(client, ada.lineage_id,
                             lambda d: {**d, "credits": d.get("credits", 0) + 3},
                             priority_class=operation_pb2.STRUCTURAL, op_type="add-credits",
                             before_commit=interloper)
        print(f"  now v{done.entity.version} {as_dict(done.entity.data)}")

        print("events (from the start of the log):")
        for event in read_events(client, ada.lineage_id, limit=20):
            print("  " + describe(event))
    finally:
        client.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("ABSTRACTIONS_ADDRESS", DEFAULT_ADDRESS))
