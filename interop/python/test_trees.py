"""Entity trees through the Python client (blocking and asyncio) against a live server: members
created under a parent, WriteTree, GetTree at one tree version (every page), TreeHistory,
update_tree from concurrent writers and its retry policy, PromoteTreeMember, AttachTree, the typed
tree errors, and a watch filtered by root.

    ABSTRACTIONS_ADDRESS=localhost:8980 python -m unittest discover -s interop/python -v

Each test works on a tree it creates; outcomes are asserted exactly.
"""
import asyncio
import os
import threading
import unittest
import uuid
from unittest import mock

import grpc

import abstractions.aio
import abstractions.client
import abstractions.model
from abstractions import (AlreadyARootError, Client, CreateMember, DeleteMember, EntityNotFoundError,
                          MemberHasChildrenError, NotARootError, NotInTreeError, ServerError, TreeAttachment,
                          TreeCycleError, TreePromotion, TreeVersionConflictError, UpdateMember)
from abstractions.v1 import entity_pb2 as E

ADDRESS = os.environ.get("ABSTRACTIONS_ADDRESS", "localhost:8980")
WRITERS, WRITES_EACH = 6, 5


def by_id(members):
    return sorted(members, key=lambda e: e.lineage_id)


def changed(version):
    """A TreeVersion's member versions, as (lineage_id, version, deleted), in lineage id order."""
    return sorted((m.lineage_id, m.version, m.deleted) for m in version.changed)


def event_summary(event):
    kind = event.WhichOneof("kind")
    body = getattr(event, kind)
    if kind == "entity_created":
        return (kind, event.target_lineage_id, body.entity.version, body.entity.tree_version)
    if kind == "entity_versioned":
        return (kind, event.target_lineage_id, body.old_version, body.new_version)
    if kind == "tree_changed":
        return (kind, event.target_lineage_id, body.old_tree_version, body.new_tree_version,
                [(m.lineage_id, m.old_version, m.new_version, list(m.changed_paths), m.deleted,
                  m.entity.version, m.entity.tree_version) for m in body.members])
    return (kind, event.target_lineage_id)


def placed(entity):
    """Where a version is: (lineage_id, version, tree_version, root_lineage_id, parent_lineage_id, data)."""
    return (entity.lineage_id, entity.version, entity.tree_version, entity.root_lineage_id,
            entity.parent_lineage_id, entity.data)


def members_changed(members):
    """An event's MemberChanged list as (lineage_id, old, new, changed_paths, deleted, entity version,
    entity tree version, entity root)."""
    return [(m.lineage_id, m.old_version, m.new_version, list(m.changed_paths), m.deleted, m.entity.version,
             m.entity.tree_version, m.entity.root_lineage_id) for m in members]


def add_one(tree):
    """update_tree's fn: one more on the root's total and on the counter member's n, in one write."""
    counter = tree.children(tree.root_lineage_id)[0]
    return [UpdateMember(tree.root_lineage_id, {"total": tree.root.data["total"] + 1}),
            UpdateMember(counter.lineage_id, {"n": counter.data["n"] + 1}, expected_version=counter.version)]


class TreeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = Client(ADDRESS)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()

    def order_with_lines(self, *quantities):
        order = self.client.create("Order", {"total": 0})
        lines = [self.client.create("Line", {"qty": q}, parent_lineage_id=order.lineage_id) for q in quantities]
        return order, lines

    def test_members_created_under_a_parent_report_their_tree(self):
        order, (line,) = self.order_with_lines(1)
        note = self.client.create("Note", {"text": "gift"}, parent_lineage_id=line.lineage_id)
        self.assertEqual((order.root_lineage_id, order.parent_lineage_id, order.tree_version, order.version),
                         (order.lineage_id, "", 1, 1))
        self.assertEqual((line.root_lineage_id, line.parent_lineage_id, line.tree_version, line.version),
                         (order.lineage_id, order.lineage_id, 2, 1))
        self.assertEqual((note.root_lineage_id, note.parent_lineage_id, note.tree_version, note.version),
                         (order.lineage_id, line.lineage_id, 3, 1))
        # A single-member write moves the whole tree on by one.
        line2 = self.client.replace(line.lineage_id, 1, {"qty": 2})
        self.assertEqual((line2.version, line2.tree_version, line2.root_lineage_id), (2, 4, order.lineage_id))
        self.assertEqual(self.client.get(note.lineage_id), note)

    def test_write_tree_changes_several_members_at_one_tree_version(self):
        order, (a, b, c) = self.order_with_lines(1, 5, 9)
        self.assertEqual(c.tree_version, 4)
        note_id = str(uuid.uuid4())
        written = self.client.write_tree(order.lineage_id, 4, [
            UpdateMember(order.lineage_id, {"total": 3}, expected_version=1),
            UpdateMember(a.lineage_id, {"qty": 2}),
            CreateMember(a.lineage_id, "Note", {"text": "new"}, lineage_id=note_id),
            DeleteMember(c.lineage_id)])
        self.assertEqual(written.tree_version, 5)
        order2, a2, note, c_deleted = written.written
        self.assertEqual([(e.lineage_id, e.version, e.tree_version, e.deleted) for e in written.written],
                         [(order.lineage_id, 2, 5, False), (a.lineage_id, 2, 5, False), (note_id, 1, 5, False),
                          (c.lineage_id, 2, 5, True)])
        self.assertEqual({e.last_modified_ns for e in written.written}, {order2.last_modified_ns})
        self.assertEqual((order2.previous_ecs_id, a2.previous_ecs_id, c_deleted.previous_ecs_id),
                         (order.ecs_id, a.ecs_id, c.ecs_id))
        self.assertEqual((order2.data, a2.data, note.data), ({"total": 3}, {"qty": 2}, {"text": "new"}))
        self.assertEqual((note.entity_type, note.parent_lineage_id, note.root_lineage_id),
                         ("Note", a.lineage_id, order.lineage_id))
        self.assertEqual(self.client.get(b.lineage_id), b)  # a member the write did not name keeps its version

        latest = self.client.get_tree(order.lineage_id)
        self.assertEqual((latest.root_lineage_id, latest.tree_version, latest.last_modified_ns),
                         (order.lineage_id, 5, order2.last_modified_ns))
        self.assertEqual(latest.members, by_id([order2, a2, b, note]))
        self.assertEqual((latest.root, latest.children(a.lineage_id)), (order2, [note]))
        # The tree as it was before the write, and as it was with its first member.
        before = self.client.get_tree(order.lineage_id, 4)
        self.assertEqual((before.tree_version, before.last_modified_ns, before.members),
                         (4, c.last_modified_ns, by_id([order, a, b, c])))
        self.assertEqual(self.client.get_tree(order.lineage_id, tree_version=2).members, by_id([order, a]))
        with self.assertRaises(EntityNotFoundError) as never:
            self.client.get_tree(order.lineage_id, 6)
        self.assertEqual((never.exception.reason, never.exception.metadata),
                         ("VERSION_NOT_FOUND", {"root_lineage_id": order.lineage_id, "current_tree_version": "5"}))

    def test_get_tree_reads_every_page_at_the_tree_version_of_the_first(self):
        order, lines = self.order_with_lines(0, 1, 2, 3)
        members = by_id([order] + lines)
        self.assertEqual(self.client.get_tree(order.lineage_id, page_size=1).members, members)
        # Page by page on the stub: a write between pages does not reach the pages that follow.
        first = self.client.entities.GetTree(E.GetTreeRequest(root_lineage_id=order.lineage_id, page_size=1))
        moved = self.client.replace(members[-1].lineage_id, 1, {"moved": True})
        pages, token = [first], first.next_page_token
        while token:
            pages.append(self.client.entities.GetTree(E.GetTreeRequest(
                root_lineage_id=order.lineage_id, page_size=1, page_token=token)))
            token = pages[-1].next_page_token
        self.assertEqual([(len(p.members), p.tree_version) for p in pages], [(1, 5)] * 5)
        self.assertEqual([p.members[0].lineage_id for p in pages], [m.lineage_id for m in members])
        self.assertEqual(pages[-1].members[0].version, 1)
        latest = self.client.get_tree(order.lineage_id, page_size=1)
        self.assertEqual((latest.tree_version, latest.members[-1]), (6, moved))

    def test_tree_history_lists_every_tree_version_with_the_members_it_wrote(self):
        order, (a, b) = self.order_with_lines(1, 2)
        written = self.client.write_tree(order.lineage_id, 3, [
            UpdateMember(a.lineage_id, {"qty": 10}), DeleteMember(b.lineage_id)])
        history = list(self.client.tree_history(order.lineage_id, page_size=2))
        self.assertEqual([v.tree_version for v in history], [1, 2, 3, 4])
        self.assertEqual([changed(v) for v in history], [
            [(order.lineage_id, 1, False)], [(a.lineage_id, 1, False)], [(b.lineage_id, 1, False)],
            sorted([(a.lineage_id, 2, False), (b.lineage_id, 2, True)])])
        self.assertEqual(history[3].last_modified_ns, written.written[0].last_modified_ns)
        self.assertEqual({m.ecs_id for m in history[3].changed}, {e.ecs_id for e in written.written})
        self.assertEqual(list(self.client.tree_history(order.lineage_id)), history)

    def test_a_stale_tree_write_raises_tree_version_conflict_and_changes_nothing(self):
        order, (line,) = self.order_with_lines(1)
        self.client.replace(line.lineage_id, 1, {"qty": 2})  # tree version 3
        tree = self.client.get_tree(order.lineage_id)
        with self.assertRaises(TreeVersionConflictError) as caught:
            self.client.write_tree(order.lineage_id, 2, [UpdateMember(order.lineage_id, {"total": 99})])
        err = caught.exception
        self.assertEqual((err.code, err.reason), (grpc.StatusCode.ABORTED, "TREE_VERSION_CONFLICT"))
        self.assertEqual((err.root_lineage_id, err.current_tree_version), (order.lineage_id, 3))
        self.assertEqual(err.metadata, {"root_lineage_id": order.lineage_id, "current_tree_version": "3"})
        self.assertEqual(self.client.get_tree(order.lineage_id), tree)

    def test_tree_calls_on_a_member_or_across_trees_raise_typed_errors(self):
        order, (line,) = self.order_with_lines(1)
        note = self.client.create("Note", {}, parent_lineage_id=line.lineage_id)
        other = self.client.create("Order", {})
        with self.assertRaises(NotARootError) as not_root:
            self.client.get_tree(line.lineage_id)
        err = not_root.exception
        self.assertEqual((err.code, err.reason), (grpc.StatusCode.FAILED_PRECONDITION, "NOT_A_ROOT"))
        self.assertEqual((err.lineage_id, err.root_lineage_id), (line.lineage_id, order.lineage_id))
        self.assertEqual(err.metadata, {"lineage_id": line.lineage_id, "root_lineage_id": order.lineage_id})
        with self.assertRaises(NotARootError):
            list(self.client.tree_history(note.lineage_id))
        with self.assertRaises(NotInTreeError) as foreign:
            self.client.write_tree(order.lineage_id, 3, [UpdateMember(other.lineage_id, {})])
        self.assertEqual((foreign.exception.lineage_id, foreign.exception.root_lineage_id),
                         (other.lineage_id, other.lineage_id))
        with self.assertRaises(MemberHasChildrenError) as children:
            self.client.write_tree(order.lineage_id, 3, [DeleteMember(line.lineage_id)])
        self.assertEqual((children.exception.lineage_id, children.exception.child_lineage_id),
                         (line.lineage_id, note.lineage_id))
        gone = self.client.write_tree(order.lineage_id, 3, [DeleteMember(line.lineage_id), DeleteMember(note.lineage_id)])
        self.assertEqual((gone.tree_version, [e.deleted for e in gone.written]), (4, [True, True]))
        self.assertEqual(self.client.get_tree(order.lineage_id).members, [self.client.get(order.lineage_id)])

    def test_update_tree_from_concurrent_threads_loses_no_write(self):
        order = self.client.create("Order", {"total": 0})
        counter = self.client.create("Counter", {"n": 0}, parent_lineage_id=order.lineage_id)
        calls = []
        errors = []

        def counted(tree):
            calls.append(tree.tree_version)
            return add_one(tree)

        def writer():
            try:
                for _ in range(WRITES_EACH):
                    self.client.update_tree(order.lineage_id, counted)
            except Exception as e:  # reported below, with the thread's failure
                errors.append(e)

        threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        writes = WRITERS * WRITES_EACH
        tree = self.client.get_tree(order.lineage_id)
        self.assertEqual((tree.tree_version, tree.root.data, tree.member(counter.lineage_id).data),
                         (2 + writes, {"total": writes}, {"n": writes}))
        self.assertEqual((tree.root.version, tree.member(counter.lineage_id).version), (1 + writes, 1 + writes))
        history = list(self.client.tree_history(order.lineage_id))
        self.assertEqual([v.tree_version for v in history], list(range(1, 3 + writes)))  # no gap
        self.assertEqual([len(v.changed) for v in history[2:]], [2] * writes)
        self.assertGreaterEqual(len(calls), writes)  # one call per write, and one more per conflict
        # Nothing to change: no write, the tree version read.
        self.assertEqual(self.client.update_tree(order.lineage_id, lambda _tree: []).tree_version, 2 + writes)

    def test_update_tree_gives_up_after_max_attempts(self):
        order = self.client.create("Order", {"total": 0})

        def always_stale(tree):
            self.client.replace(order.lineage_id, tree.root.version, {"total": tree.root.version})
            return [UpdateMember(order.lineage_id, {"total": -1})]

        with self.assertRaises(TreeVersionConflictError) as caught:
            self.client.update_tree(order.lineage_id, always_stale, max_attempts=3)
        self.assertEqual(caught.exception.current_tree_version, 4)
        self.assertEqual(self.client.get(order.lineage_id).data, {"total": 3})

    def test_watch_by_root_receives_the_tree_changed_event_with_its_members(self):
        order, (line,) = self.order_with_lines(1)
        self.client.create("Order", {"elsewhere": True})  # another tree: filtered out
        written = self.client.write_tree(order.lineage_id, 2, [
            UpdateMember(line.lineage_id, {"qty": 2}),
            CreateMember(line.lineage_id, "Note", {"text": "gift"})])
        note = written.written[1]
        marker = str(uuid.uuid4())  # a tree of its own, made after the fact, ends the reading
        self.client.create("Marker", {}, lineage_id=marker)
        events = []
        with self.client.watch(root_lineage_ids=[order.lineage_id, marker], from_oldest=True,
                               include_entities=True) as watch:
            for event in watch:
                if event.root_lineage_id == marker:
                    break
                events.append(event)
        self.assertEqual([event_summary(e) for e in events], [
            ("entity_created", order.lineage_id, 1, 1),
            ("entity_created", line.lineage_id, 1, 2),
            ("tree_changed", order.lineage_id, 2, 3, [
                (line.lineage_id, 1, 2, ["qty"], False, 2, 3),
                (note.lineage_id, 0, 1, ["text"], False, 1, 3)]),
        ])
        self.assertEqual({e.root_lineage_id for e in events}, {order.lineage_id})
        self.assertEqual(events[2].tree_changed.members[1].entity.parent_lineage_id, line.lineage_id)
        self.assertEqual([e.sequence for e in events], sorted(e.sequence for e in events))
        only_trees = self.client.watch(root_lineage_ids=[order.lineage_id], kinds=["EVENT_TREE_CHANGED"],
                                       from_oldest=True)
        with only_trees:
            self.assertEqual(next(only_trees).sequence, events[2].sequence)

    def test_update_tree_waits_the_java_clients_backoff_and_gives_up_after_50_attempts(self):
        order = self.client.create("Order", {"total": 0})
        calls = []

        def always_stale(tree):
            calls.append(tree.tree_version)
            self.client.replace(order.lineage_id, tree.root.version, {"total": tree.root.version})
            return [UpdateMember(order.lineage_id, {"total": -1})]

        # Each wait drawn at its cap, and recorded instead of slept: 2 ms doubling to 100 ms.
        with mock.patch.object(abstractions.model.random, "uniform", lambda low, high: high), \
                mock.patch.object(abstractions.client.time, "sleep") as sleep:
            with self.assertRaises(TreeVersionConflictError) as caught:
                self.client.update_tree(order.lineage_id, always_stale)
        self.assertEqual(calls, list(range(1, 51)))  # 50 attempts, each losing to the write fn made
        self.assertEqual(caught.exception.current_tree_version, 51)
        self.assertEqual([c.args for c in sleep.call_args_list],
                         [(0.002,), (0.004,), (0.008,), (0.016,), (0.032,), (0.064,)] + [(0.1,)] * 43)
        self.assertEqual(self.client.get(order.lineage_id).data, {"total": 50})

    def test_promote_tree_member_makes_a_member_the_root_of_its_subtree(self):
        order, (line, other) = self.order_with_lines(1, 2)
        note = self.client.create("Note", {"text": "gift"}, parent_lineage_id=line.lineage_id)
        promoted = self.client.promote_tree_member(line.lineage_id, 4)
        self.assertIsInstance(promoted, TreePromotion)
        self.assertEqual((promoted.old_root_lineage_id, promoted.tree_version), (order.lineage_id, 5))
        order2, line2, note2 = promoted.written
        self.assertEqual([placed(e) for e in promoted.written], [
            (order.lineage_id, 2, 5, order.lineage_id, "", {"total": 0}),
            (line.lineage_id, 2, 5, line.lineage_id, "", {"qty": 1}),
            (note.lineage_id, 2, 5, line.lineage_id, line.lineage_id, {"text": "gift"})])
        self.assertEqual((order2.previous_ecs_id, line2.previous_ecs_id, note2.previous_ecs_id),
                         (order.ecs_id, line.ecs_id, note.ecs_id))
        self.assertEqual(self.client.get_tree(order.lineage_id).members, by_id([order2, other]))
        self.assertEqual(self.client.get_tree(line.lineage_id).members, by_id([line2, note2]))
        with self.assertRaises(AlreadyARootError) as root:
            self.client.promote_tree_member(line.lineage_id, 5, priority=10)
        self.assertEqual((root.exception.code, root.exception.reason, root.exception.lineage_id),
                         (grpc.StatusCode.FAILED_PRECONDITION, "ALREADY_A_ROOT", line.lineage_id))
        with self.assertRaises(TreeVersionConflictError) as stale:
            self.client.promote_tree_member(note.lineage_id, 4)
        # Only the version: the server's root_lineage_id here is the member named, not its tree's root.
        self.assertEqual((stale.exception.code, stale.exception.current_tree_version), (grpc.StatusCode.ABORTED, 5))

    def attached_tree(self, extra_writes):
        """A root with a member and the member's child, moved on by ``extra_writes`` writes of the root
        (tree version 3 + extra_writes); the root as the tree's latest read has it."""
        root = self.client.create("Order", {"n": 0})
        line = self.client.create("Line", {"qty": 1}, parent_lineage_id=root.lineage_id)
        note = self.client.create("Note", {"text": "gift"}, parent_lineage_id=line.lineage_id)
        for n in range(1, extra_writes + 1):
            self.client.replace(root.lineage_id, n, {"n": n})
        tree = self.client.get_tree(root.lineage_id)
        self.assertEqual(tree.tree_version, 3 + extra_writes)
        return tree.root, line, note

    def check_attach(self, extra_attached, extra_receiving, tree_version):
        root, line, note = self.attached_tree(extra_attached)
        customer = self.client.create("Customer", {"name": "Ada"})
        orders = self.client.create("Orders", {}, parent_lineage_id=customer.lineage_id)
        for n in range(1, extra_receiving + 1):
            orders = self.client.replace(orders.lineage_id, orders.version, {"n": n})
        t_attached, t_receiving = 3 + extra_attached, 2 + extra_receiving
        self.assertEqual(self.client.get_tree(customer.lineage_id).tree_version, t_receiving)

        attached = self.client.attach_tree(root.lineage_id, t_attached, orders.lineage_id, t_receiving)
        self.assertIsInstance(attached, TreeAttachment)
        self.assertEqual((attached.root_lineage_id, attached.tree_version),
                         (customer.lineage_id, tree_version))
        orders2, root2 = attached.written[:2]
        self.assertEqual([placed(e) for e in attached.written[:2]], [
            (orders.lineage_id, orders.version + 1, tree_version, customer.lineage_id, customer.lineage_id,
             orders.data),
            (root.lineage_id, root.version + 1, tree_version, customer.lineage_id, orders.lineage_id, root.data)])
        # The members that moved with it (in no order the contract names): root and tree version changed.
        moved, before = by_id(attached.written[2:]), by_id([line, note])
        self.assertEqual([placed(e) for e in moved], [
            (e.lineage_id, 2, tree_version, customer.lineage_id, e.parent_lineage_id, e.data) for e in before])
        self.assertEqual([e.previous_ecs_id for e in attached.written[:2] + moved],
                         [orders.ecs_id, root.ecs_id] + [e.ecs_id for e in before])
        self.assertEqual({e.last_modified_ns for e in attached.written}, {root2.last_modified_ns})

        tree = self.client.get_tree(customer.lineage_id)
        self.assertEqual((tree.root_lineage_id, tree.tree_version), (customer.lineage_id, tree_version))
        self.assertEqual(tree.members, by_id([customer] + attached.written))
        self.assertEqual(tree.children(orders.lineage_id), [root2])
        self.assertEqual(self.client.get_tree(customer.lineage_id, t_receiving).members, by_id([customer, orders]))
        self.assertEqual([v.tree_version for v in self.client.tree_history(customer.lineage_id)][-2:],
                         [t_receiving, tree_version])
        with self.assertRaises(NotARootError) as not_root:
            self.client.get_tree(root.lineage_id)
        self.assertEqual((not_root.exception.code, not_root.exception.reason, not_root.exception.metadata),
                         (grpc.StatusCode.FAILED_PRECONDITION, "NOT_A_ROOT",
                          {"lineage_id": root.lineage_id, "root_lineage_id": customer.lineage_id}))
        return attached

    def test_attach_tree_of_a_higher_version_puts_both_trees_at_its_version_plus_one(self):
        self.check_attach(extra_attached=3, extra_receiving=0, tree_version=7)  # 6 > 2

    def test_attach_tree_of_a_lower_version_puts_both_trees_at_the_receiving_version_plus_one(self):
        self.check_attach(extra_attached=0, extra_receiving=4, tree_version=7)  # 3 < 6

    def test_attach_tree_under_a_root_and_at_a_priority(self):
        root = self.client.create("Order", {})
        customer = self.client.create("Customer", {})
        attached = self.client.attach_tree(root.lineage_id, 1, customer.lineage_id, 1, priority=3,
                                           request_id=str(uuid.uuid4()))
        self.assertEqual((attached.root_lineage_id, attached.tree_version, [placed(e) for e in attached.written]),
                         (customer.lineage_id, 2, [
                             (customer.lineage_id, 2, 2, customer.lineage_id, "", {}),
                             (root.lineage_id, 2, 2, customer.lineage_id, customer.lineage_id, {})]))
        with self.client.watch(root_lineage_ids=[customer.lineage_id], kinds=["EVENT_TREE_ATTACHED"],
                               from_oldest=True) as watch:
            self.assertEqual(next(watch).priority, 3)
        other = self.client.create("Order", {})
        with self.assertRaises(ServerError) as invalid:
            self.client.attach_tree(other.lineage_id, 1, customer.lineage_id, 2, priority=11)
        self.assertEqual((invalid.exception.code, invalid.exception.reason,
                          [field for field, _ in invalid.exception.field_violations]),
                         (grpc.StatusCode.INVALID_ARGUMENT, "INVALID_REQUEST", ["priority"]))

    def test_attach_tree_under_its_own_member_raises_tree_cycle_and_writes_nothing(self):
        root, line, note = self.attached_tree(0)
        before = self.client.get_tree(root.lineage_id)
        for parent in (note.lineage_id, root.lineage_id):
            with self.assertRaises(TreeCycleError) as cycle:
                self.client.attach_tree(root.lineage_id, 3, parent, 3)
            err = cycle.exception
            self.assertEqual((err.code, err.reason, err.lineage_id, err.parent_lineage_id),
                             (grpc.StatusCode.FAILED_PRECONDITION, "TREE_CYCLE", root.lineage_id, parent))
            self.assertEqual(err.metadata, {"lineage_id": root.lineage_id, "parent_lineage_id": parent})
        self.assertEqual(self.client.get_tree(root.lineage_id), before)

    def test_attach_tree_refuses_a_member_a_stale_tree_and_an_unknown_lineage(self):
        root, line, note = self.attached_tree(1)  # tree version 4
        customer = self.client.create("Customer", {})
        self.client.replace(customer.lineage_id, 1, {"name": "Ada"})  # tree version 2
        with self.assertRaises(NotARootError) as member:
            self.client.attach_tree(line.lineage_id, 4, customer.lineage_id, 2)
        self.assertEqual((member.exception.code, member.exception.lineage_id, member.exception.root_lineage_id),
                         (grpc.StatusCode.FAILED_PRECONDITION, line.lineage_id, root.lineage_id))
        with self.assertRaises(TreeVersionConflictError) as stale:
            self.client.attach_tree(root.lineage_id, 3, customer.lineage_id, 2)
        self.assertEqual((stale.exception.code, stale.exception.reason, stale.exception.metadata),
                         (grpc.StatusCode.ABORTED, "TREE_VERSION_CONFLICT",
                          {"root_lineage_id": root.lineage_id, "current_tree_version": "4"}))
        self.assertEqual((stale.exception.root_lineage_id, stale.exception.current_tree_version), (root.lineage_id, 4))
        with self.assertRaises(TreeVersionConflictError) as stale_parent:
            self.client.attach_tree(root.lineage_id, 4, customer.lineage_id, 1)
        self.assertEqual(stale_parent.exception.metadata,
                         {"root_lineage_id": customer.lineage_id, "current_tree_version": "2"})
        unknown = str(uuid.uuid4())
        for lineage_id, parent in ((unknown, customer.lineage_id), (root.lineage_id, unknown)):
            with self.assertRaises(EntityNotFoundError) as missing:
                self.client.attach_tree(lineage_id, 4, parent, 2)
            self.assertEqual((missing.exception.code, missing.exception.reason, missing.exception.metadata),
                             (grpc.StatusCode.NOT_FOUND, "ENTITY_NOT_FOUND", {"lineage_id": unknown}))
        self.assertEqual((self.client.get_tree(root.lineage_id).tree_version,
                          self.client.get_tree(customer.lineage_id).tree_version), (4, 2))

    def test_watch_receives_the_tree_attached_event(self):
        root, line, note = self.attached_tree(2)  # tree version 5
        customer = self.client.create("Customer", {})
        orders = self.client.create("Orders", {}, parent_lineage_id=customer.lineage_id)  # tree version 2
        attached = self.client.attach_tree(root.lineage_id, 5, orders.lineage_id, 2)
        with self.client.watch(root_lineage_ids=[customer.lineage_id], kinds=["EVENT_TREE_ATTACHED"],
                               from_oldest=True, include_entities=True) as watch:
            event = next(watch)
        self.assertEqual((event.WhichOneof("kind"), event.target_lineage_id, event.root_lineage_id,
                          event.entity_type, event.priority),
                         ("tree_attached", root.lineage_id, customer.lineage_id, "Order", 10))
        body = event.tree_attached
        self.assertEqual((body.old_tree_version, body.attached_tree_version, body.tree_version), (2, 5, 6))
        moved = by_id([line, note])
        self.assertEqual(members_changed(body.members[:2]), [
            (orders.lineage_id, 1, 2, [], False, 2, 6, customer.lineage_id),
            (root.lineage_id, 3, 4, [], False, 4, 6, customer.lineage_id)])
        self.assertEqual(sorted(members_changed(body.members[2:])), [
            (m.lineage_id, 1, 2, [], False, 2, 6, customer.lineage_id) for m in moved])
        self.assertEqual([m.entity.ecs_id for m in body.members], [e.ecs_id for e in attached.written])
        # A watch of the attached tree gets it too: the attachment that put it under another tree.
        with self.client.watch(root_lineage_ids=[root.lineage_id], kinds=["EVENT_TREE_ATTACHED"],
                               from_oldest=True) as by_attached:
            self.assertEqual(next(by_attached).sequence, event.sequence)


