"""The blocking client: entities, read-modify-write operations and a resuming event watch.

    from abstractions import Client

    with Client("localhost:8980") as client:
        ada = client.create("Student", {"name": "Ada", "credits": 3})
        ada = client.update(ada.lineage_id, lambda data: {**data, "credits": data["credits"] + 1})
        print(ada.version, ada.data)    # 2 {'name': 'Ada', 'credits': 4}

For ``asyncio`` use :mod:`abstractions.aio`, which has the same methods as coroutines.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable, Iterable, Iterator, List, Optional, Sequence, Tuple, TypeVar

import grpc

from abstractions import model
from abstractions.errors import TreeVersionConflictError, from_rpc_error
from abstractions.model import (Data, Entity, PriorityClass, Tree, TreeAttachment, TreeChange, TreePromotion,
                                TreeVersion, TreeWrite)
from abstractions.v1 import entity_pb2, entity_pb2_grpc, event_pb2, event_pb2_grpc
from abstractions.v1 import operation_pb2, operation_pb2_grpc

__all__ = ["Client", "Watch"]

T = TypeVar("T")

# A stream end that a resume can cure: the server or the connection went away (UNAVAILABLE), or
# the transport broke the call (CANCELLED / UNKNOWN) without this client asking it to.
RESUMABLE = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED, grpc.StatusCode.UNKNOWN})


class Client:
    """One channel to the server and typed calls on it. Thread-safe: share one client.

    Every unary call ends after ``timeout`` seconds (``DEADLINE_EXCEEDED``; None waits forever);
    watches are not bounded. ``credentials`` (e.g. ``grpc.ssl_channel_credentials(ca)``, composed
    with ``grpc.access_token_call_credentials(token)`` for a bearer token) make the channel TLS.
    Failed calls raise :class:`abstractions.errors.ServerError` subclasses.
    """

    def __init__(self, target: str, *, credentials: Optional[grpc.ChannelCredentials] = None,
                 timeout: Optional[float] = 30.0,
                 options: Sequence[Tuple[str, object]] = ()) -> None:
        self.channel = (grpc.secure_channel(target, credentials, options) if credentials is not None
                        else grpc.insecure_channel(target, options))
        self.timeout = timeout
        # The generated stubs, for calls this client does not wrap.
        self.entities = entity_pb2_grpc.EntityServiceStub(self.channel)
        self.operations = operation_pb2_grpc.OperationServiceStub(self.channel)
        self.events = event_pb2_grpc.EventServiceStub(self.channel)

    def close(self) -> None:
        """Closes the channel; calls in flight and watches end."""
        self.channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _call(self, method: Callable[..., T], request: object) -> T:
        try:
            return method(request, timeout=self.timeout)
        except grpc.RpcError as err:
            raise from_rpc_error(err) from err

    # ---- entities -------------------------------------------------------------------------

    def create(self, entity_type: str, data: Data, *, lineage_id: str = "",
               request_id: str = "", parent_lineage_id: str = "") -> Entity:
        """Version 1 of a new lineage (its id chosen by the server unless given): the root of a
        new tree, or with ``parent_lineage_id`` a member of that entity's tree, under it."""
        return Entity.from_proto(self._call(self.entities.Create, entity_pb2.CreateEntityRequest(
            lineage_id=lineage_id, entity_type=entity_type, data=model.to_struct(data),
            request_id=request_id, parent_lineage_id=parent_lineage_id)))

    def get(self, lineage_id: str, version: int = 0, *, serializable: bool = False) -> Entity:
        """The latest version, or ``version`` when given; EntityNotFoundError when there is none.

        ``serializable`` (also on :meth:`list` and :meth:`history`): answered from what the
        server reached has applied, without asking the leader of a replicated group; cheaper,
        and answered even by a member cut off from its quorum, but it may miss the latest writes.
        """
        return Entity.from_proto(self._call(self.entities.Get, entity_pb2.GetEntityRequest(
            lineage_id=lineage_id, version=version, serializable=serializable)))

    def replace(self, lineage_id: str, expected_version: int, data: Data, *,
                request_id: str = "") -> Entity:
        """Compare-and-set: writes ``data`` only if ``expected_version`` is still the latest;
        else VersionConflictError (with ``current_version``), or GateHeldError while an
        operation holds the target."""
        return Entity.from_proto(self._call(self.entities.Update, entity_pb2.UpdateEntityRequest(
            lineage_id=lineage_id, expected_version=expected_version, data=model.to_struct(data),
            request_id=request_id)))

    def delete(self, lineage_id: str, expected_version: int, *, request_id: str = "") -> Entity:
        """Writes the final tombstone version (compare-and-set like :meth:`replace`)."""
        return Entity.from_proto(self._call(self.entities.Delete, entity_pb2.DeleteEntityRequest(
            lineage_id=lineage_id, expected_version=expected_version, request_id=request_id)))

    def list(self, entity_type: str, *, page_size: int = 0,
             serializable: bool = False) -> Iterator[Entity]:
        """Every live entity of a type, a page at a time."""
        token = ""
        while True:
            page = self._call(self.entities.List, entity_pb2.ListEntitiesRequest(
                entity_type=entity_type, page_size=page_size, page_token=token,
                serializable=serializable))
            yield from (Entity.from_proto(e) for e in page.entities)
            token = page.next_page_token
            if not token:
                return

    def history(self, lineage_id: str, *, page_size: int = 0,
                serializable: bool = False) -> Iterator[Entity]:
        """A lineage's retained versions, oldest first, a page at a time."""
        token = ""
        while True:
            page = self._call(self.entities.History, entity_pb2.EntityHistoryRequest(
                lineage_id=lineage_id, page_size=page_size, page_token=token,
                serializable=serializable))
            yield from (Entity.from_proto(e) for e in page.versions)
            token = page.next_page_token
            if not token:
                return

    # ---- trees ----------------------------------------------------------------------------

    def write_tree(self, root_lineage_id: str, expected_tree_version: int,
                   changes: Sequence[TreeChange], *, request_id: str = "") -> TreeWrite:
        """Creates, updates and deletes members of one tree at once (:class:`CreateMember`,
        :class:`UpdateMember`, :class:`DeleteMember`, applied in order), all or nothing, if
        ``expected_tree_version`` is still the tree's version; else TreeVersionConflictError
        (with ``current_tree_version``). The tree version goes up by 1."""
        return model.tree_written(self._call(self.entities.WriteTree, model.write_tree_request(
            root_lineage_id, expected_tree_version, changes, request_id)))

    def get_tree(self, root_lineage_id: str, tree_version: int = 0, *, page_size: int = 0,
                 serializable: bool = False) -> Tree:
        """The whole tree at one tree version, the latest unless ``tree_version`` is given: every
        page is read, and every page is at the tree version of the first. NotARootError for a
        member; EntityNotFoundError for a tree version never reached."""
        pages = model.TreePages(root_lineage_id, tree_version, page_size, serializable)
        request: Optional[entity_pb2.GetTreeRequest] = pages.request
        while request is not None:
            request = pages.add(self._call(self.entities.GetTree, request))
        return pages.tree()

    def tree_history(self, root_lineage_id: str, *, page_size: int = 0,
                     serializable: bool = False) -> Iterator[TreeVersion]:
        """A tree's retained versions, oldest first, each with the member versions it wrote."""
        token = ""
        while True:
            page = self._call(self.entities.TreeHistory, entity_pb2.TreeHistoryRequest(
                root_lineage_id=root_lineage_id, page_size=page_size, page_token=token,
                serializable=serializable))
            yield from (TreeVersion.from_proto(v) for v in page.versions)
            token = page.next_page_token
            if not token:
                return

    def promote_tree_member(self, lineage_id: str, expected_tree_version: int, *, priority: int = 0,
                            request_id: str = "") -> TreePromotion:
        """Makes the member ``lineage_id``, with every live member under it, a tree of its own, if
        its tree is still at ``expected_tree_version``: both trees are then at that version + 1.
        ``priority`` (1 to 10; 0 means 10, STRUCTURAL's default) is the priority it is arbitrated
        at on the tree. AlreadyARootError for a root; TreeVersionConflictError (with
        ``current_tree_version``) if the tree moved on."""
        return TreePromotion.from_proto(self._call(self.entities.PromoteTreeMember, model.promote_request(
            lineage_id, expected_tree_version, priority, request_id)))

    def attach_tree(self, lineage_id: str, expected_tree_version: int, parent_lineage_id: str,
                    expected_parent_tree_version: int, *, priority: int = 0,
                    request_id: str = "") -> TreeAttachment:
        """Puts the root ``lineage_id``, with every live member of its tree, under
        ``parent_lineage_id`` (a member, or the root, of another tree), if its tree is still at
        ``expected_tree_version`` and the parent's at ``expected_parent_tree_version``: both trees
        are then at one more than the larger of the two. ``priority`` as in
        :meth:`promote_tree_member`. NotARootError if ``lineage_id`` is a member; TreeCycleError if
        the parent is in its own tree; TreeVersionConflictError (``root_lineage_id`` and
        ``current_tree_version`` of the tree that moved on); EntityNotFoundError for an unknown or
        deleted root or parent."""
        return TreeAttachment.from_proto(self._call(self.entities.AttachTree, model.attach_request(
            lineage_id, expected_tree_version, parent_lineage_id, expected_parent_tree_version, priority,
            request_id)))

    def update_tree(self, root_lineage_id: str, fn: Callable[[Tree], Sequence[TreeChange]], *,
                    max_attempts: int = model.TREE_MAX_ATTEMPTS) -> TreeWrite:
        """Reads the tree, calls ``fn(tree)`` for the changes to make and writes them at the tree
        version read. When another writer changed the tree first (TREE_VERSION_CONFLICT) it waits
        and starts again from a fresh read: at most ``max_attempts`` attempts (default 50),
        waiting before retry ``n`` a random time up to ``min(100 ms, 2 ms * 2**(n-1))`` ("full
        jitter", so writers that collided spread out; 4.4 s in all at most), the policy of the
        Java client's ``updateTree``; then the last TreeVersionConflictError propagates. ``fn``
        may run several times. If it returns no change nothing is written (the result has the tree version read and no member). Other errors
        (GateHeldError included), and what ``fn`` raises, propagate at once."""
        attempt = 1
        while True:
            tree = self.get_tree(root_lineage_id)
            changes: List[TreeChange] = list(fn(tree))
            if not changes:
                return TreeWrite(tree.tree_version, [])
            try:
                # No request_id: each attempt is another request (another tree version), and a
                # conflict is remembered under an id, so a retry under it would get it back.
                return self.write_tree(root_lineage_id, tree.tree_version, changes)
            except TreeVersionConflictError:
                if attempt >= max_attempts:
                    raise
            time.sleep(model.tree_retry_delay(attempt))
            attempt += 1

    # ---- operations -----------------------------------------------------------------------

    def update(self, lineage_id: str, fn: Callable[[Data], Data], *,
               priority_class: PriorityClass = "NORMAL", priority: Optional[int] = None,
               max_retries: Optional[int] = None, op_type: str = "update", parent_op_id: str = "",
               ttl: Optional[float] = None) -> Entity:
        """Replaces the target's data with ``fn(data)`` under an operation, recomputing on every
        conflict until the write lands or the server refuses the operation.

        Begin, ``fn`` on the snapshot, Commit; on a CONFLICT it sleeps the ``retry_after`` the
        server chose and calls ``fn`` again on the fresh version the server returned, so the
        server's backoff is the only retry policy. While ``fn`` runs, the operation is kept alive
        (every second), so it keeps its target's gate however long ``fn`` takes.

        Returns the version written. Raises OperationRejectedError (out of retries, expired),
        TargetBusyError (a LOW Begin shed before ``fn`` ran), ServerError for a failed call, or
        what ``fn`` raised (after aborting the operation).
        """
        begun = self._call(self.operations.Begin, model.begin_request(
            lineage_id, priority_class, priority, max_retries, op_type, parent_op_id, ttl))
        op_id, snapshot = begun.operation.op_id, begun.snapshot
        while True:
            data = self._compute(fn, snapshot, op_id)
            response = self._call(self.operations.Commit, operation_pb2.CommitOperationRequest(
                op_id=op_id, data=model.to_struct(data)))
            if response.outcome != operation_pb2.OUTCOME_CONFLICT:
                return model.settled(response.outcome, response.operation, response.entity)
            time.sleep(response.retry_after.ToTimedelta().total_seconds())
            snapshot = response.entity

    def _compute(self, fn: Callable[[Data], Data], snapshot: entity_pb2.Entity, op_id: str) -> Data:
        done = threading.Event()
        keep_alive = operation_pb2.KeepAliveRequest(op_id=op_id)

        def beat() -> None:
            while not done.wait(model.KEEP_ALIVE_INTERVAL.total_seconds()):
                try:
                    self.operations.KeepAlive(keep_alive, timeout=self.timeout)
                except grpc.RpcError:
                    pass  # the commit that follows reports the operation's fate
        beating = threading.Thread(target=beat, name=f"abstractions-keep-alive-{op_id}", daemon=True)
        beating.start()
        try:
            return fn(model.from_struct(snapshot.data))
        except BaseException:
            self._abort_quietly(op_id)
            raise
        finally:
            done.set()
            beating.join()

    def _abort_quietly(self, op_id: str) -> None:
        # Abort so the operation stops counting as in flight; fn's error is the one to report.
        try:
            self.operations.Abort(operation_pb2.AbortOperationRequest(op_id=op_id), timeout=self.timeout)
        except grpc.RpcError:
            pass

    def execute(self, lineage_id: str, function: str, args: Data, *,
                priority_class: PriorityClass = "NORMAL", priority: Optional[int] = None,
                max_retries: Optional[int] = None, op_type: str = "", parent_op_id: str = "",
                ttl: Optional[float] = None) -> Entity:
        """Runs a server function (``merge-patch``, ``set``, ``increment``, ``append``,
        ``remove``, ...) on the latest version inside the server's atomic step; it never loses a
        compare-and-set. Returns the version written; OperationRejectedError /
        OperationFailedError when it wrote none."""
        response = self._call(self.operations.Execute, model.execute_request(
            lineage_id, function, args, priority_class, priority, max_retries, op_type,
            parent_op_id, ttl))
        return model.settled(response.outcome, response.operation, response.entity)

    # ---- events ---------------------------------------------------------------------------

    def watch(self, *, kinds: Iterable[str] = (), lineage_ids: Iterable[str] = (),
              entity_types: Iterable[str] = (), op_ids: Iterable[str] = (), min_priority: int = 0,
              from_sequence: Optional[int] = None, from_oldest: bool = False,
              resume_token: str = "", include_entities: bool = False,
              root_lineage_ids: Iterable[str] = ()) -> "Watch":
        """The events that match the filter (``kinds`` are ``EventKind`` names such as
        ``"EVENT_ENTITY_VERSIONED"``; ``root_lineage_ids`` keeps the events of those trees:
        their members' changes, their WriteTrees' ``tree_changed``, operations on their roots),
        from now unless a start is given. See :class:`Watch`."""
        return Watch(self.events, model.subscribe_request(
            kinds, lineage_ids, entity_types, op_ids, min_priority, from_sequence, from_oldest,
            resume_token, include_entities, root_lineage_ids))


