"""What the sync and asyncio clients share: the Entity value, data conversion, the requests
they build and how they read an operation's outcome. No I/O here."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Dict, Iterable, List, Literal, Optional, Sequence, Union

from google.protobuf import duration_pb2, struct_pb2

from abstractions.errors import OperationFailedError, OperationRejectedError
from abstractions.v1 import entity_pb2, event_pb2, operation_pb2

__all__ = ["Entity", "Data", "PriorityClass", "Tree", "TreeWrite", "TreePromotion", "TreeAttachment",
           "TreeVersion", "MemberVersion", "CreateMember", "UpdateMember", "DeleteMember", "TreeChange",
           "to_struct", "from_struct"]

Data = Dict[str, Any]
"""An entity's attributes: JSON-shaped (str keys; str, number, bool, None, list, dict values)."""

PriorityClass = Literal["STRUCTURAL", "NORMAL", "LOW"]

# How often update() tells the server it is alive while fn computes: well inside the server's
# default gate lease (5 s), so an operation that owns its target's gate keeps it while fn runs.
KEEP_ALIVE_INTERVAL = timedelta(seconds=1)

# Backoff between resumes of a broken event stream (doubling, reset once a stream delivers).
FIRST_RESUME_DELAY = timedelta(milliseconds=50)
MAX_RESUME_DELAY = timedelta(seconds=2)

# update_tree(): attempts before a TREE_VERSION_CONFLICT is raised, and the backoff between them
# (full jitter: a random wait up to a cap that doubles from the first to the max). The Java
# client's policy (its Backoff.TREE_UPDATES), so the three clients retry a tree write alike.
TREE_MAX_ATTEMPTS = 50
FIRST_TREE_RETRY_DELAY = timedelta(milliseconds=2)
MAX_TREE_RETRY_DELAY = timedelta(milliseconds=100)


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
    # The tree: its root (the entity itself for a root), the member it was created under ("" for
    # a root), and the tree's version when this version was written.
    root_lineage_id: str = ""
    parent_lineage_id: str = ""
    tree_version: int = 0

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
            root_lineage_id=m.root_lineage_id,
            parent_lineage_id=m.parent_lineage_id,
            tree_version=m.tree_version,
        )


@dataclass(frozen=True)
class Tree:
    """A whole tree at one tree version: its live members (the root included), each at its own
    version then, ordered by lineage id."""

    root_lineage_id: str
    tree_version: int
    last_modified_ns: int
    members: List[Entity] = field(default_factory=lambda: [])

    @property
    def root(self) -> Entity:
        return self.member(self.root_lineage_id)

    def member(self, lineage_id: str) -> Entity:
        """The member with this lineage id; KeyError when the tree has none."""
        for m in self.members:
            if m.lineage_id == lineage_id:
                return m
        raise KeyError(lineage_id)

    def children(self, lineage_id: str) -> List[Entity]:
        """The members created directly under ``lineage_id``."""
        return [m for m in self.members if m.parent_lineage_id == lineage_id]


@dataclass(frozen=True)
class TreeWrite:
    """What a WriteTree wrote: the tree's new version and the member versions, in the order of
    the changes (empty when ``update_tree``'s function asked for no change)."""

    tree_version: int
    written: List[Entity] = field(default_factory=lambda: [])


@dataclass(frozen=True)
class TreePromotion:
    """What a PromoteTreeMember wrote: the tree the member left, the version both trees are at
    now, and the versions written (the member it was under, the new root, then each member that
    moved with it)."""

    old_root_lineage_id: str
    tree_version: int
    written: List[Entity] = field(default_factory=lambda: [])

    @classmethod
    def from_proto(cls, m: entity_pb2.PromoteTreeMemberResponse) -> "TreePromotion":
        return cls(m.old_root_lineage_id, m.tree_version, [Entity.from_proto(e) for e in m.written])


@dataclass(frozen=True)
class TreeAttachment:
    """What an AttachTree wrote: the root of the tree joined, the version both trees are at now
    (one more than the larger of their versions before), and the versions written (the parent,
    the attached root, then each member that moved with it)."""

    root_lineage_id: str
    tree_version: int
    written: List[Entity] = field(default_factory=lambda: [])

    @classmethod
    def from_proto(cls, m: entity_pb2.AttachTreeResponse) -> "TreeAttachment":
        return cls(m.root_lineage_id, m.tree_version, [Entity.from_proto(e) for e in m.written])


@dataclass(frozen=True)
class MemberVersion:
    """One member version a tree version wrote (``version`` 1 for a member it created)."""

    lineage_id: str
    version: int
    ecs_id: str
    deleted: bool
    derived_from_op_id: str


@dataclass(frozen=True)
class TreeVersion:
    """One retained tree version and the member versions it wrote."""

    tree_version: int
    last_modified_ns: int
    changed: List[MemberVersion] = field(default_factory=lambda: [])

    @classmethod
    def from_proto(cls, m: entity_pb2.TreeVersion) -> "TreeVersion":
        return cls(m.tree_version, m.last_modified_ns, [
            MemberVersion(c.lineage_id, c.version, c.ecs_id, c.deleted, c.derived_from_op_id)
            for c in m.changed])


@dataclass(frozen=True)
class CreateMember:
    """A WriteTree change: version 1 of a new member under ``parent_lineage_id`` (in the tree, or
    created by an earlier change of the same write); its id chosen by the server unless given."""

    parent_lineage_id: str
    entity_type: str
    data: Data = field(default_factory=lambda: {})
    lineage_id: str = ""


@dataclass(frozen=True)
class UpdateMember:
    """A WriteTree change: replaces a member's data (the root is a member too).
    ``expected_version`` 0 checks only the tree version."""

    lineage_id: str
    data: Data
    expected_version: int = 0