class AsyncTreeTest(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.client = abstractions.aio.Client(ADDRESS)

    async def asyncTearDown(self):
        await self.client.close()

    async def test_write_get_and_history_of_a_tree(self):
        order = await self.client.create("Order", {"total": 0})
        line = await self.client.create("Line", {"qty": 1}, parent_lineage_id=order.lineage_id)
        self.assertEqual((line.root_lineage_id, line.parent_lineage_id, line.tree_version),
                         (order.lineage_id, order.lineage_id, 2))
        written = await self.client.write_tree(order.lineage_id, 2, [
            UpdateMember(order.lineage_id, {"total": 1}, expected_version=1),
            CreateMember(line.lineage_id, "Note", {"text": "x"})])
        self.assertEqual((written.tree_version, [(e.version, e.tree_version) for e in written.written]),
                         (3, [(2, 3), (1, 3)]))
        tree = await self.client.get_tree(order.lineage_id, page_size=1)
        self.assertEqual((tree.tree_version, tree.members), (3, by_id([written.written[0], line, written.written[1]])))
        self.assertEqual((await self.client.get_tree(order.lineage_id, 2)).members, by_id([order, line]))
        self.assertEqual([v.tree_version async for v in self.client.tree_history(order.lineage_id, page_size=1)],
                         [1, 2, 3])
        with self.assertRaises(TreeVersionConflictError) as caught:
            await self.client.write_tree(order.lineage_id, 2, [DeleteMember(written.written[1].lineage_id)])
        self.assertEqual(caught.exception.current_tree_version, 3)
        with self.assertRaises(NotARootError) as not_root:
            await self.client.get_tree(line.lineage_id)
        self.assertEqual(not_root.exception.root_lineage_id, order.lineage_id)

    async def test_promote_and_attach_a_tree(self):
        order = await self.client.create("Order", {})
        line = await self.client.create("Line", {"qty": 1}, parent_lineage_id=order.lineage_id)
        promoted = await self.client.promote_tree_member(line.lineage_id, 2, priority=10)
        self.assertEqual((promoted.old_root_lineage_id, promoted.tree_version,
                          [(e.lineage_id, e.version, e.root_lineage_id) for e in promoted.written]),
                         (order.lineage_id, 3, [(order.lineage_id, 2, order.lineage_id),
                                                (line.lineage_id, 2, line.lineage_id)]))
        attached = await self.client.attach_tree(line.lineage_id, 3, order.lineage_id, 3)
        self.assertEqual((attached.root_lineage_id, attached.tree_version, [placed(e) for e in attached.written]),
                         (order.lineage_id, 4, [(order.lineage_id, 3, 4, order.lineage_id, "", {}),
                                                (line.lineage_id, 3, 4, order.lineage_id, order.lineage_id,
                                                 {"qty": 1})]))
        self.assertEqual((await self.client.get_tree(order.lineage_id)).members, by_id(attached.written))
        with self.assertRaises(TreeCycleError) as cycle:
            await self.client.attach_tree(order.lineage_id, 4, line.lineage_id, 4)
        self.assertEqual((cycle.exception.lineage_id, cycle.exception.parent_lineage_id),
                         (order.lineage_id, line.lineage_id))
        with self.assertRaises(AlreadyARootError):
            await self.client.promote_tree_member(order.lineage_id, 4)

    async def test_update_tree_from_concurrent_tasks_loses_no_write(self):
        order = await self.client.create("Order", {"total": 0})
        counter = await self.client.create("Counter", {"n": 0}, parent_lineage_id=order.lineage_id)

        async def slow_add_one(tree):
            await asyncio.sleep(0)  # let the other tasks read the same tree version
            return add_one(tree)

        async def writer():
            for _ in range(WRITES_EACH):
                await self.client.update_tree(order.lineage_id, slow_add_one)

        await asyncio.gather(*(writer() for _ in range(WRITERS)))
        writes = WRITERS * WRITES_EACH
        tree = await self.client.get_tree(order.lineage_id)
        self.assertEqual((tree.tree_version, tree.root.data, tree.member(counter.lineage_id).data),
                         (2 + writes, {"total": writes}, {"n": writes}))
        self.assertEqual([v.tree_version async for v in self.client.tree_history(order.lineage_id)],
                         list(range(1, 3 + writes)))

    async def test_watch_by_root_receives_tree_changed(self):
        order = await self.client.create("Order", {})
        line = await self.client.create("Line", {}, parent_lineage_id=order.lineage_id)
        written = await self.client.write_tree(order.lineage_id, 2, [
            UpdateMember(order.lineage_id, {"lines": 1}), UpdateMember(line.lineage_id, {"qty": 3})])
        async with self.client.watch(root_lineage_ids=[order.lineage_id], kinds=["EVENT_TREE_CHANGED"],
                                     from_oldest=True, include_entities=True) as watch:
            event = await watch.__anext__()
        self.assertEqual((event.target_lineage_id, event.root_lineage_id, event.tree_changed.old_tree_version,
                          event.tree_changed.new_tree_version), (order.lineage_id, order.lineage_id, 2, 3))
        self.assertEqual([(m.lineage_id, m.old_version, m.new_version, list(m.changed_paths), m.entity.ecs_id)
                          for m in event.tree_changed.members],
                         [(order.lineage_id, 1, 2, ["lines"], written.written[0].ecs_id),
                          (line.lineage_id, 1, 2, ["qty"], written.written[1].ecs_id)])


if __name__ == "__main__":
    unittest.main()
