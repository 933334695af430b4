"""Synthetic inventories shaped like the Dutch public sector, for scale tests and demos.

The generator builds the canonical inventory tables (English headers, one
list of rows per file, header first) for ``organisations`` public bodies. At
the full national size (1,500 organisations) that is about 600,000 items and
1.5 million dependency relations. Everything is fictional; the shape is what
matters:

* **Suppliers** (about 3.3 per organisation, 5,000 nationally) with a skewed,
  Zipf-like market share: the supplier of each system is drawn with weight
  ``1 / rank``. The largest ones are EU subsidiaries of groups with a parent
  in the US, China, the UK or Switzerland, in ownership chains of up to four
  parties (``B.V.`` → ``Holdings Ltd`` (IE) → ``Inc.`` (US)); Dutch software
  firms are owned through Luxembourg by foreign investment funds; European
  groups and independent firms make up the long tail.
* **Locations**: data centres and cloud regions in several countries, each
  operated by a supplier (the clouds by their group's subsidiaries, colocation
  by independents), and a server room per organisation.
* **Shared national platforms** (``SYS-NAT-*``, run by the first
  organisation): a citizens' and a business login platform, messaging,
  payments, a government network and cloud. Thousands of systems depend on
  them; the login and messaging platforms depend on each other.
* **Redundancy**: every organisation runs a database cluster that needs 2 of
  its 3 nodes (hosted at three locations); the government cloud needs 2 of
  its 3 zones; some processes can use either of two systems (1 of 2) or need
  2 of 3; some data sets have a replica (1 of 2).
* **Cycles**: pairs and triangles of systems that depend on each other.
* Processes carry a criticality, data sets a classification and a
  personal-data level.

Counting relations: systems name their supplier, operator and location in
their own columns (``provided_by``, ``operated_by``, ``hosted_at``);
``uses``, ``depends_on`` and ``stored_in`` are rows of ``dependencies.csv``.
:func:`relation_counts` counts both; "dependency relations" are the
relations that carry failure (not ``belongs_to``, ``owned_by``, countries).

The same ``organisations`` and ``seed`` always give the same files. An
organisation's own content is drawn from its own random stream, so sizes grow
linearly with ``organisations``.

Examples
--------
>>> tables = synthetic_tables(3, seed=7)
>>> sorted(tables)
['datasets', 'dependencies', 'locations', 'organisations', 'processes', 'suppliers', 'systems']
>>> sorted(tables["suppliers"][0])[:5]
['co_owner_ids', 'country', 'hq_country', 'id', 'lei']
>>> len(tables["organisations"]) - 1
3
>>> synthetic_tables(3, seed=7) == tables
True
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

import numpy as np

from sovmap.ontology.vocab import vocabulary

__all__ = [
    "FULL_SIZE",
    "SYSTEMS_PER_ORGANISATION",
    "SUPPLIERS_PER_ORGANISATION",
    "NATIONAL_PLATFORMS",
    "synthetic_tables",
    "write_synthetic",
    "write_tables",
    "relation_counts",
]

FULL_SIZE = 1500
"""Number of organisations of the national inventory."""

SYSTEMS_PER_ORGANISATION = 300
"""Mean number of systems of one organisation."""

SUPPLIERS_PER_ORGANISATION = 5000 / FULL_SIZE
"""Suppliers per organisation: 5,000 suppliers nationally."""

MIN_SUPPLIERS = 60

# Shared national platforms: id, name, type.
NATIONAL_PLATFORMS = (
    ("SYS-NAT-IDP", "Landelijk inlogplatform burgers", "platform"),
    ("SYS-NAT-EHK", "Inlogplatform bedrijven", "platform"),
    ("SYS-NAT-MSG", "Landelijke berichtenvoorziening", "platform"),
    ("SYS-NAT-BOX", "Berichtenbox", "platform"),
    ("SYS-NAT-PAY", "Betaalvoorziening", "platform"),
    ("SYS-NAT-REG", "Basisregistratievoorziening", "platform"),
    ("SYS-NAT-NET", "Overheidsnetwerk", "network"),
    ("SYS-NAT-CLOUD", "Overheidscloud", "iaas"),
)
# Share of an organisation's applications that depend on each platform.
_PLATFORM_USE = {"SYS-NAT-IDP": 0.08, "SYS-NAT-EHK": 0.03, "SYS-NAT-MSG": 0.04, "SYS-NAT-BOX": 0.02,
                 "SYS-NAT-PAY": 0.02, "SYS-NAT-REG": 0.03, "SYS-NAT-NET": 0.02, "SYS-NAT-CLOUD": 0.02}

_LEGAL_FORM = {
    "NL": "B.V.", "DE": "GmbH", "FR": "SAS", "BE": "NV", "IE": "Ltd", "LU": "S.à r.l.", "US": "Inc.",
    "GB": "Ltd", "CH": "AG", "CN": "Co., Ltd.", "SE": "AB", "FI": "Oy", "DK": "A/S", "ES": "S.L.",
    "IT": "S.r.l.", "IN": "Pvt Ltd", "IL": "Ltd", "JP": "K.K.", "KR": "Co., Ltd.", "CA": "Inc.",
    "AT": "GmbH", "PL": "Sp. z o.o.",
}
_COUNTRY_WORD = {"NL": "Nederland", "DE": "Deutschland", "FR": "France", "BE": "Belgium", "IE": "Ireland",
                 "LU": "Luxembourg", "SE": "Sverige"}
_GLOBAL_ROOTS = ("US", "CN", "GB", "CH", "US", "US", "GB", "US", "IN", "US", "IL", "JP", "US", "CA", "KR", "GB",
                 "US", "CN", "CH", "US")
_EU_ROOTS = ("DE", "FR", "NL", "SE", "FI", "ES", "IT", "BE", "DK", "AT", "PL", "NL", "DE", "FR")
_INDEPENDENT_COUNTRIES = (("NL", 0.75), ("BE", 0.06), ("DE", 0.06), ("FR", 0.02), ("DK", 0.01), ("SE", 0.01),
                          ("ES", 0.01), ("AT", 0.01), ("PL", 0.01), ("US", 0.03), ("GB", 0.02), ("CH", 0.01))
_SYL_A = ("Kyn", "Nord", "Rijn", "Vel", "Astr", "Bor", "Cal", "Dex", "Eld", "Fen", "Gal", "Hel", "Ion", "Jor",
          "Kal", "Lum", "Mer", "Nex", "Orv", "Pra", "Quin", "Ros", "Sol", "Tar", "Ulm", "Vor", "Wex", "Xan",
          "Yst", "Zef")
_SYL_B = ("thos", "haven", "stroom", "data", "soft", "net", "cloud", "ware", "tec", "logic", "sys", "core",
          "link", "byte", "grid")
_SECTOR = ("ICT", "Automatisering", "Software", "Solutions", "Hosting", "Services", "Consultancy", "Infra")
_PLACE_A = ("Zuider", "Noorder", "Ooster", "Wester", "Hoog", "Laag", "Groot", "Klein", "Nieuw", "Oud", "Berg",
            "Zand", "Veen", "Dijk", "Maas", "Linde", "Eiken", "Beuken", "Wilgen", "Heide", "Duin", "Polder",
            "Brug", "Molen")
_PLACE_B = ("waard", "veen", "dijk", "horst", "broek", "dam", "drecht", "hoven", "wijk", "meer", "stein",
            "loo", "schoten", "kerk", "burg", "zijl", "hout", "rade", "gein", "wolde")
_PLACE_C = ("", " aan de Vecht", " aan de IJssel", " aan de Linge", " aan Zee", " aan de Dommel")
_ORG_TYPES = (("gemeente", 0.45), ("zbo", 0.18), ("agentschap", 0.10), ("samenwerkingsverband", 0.10),
              ("waterschap", 0.04), ("veiligheidsregio", 0.04), ("ggd", 0.03), ("provincie", 0.03),
              ("ministerie", 0.03))
_ORG_NAME = {"gemeente": "Gemeente", "zbo": "Dienst", "agentschap": "Agentschap", "samenwerkingsverband":
             "Samenwerking", "waterschap": "Waterschap", "veiligheidsregio": "Veiligheidsregio",
             "ggd": "GGD", "provincie": "Provincie", "ministerie": "Ministerie van"}
_INFRA = (("Identiteits- en toegangsbeheer", "infrastructure"), ("Netwerk", "network"),
          ("Digitale werkplek", "workplace"), ("Integratieplatform", "paas"), ("E-mail en samenwerking", "saas"),
          ("Back-up", "infrastructure"), ("Telefonie", "saas"), ("Monitoring", "saas"),
          ("Bestandsopslag", "iaas"), ("Beveiligingsmonitoring (SOC)", "saas"))
_APPS = ("Zaaksysteem", "Burgerzaken", "Financieel systeem", "Personeelssysteem", "Salarisadministratie",
         "Website", "Documentbeheer", "Geo-informatie", "Belastingen", "Sociaal domein", "Vergunningen",
         "Archief", "Klantcontactcentrum", "Datawarehouse", "Parkeren", "Inkoop", "Subsidies", "Handhaving",
         "Afvalinzameling", "Vastgoedbeheer", "Planning", "Crisisbeheer", "Meldingen openbare ruimte",
         "Basisregistratie adressen", "Leerlingenvervoer", "Raadsinformatie", "Contractbeheer", "Rapportage")
_PROCESSES = ("Burgerzaken", "Vergunningverlening", "Belastinginning", "Uitkeringen", "Jeugdzorg",
              "Maatschappelijke ondersteuning", "Crisisbeheersing", "Salarisbetaling", "Inkoop", "Klantcontact",
              "Archivering", "Handhaving", "Subsidieverlening", "Waterbeheer", "Openbare ruimte",
              "Bestuursondersteuning", "Informatievoorziening", "Financiën", "Personeelszaken", "Communicatie")
_DATASETS = ("Basisregistratie personen", "Zaakdossiers", "Personeelsdossiers", "Financiële administratie",
             "Klantcontacten", "Vergunningen", "Belastinggegevens", "Cliëntdossiers", "Geodata", "Archief",
             "Meldingen", "Contracten", "Raadsstukken", "Sensordata", "Beleidsdocumenten")
_SYSTEM_TYPES = ("saas", "on-premise", "paas", "iaas", "application")
_SYSTEM_TYPE_P = (0.50, 0.25, 0.10, 0.05, 0.10)
_CRITICALITY = (("vital", 0.10), ("high", 0.25), ("medium", 0.40), ("low", 0.25))
_CLASSIFICATION = (("public", 0.15), ("internal", 0.45), ("confidential", 0.35), ("secret", 0.05))
_PERSONAL = (("none", 0.40), ("personal", 0.50), ("special", 0.10))
_EXPORT = (("open-standard", 0.35), ("proprietary", 0.50), ("none", 0.15))
_EXIT = (("yes", 0.30), ("no", 0.70))
_KEYS = (("customer", 0.25), ("provider", 0.75))


def _pick(rng: np.random.Generator, choices, size: int) -> list[str]:
    values = [c for c, _ in choices]
    p = np.asarray([w for _, w in choices], dtype=float)
    return [values[i] for i in rng.choice(len(values), size=size, p=p / p.sum())]


@dataclass
class _Supplier:
    id: str
    name: str
    country: str
    parent: str = ""
    lei: str = ""
    group: int = -1  # index of its supplier group (-1: independent)


@dataclass
class _World:
    """What all organisations share: suppliers, their market, data centres and platforms."""

    suppliers: list[_Supplier] = field(default_factory=list)
    providers: np.ndarray = None  # supplier indexes that supply systems, by market rank
    cdf: np.ndarray = None  # cumulative Zipf market share over ``providers``
    group_dcs: dict[int, list[str]] = field(default_factory=dict)  # supplier group → its data centres
    colo_dcs: list[str] = field(default_factory=list)  # colocation data centres (by market rank)
    locations: list[list[str]] = field(default_factory=list)  # rows of locations.csv
    platform_rows: list[list[str]] = field(default_factory=list)
    platform_deps: list[list[str]] = field(default_factory=list)
    cloud_region: str = ""


def _lei(rng: np.random.Generator) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    body = "".join(alphabet[i] for i in rng.integers(0, 36, size=14))
    return f"7245{body}{int(rng.integers(10, 100))}"


def _brand(i: int) -> str:
    a, b = _SYL_A[i % len(_SYL_A)], _SYL_B[(i // len(_SYL_A)) % len(_SYL_B)]
    lap = i // (len(_SYL_A) * len(_SYL_B))
    return f"{a}{b}" + (f" {_SECTOR[lap % len(_SECTOR)]}" if lap else "")


def _suppliers(rng: np.random.Generator, n_sup: int) -> tuple[list[_Supplier], list[int], list[int], list[int]]:
    """Suppliers with their ownership; returns them and the provider tiers (top, middle, tail)."""
    sups: list[_Supplier] = []
    top: list[int] = []
    middle: list[int] = []
    brand = 0

    def add(name: str, country: str, parent: int | None, group: int, lei: bool) -> int:
        sups.append(_Supplier(f"S-{len(sups) + 1:05d}", name, country,
                              sups[parent].id if parent is not None else "", _lei(rng) if lei else "", group))
        return len(sups) - 1

    n_global = max(4, round(n_sup * 0.011))
    n_funds = max(2, round(n_sup * 0.004))
    n_eu = max(2, round(n_sup * 0.02))
    group = 0
    # Global groups: parent outside the EU/EEA, European holdings, national subsidiaries (chains of up to 4).
    for gi in range(n_global):
        name = _brand(brand)
        brand += 1
        root_cc = _GLOBAL_ROOTS[gi % len(_GLOBAL_ROOTS)]
        root = add(f"{name} {_LEGAL_FORM[root_cc]}", root_cc, None, group, True)
        operating = []
        for h in range(1 + (gi == 0 or rng.random() < 0.4)):
            hcc = ("IE", "LU", "NL")[(gi + h) % 3]
            hold = add(f"{name} EMEA Holdings {_LEGAL_FORM[hcc]}", hcc, root, group, True)
            if rng.random() < 0.3:
                operating.append(hold)
            for cc in [c for c in ("NL", "DE", "FR", "BE", "IE") if rng.random() < (0.9 if c == "NL" else 0.35)] or ["NL"]:
                sub = add(f"{name} {_COUNTRY_WORD[cc]} {_LEGAL_FORM[cc]}", cc, hold, group, True)
                operating.append(sub)
                if cc == "NL" and (gi == 0 or rng.random() < 0.3):
                    operating.append(add(f"{name} Public Sector {_LEGAL_FORM['NL']}", "NL", sub, group, True))
        (top if gi < max(4, n_global // 4) else middle).extend(operating)
        group += 1
    # Dutch software firms owned through Luxembourg by funds in the US, the UK or Switzerland.
    for fi in range(n_funds):
        fcc = ("US", "GB", "US", "CH")[fi % 4]
        fund = add(f"{_brand(brand)} Capital Partners {_LEGAL_FORM[fcc]}", fcc, None, group, True)
        brand += 1
        vehicle = add(f"{_brand(brand - 1)} Investments {_LEGAL_FORM['LU']}", "LU", fund, group, True)
        for _ in range(1 + int(rng.integers(0, 3))):
            name = _brand(brand)
            brand += 1
            hold = add(f"{name} Holding B.V.", "NL", vehicle, group, True)
            middle.append(add(f"{name} {_SECTOR[brand % len(_SECTOR)]} B.V.", "NL", hold, group, True))
        group += 1
    # European groups.
    for ei in range(n_eu):
        name = _brand(brand)
        brand += 1
        cc = _EU_ROOTS[ei % len(_EU_ROOTS)]
        root = add(f"{name} {_LEGAL_FORM[cc]}", cc, None, group, True)
        middle.append(root)
        for scc in [c for c in ("NL", "BE", "DE") if c != cc and rng.random() < 0.5] or ["NL" if cc != "NL" else "BE"]:
            middle.append(add(f"{name} {_COUNTRY_WORD[scc]} {_LEGAL_FORM[scc]}", scc, root, group, True))
        group += 1
    # Independent firms: the long tail.
    tail = []
    countries = _pick(rng, _INDEPENDENT_COUNTRIES, max(0, n_sup - len(sups)))
    for cc in countries:
        name = _brand(brand)
        brand += 1
        tail.append(add(f"{name} {_LEGAL_FORM[cc]}", cc, None, -1, False))
    return sups, top, middle, tail


def _world(seed: int, organisations: int) -> _World:
    rng = np.random.default_rng([seed, 0])
    n_sup = max(MIN_SUPPLIERS, round(organisations * SUPPLIERS_PER_ORGANISATION))
    w = _World()
    sups, top, middle, tail = _suppliers(rng, n_sup)
    w.suppliers = sups
    rng.shuffle(top_arr := np.asarray(top, dtype=np.int64))
    rng.shuffle(mid_arr := np.asarray(middle, dtype=np.int64))
    rng.shuffle(tail_arr := np.asarray(tail, dtype=np.int64))
    # Colocation firms: independents in the tail high enough to matter.
    n_colo = max(3, round(n_sup * 0.006))
    colo = tail_arr[:n_colo]
    w.providers = np.concatenate([top_arr, mid_arr[: len(mid_arr) // 2], colo, mid_arr[len(mid_arr) // 2:],
                                  tail_arr[n_colo:]])
    share = 1.0 / np.arange(1, len(w.providers) + 1)
    w.cdf = np.cumsum(share) / share.sum()
    w.cdf[-1] = 1.0

    # Data centres: cloud regions of the largest groups, then colocation.
    loc_rows = w.locations
    cloud_groups = sorted({sups[i].group for i in top_arr[: max(3, len(top_arr) // 2)]})
    by_group: dict[int, list[int]] = {}
    for i, s in enumerate(sups):
        by_group.setdefault(s.group, []).append(i)
    for gi in cloud_groups:
        members = by_group[gi]
        brand = sups[members[0]].name.split(" ")[0]
        regions = ["NL", "IE", "DE", "FR", "SE"][: 2 + int(rng.integers(0, 4))]
        dcs = []
        for cc in regions:
            op = next((m for m in members if sups[m].country == cc), members[1] if len(members) > 1 else members[0])
            lid = f"L-DC-{len(loc_rows) + 1:04d}"
            loc_rows.append([lid, f"{brand} cloudregio {cc}", cc, sups[op].id])
            dcs.append(lid)
        root_cc = sups[members[0]].country
        lid = f"L-DC-{len(loc_rows) + 1:04d}"
        loc_rows.append([lid, f"{brand} cloudregio {root_cc}", root_cc, sups[members[0]].id])
        dcs.append(lid)
        w.group_dcs[gi] = dcs
    for ci in colo:
        for _ in range(1 + int(rng.integers(0, 3))):
            cc = sups[ci].country if sups[ci].country in ("NL", "DE", "BE", "FR") else "NL"
            lid = f"L-DC-{len(loc_rows) + 1:04d}"
            loc_rows.append([lid, f"Datacenter {sups[ci].name.split(' ')[0]} {len(w.colo_dcs) + 1}", cc, sups[ci].id])
            w.colo_dcs.append(lid)
    w.cloud_region = w.group_dcs[cloud_groups[0]][0]
    return w


def _platforms(w: _World, rng: np.random.Generator) -> None:
    """The shared national platforms of the first organisation, and their dependencies."""
    sups = w.suppliers
    org = "ORG-0001"
    rows, deps = w.platform_rows, w.platform_deps
    eu_sup = [i for i in w.providers if sups[i].country == "NL" and (sups[i].group == -1 or not sups[i].parent)][:8]
    for n, (pid, name, stype) in enumerate(NATIONAL_PLATFORMS):
        if pid == "SYS-NAT-EHK":  # run by a fund-owned firm in a non-EU group's cloud region
            sup = next(i for i in w.providers if sups[i].group >= 0 and sups[i].parent and sups[i].country == "NL"
                       and "Capital" not in sups[i].name and "B.V." in sups[i].name)
            loc = w.cloud_region
        else:
            sup = eu_sup[n % len(eu_sup)]
            loc = w.colo_dcs[n % len(w.colo_dcs)] if pid != "SYS-NAT-CLOUD" else ""
        rows.append([pid, name, stype, "open-standard", "yes", "customer", loc, "", org, sups[sup].id])
    zones = []
    for z in range(3):
        zid = f"SYS-NAT-CLOUD-Z{z + 1}"
        zones.append(zid)
        rows.append([zid, f"Overheidscloud zone {z + 1}", "iaas", "open-standard", "yes", "customer",
                     w.colo_dcs[z % len(w.colo_dcs)], "", org, sups[eu_sup[z % len(eu_sup)]].id])
        deps.append(["SYS-NAT-CLOUD", zid, "", "zones", "2"])
    for pid in ("SYS-NAT-IDP", "SYS-NAT-MSG", "SYS-NAT-BOX", "SYS-NAT-PAY", "SYS-NAT-REG"):
        deps.append([pid, "SYS-NAT-CLOUD", "", "", ""])
        deps.append([pid, "SYS-NAT-NET", "", "", ""])
    # Login and messaging need each other (a cycle); the message box needs the login.
    deps += [["SYS-NAT-IDP", "SYS-NAT-MSG", "", "", ""], ["SYS-NAT-MSG", "SYS-NAT-IDP", "", "", ""],
             ["SYS-NAT-BOX", "SYS-NAT-IDP", "", "", ""]]


def _organisations(rng: np.random.Generator, n: int) -> list[list[str]]:
    types = ["uitvoeringsorganisatie"] + _pick(rng, _ORG_TYPES, n - 1)
    ministries = [i for i, t in enumerate(types) if t == "ministerie"]
    rows = []
    for i, t in enumerate(types):
        if i == 0:
            name = "Rijksdienst Digitale Voorzieningen"
        else:
            j = i - 1
            a, b = _PLACE_A[j % len(_PLACE_A)], _PLACE_B[(j // len(_PLACE_A)) % len(_PLACE_B)]
            c = _PLACE_C[(j // (len(_PLACE_A) * len(_PLACE_B))) % len(_PLACE_C)]
            name = f"{_ORG_NAME[t]} {a}{b}{c}"
        parent = ""
        if ministries and (t in ("agentschap", "zbo") or i == 0):
            parent = f"ORG-{ministries[i % len(ministries)] + 1:04d}"
        rows.append([f"ORG-{i + 1:04d}", name, t, "NL", parent])
    return rows


@dataclass
class _Out:
    systems: list[list[str]] = field(default_factory=list)
    processes: list[list[str]] = field(default_factory=list)
    datasets: list[list[str]] = field(default_factory=list)
    locations: list[list[str]] = field(default_factory=list)
    deps: list[list[str]] = field(default_factory=list)


def _organisation_content(w: _World, seed: int, oi: int, out: _Out) -> None:
    """The systems, processes, data sets and dependencies of organisation ``oi`` (0-based)."""
    rng = np.random.default_rng([seed, 1, oi])
    sups = w.suppliers
    org = f"ORG-{oi + 1:04d}"
    pre = f"{oi + 1:04d}"
    size = float(np.clip(rng.lognormal(-0.125, 0.5), 0.25, 4.0))
    n_sys = max(30, round(SYSTEMS_PER_ORGANISATION * size))
    n_inf = max(len(_INFRA), n_sys // 20)
    n_proc = max(6, round(n_sys / 5))
    n_data = max(4, round(n_sys * 2 / 15))

    # The organisation's own server room.
    room = f"L-ORG-{pre}"
    room_op = sups[w.providers[np.searchsorted(w.cdf, rng.random())]].id if rng.random() < 0.4 else ""
    out.locations.append([room, f"Serverruimte {org}", "NL", room_op])

    # Systems: infrastructure, a 2-of-3 database cluster, applications.
    ids = [f"SYS-{pre}-{j + 1:04d}" for j in range(n_sys)]
    cluster = ids[n_inf]
    nodes = ids[n_inf + 1: n_inf + 4]
    apps = ids[n_inf + 4:]
    infra = ids[:n_inf] + [cluster]
    sup_idx = w.providers[np.searchsorted(w.cdf, rng.random(n_sys))]
    op_idx = w.providers[np.searchsorted(w.cdf, rng.random(n_sys))]
    types = rng.choice(len(_SYSTEM_TYPES), size=n_sys, p=_SYSTEM_TYPE_P)
    u_loc = rng.random(n_sys)
    u_op = rng.random(n_sys)
    pick = rng.integers(0, 1 << 30, size=n_sys)
    colo_pick = np.minimum(np.searchsorted(np.cumsum(1.0 / np.arange(1, len(w.colo_dcs) + 1))
                                           / np.sum(1.0 / np.arange(1, len(w.colo_dcs) + 1)),
                                           rng.random(n_sys)), len(w.colo_dcs) - 1)
    export = _pick(rng, _EXPORT, n_sys)
    exit_ = _pick(rng, _EXIT, n_sys)
    keys = _pick(rng, _KEYS, n_sys)
    node_locs = [room, w.colo_dcs[int(colo_pick[0])],
                 w.colo_dcs[(int(colo_pick[0]) + 1) % len(w.colo_dcs)]]
    for j, sid in enumerate(ids):
        if j < n_inf:
            name, stype = _INFRA[j % len(_INFRA)]
            name = name if j < len(_INFRA) else f"{name} {j // len(_INFRA) + 1}"
        elif sid == cluster:
            name, stype = "Databasecluster", "infrastructure"
        elif sid in nodes:
            name, stype = f"Databaseknooppunt {j - n_inf}", "infrastructure"
        else:
            name, stype = f"{_APPS[j % len(_APPS)]} {j // len(_APPS) + 1}", _SYSTEM_TYPES[types[j]]
        s = sups[sup_idx[j]]
        loc = op = ""
        if sid in nodes:
            loc = node_locs[j - n_inf - 1]
        elif stype == "on-premise":
            loc = room
            op = sups[op_idx[j]].id if u_op[j] < 0.35 else ""
        elif sid != cluster:
            dcs = w.group_dcs.get(s.group)
            if dcs and u_loc[j] < 0.85:
                loc = dcs[pick[j] % len(dcs)]
            elif not dcs and u_loc[j] < 0.45:
                loc = w.colo_dcs[int(colo_pick[j])]
            op = sups[op_idx[j]].id if u_op[j] < 0.08 else ""
        if op == s.id:
            op = ""
        out.systems.append([sid, name, stype, export[j], exit_[j], keys[j], loc, op, org, s.id])

    deps = out.deps
    for nid in nodes:
        deps.append([cluster, nid, "", "quorum", "2"])
    # Applications depend on infrastructure and on national platforms.
    n_apps = len(apps)
    n_inf_deps = rng.poisson(0.65, size=n_apps)
    for a, k in zip(apps, n_inf_deps):
        for t in rng.choice(len(infra), size=min(int(k), len(infra)), replace=False):
            deps.append([a, infra[t], "", "", ""])
    for pid, share in _PLATFORM_USE.items():
        for a in np.nonzero(rng.random(n_apps) < share)[0]:
            deps.append([apps[a], pid, "", "", ""])
    # Cycles: pairs of applications that need each other, sometimes a triangle.
    order = rng.permutation(n_apps)
    n_pairs = max(1, n_apps // 100)
    for p in range(n_pairs):
        x, y = apps[order[2 * p]], apps[order[2 * p + 1]]
        deps += [[x, y, "", "", ""], [y, x, "", "", ""]]
    if rng.random() < 0.25 and n_apps >= 2 * n_pairs + 3:
        x, y, z = (apps[order[2 * n_pairs + i]] for i in range(3))
        deps += [[x, y, "", "", ""], [y, z, "", "", ""], [z, x, "", "", ""]]

    # Data sets, stored in one application or in one of two (a replica).
    data_ids = [f"D-{pre}-{j + 1:03d}" for j in range(n_data)]
    classes = _pick(rng, _CLASSIFICATION, n_data)
    personal = _pick(rng, _PERSONAL, n_data)
    for j, did in enumerate(data_ids):
        out.datasets.append([did, f"{_DATASETS[j % len(_DATASETS)]} {j // len(_DATASETS) + 1}", classes[j],
                             org, personal[j]])
        if rng.random() < 0.10:
            for t in rng.choice(n_apps, size=2, replace=False):
                deps.append([did, apps[t], "", "replica", "1"])
        else:
            deps.append([did, apps[int(rng.integers(n_apps))], "", "", ""])

    # Processes use applications (some with alternatives: 1 of 2, or 2 of 3) and data sets.
    crit = _pick(rng, _CRITICALITY, n_proc)
    n_use = 1 + rng.poisson(1.0, size=n_proc)
    n_data_use = rng.poisson(1.2, size=n_proc)
    alt = rng.random(n_proc)
    for j in range(n_proc):
        pid = f"P-{pre}-{j + 1:03d}"
        out.processes.append([pid, f"{_PROCESSES[j % len(_PROCESSES)]} {j // len(_PROCESSES) + 1}", crit[j], org])
        n_alt = 2 if alt[j] < 0.15 else 3 if alt[j] < 0.18 else 0
        chosen = rng.choice(n_apps, size=min(int(n_use[j]) + n_alt, n_apps), replace=False)
        plain, alternatives = chosen[: len(chosen) - n_alt], chosen[len(chosen) - n_alt:]
        if j % 4 == 0 and n_inf:  # the workplace or mail: shared infrastructure every process needs
            deps.append([pid, infra[2 + j % 3], "", "", ""])
        for t in plain:
            deps.append([pid, apps[t], "", "", ""])
        if n_alt:
            group, k = ("kanaal", "1") if n_alt == 2 else ("meerderheid", "2")
            for t in alternatives:
                deps.append([pid, apps[t], "", group, k])
        for t in rng.choice(n_data, size=min(int(n_data_use[j]), n_data), replace=False):
            deps.append([pid, data_ids[t], "", "", ""])


def synthetic_tables(organisations: int, seed: int = 1) -> dict[str, list[list[str]]]:
    """Return a synthetic inventory: canonical file name → header row and data rows.

    Parameters
    ----------
    organisations : int
        Number of public bodies (1 or more); 1,500 gives the national inventory.
    seed : int
        The same seed gives the same tables.

    Returns
    -------
    dict
        ``organisations``, ``suppliers``, ``locations``, ``systems``,
        ``processes``, ``datasets``, ``dependencies``; each a list of rows of
        text, the canonical English header first.

    Raises
    ------
    ValueError
        When ``organisations`` is below 1.

    Examples
    --------
    >>> t = synthetic_tables(2, seed=3)
    >>> first = dict(zip(t["organisations"][0], t["organisations"][1]))
    >>> first["id"], first["name"], first["type"]
    ('ORG-0001', 'Rijksdienst Digitale Voorzieningen', 'uitvoeringsorganisatie')
    >>> [r[0] for r in t["systems"][1:4]]
    ['SYS-NAT-IDP', 'SYS-NAT-EHK', 'SYS-NAT-MSG']
    """
    if organisations < 1:
        raise ValueError(f"organisations must be at least 1, not {organisations}.")
    v = vocabulary()
    w = _world(seed, organisations)
    _platforms(w, np.random.default_rng([seed, 2]))
    orgs = _organisations(np.random.default_rng([seed, 3]), organisations)
    out = _Out(systems=list(w.platform_rows), deps=list(w.platform_deps))
    for oi in range(organisations):
        _organisation_content(w, seed, oi, out)
    sup_rows = [[s.id, s.name, s.country, s.lei, s.parent] for s in w.suppliers]
    built = {
        "organisation": orgs,
        "supplier": sup_rows,
        "location": w.locations + out.locations,
        "system": out.systems,
        "process": out.processes,
        "dataset": out.datasets,
    }
    tables = {}
    for kind in v.file_kinds:
        if kind.id not in built:  # an optional file this generator does not write (contracts)
            continue
        keys = [c.key for c in kind.columns]
        tables[kind.files[0]] = [keys] + _in_order(_ROW_KEYS[kind.id], keys, built[kind.id])
    keys = [c.key for c in v.dependency_columns]
    tables[v.dependency_files[0]] = [keys] + _in_order(_ROW_KEYS["dependency"], keys, out.deps)
    return tables


# The order in which this module builds each row; written in the vocabulary's column order.
_ROW_KEYS = {
    "organisation": ("id", "name", "type", "country", "parent_id"),
    "supplier": ("id", "name", "country", "lei", "parent_id"),
    "location": ("id", "name", "country", "operator_id"),
    "system": ("id", "name", "type", "data_export", "exit_plan", "key_control", "location_id", "operator_id",
               "organisation_id", "supplier_id"),
    "process": ("id", "name", "criticality", "organisation_id"),
    "dataset": ("id", "name", "classification", "organisation_id", "personal_data"),
    "dependency": ("from_id", "to_id", "type", "alternative_group", "min_required"),
}


def _in_order(built: tuple[str, ...], header: list[str], rows: list[list[str]]) -> list[list[str]]:
    """Rows rearranged from ``built`` order to ``header`` order (columns not built are left empty)."""
    missing = set(built) - set(header)
    if missing:
        raise ValueError(f"The vocabulary has no column {sorted(missing)}; update _ROW_KEYS in synthetic.py.")
    if list(built) == header:
        return rows
    pos = {k: i for i, k in enumerate(built)}
    width = len(built)
    idx = [pos.get(k, width) for k in header]  # index ``width`` is the empty cell appended below
    if width in idx:
        rows = [r + [""] for r in rows]
    take = itemgetter(*idx)
    return [list(take(r)) for r in rows] if len(idx) > 1 else [[r[idx[0]]] for r in rows]


def write_synthetic(folder: str | Path, organisations: int, seed: int = 1) -> list[Path]:
    """Generate a synthetic inventory and write it as canonical CSV files into ``folder``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     sorted(p.name for p in write_synthetic(d, 1))
    ['datasets.csv', 'dependencies.csv', 'locations.csv', 'organisations.csv', 'processes.csv', 'suppliers.csv', 'systems.csv']
    """
    return write_tables(folder, synthetic_tables(organisations, seed))


def write_tables(folder: str | Path, tables: dict[str, list[list[str]]]) -> list[Path]:
    """Write tables (file name without ``.csv`` → rows, header first) as UTF-8 CSV files into ``folder``.

    The csv module writes the rows directly, which is several times faster
    than building each file in memory first at national size.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_tables(d, {"suppliers": [["id", "name"], ["S-1", "Kynthos, Inc."]]})[0]
    ...     print(p.name, *p.read_text("utf-8").splitlines())
    suppliers.csv id,name S-1,"Kynthos, Inc."
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables.items():
        path = folder / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
        written.append(path)
    return written


