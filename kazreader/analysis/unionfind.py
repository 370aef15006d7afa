"""A small union-find (disjoint sets) over integers, used to merge clusters and entities."""

from __future__ import annotations

__all__ = ["UnionFind"]


class UnionFind:
    """Disjoint sets over ``0..n-1`` with path halving; a set's root is its smallest member."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
