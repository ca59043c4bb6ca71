"""The alignment dynamic programme: the cheapest monotone chain of beads, and how sure each bead is.

A bead links ``a`` consecutive source items with ``b`` consecutive target items (1:1, 1:2, 2:1, 2:2, 1:3,
3:1, or 1:0 / 0:1 for text in one edition only). The caller prices a bead (Gale–Church length cost plus
lexical anchors, in :mod:`ccpipe.translate.align`). The best chain is found as in Gale–Church and
Hunalign; the forward–backward sums over *all* chains give each chosen bead its posterior probability,
which is the link's confidence: a link that alternatives of nearly the same cost compete with scores low.
Long inputs are searched in a band around the diagonal.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

Move = tuple[int, int]
CostFunction = Callable[[int, int, int, int], float]  # (source start, a, target start, b) -> cost

MOVES: tuple[Move, ...] = ((1, 1), (1, 0), (0, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (1, 4), (4, 1))
# Inputs up to this many cells are searched whole; longer ones in a band around the diagonal.
FULL_SEARCH = 250_000
BAND = 60


@dataclass(frozen=True)
class Bead:
    source: tuple[int, int]  # item range [start, end) in the source sequence
    target: tuple[int, int]
    cost: float
    posterior: float


def _logaddexp(x: float, y: float) -> float:
    if x == -math.inf:
        return y
    if y == -math.inf:
        return x
    high = max(x, y)
    return high + math.log1p(math.exp(-abs(x - y)))


class _Lattice:
    def __init__(self, n: int, m: int, cost: CostFunction, moves: tuple[Move, ...], temperature: float) -> None:
        self.n, self.m, self.cost_of, self.moves, self.t = n, m, cost, moves, temperature
        self.costs: dict[tuple[int, int, int, int], float] = {}
        wide = (n + 1) * (m + 1) <= FULL_SEARCH
        self.cells = [self._row(i, wide) for i in range(n + 1)]

    def _row(self, i: int, wide: bool) -> range:
        if wide or not self.n:
            return range(self.m + 1)
        centre = round(i * self.m / self.n)
        return range(max(0, centre - BAND), min(self.m, centre + BAND) + 1)

    def cost(self, i: int, a: int, j: int, b: int) -> float:
        key = (i, a, j, b)
        if key not in self.costs:
            self.costs[key] = self.cost_of(i, a, j, b)
        return self.costs[key]

    def forward(self) -> tuple[dict[tuple[int, int], tuple[float, Move]], dict[tuple[int, int], float]]:
        best: dict[tuple[int, int], tuple[float, Move]] = {(0, 0): (0.0, (0, 0))}
        total: dict[tuple[int, int], float] = {(0, 0): 0.0}
        for i in range(self.n + 1):
            for j in self.cells[i]:
                if i == j == 0:
                    continue
                chosen: tuple[float, Move] = (math.inf, (0, 0))
                summed = -math.inf
                for a, b in self.moves:
                    if (i - a, j - b) not in best:
                        continue
                    step = self.cost(i - a, a, j - b, b)
                    chosen = min(chosen, (best[i - a, j - b][0] + step, (a, b)))
                    summed = _logaddexp(summed, total[i - a, j - b] - step / self.t)
                if chosen[0] < math.inf:
                    best[i, j], total[i, j] = chosen, summed
        return best, total

    def backward(self) -> dict[tuple[int, int], float]:
        after: dict[tuple[int, int], float] = {(self.n, self.m): 0.0}
        for i in range(self.n, -1, -1):
            for j in reversed(self.cells[i]):
                if (i, j) == (self.n, self.m):
                    continue
                summed = -math.inf
                for a, b in self.moves:
                    if (i + a, j + b) in after and (i, a, j, b) in self.costs:
                        summed = _logaddexp(summed, after[i + a, j + b] - self.costs[i, a, j, b] / self.t)
                if summed > -math.inf:
                    after[i, j] = summed
        return after


def align_sequences(
    n: int, m: int, cost: CostFunction, moves: tuple[Move, ...] = MOVES, temperature: float = 1.0
) -> list[Bead]:
    """The best chain of beads over ``n`` source and ``m`` target items, each with its posterior."""
    if n == 0 and m == 0:
        return []
    lattice = _Lattice(n, m, cost, moves, temperature)
    best, total = lattice.forward()
    if (n, m) not in best:
        raise ValueError("no chain of beads reaches the end of both sequences")
    after = lattice.backward()
    beads: list[Bead] = []
    i, j = n, m
    while (i, j) != (0, 0):
        a, b = best[i, j][1]
        step = lattice.costs[i - a, a, j - b, b]
        log_posterior = total[i - a, j - b] - step / temperature + after[i, j] - total[n, m]
        beads.append(Bead((i - a, i), (j - b, j), step, min(1.0, math.exp(log_posterior))))
        i, j = i - a, j - b
    return beads[::-1]