@dataclass(frozen=True)
class DeleteMember:
    """A WriteTree change: the member's tombstone. Its live members must go in the same write."""

    lineage_id: str
    expected_version: int = 0


TreeChange = Union[CreateMember, UpdateMember, DeleteMember, entity_pb2.TreeChange]
"""One change of a WriteTree: a :class:`CreateMember`, :class:`UpdateMember` or
:class:`DeleteMember` (or the generated message itself)."""


def tree_change(change: TreeChange) -> entity_pb2.TreeChange:
    if isinstance(change, CreateMember):
        return entity_pb2.TreeChange(create=entity_pb2.CreateMember(
            lineage_id=change.lineage_id, parent_lineage_id=change.parent_lineage_id,
            entity_type=change.entity_type, data=to_struct(change.data)))
    if isinstance(change, UpdateMember):
        return entity_pb2.TreeChange(update=entity_pb2.UpdateMember(
            lineage_id=change.lineage_id, expected_version=change.expected_version,
            data=to_struct(change.data)))
    if isinstance(change, DeleteMember):
        return entity_pb2.TreeChange(delete=entity_pb2.DeleteMember(
            lineage_id=change.lineage_id, expected_version=change.expected_version))
    return change  # the message itself (anything else fails in the request's constructor)


def write_tree_request(root_lineage_id: str, expected_tree_version: int, changes: Sequence[TreeChange],
                       request_id: str) -> entity_pb2.WriteTreeRequest:
    return entity_pb2.WriteTreeRequest(
        root_lineage_id=root_lineage_id, expected_tree_version=expected_tree_version,
        changes=[tree_change(c) for c in changes], request_id=request_id)


def promote_request(lineage_id: str, expected_tree_version: int, priority: int,
                    request_id: str) -> entity_pb2.PromoteTreeMemberRequest:
    return entity_pb2.PromoteTreeMemberRequest(
        lineage_id=lineage_id, expected_tree_version=expected_tree_version, request_id=request_id,
        priority=priority)


def attach_request(lineage_id: str, expected_tree_version: int, parent_lineage_id: str,
                   expected_parent_tree_version: int, priority: int,
                   request_id: str) -> entity_pb2.AttachTreeRequest:
    return entity_pb2.AttachTreeRequest(
        lineage_id=lineage_id, expected_tree_version=expected_tree_version,
        parent_lineage_id=parent_lineage_id, expected_parent_tree_version=expected_parent_tree_version,
        request_id=request_id, priority=priority)


def tree_written(response: entity_pb2.WriteTreeResponse) -> TreeWrite:
    return TreeWrite(response.tree_version, [Entity.from_proto(e) for e in response.written])


class TreePages:
    """Collects the pages of one GetTree read, checking they all are at one tree version."""

    def __init__(self, root_lineage_id: str, tree_version: int, page_size: int,
                 serializable: bool) -> None:
        self.request = entity_pb2.GetTreeRequest(
            root_lineage_id=root_lineage_id, tree_version=tree_version, page_size=page_size,
            serializable=serializable)
        self.first: Optional[entity_pb2.GetTreeResponse] = None
        self.members: List[Entity] = []

    def add(self, page: entity_pb2.GetTreeResponse) -> Optional[entity_pb2.GetTreeRequest]:
        """Takes a page; the request for the next one, or None after the last."""
        if self.first is None:
            self.first = page
        elif page.tree_version != self.first.tree_version:
            raise RuntimeError(f"GetTree of {self.request.root_lineage_id} answered pages at tree "
                               f"versions {self.first.tree_version} and {page.tree_version}")
        self.members.extend(Entity.from_proto(e) for e in page.members)
        if not page.next_page_token:
            return None
        following = entity_pb2.GetTreeRequest()
        following.CopyFrom(self.request)
        following.page_token = page.next_page_token
        return following

    def tree(self) -> Tree:
        assert self.first is not None
        return Tree(self.first.root_lineage_id, self.first.tree_version, self.first.last_modified_ns,
                    self.members)


def tree_retry_cap(retry: int) -> timedelta:
    """The longest wait before retry number ``retry`` (1 for the second attempt) of update_tree:
    ``min(MAX_TREE_RETRY_DELAY, FIRST_TREE_RETRY_DELAY * 2**(retry - 1))``."""
    return min(FIRST_TREE_RETRY_DELAY * (2 ** min(retry - 1, 30)), MAX_TREE_RETRY_DELAY)


def tree_retry_delay(retry: int) -> float:
    """Seconds to wait before retry number ``retry`` (1 for the second attempt) of update_tree:
    drawn uniformly from zero to :func:`tree_retry_cap` ("full jitter")."""
    return random.uniform(0, tree_retry_cap(retry).total_seconds())


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
                      from_oldest: bool, resume_token: str, include_entities: bool,
                      root_lineage_ids: Iterable[str] = ()) -> event_pb2.SubscribeRequest:
    """One start at most: ``from_sequence``, ``from_oldest`` or ``resume_token``; else from now."""
    starts = [s for s in (from_sequence is not None, from_oldest, bool(resume_token)) if s]
    if len(starts) > 1:
        raise ValueError("give at most one of from_sequence, from_oldest and resume_token")
    request = event_pb2.SubscribeRequest(
        filter=event_pb2.EventFilter(
            kinds=[event_pb2.EventKind.Value(k) for k in kinds], lineage_ids=lineage_ids,
            entity_types=entity_types, op_ids=op_ids, min_priority=min_priority,
            root_lineage_ids=root_lineage_ids),
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
