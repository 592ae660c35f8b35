"""Running a simulation from Python.

>>> sim = Simulation(load_scenario(overrides={"territory.residents": 2000}), seed=1, threads=2)
>>> sim.run(weeks=4)
4
>>> float(sim.results()["co2e"].sum()) > 0
True
"""

from __future__ import annotations

import os
import tomllib
from typing import ClassVar

import numpy as np
import numpy.typing as npt
import pandas as pd
import xarray as xr

from coopterra import _core
from coopterra._files import check_writable, clean_stale_temporaries, write_atomically
from coopterra.errors import ConfigurationError, CoopterraIOError
from coopterra.results import dataset_from_core
from coopterra.scenario import PathLike, Scenario, load_scenario
from coopterra.territory import Territory


class InputsCache:
    """Territories, populations and firms shared read-only by the simulations given this cache.

    A run's territory, population and firms depend only on the territory's and population's
    parameters and the seed, never on behaviour or policies: the runs of an ensemble or a
    calibration with the same territory and seed build them once (``run_ensemble`` does so for
    its local runs). Results are the same with or without a cache. Entries beyond
    ``budget_bytes`` (1 GiB by default) are forgotten, least recently used first; ``clear()``
    forgets them all; simulations keep what they hold.
    """

    def __init__(self, budget_bytes: int = 1 << 30) -> None:
        self._core = _core.InputsCache(budget_bytes)

    @property
    def entries(self) -> int:
        """Territories and populations held."""
        return int(self._core.entries)

    @property
    def bytes(self) -> int:
        """Memory of the territories and populations held."""
        return int(self._core.bytes)

    @property
    def builds(self) -> int:
        """Territories and populations built so far."""
        return int(self._core.builds)

    @property
    def hits(self) -> int:
        """Territories and populations taken from the cache instead of built."""
        return int(self._core.hits)

    def clear(self) -> None:
        self._core.clear()


