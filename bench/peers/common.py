"""What the peers share: the engine's inputs, the carpool rules' constants, the indicators compared.

The peers implement carpooling's week as docs/model.md states it (awareness by Bass over the
ties within each platform's potential, the logit mode choice between driving alone, carpooling
without a platform and through each known platform, pairing by (mode, home zone, work zone) in
resident order, the week's kilometres and CO2e) on the engine's own territory and population, read
from a `coopterra.Simulation` of `carpool_only.toml` before its first week. Their random numbers
are their own (NumPy's PCG64, Python's Mersenne Twister): they agree with the engine in
distribution, not draw for draw, so the comparison is of yearly means within a tolerance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

import coopterra

SCENARIO = Path(__file__).with_name("carpool_only.toml")

# What each week reports, the same names in every implementation.
INDICATORS = (
    "aware_cooperative",  # residents aware of the cooperative platform
    "aware_incumbent",
    "drive_alone",  # car commuters choosing each mode (those on leave aside)
    "carpool_platforms",  # choosing a platform, either
    "carpool_informal",
    "carpoolers",  # matched drivers and passengers, with a platform or without
    "vehicle_km",  # commuting cars' kilometres, detours included
)


def weekly_bass_hazard(p: float, q: float, aware_share: float) -> float:
    """The chance of hearing of a platform within a week (model/awareness.hpp)."""
    rate = p + q * aware_share
    if rate <= 0.0:
        return 0.0
    growth = math.expm1((p + q) / 52.0)
    return rate * growth / (rate * (1.0 + growth) + q * (1.0 - aware_share))


@dataclass
class Platform:
    initial_awareness: float
    potential: float  # share of residents within the platform's potential
    hazard: npt.NDArray[np.float64]  # weekly chance with a ties aware, a = 0..k
    fee_eur_per_km: float
    coop: bool


@dataclass
class Inputs:
    """The engine's territory and population, and carpooling's parameters."""

    residents: int
    home: npt.NDArray[np.int64]
    work: npt.NDArray[np.int64]
    car_commuter: npt.NDArray[np.bool_]
    electric: npt.NDArray[np.bool_]
    coop_attitude: npt.NDArray[np.float64]
    ties: npt.NDArray[np.int64]
    road_km: npt.NDArray[np.float64]
    platforms: list[Platform]
    trips: int
    car_cost: float
    detour_km: float
    detour_minutes: float
    asc: float
    informal_asc: float
    beta_cost: float
    beta_time: float  # per hour
    beta_coop_attitude: float
    leave_share: float
    kg_thermal: float
    kg_electric: float


def inputs(residents: int, seed: int = 1) -> Inputs:
    """The engine's inputs for `residents` residents of carpool_only.toml."""
    scenario = coopterra.load_scenario(SCENARIO, overrides={"territory.residents": residents})
    sim = coopterra.Simulation(scenario, seed=seed, threads=1)
    pop = sim.population()
    get = scenario.get
    k = int(get("population.ties_per_resident"))
    platforms = []
    for key in ("cooperative", "incumbent"):
        p, q = float(get(f"carpool.{key}.bass_p")), float(get(f"carpool.{key}.bass_q"))
        per_km = get(f"carpool.{key}.fee_model") == "per_km"
        initial = float(get(f"carpool.{key}.initial_awareness"))
        platforms.append(
            Platform(
                initial_awareness=initial,
                potential=max(initial, float(get(f"carpool.{key}.awareness_potential"))),
                hazard=np.array([weekly_bass_hazard(p, q, a / k) for a in range(k + 1)]),
                fee_eur_per_km=float(get(f"carpool.{key}.fee_eur_per_km"))
                if per_km
                else float(get("carpool.fare_eur_per_km"))
                * float(get(f"carpool.{key}.commission")),
                coop=key == "cooperative",
            )
        )
    beta_cost = float(get("carpool.beta_cost_per_eur"))
    return Inputs(
        residents=len(pop),
        home=pop["home"].to_numpy(),
        work=pop["work"].to_numpy(),
        car_commuter=pop["car_commuter"].to_numpy(),
        electric=pop["electric_car"].to_numpy(),
        coop_attitude=pop["coop_attitude"].to_numpy().astype(np.float64),
        ties=sim.ties().astype(np.int64),
        road_km=sim.territory.road_km.to_numpy(dtype=np.float64),
        platforms=platforms,
        trips=2 * int(get("carpool.workdays_per_week")),
        car_cost=float(get("carpool.car_cost_eur_per_km")),
        detour_km=float(get("carpool.detour_km")),
        detour_minutes=float(get("carpool.detour_minutes")),
        asc=float(get("carpool.asc")),
        informal_asc=float(get("carpool.informal_asc")),
        beta_cost=beta_cost,
        beta_time=beta_cost * float(get("carpool.value_of_time_eur_per_hour")),
        beta_coop_attitude=float(get("carpool.beta_coop_attitude")),
        leave_share=float(get("carpool.weeks_of_leave")) / 52.0,
        kg_thermal=float(get("emissions.thermal_car_kg_per_km")),
        kg_electric=float(get("emissions.electric_car_kg_per_km")),
    )


def engine_weeks(
    residents: int, weeks: int, threads: int = 1, seed: int = 1
) -> tuple[dict[str, np.ndarray], float]:
    """The engine's weekly indicators on carpool_only.toml, and its run's seconds (build apart)."""
    import time

    scenario = coopterra.load_scenario(SCENARIO, overrides={"territory.residents": residents})
    sim = coopterra.Simulation(scenario, seed=seed, threads=threads)
    start = time.perf_counter()
    sim.run(weeks=weeks)
    seconds = time.perf_counter() - start
    r = sim.results()
    commuters = r["commuters"].values
    out = {
        "aware_cooperative": r["aware"].values[:, 0],
        "aware_incumbent": r["aware"].values[:, 1],
        "drive_alone": commuters[:, 0],
        "carpool_platforms": commuters[:, 1:3].sum(axis=1),
        "carpool_informal": commuters[:, 3],
        "carpoolers": (r["carpool_drivers"] + r["carpool_passengers"]).values.sum(axis=1)
        + (r["informal_drivers"] + r["informal_passengers"]).values,
        "vehicle_km": (r["vehicle_km_alone"] + r["vehicle_km_carpool"]).values,
    }
    return {k: np.asarray(v, dtype=np.float64) for k, v in out.items()}, seconds


def agreement(engine: dict[str, np.ndarray], peer: dict[str, np.ndarray]) -> dict[str, float]:
    """Relative difference of each indicator's mean over the weeks, the peer against the engine."""
    out = {}
    for name in INDICATORS:
        e, p = float(np.mean(engine[name])), float(np.mean(peer[name]))
        out[name] = (p - e) / e if e else (0.0 if p == 0 else math.inf)
    return out
