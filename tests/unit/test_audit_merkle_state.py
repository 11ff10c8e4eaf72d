"""The Merkle state kept beside the chain (ledger.Frontier, stored subtree roots): proofs and roots made
from it are exactly those made from the full chain, for every tree shape around the stored-node level."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copro_tracker.audit import ledger

BLOCK = 1 << ledger.NODE_LEVEL


def leaves_of(n: int) -> list[bytes]:
    return [ledger.leaf_hash(i.to_bytes(4, "big")) for i in range(n)]


def grow(leaves: list[bytes]) -> tuple[ledger.Frontier, dict[tuple[int, int], bytes]]:
    """Append leaves one by one, keeping the nodes the app would store."""
    frontier = ledger.Frontier()
    stored: dict[tuple[int, int], bytes] = {}
    for leaf in leaves:
        for level, position, digest in frontier.append(leaf):
            if level >= ledger.NODE_LEVEL:
                stored[(level, position)] = digest
    return frontier, stored


SIZES = [1, 2, 3, 7, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK - 1, 2 * BLOCK, 3 * BLOCK + 5, 4 * BLOCK, 4 * BLOCK + 1]


@pytest.mark.parametrize("n", SIZES)
def test_frontier_root_is_the_full_tree_root_at_every_size(n):
    leaves = leaves_of(n)
    frontier = ledger.Frontier()
    for size, leaf in enumerate(leaves, start=1):
        frontier.append(leaf)
        if size in (1, n) or size % 97 == 0:
            assert frontier.root() == ledger.merkle_root(leaves[:size])
    assert ledger.Frontier.decode(n, frontier.encode()).root() == frontier.root()


@pytest.mark.parametrize("n", SIZES)
def test_proofs_from_stored_state_equal_proofs_from_the_full_chain(n):
    leaves = leaves_of(n)
    _, stored = grow(leaves)
    known = dict(enumerate(leaves))
    rng = random.Random(n)
    for size in sorted({n, max(1, n - 1), max(1, n // 2), max(1, n - BLOCK)}):
        tree = ledger.MerkleTree(leaves[:size])
        for index in sorted({0, size - 1, size // 2, rng.randrange(size), min(BLOCK, size - 1)}):
            nodes, wanted = ledger.needed_for_proof(index, size)
            # Only what needed_for_proof names is given: the proof must not reach for anything else.
            perfect = ledger.perfect_from({key: stored[key] for key in nodes}, {i: known[i] for i in wanted})
            proof = ledger.proof_from_state(index, size, perfect)
            assert proof == tree.inclusion_proof(index), (n, size, index)
            assert ledger.verify_inclusion(leaves[index], index, size, proof, tree.root())
            assert len(wanted) <= 2 * BLOCK and max(wanted) < size
        assert ledger.range_root(0, size, ledger.perfect_from(stored, known)) == tree.root()


def test_a_proofs_cost_does_not_grow_with_the_tree():
    # What a proof reads is bounded by two blocks of event hashes and one stored node per level.
    for n in (10 * BLOCK, 1000 * BLOCK + 17):
        nodes, wanted = ledger.needed_for_proof(BLOCK + 3, n)
        assert len(wanted) <= 2 * BLOCK
        assert len(nodes) <= n.bit_length()


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=3 * BLOCK + 40), st.data())
def test_any_leaf_of_any_prefix(n, data):
    leaves = leaves_of(n)
    _, stored = grow(leaves)
    size = data.draw(st.integers(min_value=1, max_value=n))
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    perfect = ledger.perfect_from(stored, dict(enumerate(leaves)))
    assert ledger.proof_from_state(index, size, perfect) == ledger.inclusion_proof(index, leaves[:size])


def test_completed_subtrees_are_reported_once_with_their_position():
    frontier = ledger.Frontier()
    seen = []
    for leaf in leaves_of(8):
        seen += [(level, position) for level, position, _ in frontier.append(leaf)]
    assert seen == [(1, 0), (1, 1), (2, 0), (1, 2), (1, 3), (2, 1), (3, 0)]


def test_a_frontier_that_does_not_fit_its_size_is_refused():
    with pytest.raises(ValueError):
        ledger.Frontier(3, [b"\x00" * 32])
    with pytest.raises(ValueError):
        ledger.Frontier.decode(1, "ab")
