"""Carpooling's week in Mesa 3: the peer a Mesa user would write, one agent per resident.

Same rules as the engine (bench/peers/common.py, docs/model.md), written the way Mesa's tutorials
write a model: a `Resident` agent with its own state and methods, the model's `AgentSet` calling
them each step (`agents.do`), the model's seeded `random` for the draws. Awareness is updated
synchronously (every resident hears from their ties' state at the start of the week), as in the
engine.
"""

from __future__ import annotations

import math
import time

import mesa
import numpy as np
from common import Inputs


class Resident(mesa.Agent):
    def __init__(self, model: CarpoolModel, index: int) -> None:
        super().__init__(model)
        x = model.x
        self.index = index
        self.home = int(x.home[index])
        self.ties: list[Resident] = []
        draws = [self.random.random() for _ in x.platforms]
        self.aware = [u < pl.initial_awareness for u, pl in zip(draws, x.platforms, strict=True)]
        self.within = [u < pl.potential for u, pl in zip(draws, x.platforms, strict=True)]
        self.aware_next = list(self.aware)
        self.commuter = bool(x.car_commuter[index])
        if self.commuter:
            self.work = int(x.work[index])
            self.km = float(x.road_km[self.home, self.work])
            self.kg_per_km = x.kg_electric if x.electric[index] else x.kg_thermal
            self.attitude = float(x.coop_attitude[index])
        self.mode = -1  # -1: not a car commuter at work this week
        self.role = ""

    def hear(self) -> None:
        model = self.model
        for p, pl in enumerate(model.x.platforms):
            if self.aware[p] or not self.within[p]:
                continue
            aware_ties = sum(1 for t in self.ties if t.aware[p])
            if self.random.random() < pl.hazard[aware_ties]:
                self.aware_next[p] = True

    def adopt(self) -> None:
        self.aware = list(self.aware_next)

    def choose(self) -> None:
        x = self.model.x
        if self.random.random() < x.leave_share:
            self.mode = -1
            return
        t = x.trips
        alone = x.car_cost * self.km * t
        time = x.beta_time * x.detour_minutes * t / 60.0
        utilities = {0: 0.0}
        utilities[len(x.platforms) + 1] = (
            x.informal_asc
            + x.beta_cost * (alone - t * 0.5 * x.car_cost * (self.km + x.detour_km))
            - time
        )
        for p, pl in enumerate(x.platforms):
            if not self.aware[p]:
                continue
            cost = t * 0.5 * (x.car_cost * (self.km + x.detour_km) + pl.fee_eur_per_km * self.km)
            v = x.asc + x.beta_cost * (alone - cost) - time
            if pl.coop:
                v += x.beta_coop_attitude * (self.attitude - 0.5)
            utilities[p + 1] = v
        # The logit choice: the greatest utility plus a Gumbel draw, that is the least E exp(-V)
        # with E exponential.
        self.mode = min(
            utilities, key=lambda m: self.random.expovariate(1.0) * math.exp(-utilities[m])
        )
        self.role = "alone" if self.mode == 0 else ""


class CarpoolModel(mesa.Model):
    def __init__(self, x: Inputs, seed: int = 1) -> None:
        super().__init__(seed=seed)
        self.x = x
        self.residents = [Resident(self, i) for i in range(x.residents)]
        for agent, ties in zip(self.residents, x.ties, strict=True):
            agent.ties = [self.residents[int(j)] for j in ties]
        self.commuters = self.agents.select(lambda a: a.commuter)

    def step(self) -> None:
        self.agents.do("hear")
        self.agents.do("adopt")
        self.commuters.do("choose")
        self.match()

    def match(self) -> None:
        groups: dict[tuple[int, int, int], list[Resident]] = {}
        for a in self.commuters:  # in resident order
            if a.mode > 0:
                groups.setdefault((a.mode, a.home, a.work), []).append(a)
        for members in groups.values():
            for first, second in zip(members[0::2], members[1::2], strict=False):
                first_drives = self.random.random() < 0.5
                first.role, second.role = (
                    ("driver", "passenger") if first_drives else ("passenger", "driver")
                )
            if len(members) % 2:
                members[-1].role = "alone"

    def indicators(self) -> dict[str, float]:
        x = self.x
        platforms = len(x.platforms)
        chosen = [0] * (platforms + 2)
        carpoolers, km = 0, 0.0
        for a in self.commuters:
            if a.mode < 0:
                continue
            chosen[a.mode] += 1
            if a.role == "driver":
                carpoolers += 1
                km += (a.km + x.detour_km) * x.trips
            elif a.role == "passenger":
                carpoolers += 1
            else:
                km += a.km * x.trips
        return {
            "aware_cooperative": float(sum(a.aware[0] for a in self.residents)),
            "aware_incumbent": float(sum(a.aware[1] for a in self.residents)),
            "drive_alone": float(chosen[0]),
            "carpool_platforms": float(sum(chosen[1 : platforms + 1])),
            "carpool_informal": float(chosen[platforms + 1]),
            "carpoolers": float(carpoolers),
            "vehicle_km": km,
        }


def run(x: Inputs, weeks: int, seed: int = 1) -> tuple[dict[str, np.ndarray], float]:
    """The weekly indicators, and the seconds of the weeks (the agents' creation apart)."""
    model = CarpoolModel(x, seed)
    rows = []
    start = time.perf_counter()
    for _ in range(weeks):
        model.step()
        rows.append(model.indicators())
    seconds = time.perf_counter() - start
    return {k: np.array([r[k] for r in rows]) for k in rows[0]}, seconds
