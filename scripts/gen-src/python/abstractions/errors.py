"""Typed errors of the Abstractions client.

A failed call becomes a :class:`ServerError` (or one of its subclasses, chosen by the
``google.rpc.ErrorInfo`` reason the server sends), carrying the status code, the message, the
reason, its metadata and any ``BadRequest`` field violations. The details travel as a
``google.rpc.Status`` in the ``grpc-status-details-bin`` trailer; they are decoded here with the
``google.rpc`` modules of ``googleapis-common-protos``, so ``grpcio-status`` is not needed.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any, Iterable, Mapping, Optional, Sequence, Tuple

import grpc
from google.protobuf.message import DecodeError
from google.rpc import error_details_pb2, status_pb2

from abstractions.v1 import operation_pb2

__all__ = [
    "AbstractionsError",
    "ServerError",
    "VersionConflictError",
    "TreeVersionConflictError",
    "NotARootError",
    "NotInTreeError",
    "MemberHasChildrenError",
    "TreeLimitError",
    "AlreadyARootError",
    "TreeCycleError",
    "EntityNotFoundError",
    "GateHeldError",
    "TargetBusyError",
    "EventsLostError",
    "AccessDeniedError",
    "OperationRejectedError",
    "OperationFailedError",
    "FieldViolation",
    "from_rpc_error",
]

_DETAILS_KEY = "grpc-status-details-bin"

FieldViolation = Tuple[str, str]
"""One ``BadRequest`` violation: (field, description)."""


class AbstractionsError(Exception):
    """Base of every error this client raises."""


class ServerError(AbstractionsError):
    """A call the server (or the transport) failed.

    ``reason`` is the ``ErrorInfo`` reason (an ``abstractions.v1.ErrorReason`` name, "" when the
    status carries none, e.g. a transport failure) and ``metadata`` its metadata; ``status`` is
    the decoded ``google.rpc.Status``, None when the call carried none.
    """

    def __init__(self, code: grpc.StatusCode, message: str, reason: str = "",
                 metadata: Optional[Mapping[str, str]] = None,
                 field_violations: Sequence[FieldViolation] = (),
                 status: Optional[status_pb2.Status] = None) -> None:
        super().__init__(f"{code.name}: {message}" + (f" [{reason}]" if reason else ""))
        self.code = code
        self.message = message
        self.reason = reason
        self.metadata: dict[str, str] = dict(metadata or {})
        self.field_violations: tuple[FieldViolation, ...] = tuple(field_violations)
        self.status = status


class VersionConflictError(ServerError):
    """ABORTED / VERSION_CONFLICT: the expected version is no longer the latest."""

    @property
    def lineage_id(self) -> str:
        return self.metadata["lineage_id"]

    @property
    def current_version(self) -> int:
        return int(self.metadata["current_version"])

    @property
    def current_ecs_id(self) -> str:
        return self.metadata["current_ecs_id"]


class TreeVersionConflictError(ServerError):
    """ABORTED / TREE_VERSION_CONFLICT: a WriteTree's expected tree version is no longer the
    tree's; re-read the tree (``update_tree`` does, and retries)."""

    @property
    def root_lineage_id(self) -> str:
        return self.metadata["root_lineage_id"]

    @property
    def current_tree_version(self) -> int:
        return int(self.metadata["current_tree_version"])


class NotARootError(ServerError):
    """FAILED_PRECONDITION / NOT_A_ROOT: a tree call named a member where it needs the root;
    ``root_lineage_id`` is the root of the member's tree."""

    @property
    def lineage_id(self) -> str:
        return self.metadata["lineage_id"]

    @property
    def root_lineage_id(self) -> str:
        return self.metadata["root_lineage_id"]


class NotInTreeError(ServerError):
    """FAILED_PRECONDITION / NOT_IN_TREE: a WriteTree change named an entity (or a parent) of
    another tree; ``root_lineage_id`` is the root of that entity's tree."""

    @property
    def lineage_id(self) -> str:
        return self.metadata["lineage_id"]

    @property
    def root_lineage_id(self) -> str:
        return self.metadata["root_lineage_id"]


class MemberHasChildrenError(ServerError):
    """FAILED_PRECONDITION / MEMBER_HAS_CHILDREN: a delete would leave the live member
    ``child_lineage_id`` under the deleted ``lineage_id``; delete both in one WriteTree."""

    @property
    def lineage_id(self) -> str:
        return self.metadata["lineage_id"]

    @property
    def child_lineage_id(self) -> str:
        return self.metadata["child_lineage_id"]


class TreeLimitError(ServerError):
    """RESOURCE_EXHAUSTED / TREE_LIMIT: the write would take the tree past the server's
    --max-tree-members or --max-tree-bytes; the metadata has ``members``, ``max_members``,
    ``bytes`` and ``max_bytes``."""

    @property
    def root_lineage_id(self) -> str:
        return self.metadata["root_lineage_id"]


class AlreadyARootError(ServerError):
    """FAILED_PRECONDITION / ALREADY_A_ROOT: ``promote_tree_member`` named a root."""

    @property
    def lineage_id(self) -> str:
        return self.metadata["lineage_id"]


class TreeCycleError(ServerError):
    """FAILED_PRECONDITION / TREE_CYCLE: ``attach_tree`` named a parent (``parent_lineage_id``)
    in the tree of the root it attaches (``lineage_id``): the tree would contain itself."""

    @property
    def lineage_id(self) -> str:
        return self.metadata["lineage_id"]

    @property
    def parent_lineage_id(self) -> str:
        return self.metadata["parent_lineage_id"]


