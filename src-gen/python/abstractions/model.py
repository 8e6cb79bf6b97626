"""What the sync and asyncio clients share: the Entity value, data conversion, the requests
they build and how they read an operation's outcome. No I/O here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Dict, Iterable, Literal, Optional

from google.protobuf import duration_pb2, struct_pb2

from abstractions.errors import OperationFailedError, OperationRejectedError
from abstractions.v1 import entity_pb2, event_pb2, operation_pb2

__all__ = ["Entity", "Data", "PriorityClass", "to_struct", "from_struct"]

Data = Dict[str, Any]
"""An entity's attributes: JSON-shaped (str keys; str, number, bool, None, list, dict values)."""

PriorityClass = Literal["STRUCTURAL", "NORMAL", "LOW"]

# How often update() tells the server it is alive while fn computes: well inside the server's
# default gate lease (5 s), so an operation that owns its target's gate keeps it while fn runs.
KEEP_ALIVE_INTERVAL = timedelta(seconds=1)

# Backoff between resumes of a broken event stream (doubling, reset once a stream delivers).
FIRST_RESUME_DELAY = timedelta(milliseconds=50)
MAX_RESUME_DELAY = timedelta(seconds=2)


@dataclass(frozen=True)
class Entity:
    """One immutable version of an entity, with ``data`` as plain JSON-shaped Python values.

    Struct numbers are doubles on the wire: whole numbers come back as ``int``, and integers
    beyond 2**53 do not keep every digit.
    """

    lineage_id: str
    ecs_id: str
    previous_ecs_id: str
    version: int
    last_modified_ns: int
    created_at: datetime
    modified_at: datetime
    entity_type: str
    data: Data
    derived_from_op_id: str
    derived_from_function: str
    deleted: bool

    @classmethod
    def from_proto(cls, m: entity_pb2.Entity) -> "Entity":
        return cls(
            lineage_id=m.lineage_id,
            ecs_id=m.ecs_id,
            previous_ecs_id=m.previous_ecs_id,
            version=m.version,
            last_modified_ns=m.last_modified_ns,
            created_at=m.created_at.ToDatetime(),
            modified_at=m.modified_at.ToDatetime(),
            entity_type=m.entity_type,
            data=from_struct(m.data),
            derived_from_op_id=m.derived_from_op_id,
            derived_from_function=m.derived_from_function,
            deleted=m.deleted,
        )


def to_struct(data: Data) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(data)
    return struct


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, struct_pb2.Struct):
        # Sorted: a Struct is a map whose order means nothing, so this keeps printing stable.
        return {k: _plain(value[k]) for k in sorted(value.keys())}
    if isinstance(value, struct_pb2.ListValue):
        return [_plain(v) for v in value]
    return value


def from_struct(struct: struct_pb2.Struct) -> Data:
    """A Struct as plain values, keys sorted; whole numbers as ``int`` (Struct numbers are doubles)."""
    plain: Data = _plain(struct)
    return plain


def duration(seconds: Optional[float]) -> Optional[duration_pb2.Duration]:
    if seconds is None:
        return None
    d = duration_pb2.Duration()
    d.FromTimedelta(timedelta(seconds=seconds))
    return d


def begin_request(lineage_id: str, priority_class: PriorityClass, priority: Optional[int],
                  max_retries: Optional[int], op_type: str, parent_op_id: str,
                  ttl: Optional[float]) -> operation_pb2.BeginOperationRequest:
    return operation_pb2.BeginOperationRequest(
        target_lineage_id=lineage_id, priority_class=operation_pb2.PriorityClass.Value(priority_class),
        priority=priority, max_retries=max_retries, op_type=op_type, parent_op_id=parent_op_id,
        ttl=duration(ttl))


def execute_request(lineage_id: str, function: str, args: Data, priority_class: PriorityClass,
                    priority: Optional[int], max_retries: Optional[int], op_type: str,
                    parent_op_id: str, ttl: Optional[float]) -> operation_pb2.ExecuteRequest:
    return operation_pb2.ExecuteRequest(
        target_lineage_id=lineage_id, function=function, args=to_struct(args),
        priority_class=operation_pb2.PriorityClass.Value(priority_class), priority=priority,
        max_retries=max_retries, op_type=op_type or function, parent_op_id=parent_op_id,
        ttl=duration(ttl))


def subscribe_request(kinds: Iterable[str], lineage_ids: Iterable[str], entity_types: Iterable[str],
                      op_ids: Iterable[str], min_priority: int, from_sequence: Optional[int],
                      from_oldest: bool, resume_token: str,
                      include_entities: bool) -> event_pb2.SubscribeRequest:
    """One start at most: ``from_sequence``, ``from_oldest`` or ``resume_token``; else from now."""
    starts = [s for s in (from_sequence is not None, from_oldest, bool(resume_token)) if s]
    if len(starts) > 1:
        raise ValueError("give at most one of from_sequence, from_oldest and resume_token")
    request = event_pb2.SubscribeRequest(
        filter=event_pb2.EventFilter(
            kinds=[event_pb2.EventKind.Value(k) for k in kinds], lineage_ids=lineage_ids,
            entity_types=entity_types, op_ids=op_ids, min_priority=min_priority),
        include_entities=include_entities)
    if from_sequence is not None:
        request.from_sequence = from_sequence
    elif from_oldest:
        request.from_oldest = True
    elif resume_token:
        request.resume_token = resume_token
    else:
        request.from_now = True
    return request


def settled(outcome: int, operation: operation_pb2.OperationEntity, entity: entity_pb2.Entity) -> Entity:
    """The version an attempt that did not conflict wrote, or the error that says why it wrote none."""
    if outcome == operation_pb2.OUTCOME_COMMITTED:
        return Entity.from_proto(entity)
    if outcome == operation_pb2.OUTCOME_REJECTED:
        raise OperationRejectedError(operation)
    if outcome == operation_pb2.OUTCOME_FAILED:
        raise OperationFailedError(operation)
    raise RuntimeError(f"the server answered operation {operation.op_id} with outcome "
                       f"{operation_pb2.CommitOutcome.Name(outcome)}")


class StreamPosition:
    """Where a watch is in the event log: the last sequence it passed (an event it yielded or a
    Progress bookmark) and the token that resumes right after it."""

    def __init__(self) -> None:
        self.last_sequence = 0
        self.resume_token = ""

    def resume_request(self, original: event_pb2.SubscribeRequest) -> event_pb2.SubscribeRequest:
        """The original request before anything was passed (so from_now cannot cover a gap
        before the first event or bookmark), else the same filter resumed from the position."""
        if not self.resume_token:
            return original
        resumed = event_pb2.SubscribeRequest()
        resumed.CopyFrom(original)
        resumed.resume_token = self.resume_token
        return resumed

    def accept(self, event: event_pb2.Event) -> bool:
        """Records the event; True when it is news to yield (not a bookmark, not a replay)."""
        if event.HasField("progress"):
            self.last_sequence = max(self.last_sequence, event.progress.head_sequence)
            self.resume_token = event.resume_token
            return False
        if event.sequence <= self.last_sequence:
            return False
        self.last_sequence = event.sequence
        self.resume_token = event.resume_token
        return True


def resume_delay(failures: int) -> float:
    """Seconds to wait before resume number ``failures`` (0-based) since a stream last delivered."""
    delay = FIRST_RESUME_DELAY * (2 ** min(failures, 10))
    return min(delay, MAX_RESUME_DELAY).total_seconds()