class Simulation:
    """One run of one scenario, with an explicit seed and thread count.

    The scenario is copied into the simulation: changing a scenario never changes a running
    simulation. Results do not depend on ``threads``: the same seed gives bit-identical results
    for any thread count. With ``cache`` (an :class:`InputsCache`), the territory, population
    and firms come from it when another run built them.
    """

    def __init__(
        self,
        scenario: Scenario | PathLike | None = None,
        *,
        seed: int | None = None,
        threads: int = 1,
        cache: InputsCache | None = None,
    ) -> None:
        if not isinstance(scenario, Scenario):
            scenario = load_scenario(scenario)
        if seed is None:
            seed = scenario.integer("run.seed")
        if isinstance(threads, bool) or not isinstance(threads, int):
            raise TypeError(f"threads must be an int, got {type(threads).__name__}")
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0 or seed > 2**53:
            raise ConfigurationError(
                f"configuration error: seed must be an integer from 0 to 2**53, got {seed!r}",
                [("", 0, 0, "seed", f"must be an integer from 0 to 2**53, got {seed!r}")],
            )
        self.scenario = scenario
        self._sim = _core.Simulation(
            scenario._core, seed, threads, cache._core if cache is not None else None
        )
        self._territory: Territory | None = None

    @property
    def week(self) -> int:
        """Weeks simulated so far."""
        return int(self._sim.week)

    @property
    def seed(self) -> int:
        return int(self._sim.seed)

    @property
    def threads(self) -> int:
        return int(self._sim.threads)

    @property
    def residents(self) -> int:
        return int(self._sim.residents)

    @property
    def state_bytes(self) -> int:
        """Memory held by all per-resident state: population, social ties, model state."""
        return int(self._sim.state_bytes)

    def run(self, weeks: int | None = None, progress: bool = False) -> int:
        """Simulate ``weeks`` more weeks (default: up to the scenario's ``run.weeks``).

        The GIL is released while the engine works. Ctrl-C stops the run cleanly at the end of
        the current week (raising ``KeyboardInterrupt``); the simulation can then be resumed or
        its results read. Returns the number of weeks simulated by this call.

        The scenario's ``run.weeks`` is the run's horizon ("until the end" of a policy with
        ``end_week = 0``): to run longer, set it (``scenario.with_overrides({"run.weeks": n})``),
        as ``coopterra run --weeks`` and ``run_ensemble(weeks=...)`` do. Running past it while a
        policy or shock lasts until the end is a ConfigurationError, never a policy that stops
        silently.
        """
        if weeks is None:
            weeks = max(0, self.scenario.integer("run.weeks") - self.week)
        if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 0:
            raise ConfigurationError(
                f"configuration error: weeks must be an integer >= 0, got {weeks!r}",
                [("", 0, 0, "weeks", f"must be an integer >= 0, got {weeks!r}")],
            )
        self._check_horizon(weeks)
        if not progress:
            return int(self._sim.run(weeks))
        from tqdm.auto import tqdm

        with tqdm(total=weeks, unit="week", desc=self.scenario.name) as bar:

            def on_week(_week: int) -> bool:
                bar.update(1)
                return True

            return int(self._sim.run(weeks, on_week))

    def _check_horizon(self, weeks: int) -> None:
        """Refuses to run past ``run.weeks`` while a policy or shock lasts "until the end": its
        end is the horizon, so it would stop silently before the run does."""
        horizon = self.scenario.integer("run.weeks")
        if self.week + weeks <= horizon:
            return
        events = tomllib.loads(self.scenario.to_toml())
        open_ended = [
            f"{table}[{i}]"
            for table in ("policies", "shocks")
            for i, event in enumerate(events.get(table, []), start=1)
            if int(event.get("end_week", 0)) == 0
        ]
        if open_ended:
            message = (
                f"weeks: running to week {self.week + weeks} goes past run.weeks = {horizon}, "
                f"where {', '.join(open_ended)} (end_week = 0: until the end) stop; set "
                f"run.weeks instead (scenario.with_overrides({{'run.weeks': {self.week + weeks}}}))"
            )
            raise ConfigurationError(
                f"configuration error: {message}", [("", 0, 0, "weeks", message)]
            )

    def checkpoint(self, path: str | os.PathLike[str] | None = None) -> bytes:
        """The state after the current week (to resume bit for bit, or to fork); written
        atomically to ``path`` when given."""
        data = self._sim.checkpoint()
        if path is not None:
            write_atomically(path, data)
        return data

    @classmethod
    def from_checkpoint(
        cls,
        checkpoint: bytes | str | os.PathLike[str],
        scenario: Scenario | None = None,
        *,
        threads: int = 1,
    ) -> Simulation:
        """Resume a run from a checkpoint (bytes or a file), or fork it into ``scenario``.

        Without a scenario, the run goes on exactly as if never stopped. With one (a policy
        scenario on the same territory and population), the weeks so far are kept and the
        scenario acts from the next week: run to the policy date once, then branch.
        """
        if isinstance(checkpoint, bytes):
            data = checkpoint
        else:
            if not os.path.isfile(checkpoint):
                raise CoopterraIOError(f"{os.fspath(checkpoint)}: not a checkpoint file")
            with open(checkpoint, "rb") as f:
                data = f.read()
        if scenario is None:
            scenario = Scenario(
                _core.Scenario.from_string(_core.Simulation.checkpoint_scenario(data), "checkpoint")
            )
        sim = cls.__new__(cls)
        sim.scenario = scenario
        sim._sim = _core.Simulation.restore(data, scenario._core, threads)
        sim._territory = None
        return sim

    def fork(self, scenario: Scenario, *, threads: int | None = None) -> Simulation:
        """A new simulation that continues this one's weeks under another scenario."""
        return Simulation.from_checkpoint(
            self.checkpoint(), scenario, threads=threads or self.threads
        )

    def results(self) -> xr.Dataset:
        """The indicators so far, by week (and mode, platform, zone), with provenance."""
        return dataset_from_core(self._sim.results())

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the results to a NetCDF4-compatible HDF5 file, atomically (temporaries of an
        earlier write killed midway are removed first), creating its folder if needed."""
        check_writable(path)
        clean_stale_temporaries(path)
        self._sim.write_results(os.fspath(path))

    def profile(self) -> pd.DataFrame:
        """Wall-clock seconds and calls per phase, in the order the phases run."""
        rows: list[tuple[str, float, int]] = self._sim.profile()
        return pd.DataFrame(rows, columns=["phase", "seconds", "calls"])

    @property
    def territory(self) -> Territory:
        """The territory the simulation runs on."""
        if self._territory is None:
            self._territory = Territory(self._sim.territory())
        return self._territory

    @property
    def firms(self) -> int:
        return int(self._sim.firms)

    # The residents' flags (population/population.hpp), as the population's boolean columns.
    _FLAGS: ClassVar[dict[str, int]] = {
        "car_commuter": 1,
        "electric_car": 2,
        "commuter": 4,
        "has_car": 8,
        "online": 16,
    }
    _AGE_GROUPS = ("0-14", "15-29", "30-44", "45-59", "60-74", "75+")

    def population(self) -> pd.DataFrame:
        """The synthetic population, one row per resident in the engine's order (by home zone).

        ``home`` and ``work`` are zone indices (rows of ``territory.zones``); ``work`` is -1 for
        residents without a fixed workplace. The residents' social ties are :meth:`ties`.
        """
        p = self._sim.population()
        work = p["work"].astype(np.int64)
        work[p["work"] == np.iinfo(np.uint32).max] = -1
        columns: dict[str, object] = {"home": p["home"].astype(np.int64), "work": work}
        for name, bit in self._FLAGS.items():
            columns[name] = (p["flags"] & bit) != 0
        columns["age_group"] = pd.Categorical(
            np.asarray(self._AGE_GROUPS)[p["age_group"]], categories=list(self._AGE_GROUPS)
        )
        columns["income_decile"] = p["income_decile"]
        columns["coop_attitude"] = p["coop_attitude"]
        columns["env_attitude"] = p["env_attitude"]
        return pd.DataFrame(columns).rename_axis("resident")

    def ties(self) -> npt.NDArray[np.uint32]:
        """The residents' social ties: row i lists the residents resident i is tied to."""
        ties: npt.NDArray[np.uint32] = self._sim.population()["ties"]
        return ties

    def __repr__(self) -> str:
        return (
            f"Simulation({self.scenario.name!r}, seed={self.seed}, threads={self.threads}, "
            f"week={self.week})"
        )