class EntityNotFoundError(ServerError):
    """NOT_FOUND: ENTITY_NOT_FOUND, ENTITY_DELETED (``deleted_version``) or VERSION_NOT_FOUND."""


def _retry_after(metadata: Mapping[str, str]) -> Optional[timedelta]:
    """The server's ``retry_after_ms`` advice, or None without one."""
    millis = metadata.get("retry_after_ms")
    return None if millis is None else timedelta(milliseconds=int(millis))


class GateHeldError(ServerError):
    """ABORTED / PREEMPTED or GATE_HELD: an operation holds the target, so a plain write must wait.

    ``retry_after`` is the server's advice for GATE_HELD (None for PREEMPTED, which names the
    operation that preempted the write in ``preempted_by_op_id``).
    """

    @property
    def retry_after(self) -> Optional[timedelta]:
        return _retry_after(self.metadata)


class TargetBusyError(ServerError):
    """RESOURCE_EXHAUSTED / TARGET_BUSY: a LOW operation's Begin waited its longest wait and the
    target was still busy, so the server shed it before ``fn`` computed anything; no operation
    was left behind. Begin again after ``retry_after``; ``turn_holder_op_id`` names the
    operation that held the target.
    """

    @property
    def retry_after(self) -> Optional[timedelta]:
        return _retry_after(self.metadata)

    @property
    def turn_holder_op_id(self) -> str:
        return self.metadata.get("turn_holder_op_id", "")


class EventsLostError(ServerError):
    """OUT_OF_RANGE / EVENTS_NOT_RETAINED: the events asked for are no longer in the server's log.

    The metadata says what is (``oldest_sequence``, ``head_sequence``) and, for a subscriber that
    fell behind, where to start again (``resume_sequence``).
    """


class AccessDeniedError(ServerError):
    """UNAUTHENTICATED or PERMISSION_DENIED."""


class OperationRejectedError(AbstractionsError):
    """The server rejected an operation: RETRIES_EXHAUSTED or EXPIRED (PREEMPTED, by
    ``preempted_by_op_id``, only from servers before arbitration by turns). ``operation`` is
    its final state."""

    def __init__(self, operation: operation_pb2.OperationEntity) -> None:
        self.operation = operation
        self.reason = operation_pb2.RejectionReason.Name(operation.rejection_reason)
        self.preempted_by_op_id = operation.preempted_by_op_id
        by = f" by {operation.preempted_by_op_id}" if operation.preempted_by_op_id else ""
        super().__init__(f"operation {operation.op_id} was rejected: {self.reason}{by}")


class OperationFailedError(AbstractionsError):
    """A server function failed on the target's data; ``operation`` is its final state."""

    def __init__(self, operation: operation_pb2.OperationEntity) -> None:
        self.operation = operation
        super().__init__(f"operation {operation.op_id} failed: {operation.failure_message}")


_BY_REASON = {
    "VERSION_CONFLICT": VersionConflictError,
    "TREE_VERSION_CONFLICT": TreeVersionConflictError,
    "NOT_A_ROOT": NotARootError,
    "NOT_IN_TREE": NotInTreeError,
    "MEMBER_HAS_CHILDREN": MemberHasChildrenError,
    "TREE_LIMIT": TreeLimitError,
    "ALREADY_A_ROOT": AlreadyARootError,
    "TREE_CYCLE": TreeCycleError,
    "ENTITY_NOT_FOUND": EntityNotFoundError,
    "ENTITY_DELETED": EntityNotFoundError,
    "VERSION_NOT_FOUND": EntityNotFoundError,
    "PREEMPTED": GateHeldError,
    "GATE_HELD": GateHeldError,
    "TARGET_BUSY": TargetBusyError,
    "EVENTS_NOT_RETAINED": EventsLostError,
}
_BY_CODE = {
    grpc.StatusCode.UNAUTHENTICATED: AccessDeniedError,
    grpc.StatusCode.PERMISSION_DENIED: AccessDeniedError,
}


def _details_bytes(trailers: Optional[Iterable[Any]]) -> Optional[bytes]:
    # Sync calls give a tuple of (key, value) pairs, grpc.aio a Metadata of the same pairs.
    for key, value in trailers or ():
        if key == _DETAILS_KEY:
            return bytes(value)
    return None


def from_rpc_error(err: grpc.RpcError) -> ServerError:
    """The typed error for a failed call (sync ``grpc.RpcError`` or ``grpc.aio.AioRpcError``)."""
    code: grpc.StatusCode = err.code()  # type: ignore[attr-defined]
    message: str = err.details() or ""  # type: ignore[attr-defined]
    raw = _details_bytes(err.trailing_metadata())  # type: ignore[attr-defined]
    status: Optional[status_pb2.Status] = None
    reason, metadata, violations = "", {}, []
    if raw is not None:
        try:
            status = status_pb2.Status.FromString(raw)
        except DecodeError:
            status = None  # unreadable details are no reason to hide the status itself
    for detail in status.details if status is not None else ():
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            reason, metadata = info.reason, dict(info.metadata)
        elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            violations = [(v.field, v.description) for v in bad.field_violations]
    cls = _BY_REASON.get(reason) or _BY_CODE.get(code, ServerError)
    return cls(code, message, reason, metadata, violations, status)