class Watch(Iterator[event_pb2.Event]):
    """An iterator over events that survives disconnects.

    It remembers the last event it yielded (or the last ``Progress`` bookmark, which it does not
    yield); when the stream breaks (UNAVAILABLE, e.g. a dropped connection or a server shutting
    down, or CANCELLED / UNKNOWN from the transport) it subscribes again, after a short backoff,
    from that position's ``resume_token``, and skips any event at or below the last sequence, so
    each event comes once, in order. Until the first event or bookmark it resumes with the
    original start. Events the server no longer holds are never skipped silently:
    EventsLostError ends the iteration. :meth:`close` (or leaving a ``with`` block) ends it from
    any thread. The stream is read as the caller iterates, so a slow reader slows only itself.
    """

    def __init__(self, stub: event_pb2_grpc.EventServiceStub, request: event_pb2.SubscribeRequest) -> None:
        self._stub = stub
        self._request = request
        self._position = model.StreamPosition()
        self._lock = threading.Lock()
        self._closed = False
        self._stream: Any = None  # the Subscribe call: an iterator of events that can be cancelled
        self._failures = 0

    @property
    def last_sequence(self) -> int:
        """The sequence of the last event yielded or bookmark passed; 0 before any."""
        return self._position.last_sequence

    @property
    def resume_token(self) -> str:
        """The token that resumes right after :attr:`last_sequence`; "" before anything."""
        return self._position.resume_token

    def __iter__(self) -> "Watch":
        return self

    def __next__(self) -> event_pb2.Event:
        while True:
            stream = self._open()
            try:
                event: event_pb2.Event = next(stream)
            except StopIteration:
                self._broken(stream)  # the contract's streams never end by themselves
                continue
            except grpc.RpcError as err:
                if self._closed:
                    raise StopIteration from None
                if err.code() not in RESUMABLE:  # type: ignore[attr-defined]
                    self.close()
                    raise from_rpc_error(err) from err
                self._broken(stream)
                continue
            self._failures = 0
            if self._position.accept(event):
                return event

    def _open(self) -> Any:
        with self._lock:
            if self._closed:
                raise StopIteration
            if self._stream is None:
                # wait_for_ready: a resume rides out the reconnect instead of failing fast.
                self._stream = self._stub.Subscribe(
                    self._position.resume_request(self._request), wait_for_ready=True)
            return self._stream

    def _broken(self, stream: Any) -> None:
        with self._lock:
            if self._stream is stream:
                self._stream = None
        time.sleep(model.resume_delay(self._failures))
        self._failures += 1

    def close(self) -> None:
        """Ends the watch: the iteration stops, also one blocked in another thread."""
        with self._lock:
            self._closed = True
            stream, self._stream = self._stream, None
        if stream is not None:
            stream.cancel()

    def __enter__(self) -> "Watch":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
