"""Python client for the Abstractions Entity Server (``abstractions.v1``).

- :class:`Client` (blocking) and :class:`abstractions.aio.Client` (asyncio): entities with
  compare-and-set, ``update(id, fn)`` read-modify-write under a server-arbitrated operation,
  entity trees (``write_tree``, ``get_tree``, ``tree_history``, ``update_tree``,
  ``promote_tree_member``, ``attach_tree``), and
  ``watch()``, an event iterator that resumes by itself.
- :mod:`abstractions.errors`: typed errors carrying the server's ``google.rpc`` details.
- ``abstractions.v1.*_pb2`` / ``*_pb2_grpc``: the generated messages and stubs.
"""
from abstractions.client import Client, Watch
from abstractions.errors import (
    AbstractionsError,
    AccessDeniedError,
    AlreadyARootError,
    EntityNotFoundError,
    EventsLostError,
    GateHeldError,
    MemberHasChildrenError,
    NotARootError,
    NotInTreeError,
    OperationFailedError,
    OperationRejectedError,
    ServerError,
    TargetBusyError,
    TreeCycleError,
    TreeLimitError,
    TreeVersionConflictError,
    VersionConflictError,
)
from abstractions.model import (CreateMember, Data, DeleteMember, Entity, MemberVersion, PriorityClass,
                                Tree, TreeAttachment, TreeChange, TreePromotion, TreeVersion, TreeWrite,
                                UpdateMember)

__all__ = [
    "Client",
    "Watch",
    "Entity",
    "Data",
    "PriorityClass",
    "Tree",
    "TreeWrite",
    "TreePromotion",
    "TreeAttachment",
    "TreeVersion",
    "MemberVersion",
    "TreeChange",
    "CreateMember",
    "UpdateMember",
    "DeleteMember",
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
]