def relation_counts(tables: dict[str, list[list[str]]]) -> dict[str, int]:
    """Count items and relations of generated tables.

    Returns the number of items (``items``), of relations named in the item
    files' reference columns (``column_relations``, which includes the
    non-propagating ``belongs_to``, ``part_of`` and ``owned_by``), of rows of
    the dependencies file (``dependency_rows``), and of relations that carry
    failure (``dependency_relations``: dependency rows plus the systems'
    supplier, operator and location and the locations' operator).

    Examples
    --------
    >>> c = relation_counts({"systems": [["id", "supplier_id", "organisation_id"], ["SYS-1", "S-1", "ORG-1"]],
    ...                      "dependencies": [["from_id", "to_id"], ["P-1", "SYS-1"]]})
    >>> c["items"], c["column_relations"], c["dependency_rows"], c["dependency_relations"]
    (1, 2, 1, 2)
    """
    v = vocabulary()
    propagating = v.propagating()
    out = {"items": 0, "column_relations": 0, "dependency_rows": 0, "dependency_relations": 0}
    for k in v.file_kinds:
        rows = tables.get(k.files[0])
        if not rows:
            continue
        out["items"] += len(rows) - 1
        header = rows[0]
        for c in k.columns:
            if c.relation and c.key in header:
                i = header.index(c.key)
                n = sum(1 for r in rows[1:] if r[i])
                out["column_relations"] += n
                if c.relation in propagating:
                    out["dependency_relations"] += n
    deps = tables.get(v.dependency_files[0])
    if deps:
        out["dependency_rows"] = len(deps) - 1
        out["dependency_relations"] += len(deps) - 1
    return out
