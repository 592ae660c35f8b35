"""Territories from Python: synthetic, the Drome from the public tables, errors, maps."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pytest

import coopterra

from conftest import ROOT, SCENARIOS, SHARED_DATA, run_cli

matplotlib.use("Agg")

DROME = SHARED_DATA / "drome26_communes.csv"
EDGES = SHARED_DATA / "drome26_knn5_edges.csv"
FRANCE = SHARED_DATA / "france_communes.csv"


def test_synthetic_territory_has_the_documented_structure():
    t = coopterra.load_territory("synthetic", seed=3, residents=250_000, zones=60)
    zones = t.zones
    assert len(zones) == 60 and zones["population"].sum() == 250_000
    assert {"code", "name", "population", "lat", "lon", "kind"} <= set(zones.columns)
    assert zones["kind"].iloc[0] == "urban core"
    assert set(zones["kind"]) == {"urban core", "periurban", "rural"}
    assert (np.diff(zones["population"]) <= 0).all()  # rank-size
    km = t.road_km.to_numpy()
    np.testing.assert_array_equal(km, km.T)
    assert t.distance("Z0001", "Z0002") == km[0, 1] > 0
    again = coopterra.load_territory("synthetic", seed=3, residents=250_000, zones=60)
    assert again.checksum == t.checksum


def test_the_drome_loads_exactly():
    t = coopterra.load_territory(DROME, roads=EDGES, threads=2)
    assert len(t.zones) == 363
    assert t.population == 519_458 == int(t.zones["population"].sum())
    valence = t.zones.set_index("code").loc["26362"]
    assert valence["name"] == "Valence" and valence["kind"] == "urban core"
    assert len(t.roads) == 1057
    assert t.travel_time("26362", "26281") == pytest.approx(t.distance("26362", "26281"))  # 60 km/h
    assert any("crow-fly" in note for note in t.notes)
    # The kinds of docs/territories.md.
    assert t.zones["kind"].value_counts().to_dict() == {
        "rural": 222,
        "periurban": 135,
        "urban core": 6,
    }
    cores = set(t.zones.loc[t.zones["kind"] == "urban core", "name"])
    assert cores == {
        "Valence",
        "Montélimar",
        "Romans-sur-Isère",
        "Bourg-lès-Valence",
        "Pierrelatte",
        "Portes-lès-Valence",
    }


def test_load_territory_reads_territory_files():
    # The shipped territory file gives the same territory as its table and roads given directly;
    # keyword arguments are territory.* overrides after it; a selection belongs in the file.
    from_file = coopterra.load_territory(ROOT / "territories" / "drome.toml")
    direct = coopterra.load_territory(DROME, roads=EDGES)
    assert from_file.zones["code"].tolist() == direct.zones["code"].tolist()
    assert from_file.population == direct.population and len(from_file.roads) == len(direct.roads)
    small = coopterra.load_territory(
        ROOT / "territories" / "default.toml", residents=5000, zones=12
    )
    assert len(small.zones) == 12 and small.population == 5000
    with pytest.raises(ValueError, match="is a territory file: it gives its own select"):
        coopterra.load_territory(ROOT / "territories" / "drome.toml", select=["26362"])


def test_selection_by_epci_departement_and_codes():
    agglo = coopterra.load_territory(DROME, select={"epcis": "200068781"})
    assert len(agglo.zones) == 54 and agglo.population == 223_777
    national = coopterra.load_territory(FRANCE, select={"departements": ["26"]})
    assert len(national.zones) == 363 and national.population == 519_458
    two = coopterra.load_territory(DROME, select=["26362", "26281"])
    assert list(two.zones["code"]) == ["26281", "26362"]  # table order
    # A departement code written otherwise than the table does is refused with the near code.
    for wrong, near in (("2", "02"), ("2a", "2A"), (" 26", "26")):
        with pytest.raises(coopterra.InputDataError, match=f"did you mean '{near}'"):
            coopterra.load_territory(FRANCE, select={"departements": [wrong]})


def test_separate_places_keep_their_commuters(tmp_path):
    # Without a road edge list, Marie-Galante (three communes, 30 km of sea from Guadeloupe) is a
    # place of its own: its residents work on it, and the notes say so; a selection of places far
    # apart (Paris, Valence, the Territoire de Belfort) keeps each one's commuters at home.
    path = tmp_path / "guadeloupe.toml"
    path.write_text(
        f'[territory]\nsource = "communes"\ncommunes_file = "{FRANCE}"\n'
        '[territory.select]\ndepartements = ["971"]\n'
    )
    scenario = coopterra.load_scenario(SCENARIOS / "baseline.toml", territory=path)
    sim = coopterra.Simulation(scenario, seed=1, threads=2)
    zones = sim.territory.zones
    notes = " ".join(sim.territory.notes)
    assert "form 2 separate places" in notes and "Grand-Bourg (97112)" in notes
    island = set(np.flatnonzero(zones["code"].isin(["97108", "97112", "97126"]).to_numpy()))
    people = sim.population()
    workers = people[people["work"] >= 0]
    from_island = workers["home"].isin(island)
    assert from_island.sum() > 500
    assert workers.loc[from_island, "work"].isin(island).all()
    assert not workers.loc[~from_island, "work"].isin(island).any()
    # The same without separation: some islanders commute to the mainland (what it prevents).
    joined = coopterra.Simulation(
        scenario.with_overrides({"territory.separate_gap_km": 0.0}), seed=1, threads=2
    )
    assert not any("separate places" in n for n in joined.territory.notes)
    again = joined.population()
    again = again[again["work"] >= 0]
    assert not again.loc[again["home"].isin(island), "work"].isin(island).all()
    far = coopterra.load_territory(
        FRANCE, select={"communes": ["26362", "75056"], "departements": ["90"]}
    )
    assert any("form 3 separate places" in n for n in far.notes)
    # The Drome alone is one place: nothing changes there.
    drome = coopterra.load_territory(FRANCE, select={"departements": ["26"]})
    assert not any("separate places" in n for n in drome.notes)


def test_communes_without_inhabitants_are_said(tmp_path):
    # Mayotte's rows have population_2021 = 0 but births (a missing census figure): with Reunion
    # they are named in the notes; alone, they are refused with the reason. The Meuse's villages
    # destroyed in 1916 are truly empty: a note.
    import pandas as pd

    table = pd.read_csv(FRANCE, dtype=str, keep_default_na=False)
    ocean = table[table["insee_dep"].isin(["974", "976"])].copy()
    ocean.loc[ocean["superficie_km2"] == "", "superficie_km2"] = "20"  # SOURCES.md: missing areas
    ocean.loc[ocean["lat"] == "", ["lat", "lng"]] = ["-12.8", "45.1"]
    path = tmp_path / "ocean.csv"
    ocean.to_csv(path, index=False)
    both = coopterra.load_territory(path, select={"departements": ["974", "976"]})
    said = [n for n in both.notes if "recorded births" in n]
    assert len(said) == 1 and said[0].startswith("17 communes without inhabitant recorded births")
    assert "Acoua (97601)" in said[0] and "and 12 more" in said[0]
    with pytest.raises(
        coopterra.InputDataError, match="every selected commune has no inhabitant, yet 17"
    ):
        coopterra.load_territory(path, select={"departements": ["976"]})
    meuse = coopterra.load_territory(FRANCE, select={"departements": ["55"]})
    empty = [n for n in meuse.notes if "no inhabitant (population_2021 = 0)" in n]
    assert len(empty) == 1 and "Fleury-devant-Douaumont (55189)" in empty[0]


def test_broken_tables_get_located_errors(tmp_path):
    table = tmp_path / "communes.csv"
    table.write_text(
        "insee_com,commune,lat,lng,superficie_km2,population_2021\n"
        "26001,Alpha,44.7,5.3,19.36,427\n"
        "26002,Beta,44.8,5.4,,300\n"
        "26003,Gamma,44.9,5.5,7.5,many\n"
    )
    with pytest.raises(coopterra.InputDataError) as info:
        coopterra.load_territory(table)
    found = [(d.line, d.column, d.key, d.message) for d in info.value.diagnostics]
    assert found == [
        (3, 5, "superficie_km2", "missing value"),
        (4, 6, "population_2021", "expected a whole number of people, got 'many'"),
    ]
    with pytest.raises(coopterra.InputDataError, match="commune 99999 is not in the table"):
        coopterra.load_territory(DROME, select=["99999"])
    with pytest.raises(coopterra.ConfigurationError, match="file not found"):
        coopterra.load_territory(tmp_path / "missing.csv")


def test_a_scenario_names_a_commune_table_relative_to_itself(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "valley.csv").write_text(
        "insee_com,commune,lat,lng,superficie_km2,population_2021\n"
        "26001,Alpha,44.70,5.30,19.4,4270\n"
        "26002,Beta,44.75,5.35,12.0,3000\n"
        "26003,Gamma,44.80,5.30,7.5,1500\n"
    )
    scenario = tmp_path / "valley.toml"
    scenario.write_text(
        '# A three-commune valley.\nschema_version = 1\nname = "valley"\n'
        '[territory]\nsource = "communes"\ncommunes_file = "data/valley.csv"\nroad_neighbours = 2\n'
    )
    sim = coopterra.Simulation(coopterra.load_scenario(scenario), seed=1, threads=2)
    sim.run(weeks=4)
    ds = sim.results()
    assert list(ds["zone"].values) == ["26001", "26002", "26003"]
    assert int(ds["zone_population"].sum()) == 8770 == sim.residents
    # A synthetic-only key on a commune territory is a located mistake, not a silent rescale.
    result = run_cli("run", str(scenario), "--set", "territory.residents=1000000")
    assert result.returncode == 2
    assert "territory.residents: applies to the synthetic territory only" in result.stderr


def test_the_drome_runs_and_maps(tmp_path):
    scenario = coopterra.load_scenario(
        overrides={
            "territory.source": "communes",
            "territory.communes_file": str(DROME),
            "territory.select.epcis": ["200040459"],
        }  # CA Montelimar Agglomeration
    )
    sim = coopterra.Simulation(scenario, seed=2, threads=2)
    sim.run(weeks=3)
    ds = sim.results()
    assert ds.sizes["zone"] == 27 and sim.residents == 68_546
    assert "no road edge list" in ds.attrs["territory_notes"]
    ax = coopterra.plot_territory(
        sim.territory, ds["vehicle_km_by_zone"].sum("week"), label="vehicle-km"
    )
    path = tmp_path / "map.png"
    ax.figure.savefig(path, dpi=60)
    image = matplotlib.image.imread(path)
    assert image.shape[0] > 200 and image.std() > 0.05  # a picture, not a blank
    with pytest.raises(ValueError, match="values lack"):
        coopterra.plot_territory(sim.territory, {"26198": 1.0})


def test_territory_files_run_every_policy_scenario_unchanged(tmp_path):
    drome = ROOT / "territories" / "drome.toml"
    default = ROOT / "territories" / "default.toml"
    # The shipped territory files: the built-in default is the shipped scenarios' territory.
    base = coopterra.load_scenario(SCENARIOS / "baseline.toml")
    assert (
        coopterra.load_scenario(SCENARIOS / "baseline.toml", territory=default).to_toml()
        == base.to_toml()
    )
    on_drome = coopterra.load_scenario(SCENARIOS / "carpool_support.toml", territory=drome)
    assert on_drome.get("territory.source") == "communes"
    communes_file = on_drome.get("territory.communes_file")
    assert isinstance(communes_file, str)
    assert Path(communes_file).resolve() == (SHARED_DATA / "drome26_communes.csv").resolve()
    assert on_drome.get("authority.budget_eur") == 150_000  # the policies are the scenario's
    # A small real territory (one EPCI of the Drome) for every shipped policy scenario.
    valley = tmp_path / "royans.toml"
    valley.write_text(
        '[territory]\nsource = "communes"\n'
        f'communes_file = "{DROME}"\n'
        'select = {epcis = ["200067767"]}  # CC du Royans-Vercors\n'
    )
    for name, path in coopterra.scenario.shipped_scenarios().items():
        if name == "territorial_experiment":  # targets communes of the synthetic territory by code
            with pytest.raises(
                coopterra.ConfigurationError, match="commune 'Z0002' is not in the territory"
            ):
                coopterra.Simulation(
                    coopterra.load_scenario(path, territory=valley), seed=1, threads=2
                )
            continue
        sim = coopterra.Simulation(
            coopterra.load_scenario(path, territory=valley), seed=1, threads=2
        )
        sim.run(weeks=2)
        assert sim.residents == 9616, name
    # In a scenario, relative to it; it replaces the [territory] of the scenarios it extends.
    scenario = tmp_path / "support_here.toml"
    scenario.write_text(
        f'schema_version = 1\nextends = "{SCENARIOS / "carpool_support.toml"}"\n'
        'territory = "royans.toml"\n'
    )
    assert coopterra.load_scenario(scenario).get("territory.select.epcis") == ["200067767"]


def test_territory_files_and_source_overrides_are_checked(tmp_path):
    # --set territory.source=communes drops the shipped scenario's synthetic keys cleanly.
    s = coopterra.load_scenario(
        SCENARIOS / "baseline.toml",
        {"territory.source": "communes", "territory.communes_file": str(DROME)},
    )
    assert "zones = " not in s.to_toml().split("[territory]")[1].split("\n[")[0]
    result = run_cli(
        "run",
        "scenarios/carpool_support.toml",
        "--territory",
        "territories/drome.toml",
        "--weeks",
        "2",
        "--threads",
        "2",
        "--out",
        str(tmp_path / "drome.h5"),
    )
    assert result.returncode == 0, result.stderr
    assert "519,458 residents, 363 communes" in result.stdout
    # Errors point at the user's files, with line and column.
    broken = tmp_path / "broken.toml"
    broken.write_text(f'[territory]\nsource = "communes"\nzones = 3\ncommunes_file = "{DROME}"\n')
    result = run_cli("run", "--territory", str(broken))  # the shipped baseline, in site-packages
    assert result.returncode == 2
    assert (
        f"{broken}:3:9: territory.zones: applies to the synthetic territory only" in result.stderr
    )
    assert "site-packages" not in result.stderr
    broken.write_text('[territory]\nsource = "communes"\ncommunes_file = "nowhere.csv"\n')
    result = run_cli("run", "--territory", str(broken))
    assert (
        f"{broken}:3:17: territory.communes_file: file not found: {tmp_path / 'nowhere.csv'}"
        in result.stderr
    )
    extra = tmp_path / "extra.toml"
    extra.write_text('[territory]\nsource = "synthetic"\n[run]\nweeks = 3\n')
    result = run_cli("run", "scenarios/baseline.toml", "--territory", str(extra))
    assert result.returncode == 2
    assert (
        f"{extra}:3:1: run: a territory file holds a [territory] table only, found 'run'"
        in result.stderr
    )
    result = run_cli("run", "scenarios/baseline.toml", "--territory", str(tmp_path / "none.toml"))
    assert result.returncode == 2
    assert (
        f"--territory {tmp_path / 'none.toml'}: territory: cannot read the territory file"
        in result.stderr
    )
    named = tmp_path / "named.toml"
    named.write_text('schema_version = 1\nterritory = "missing.toml"\n')
    with pytest.raises(
        coopterra.ConfigurationError, match=r"named.toml:2:13: territory: cannot read the territory"
    ):
        coopterra.load_scenario(named)


BOUNDARIES = SHARED_DATA / "drome26_communes_2018.geojson"
# The communes nouvelles of 2019 the 2018 boundaries predate (INSEE's COG events; each successor's
# 2024 area is its 2018 polygon's plus the merged ones', checked in the test below).
DROME_MERGES = "old,new\n26184,26210\n26297,26210\n26219,26216\n26354,26086\n"


def test_boundaries_join_on_the_insee_code_and_report_what_does_not_match(tmp_path):
    t = coopterra.load_territory(DROME, roads=EDGES, boundaries=BOUNDARIES, threads=2)
    shapes = t.boundaries
    assert len(shapes) == 363 and list(shapes["code"]) == list(t.zones["code"])
    assert not shapes.geometry.is_empty.any() and shapes.crs.to_epsg() == 4326
    note = next(n for n in t.notes if "match no commune of the table" in n)
    assert "4 polygons" in note and "26184, 26219, 26297, 26354" in note
    # With the merge table, the 367 polygons make 363 communes: merged ones dissolved.
    merges = tmp_path / "merges.csv"
    merges.write_text(DROME_MERGES)
    m = coopterra.load_territory(DROME, boundaries=BOUNDARIES, merges=merges, threads=2)
    assert any("dissolved 4 polygons of merged communes" in n for n in m.notes)
    assert not any("match no commune" in n for n in m.notes)
    area = m.boundaries.to_crs(2154).area.to_numpy() / 1e6
    table_area = m.zones["area_km2"].to_numpy()
    valherbasse = list(m.zones["code"]).index("26210")
    before = list(t.zones["code"]).index("26210")
    assert area[valherbasse] > t.boundaries.to_crs(2154).area.iloc[before] / 1e6 + 14
    np.testing.assert_allclose(area[valherbasse], table_area[valherbasse], rtol=0.03)
    assert np.median(np.abs(area / table_area - 1)) < 0.02  # polygons and table agree
    # A selection: polygons of other communes are said to be outside it.
    agglo = coopterra.load_territory(DROME, select={"epcis": "200068781"}, boundaries=BOUNDARIES)
    assert len(agglo.boundaries) == 54
    assert any("309 polygons" in n and "left out by the selection" in n for n in agglo.notes)
    # Zones without a polygon are listed.
    few = tmp_path / "few.geojson"
    shapes.iloc[:10].to_file(few, driver="GeoJSON")
    partial = coopterra.load_territory(DROME, boundaries=few)
    assert any(n.startswith("353 zones have no polygon") for n in partial.notes)
    assert (
        partial.boundaries.geometry.is_empty.sum() + partial.boundaries.geometry.isna().sum() == 353
    )


def test_broken_boundaries_and_merge_tables_are_located_errors(tmp_path):
    with pytest.raises(coopterra.CoopterraIOError, match="boundaries file not found"):
        coopterra.load_territory(DROME, boundaries=tmp_path / "none.geojson")
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json")
    with pytest.raises(coopterra.InputDataError, match="not a readable GeoJSON or GeoPackage"):
        coopterra.load_territory(DROME, boundaries=bad)
    nameless = tmp_path / "nameless.geojson"
    nameless.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"nom": "A"},'
        ' "geometry": {"type": "Point", "coordinates": [5, 45]}}]}'
    )
    with pytest.raises(coopterra.InputDataError, match="no INSEE code column"):
        coopterra.load_territory(DROME, boundaries=nameless)
    merges = tmp_path / "merges.csv"
    merges.write_text("old,new\n26184,26210\n2619,26216\n26184,26216\n")
    with pytest.raises(coopterra.InputDataError) as info:
        coopterra.load_territory(DROME, boundaries=BOUNDARIES, merges=merges)
    found = [(d.line, d.column, d.message) for d in info.value.diagnostics]
    assert found == [
        (3, 1, "'2619' is not an INSEE code"),
        (4, 0, "commune 26184 merges into both 26210 and 26216"),
    ]


def test_choropleth_and_geopackage_of_the_drome(tmp_path):
    import geopandas as gpd

    t = coopterra.load_territory(DROME, roads=EDGES, boundaries=BOUNDARIES, threads=2)
    density = t.zones.set_index("code")["population"] / t.zones.set_index("code")["area_km2"]
    ax = t.plot(np.log10(density.clip(lower=1)), label="log10 inhabitants per km2")
    path = tmp_path / "drome.png"
    ax.figure.savefig(path, dpi=60)
    image = matplotlib.image.imread(path)
    assert image.shape[0] > 200 and image.std() > 0.05
    assert len(ax.collections) >= 1  # polygons, not markers
    out = tmp_path / "drome.gpkg"
    t.to_geopackage(out, {"density": density})
    back = gpd.read_file(out, layer="communes")
    assert len(back) == 363 and back.crs.to_epsg() == 4326
    np.testing.assert_allclose(back["density"], density.reindex(back["code"]).to_numpy())
    assert int(back["population"].sum()) == 519_458
    with pytest.raises(ValueError, match="no boundaries"):
        coopterra.load_territory(DROME).to_geopackage(tmp_path / "x.gpkg")


@pytest.mark.parametrize(
    ("departement", "communes", "population"),
    [
        ("13", 119, 2_056_943),  # Marseille made of its 16 arrondissements
        ("26", 363, 519_458),
        ("59", 648, 2_611_293),
        ("69", 266, 1_893_692),  # Lyon, 9 arrondissements
        ("75", 1, 2_133_111),  # Paris, 20 arrondissements
    ],
)
def test_departements_of_the_national_table(departement, communes, population):
    t = coopterra.load_territory(FRANCE, select={"departements": [departement]}, threads=2)
    assert (len(t.zones), t.population) == (communes, population)


def test_epci_selection_on_the_national_table():
    t = coopterra.load_territory(
        FRANCE,
        select={"epcis": ["200046977"]},  # Metropole de Lyon
        epci_file=str(SHARED_DATA / "france_epci_communes.csv"),
        arrondissements="zones",
    )
    assert len(t.zones) == 58 - 1 + 9
    assert set(t.zones["epci_name"]) == {"Métropole de Lyon"}
    assert any("arrondissements (ARM) of the table as zones" in n for n in t.notes)


def test_policy_zones_name_paris_as_the_selection_does(tmp_path):
    # Paris kept as its arrondissements: a policy on 75056 acts in all twenty, and nowhere else;
    # Paris kept whole: an arrondissement's code is refused with the way to name it.
    for mode in ("zones", "merge"):
        (tmp_path / f"{mode}.toml").write_text(
            f'[territory]\nsource = "communes"\ncommunes_file = "{FRANCE}"\n'
            f'arrondissements = "{mode}"\n[territory.select]\ncommunes = ["75056", "92012"]\n'
        )
    campaign = (
        'schema_version = 1\nname = "paris"\n[run]\nweeks = 2\n[authority]\nbudget_eur = 1e6\n'
        '[[policies]]\nkind = "awareness_campaign"\nlabel = "campaign"\nplatform = "cooperative"\n'
        "reach = 0.5\ncost_eur = 1000\nzones = [{}]\n"
    )
    (tmp_path / "base.toml").write_text('schema_version = 1\nname = "base"\n[run]\nweeks = 2\n')
    (tmp_path / "paris.toml").write_text(campaign.format('"75056"'))
    (tmp_path / "first.toml").write_text(campaign.format('"75101"'))
    runs = {}
    for name in ("base", "paris"):
        s = coopterra.load_scenario(tmp_path / f"{name}.toml", territory=tmp_path / "zones.toml")
        sim = coopterra.Simulation(s, seed=1, threads=2)
        sim.run(weeks=1)
        runs[name] = sim.results()
    zones = runs["base"]["zone"].values
    assert len(zones) == 21 and "75056" not in zones
    gained = (runs["paris"]["carpoolers_by_zone"] - runs["base"]["carpoolers_by_zone"]).isel(week=0)
    paris = [str(z).startswith("751") for z in zones]
    assert int(gained.sel(zone=zones[paris]).sum()) > 0
    assert int(gained.sel(zone="92012")) == 0  # common random numbers: untouched outside Paris
    with pytest.raises(
        coopterra.ConfigurationError, match=r"arrondissement of Paris \(75056\), which"
    ):
        coopterra.Simulation(
            coopterra.load_scenario(tmp_path / "first.toml", territory=tmp_path / "merge.toml"),
            seed=1,
        )


def test_dense_cities_drive_less(tmp_path):
    # INSEE's census: about 10 % of Paris workers commute by car, a quarter in Lyon, ~72 %
    # nationally (the Drome keeps the national rate: its densest commune is below the gradient).
    shares = {}
    for name, select in (("paris", '["75056"]'), ("lyon", '["69123"]'), ("drome", None)):
        path = tmp_path / f"{name}.toml"
        chosen = f"communes = {select}" if select else 'departements = ["26"]'
        path.write_text(
            f'[territory]\nsource = "communes"\ncommunes_file = "{FRANCE}"\n'
            f"[territory.select]\n{chosen}\n"
        )
        sim = coopterra.Simulation(
            coopterra.load_scenario(SCENARIOS / "baseline.toml", territory=path), seed=1, threads=2
        )
        people = sim.population()
        shares[name] = float(people.loc[people["work"] >= 0, "car_commuter"].mean())
    assert 0.07 < shares["paris"] < 0.14
    assert 0.18 < shares["lyon"] < 0.32
    assert 0.65 < shares["drome"] < 0.78
    with pytest.raises(
        coopterra.ConfigurationError, match=r"must be above population\.dense_city_from"
    ):
        coopterra.load_scenario(
            SCENARIOS / "baseline.toml", overrides={"population.dense_city_density": 3000.0}
        )
