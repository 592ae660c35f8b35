"""Carpooling's week, vectorised with NumPy: the peer a researcher would write in an afternoon.

Same rules as the engine (bench/peers/common.py, docs/model.md), one array operation per rule over
all the residents or car commuters at once; its own random numbers (NumPy's PCG64).
"""

from __future__ import annotations

import time

import numpy as np
from common import Inputs


class NumpyCarpool:
    def __init__(self, x: Inputs, seed: int = 1) -> None:
        self.x = x
        self.rng = np.random.default_rng(seed)
        n, platforms = x.residents, len(x.platforms)
        # One uniform per resident and platform decides awareness at week 0 and the potential.
        start = self.rng.random((n, platforms))
        self.aware = [start[:, p] < pl.initial_awareness for p, pl in enumerate(x.platforms)]
        self.within = [start[:, p] < pl.potential for p, pl in enumerate(x.platforms)]
        c = np.flatnonzero(x.car_commuter)
        self.commuters = c
        self.home, self.work = x.home[c], x.work[c]
        self.km = x.road_km[self.home, self.work]
        self.kg_per_km = np.where(x.electric[c], x.kg_electric, x.kg_thermal)
        zones = x.road_km.shape[0]
        self.zones = zones
        # Utilities that do not change from week to week (no policy): driving alone 0.
        t = x.trips
        alone = x.car_cost * self.km * t
        time = x.beta_time * x.detour_minutes * t / 60.0
        self.v_informal = (
            x.informal_asc
            + x.beta_cost * (alone - t * 0.5 * x.car_cost * (self.km + x.detour_km))
            - time
        )
        self.v_platform = []
        for pl in x.platforms:
            cost = t * 0.5 * (x.car_cost * (self.km + x.detour_km) + pl.fee_eur_per_km * self.km)
            v = x.asc + x.beta_cost * (alone - cost) - time
            if pl.coop:
                v = v + x.beta_coop_attitude * (x.coop_attitude[c] - 0.5)
            self.v_platform.append(v)
        # exp(-V) of each mode, driving alone first and carpooling without a platform last.
        self.weight = np.exp(
            -np.column_stack([np.zeros_like(self.km), *self.v_platform, self.v_informal])
        )

    def step(self) -> dict[str, float]:
        x, rng = self.x, self.rng
        # Awareness: within the potential, a chance by the aware share of the ties at the start of
        # the week (synchronous update).
        # The ties are counted only for the draws below the chance with every tie aware.
        learnt = []
        for p, pl in enumerate(x.platforms):
            who = np.flatnonzero(~self.aware[p] & self.within[p])
            u = rng.random(who.size)
            maybe = u < pl.hazard[-1]
            who, u = who[maybe], u[maybe]
            aware_ties = self.aware[p][x.ties[who]].sum(axis=1)
            learnt.append(who[u < pl.hazard[aware_ties]])
        for p, who in enumerate(learnt):
            self.aware[p][who] = True
        # Mode choice: the greatest utility plus a Gumbel draw, that is the least E exp(-V) with E
        # exponential (NumPy's exponentials are a ziggurat, its Gumbel draws two logarithms); an
        # unknown platform is no option.
        m = self.commuters.size
        platforms = len(x.platforms)
        weight = self.weight.copy()
        for p in range(platforms):
            weight[~self.aware[p][self.commuters], p + 1] = np.inf
        mode = np.argmin(rng.standard_exponential(size=weight.shape) * weight, axis=1)
        working = rng.random(m) >= x.leave_share
        # Matching: carpoolers grouped by (mode, home, work), paired in resident order.
        carpool = np.flatnonzero(working & (mode > 0))
        group = (mode[carpool] * self.zones + self.home[carpool]) * self.zones + self.work[carpool]
        order = np.argsort(group, kind="stable")  # stable: resident order within a group
        g = group[order]
        first = np.r_[True, g[1:] != g[:-1]]
        start = np.maximum.accumulate(np.where(first, np.arange(g.size), 0))
        rank = np.arange(g.size) - start
        last_of_group = np.r_[g[1:] != g[:-1], True]
        paired = ~((rank % 2 == 0) & last_of_group)  # the odd one out of a group drives alone
        # The pair's first member drives with chance 1/2.
        lead = (rank % 2 == 0) & paired
        drives_first = rng.random(g.size) < 0.5
        role_driver = np.zeros(g.size, dtype=bool)
        role_driver[lead] = drives_first[lead]
        follower = np.flatnonzero(lead) + 1
        role_driver[follower] = ~drives_first[lead]
        who = carpool[order]
        driver = np.zeros(m, dtype=bool)
        passenger = np.zeros(m, dtype=bool)
        driver[who[paired & role_driver]] = True
        passenger[who[paired & ~role_driver]] = True
        # Accounts: kilometres of every car commuter at work this week.
        t = x.trips
        km = np.where(driver, (self.km + x.detour_km) * t, np.where(passenger, 0.0, self.km * t))
        km = np.where(working, km, 0.0)
        chosen = np.bincount(mode[working], minlength=platforms + 2)
        return {
            "aware_cooperative": float(self.aware[0].sum()),
            "aware_incumbent": float(self.aware[1].sum()),
            "drive_alone": float(chosen[0]),
            "carpool_platforms": float(chosen[1 : platforms + 1].sum()),
            "carpool_informal": float(chosen[platforms + 1]),
            "carpoolers": float(driver.sum() + passenger.sum()),
            "vehicle_km": float(km.sum()),
        }


def run(x: Inputs, weeks: int, seed: int = 1) -> tuple[dict[str, np.ndarray], float]:
    """The weekly indicators, and the seconds of the weeks (the model's construction apart)."""
    model = NumpyCarpool(x, seed)
    start = time.perf_counter()
    rows = [model.step() for _ in range(weeks)]
    seconds = time.perf_counter() - start
    return {k: np.array([r[k] for r in rows]) for k in rows[0]}, seconds
