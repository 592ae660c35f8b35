"""Set the registry's defaults to a posterior's representative draw (docs/calibration.md).

    .venv/bin/python bench/calibrated_defaults.py results/calibration/posterior.h5           # show
    .venv/bin/python bench/calibrated_defaults.py results/calibration/posterior.h5 --write   # edit

For each calibrated parameter, data/registry.toml's default becomes the value of the posterior's
representative draw (the draw nearest its marginal medians: one point of the posterior, not a
mix of several), rounded to three decimals, and its source says so, with the posterior's 5-95 %
range and the targets file, and keeps what the source said before. Rebuild (./dev build) and
regenerate docs/parameters.md and data/parameters.csv afterwards.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import coopterra

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "data" / "registry.toml"


def _locate(text: str, key: str) -> tuple[int, int, str]:
    """Where the key's default is written: (start, end) of its table's text, and the prefix of
    its entries ("" in [a.b.c], "asc." in [a.b] for the key a.b.asc)."""
    for table, prefix in ((key, ""), (key.rsplit(".", 1)[0], key.rsplit(".", 1)[1] + ".")):
        header = re.search(rf"^\[{re.escape(table)}\]\s*$", text, re.MULTILINE)
        if header is None:
            continue
        following = re.search(r"^\[", text[header.end() :], re.MULTILINE)
        end = header.end() + (following.start() if following else len(text) - header.end())
        if re.search(rf"^{re.escape(prefix)}default = ", text[header.end() : end], re.MULTILINE):
            return header.end(), end, prefix
    raise SystemExit(f"{key}: no default of it in {REGISTRY}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("posterior")
    parser.add_argument("--write", action="store_true", help="edit data/registry.toml")
    args = parser.parse_args()
    posterior = coopterra.load_posterior(args.posterior)
    point = posterior.representative()
    marginals = posterior.marginals()
    targets = posterior.attrs.get("targets_file", "?")
    text = REGISTRY.read_text(encoding="utf-8")
    for key, value in point.items():
        start, end, prefix = _locate(text, key)
        block = text[start:end]
        old_default = re.search(rf"^{re.escape(prefix)}default = (.*)$", block, re.MULTILINE)
        old_source = re.search(rf'^{re.escape(prefix)}source = "(.*)"$', block, re.MULTILINE)
        assert old_default is not None
        before = old_source.group(1) if old_source else ""
        before = re.sub(r"^calibrated on data/targets/[^(]*\([^)]*\); before: [^,]*, ", "", before)
        m = marginals[key]
        source = (
            f"calibrated on data/targets/{targets} (coopterra calibrate: the posterior's "
            f"representative draw; 5-95 %: {m['q05']:.3f} to {m['q95']:.3f}); before: "
            f"{old_default.group(1)}, {before}"
        )
        print(f"{key}: {old_default.group(1)} -> {value:.3f}  [{m['q05']:.3f}, {m['q95']:.3f}]")
        block = block.replace(old_default.group(0), f"{prefix}default = {value:.3f}")
        if old_source:
            block = block.replace(old_source.group(0), f'{prefix}source = "{source}"')
        else:
            block = block.rstrip("\n") + f'\n{prefix}source = "{source}"\n'
        text = text[:start] + block + text[end:]
    if args.write:
        REGISTRY.write_text(text, encoding="utf-8")
        print(f"written to {REGISTRY}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
