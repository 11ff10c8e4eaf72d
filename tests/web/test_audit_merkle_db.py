"""The Merkle state kept in the database as events are appended: proofs, checkpoints and bundles made from
it match the full chain, cost the same at two chain lengths, and tampering with it is caught."""

from __future__ import annotations

import sqlalchemy as sa
from query_counter import count_queries

from copro_tracker.audit import capture, ledger, service
from copro_tracker.audit.verify import verify_bundle
from copro_tracker.extensions import db
from copro_tracker.models import AuditChainHead, AuditEvent, AuditMerkleNode


def append(org, count: int) -> None:
    for start in range(0, count, 500):
        for _ in range(min(500, count - start)):
            capture.record(db.session, "initiative.updated", org.id, "organisation", org.id)
        db.session.commit()


def all_leaves(org) -> list[bytes]:
    return [
        bytes.fromhex(h)
        for h in db.session.scalars(
            sa.select(AuditEvent.hash).where(AuditEvent.organisation_id == org.id).order_by(AuditEvent.seq)
        )
    ]


def test_stored_state_matches_the_chain_and_gives_the_same_proofs(org):
    append(org, 3 * (1 << ledger.NODE_LEVEL) + 21)
    leaves = all_leaves(org)
    head = db.session.get(AuditChainHead, org.id)
    assert ledger.Frontier.decode(head.seq, head.frontier).root() == ledger.merkle_root(leaves)
    stored = db.session.scalar(sa.select(sa.func.count()).where(AuditMerkleNode.organisation_id == org.id))
    assert stored == 3 + 1  # three 256-leaf subtrees and the 512 one
    for size in (len(leaves), 300, 256, 5):
        tree = ledger.MerkleTree(leaves[:size])
        seqs = sorted({1, size, size // 2 + 1, min(257, size)})
        proofs = service.proofs_from_state(org, seqs, size)
        assert proofs == {seq: tree.inclusion_proof(seq - 1) for seq in seqs}


def test_checkpoints_from_state_sign_the_same_root_as_a_full_pass(org):
    append(org, 600)
    quick = service.sign_from_state(org)
    assert quick.root_hash == ledger.merkle_root(all_leaves(org)[: quick.tree_size]).hex()
    append(org, 300)
    full = service.make_checkpoint(org)  # re-reads and verifies every event, as the admin button does
    again = service.sign_from_state(org)  # checks the stored state still reproduces `full`
    assert full.tree_size < again.tree_size
    leaves = all_leaves(org)
    assert again.root_hash == ledger.merkle_root(leaves[: again.tree_size]).hex()
    result, failure = service.verify_organisation(org)
    assert failure is None, failure


def test_a_one_event_bundle_costs_the_same_statements_at_two_chain_lengths(org):
    append(org, 40)

    def bundle_statements() -> int:
        checkpoint = service.sign_from_state(org)
        return count_queries(lambda: service.export_bundle(org, [3], checkpoint))

    small = bundle_statements()
    append(org, 2000)
    large = bundle_statements()
    assert small == large <= 12
    checkpoint = service.latest_checkpoint(org)
    bundle = service.export_bundle(org, [3, checkpoint.tree_size], checkpoint)
    checks = verify_bundle(bundle, ledger.public_key_pem(service.signing_key()))
    assert checks and all(check.ok for check in checks)


def test_a_chain_without_state_is_rebuilt_on_its_next_append(org):
    append(org, 300)
    before = db.session.get(AuditChainHead, org.id)
    expected, size = before.frontier, before.seq
    db.session.execute(sa.update(AuditChainHead).values(frontier=None))
    db.session.execute(sa.delete(AuditMerkleNode))
    db.session.commit()
    append(org, 1)
    head = db.session.get(AuditChainHead, org.id)
    assert head.frontier != expected and head.seq == size + 1
    assert ledger.Frontier.decode(head.seq, head.frontier).root() == ledger.merkle_root(all_leaves(org))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditMerkleNode)) == 1


def test_altered_merkle_state_is_caught_by_verify_and_refused_by_proofs(org):
    append(org, 300)
    checkpoint = service.sign_from_state(org)
    db.session.execute(sa.update(AuditMerkleNode).values(hash="ab" * 32))
    db.session.commit()
    try:
        service.export_bundle(org, [290], checkpoint)  # its proof uses the stored root of events 1-256
    except service.AuditIntegrityError as error:
        assert "no longer reproduce the checkpoint" in str(error)
    else:
        raise AssertionError("a proof from an altered node left the service")
    head = db.session.get(AuditChainHead, org.id)
    frontier = ledger.Frontier.decode(head.seq, head.frontier)
    frontier.roots[0] = b"\x01" * 32
    head.frontier = frontier.encode()
    db.session.commit()
    _result, failure = service.verify_organisation(org)
    assert failure is not None and failure.kind == "head_mismatch" and "Merkle state" in failure.message
