"""coopterra: territorial simulation of partnerships between local governments and platform
cooperatives.

>>> import coopterra
>>> sim = coopterra.Simulation(coopterra.load_scenario(), seed=1, threads=2)
>>> weeks = sim.run(weeks=2)
>>> ds = sim.results()            # an xarray.Dataset with dims week, mode, platform, zone
"""

import os as _os

# Threads that wait for their siblings at the end of a parallel loop sleep instead of spinning
# (OpenMP's passive wait policy), unless the caller chose otherwise: on a machine where another
# process holds a core, a spinning thread keeps its core while its sibling queues behind the
# other process, and two threads ran up to 20 times slower than one (docs/performance.md, "A
# busy machine"). Read by libgomp when the engine loads it, so set before importing it.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from coopterra import _core as _core
from coopterra.calibrate import Calibration, calibrate
from coopterra.compare import Comparison, compare, load_comparison
from coopterra.ensemble import Ensemble, run_ensemble
from coopterra.errors import (
    ConfigurationError,
    CoopterraError,
    CoopterraIOError,
    Diagnostic,
    InputDataError,
    InvariantError,
)
from coopterra.maps import plot_territory
from coopterra.posterior import Posterior, load_posterior
from coopterra.report import report_to_pdf, write_report
from coopterra.results import open_results, results_table, to_dataframe
from coopterra.scenario import (
    Scenario,
    load_scenario,
    parameters,
    scenario_from_text,
    shipped_scenarios,
    validate,
)
from coopterra.simulation import InputsCache, Simulation
from coopterra.summary import format_summary, summary_table
from coopterra.targets import Targets, load_targets
from coopterra.territory import Territory, load_territory

__version__ = "0.1.0"


def hdf5_version() -> str:
    """The libhdf5 the engine writes with (h5py must use the same one: docs/results.md)."""
    return str(_core.hdf5_version())


__all__ = [
    "Calibration",
    "Comparison",
    "ConfigurationError",
    "CoopterraError",
    "CoopterraIOError",
    "Diagnostic",
    "Ensemble",
    "InputDataError",
    "InputsCache",
    "InvariantError",
    "Posterior",
    "Scenario",
    "Simulation",
    "Targets",
    "Territory",
    "calibrate",
    "compare",
    "format_summary",
    "hdf5_version",
    "load_comparison",
    "load_posterior",
    "load_scenario",
    "load_targets",
    "load_territory",
    "open_results",
    "parameters",
    "plot_territory",
    "report_to_pdf",
    "results_table",
    "run_ensemble",
    "scenario_from_text",
    "shipped_scenarios",
    "summary_table",
    "to_dataframe",
    "validate",
    "write_report",
]
