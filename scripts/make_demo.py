#!/usr/bin/env python3
"""Generate the bundled demo inventory: the fictional municipality "Gemeente Zuiderwaard".

Writes the eight inventory CSV files (organisations, suppliers, locations, systems,
processes, datasets, dependencies, contracts) plus a README into ``sovmap/demo/municipality/``.
Everything below is hand-written data; there is no randomness, so every run writes
byte-identical files.  The synthetic LEI codes are derived from the supplier id with
SHA-256 and carry a valid ISO 17442 (MOD 97-10) check, under the made-up prefix
``ZZSV`` that no real LEI issuer uses.

After writing, a self-check verifies the minimums, referential integrity, unique ids,
group consistency, acyclic ownership, and the notable cases the demo exists to show
(hidden concentration, real redundancy, 2-of-3, deep chain, cycle, warning system);
it prints the counts and exits non-zero if anything is off.

Usage:  python scripts/make_demo.py [--out DIR] [--check-only]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "sovmap" / "demo" / "municipality"

# Value shorthands used in the tables below.
OS, PR, NO = "open-standard", "proprietary", "none"
Y, N = "yes", "no"
C, P = "customer", "provider"

HEADERS = {
    "organisations": ["id", "name", "type", "country", "parent_id"],
    "suppliers": ["id", "name", "country", "parent_id", "lei"],
    "locations": ["id", "name", "country", "operator_id"],
    "systems": ["id", "name", "type", "organisation_id", "supplier_id", "operator_id",
                "location_id", "data_export", "exit_plan", "key_control"],
    "processes": ["id", "name", "organisation_id", "criticality"],
    "datasets": ["id", "name", "organisation_id", "classification", "personal_data"],
    "dependencies": ["from_id", "to_id", "type", "alternative_group", "min_required"],
    "contracts": ["id", "name", "supplier_id", "system_ids", "start_date", "end_date", "notice_period", "renewal",
                  "change_of_control", "data_return", "governing_law", "court", "data_location", "escrow"],
}

# --------------------------------------------------------------------------------------
# Contracts: (id, name, supplier_id, start, end, notice (months), renewal, change_of_control,
# data_return, governing_law, court, data_location, escrow). A contract covers every system
# whose supplier_id is its supplier. Services of government bodies (LDDO, RBI, RVW, KDN,
# RISZ), the open-source foundation and the municipal cooperative run on covenants, not
# contracts, and have none; a few clauses are "unknown" on purpose (not yet read).
# --------------------------------------------------------------------------------------
CONTRACTS = [
    ("C-2024-KYN-EA", "Enterprise Agreement Kynthos Workspace", "S-KYN-IE", "2024-07-01", "2027-06-30", "3", "automatic", "no", "proprietary", "IE", "IE", "EU", "no"),
    ("C-2023-KYN-LIC", "Volumelicenties Kynthos serversoftware", "S-KYN", "2023-01-01", "2026-12-31", "3", "automatic", "no", "none", "US", "US", "", "no"),
    ("C-2025-KYN-BI", "Kynthos Analytics abonnement", "S-KYN-DE", "2025-03-01", "2028-02-29", "3", "automatic", "no", "proprietary", "DE", "DE", "EU", "no"),
    ("C-2024-FORMULO", "E-formulieren Formulo", "S-FORMULO", "2024-01-01", "2026-12-31", "6", "automatic", "unknown", "unknown", "NL", "NL", "NL", "unknown"),
    ("C-2022-CIVIQ", "Raamovereenkomst Civiq (zaak, BRP, e-diensten, VTH)", "S-CIVIQ", "2022-01-01", "2027-12-31", "12", "manual", "yes", "open_format", "NL", "NL", "NL", "yes"),
    ("C-2021-BELWIJS", "Belastingsoftware Belastingwijs", "S-BELWIJS", "2021-01-01", "2026-12-31", "12", "automatic", "no", "proprietary", "NL", "NL", "NL", "yes"),
    ("C-2023-SOCIAAL", "Sociaal-domeinsuite Sociaalkompas", "S-SOCIAAL", "2023-07-01", "2028-06-30", "6", "manual", "yes", "open_format", "NL", "NL", "NL", "yes"),
    ("C-2024-SAALB", "ERP en HR Saalbrück (via BVO Waardland)", "S-SAALB", "2024-01-01", "2029-12-31", "12", "manual", "yes", "open_format", "DE", "DE", "EU", "no"),
    ("C-2025-VEENSTRA", "Bedrijfsvoeringspakket Veenstra", "S-VEENSTRA", "2025-01-01", "2029-12-31", "6", "automatic", "yes", "open_format", "NL", "NL", "NL", "no"),
    ("C-2023-WATERL", "Geo-informatie Waterland", "S-WATERL", "2023-04-01", "2028-03-31", "6", "automatic", "yes", "open_format", "NL", "NL", "NL", "yes"),
    ("C-2024-FJORD", "Planning & control en raadsinformatie Fjordsoft", "S-FJORD", "2024-09-01", "2028-08-31", "6", "automatic", "no", "open_format", "DK", "DK", "EU", "no"),
    ("C-2022-KCCNL", "Klantcontactplatform Klantcontact Lab", "S-KCCNL", "2022-05-01", "2026-04-30", "6", "automatic", "no", "proprietary", "NL", "NL", "NL", "no"),
    ("C-2024-DONAU", "Parkeren en verkeer Donauwerk", "S-DONAU", "2024-01-01", "2030-12-31", "12", "manual", "no", "proprietary", "AT", "AT", "EU", "no"),
    ("C-2023-VISTULA", "Sociaal en handhaving Vistula", "S-VISTULA", "2023-01-01", "2027-12-31", "6", "automatic", "no", "proprietary", "PL", "PL", "EU", "no"),
    ("C-2025-TALV", "Netwerk, wifi en cloudtelefonie Talvion", "S-TALV-NL", "2025-01-01", "2028-12-31", "3", "automatic", "no", "proprietary", "NL", "NL", "EU", "no"),
    ("C-2024-STELLARO", "Hardware en werkplekken Stellaro", "S-STELLARO", "2024-03-01", "2029-02-28", "3", "manual", "no", "none", "US", "US", "", "no"),
    ("C-2024-VIREO", "Virtualisatielicenties Vireo", "S-VIREO", "2024-11-01", "2027-10-31", "3", "automatic", "no", "none", "US", "IE", "", "no"),
    ("C-2025-VEYRID", "Identiteit en toegang Veyrid", "S-VEYRID", "2025-06-01", "2028-05-31", "3", "automatic", "no", "proprietary", "US", "US", "EU", "no"),
    ("C-2023-HALV", "Servicemanagement Halvard", "S-HALV-NL", "2023-10-01", "2026-09-30", "3", "automatic", "no", "proprietary", "NL", "NL", "EU", "no"),
    ("C-2024-HXV", "Cameratoezicht en wagenpark Huaxing", "S-HXV-NL", "2024-02-01", "2027-01-31", "3", "automatic", "unknown", "none", "NL", "NL", "", "no"),
    ("C-2024-HXV-CLOUD", "Huaxing Cloud camerabeheer", "S-HXV", "2024-02-01", "2027-01-31", "1", "automatic", "no", "none", "CN", "CN", "", "no"),
    ("C-2024-RIJN", "Hosting en DNS Rijnstad", "S-RIJN", "2024-01-01", "2027-12-31", "6", "automatic", "yes", "open_format", "NL", "NL", "NL", "no"),
    ("C-2023-SCHELDE", "Back-up en e-depot Scheldelink", "S-SCHELDE", "2023-06-01", "2028-05-31", "6", "manual", "yes", "open_format", "BE", "BE", "EU", "no"),
    ("C-2024-BRABO", "Documentmanagement en e-depot Brabodoc", "S-BRABO", "2024-01-01", "2029-12-31", "12", "manual", "yes", "open_format", "BE", "NL", "EU", "yes"),
    ("C-2025-POLDER", "Verbindingen en telefonie Polderlink", "S-POLDER", "2025-01-01", "2029-12-31", "6", "manual", "yes", "open_format", "NL", "NL", "NL", "no"),
    ("C-2024-LAGU", "Mobiele telefonie Lagunet", "S-LAGU-NL", "2024-04-01", "2026-03-31", "1", "automatic", "no", "none", "NL", "NL", "", "no"),
    ("C-2024-ARDEL", "SOC en SIEM Ardelis", "S-ARDEL", "2024-01-01", "2027-12-31", "6", "manual", "yes", "open_format", "FR", "FR", "EU", "no"),
    ("C-2025-SENT", "EDR Sentrivo", "S-SENT-IE", "2025-02-01", "2027-01-31", "1", "automatic", "no", "proprietary", "IE", "IE", "EU", "no"),
    ("C-2024-ALPK", "Beveiligd mailen en HSM Alpenkern", "S-ALPK", "2024-01-01", "2026-12-31", "3", "automatic", "no", "open_format", "CH", "CH", "CH", "no"),
    ("C-2025-ATL", "Betalen Atlantica", "S-ATL-NL", "2025-01-01", "2027-12-31", "3", "automatic", "no", "proprietary", "NL", "NL", "EU", "no"),
    ("C-2023-KISA", "Printen en post Kisaragi", "S-KISA-NL", "2023-09-01", "2028-08-31", "3", "manual", "no", "proprietary", "NL", "NL", "", "no"),
    ("C-2024-KISA-CLOUD", "Smartphones en Cloud Print Kisaragi", "S-KISA", "2024-09-01", "2026-08-31", "1", "automatic", "no", "none", "JP", "JP", "", "no"),
    ("C-2024-POLLARIS", "Enquête en social media Pollaris", "S-POLLARIS", "2024-05-01", "2026-04-30", "1", "automatic", "no", "proprietary", "US", "US", "", "no"),
    ("C-2023-TERRA", "GIS Terravista", "S-TERRA-NL", "2023-01-01", "2027-12-31", "3", "automatic", "no", "proprietary", "NL", "NL", "EU", "no"),
    ("C-2023-TERRA-ONLINE", "Terravista Online", "S-TERRA", "2023-01-01", "2027-12-31", "3", "automatic", "no", "proprietary", "US", "US", "", "no"),
    ("C-2024-NORR", "Website en nieuwsbrieven Norrsken", "S-NORR", "2024-03-01", "2028-02-29", "3", "automatic", "yes", "open_format", "SE", "SE", "EU", "no"),
    ("C-2025-NUAG", "Webstatistieken Nuageon", "S-NUAG", "2025-01-01", "2027-12-31", "1", "automatic", "no", "open_format", "FR", "FR", "EU", "no"),
    ("C-2024-LINGUA", "Vertalen en notuleren Lingvera", "S-LINGUA", "2024-06-01", "2026-05-31", "3", "automatic", "unknown", "open_format", "DE", "DE", "EU", "no"),
    ("C-2023-ROOSTER", "Roosters en sportverhuur Roosterwijs", "S-ROOSTER", "2023-01-01", "2026-12-31", "3", "automatic", "no", "proprietary", "NL", "NL", "", "no"),
    ("C-2025-VARUNA", "Factuurverwerking Varuna", "S-VARUNA-NL", "2025-04-01", "2028-03-31", "3", "automatic", "no", "proprietary", "NL", "NL", "", "no"),
    ("C-2024-INKW", "Digitale handtekening Inkwright", "S-INKW", "2024-10-01", "2026-09-30", "1", "automatic", "no", "proprietary", "US", "US", "", "no"),
    ("C-2025-SHOMRAI", "Kwetsbaarhedenscanner Shomrai", "S-SHOMRAI", "2025-01-01", "2026-12-31", "1", "automatic", "no", "none", "IL", "IL", "", "no"),
    ("C-2024-BRACK", "Awareness en massanotificatie Brackenfield", "S-BRACK", "2024-01-01", "2026-12-31", "3", "automatic", "no", "proprietary", "GB", "GB", "EU", "no"),
    ("C-2024-ALARM", "Crisisalertering Alarmeer", "S-ALARM", "2024-01-01", "2028-12-31", "6", "manual", "yes", "open_format", "NL", "NL", "NL", "no"),
    ("C-2025-CERT", "PKIoverheid-certificaten Certiva", "S-CERT-NL", "2025-01-01", "2027-12-31", "3", "automatic", "no", "none", "NL", "NL", "NL", "no"),
    ("C-2023-HERK", "eHerkenning Herkenningsmakelaar", "S-HERK", "2023-01-01", "2027-12-31", "6", "automatic", "unknown", "unknown", "NL", "NL", "NL", "unknown"),
    ("C-2024-VDB", "Toegang en gebouwbeheer Vanderbeek", "S-VDB", "2024-01-01", "2030-12-31", "6", "manual", "no", "proprietary", "NL", "NL", "", "no"),
    ("C-2022-HYDRO", "Rioolbeheer Hydrosense", "S-HYDRO", "2022-07-01", "2027-06-30", "6", "automatic", "no", "proprietary", "DE", "DE", "EU", "no"),
    ("C-2025-DVI", "Beheer en monitoring Dijkstra & Veen", "S-DVI", "2025-01-01", "2028-12-31", "6", "manual", "yes", "open_format", "NL", "NL", "NL", "no"),
    ("C-2024-AFVALW", "Diftar Afvalbedrijf Waardland", "S-AFVALW", "2024-01-01", "2030-12-31", "12", "manual", "no", "proprietary", "NL", "NL", "NL", "no"),
    ("C-2023-POLDERBANK", "Huisbankier Polderbank", "S-POLDERBANK", "2023-01-01", "2028-12-31", "3", "automatic", "no", "open_format", "NL", "NL", "NL", "no"),
    ("C-2023-HANZE", "Tweede bank Hanzebank", "S-HANZE", "2023-01-01", "2028-12-31", "3", "automatic", "no", "open_format", "NL", "NL", "NL", "no"),
    ("C-2024-ARBO", "Arbodienstverlening Vitaalwerk", "S-ARBO", "2024-01-01", "2026-12-31", "3", "automatic", "no", "proprietary", "NL", "NL", "NL", "no"),
    ("C-2024-LUMEN", "E-learning Lumen", "S-LUMEN", "2024-01-01", "2026-12-31", "3", "automatic", "no", "open_format", "SE", "SE", "EU", "no"),
    ("C-2024-MEEDOEN", "Meedoenpas Meedoenwijs", "S-MEEDOEN", "2024-01-01", "2027-12-31", "6", "automatic", "no", "proprietary", "NL", "NL", "", "no"),
    ("C-2023-RUSTOORD", "Begraafplaatsadministratie Rustoord", "S-RUSTOORD", "2023-01-01", "2027-12-31", "6", "automatic", "no", "proprietary", "NL", "NL", "NL", "yes"),
    ("C-2025-PARQ", "Mobiel parkeren Parquia", "S-PARQ", "2025-01-01", "2028-12-31", "3", "automatic", "no", "proprietary", "ES", "ES", "EU", "no"),
    ("C-2024-DEURW", "Gerechtsdeurwaarder Van Dam & Rijnders", "S-DEURW", "2024-01-01", "2026-12-31", "3", "automatic", "no", "none", "NL", "NL", "NL", "no"),
]

# --------------------------------------------------------------------------------------
# Organisations: (id, name, type, country, parent_id)
# --------------------------------------------------------------------------------------
ORGANISATIONS = [
    ("ORG-ZW", "Gemeente Zuiderwaard", "gemeente", "NL", ""),
    ("ORG-SSC", "Bedrijfsvoeringsorganisatie Waardland (BWL)", "gemeenschappelijke regeling", "NL", ""),
    ("ORG-ZW-DV", "Afdeling Dienstverlening", "afdeling", "NL", "ORG-ZW"),
    ("ORG-ZW-BZ", "Team Burgerzaken", "team", "NL", "ORG-ZW-DV"),
    ("ORG-ZW-KCC", "Team Klantcontactcentrum", "team", "NL", "ORG-ZW-DV"),
    ("ORG-ZW-SD", "Afdeling Sociaal Domein", "afdeling", "NL", "ORG-ZW"),
    ("ORG-ZW-BEL", "Afdeling Belastingen", "afdeling", "NL", "ORG-ZW"),
    ("ORG-ZW-RO", "Afdeling Ruimte en Omgeving", "afdeling", "NL", "ORG-ZW"),
    ("ORG-ZW-VTH", "Team Vergunningen, Toezicht en Handhaving", "team", "NL", "ORG-ZW-RO"),
    ("ORG-ZW-OR", "Team Beheer Openbare Ruimte", "team", "NL", "ORG-ZW-RO"),
    ("ORG-ZW-OOV", "Team Openbare Orde en Veiligheid", "team", "NL", "ORG-ZW"),
    ("ORG-ZW-BV", "Afdeling Bedrijfsvoering", "afdeling", "NL", "ORG-ZW"),
    ("ORG-ZW-IT", "Team Informatievoorziening en ICT", "team", "NL", "ORG-ZW-BV"),
    ("ORG-ZW-IB", "Team Informatiebeheer (DIV en archief)", "team", "NL", "ORG-ZW-BV"),
    ("ORG-ZW-FIN", "Team Financiën", "team", "NL", "ORG-ZW-BV"),
    ("ORG-ZW-HR", "Team HRM", "team", "NL", "ORG-ZW-BV"),
    ("ORG-ZW-COM", "Team Communicatie", "team", "NL", "ORG-ZW"),
    ("ORG-ZW-GRF", "Griffie", "griffie", "NL", "ORG-ZW"),
]

# --------------------------------------------------------------------------------------
# Suppliers: (id, name, country, parent_id, has_lei).  All names are fictional.
# --------------------------------------------------------------------------------------
SUPPLIERS = [
    # --- Kynthos: US cloud group (largest non-EU group in the demo) -------------------
    ("S-KYN", "Kynthos Cloud Inc.", "US", "", 1),
    ("S-KYN-IE", "Kynthos Cloud Ireland Ltd", "IE", "S-KYN", 1),
    ("S-KYN-NL", "Kynthos Cloud Nederland B.V.", "NL", "S-KYN-IE", 1),
    ("S-KYN-DE", "Kynthos Cloud Deutschland GmbH", "DE", "S-KYN-IE", 1),
    ("S-FORMULO", "Formulo B.V.", "NL", "S-KYN-NL", 0),  # Dutch e-forms start-up, acquired
    # --- Aurelon: US cloud group ---------------------------------------------------------
    ("S-AUR", "Aurelon Web Services Inc.", "US", "", 1),
    ("S-AUR-LU", "Aurelon Web Services EMEA S.à r.l.", "LU", "S-AUR", 1),
    ("S-AUR-DE", "Aurelon Rechenzentren Deutschland GmbH", "DE", "S-AUR-LU", 1),
    # --- Meridian: US data-centre REIT that bought a Dutch hoster ----------------------
    ("S-MER", "Meridian Digital Realty Inc.", "US", "", 1),
    ("S-MER-IE", "Meridian Data Holdings Ireland Ltd", "IE", "S-MER", 1),
    ("S-NHV", "Noordhaven Datacenters B.V.", "NL", "S-MER-IE", 1),
    ("S-NHV-ZUID", "Noordhaven Colocatie Zuid B.V.", "NL", "S-NHV", 0),
    # --- Corvanta: Canadian group owning Dutch municipal-software houses ----------------
    ("S-CORV", "Corvanta Software Group Inc.", "CA", "", 1),
    ("S-CORV-EU", "Corvanta Public Sector Europe B.V.", "NL", "S-CORV", 1),
    ("S-CIVIQ", "Civiq Gemeentesoftware B.V.", "NL", "S-CORV-EU", 1),
    ("S-BELWIJS", "Belastingwijs B.V.", "NL", "S-CORV-EU", 0),
    # --- Other non-EU parents and their EU subsidiaries ---------------------------------
    ("S-HXV", "Huaxing Vision Technology Co., Ltd.", "CN", "", 0),
    ("S-HXV-NL", "Huaxing Vision Europe B.V.", "NL", "S-HXV", 1),
    ("S-BRACK", "Brackenfield Systems Ltd", "GB", "", 1),
    ("S-ALPK", "Alpenkern Secure Communications AG", "CH", "", 1),
    ("S-SENT", "Sentrivo Inc.", "US", "", 1),
    ("S-SENT-IE", "Sentrivo Security Ireland Ltd", "IE", "S-SENT", 1),
    ("S-TALV", "Talvion Networks Inc.", "US", "", 1),
    ("S-TALV-NL", "Talvion Networks Netherlands B.V.", "NL", "S-TALV", 1),
    ("S-VEYRID", "Veyrid Identity Inc.", "US", "", 1),
    ("S-STELLARO", "Stellaro Computing Inc.", "US", "", 1),
    ("S-VIREO", "Vireo Systems Inc.", "US", "", 1),
    ("S-KISA", "Kisaragi Electronics Corporation", "JP", "", 1),
    ("S-KISA-NL", "Kisaragi Electronics Nederland B.V.", "NL", "S-KISA", 1),
    ("S-VARUNA", "Varuna Infotech Ltd", "IN", "", 1),
    ("S-VARUNA-NL", "Varuna Infotech Netherlands B.V.", "NL", "S-VARUNA", 0),
    ("S-SHOMRAI", "Shomrai Cyber Ltd", "IL", "", 0),
    ("S-TERRA", "Terravista Geospatial Inc.", "US", "", 1),
    ("S-TERRA-NL", "Terravista Nederland B.V.", "NL", "S-TERRA", 1),
    ("S-ATL", "Atlantica Payments Inc.", "US", "", 1),
    ("S-ATL-NL", "Atlantica Payments Europe B.V.", "NL", "S-ATL", 1),
    ("S-HALV", "Halvard Service Cloud Inc.", "US", "", 1),
    ("S-HALV-NL", "Halvard Service Cloud Netherlands B.V.", "NL", "S-HALV", 0),
    ("S-POLLARIS", "Pollaris Inc.", "US", "", 0),
    ("S-INKW", "Inkwright Inc.", "US", "", 1),
    ("S-CERT", "Certiva Holdings Inc.", "US", "", 1),
    ("S-CERT-NL", "Certiva Trust Services B.V.", "NL", "S-CERT", 1),
    ("S-SHIFT", "Shiftline Inc.", "US", "", 0),
    ("S-ROOSTER", "Roosterwijs B.V.", "NL", "S-SHIFT", 0),
    ("S-LAGU", "Lagunet Group plc", "GB", "", 1),
    ("S-LAGU-NL", "Lagunet Mobiel Nederland B.V.", "NL", "S-LAGU", 1),
    # --- Dutch government bodies acting as suppliers (fictional names) ------------------
    ("S-LDDO", "Landelijke Dienst Digitale Overheid (LDDO)", "NL", "", 0),
    ("S-RBI", "Rijksbureau voor Identiteitsgegevens (RBI)", "NL", "", 0),
    ("S-RVW", "Rijksdienst Voertuig- en Wegregistratie (RVW)", "NL", "", 0),
    ("S-KADN", "Kadastrale Dienst Nederland (KDN)", "NL", "", 0),
    ("S-RISZ", "Rijksinlichtingenbureau Sociale Zekerheid (RISZ)", "NL", "", 0),
    ("S-VNGR", "Coöperatie Gemeentelijke Realisatie U.A.", "NL", "", 1),
    # --- Genuinely EU-owned companies -----------------------------------------------------
    ("S-POLDER", "Polderlink Telecom B.V.", "NL", "", 1),
    ("S-DVI", "Dijkstra & Veen ICT B.V.", "NL", "", 1),
    ("S-RIJN", "Rijnstad Hosting B.V.", "NL", "", 1),
    ("S-HOCH", "Hochwald Rechenzentrum GmbH", "DE", "", 1),
    ("S-NUAG", "Nuageon SAS", "FR", "", 1),
    ("S-ARDEL", "Ardelis Cybersécurité SAS", "FR", "", 1),
    ("S-SCHELDE", "Scheldelink NV", "BE", "", 1),
    ("S-BRABO", "Brabodoc NV", "BE", "", 1),
    ("S-FJORD", "Fjordsoft ApS", "DK", "", 1),
    ("S-NORR", "Norrsken Webb AB", "SE", "", 1),
    ("S-LUMEN", "Lumen Nordic Software AB", "SE", "", 1),
    ("S-SOCIAAL", "Sociaalkompas B.V.", "NL", "S-LUMEN", 1),
    ("S-DONAU", "Donauwerk Parksysteme GmbH", "AT", "", 1),
    ("S-PARQ", "Parquia Movilidad S.L.", "ES", "", 1),
    ("S-VISTULA", "Vistula Software Sp. z o.o.", "PL", "", 1),
    ("S-WATERL", "Waterland Geo-informatie B.V.", "NL", "", 1),
    ("S-VEENSTRA", "Veenstra Bedrijfssoftware B.V.", "NL", "", 1),
    ("S-SAALB", "Saalbrück Software AG", "DE", "", 1),
    ("S-POLDERBANK", "Coöperatieve Polderbank U.A.", "NL", "", 1),
    ("S-HANZE", "Hanzebank N.V.", "NL", "", 1),
    ("S-HERK", "Herkenningsmakelaar Nederland B.V.", "NL", "", 1),
    ("S-KCCNL", "Klantcontact Lab B.V.", "NL", "", 1),
    ("S-OPEN", "Stichting Open Gemeentecomponenten", "NL", "", 0),
    ("S-ALARM", "Alarmeer B.V.", "NL", "", 1),
    ("S-LINGUA", "Lingvera GmbH", "DE", "", 1),
    ("S-MEEDOEN", "Meedoenwijs B.V.", "NL", "", 0),
    ("S-DEURW", "Van Dam & Rijnders Gerechtsdeurwaarders B.V.", "NL", "", 0),
    ("S-AFVALW", "Afvalbedrijf Waardland N.V.", "NL", "", 1),
    ("S-HYDRO", "Hydrosense Messtechnik GmbH", "DE", "", 1),
    ("S-RUSTOORD", "Rustoord Software V.O.F.", "NL", "", 0),
    ("S-SANTE", "Santé Travail Groupe SA", "FR", "", 1),
    ("S-ARBO", "Vitaalwerk Arbodienst B.V.", "NL", "S-SANTE", 1),
    ("S-VDB", "Vanderbeek Beveiligingstechniek B.V.", "NL", "", 1),
]

# --------------------------------------------------------------------------------------
# Locations: (id, name, country, operator_id)
# --------------------------------------------------------------------------------------
LOCATIONS = [
    ("L-ZW-SRK", "Serverruimte Stadskantoor Zuiderwaard", "NL", ""),
    ("L-ZW-WERF", "Uitwijkserverruimte Gemeentewerf Zuiderwaard", "NL", "S-DVI"),
    ("L-KYN-AMS", "Kynthos Cloud regio Amsterdam", "NL", "S-KYN-NL"),
    ("L-KYN-DUB", "Kynthos Cloud regio Dublin", "IE", "S-KYN-IE"),
    ("L-KYN-FRA", "Kynthos Cloud regio Frankfurt", "DE", "S-KYN-DE"),
    ("L-KYN-VA", "Kynthos Cloud regio US-East (Virginia)", "US", "S-KYN"),
    ("L-AUR-FRA", "Aurelon regio Frankfurt", "DE", "S-AUR-DE"),
    ("L-AUR-OR", "Aurelon regio US-West (Oregon)", "US", "S-AUR"),
    ("L-NHV-AMS", "Noordhaven AMS1 Amsterdam-Zuidoost", "NL", "S-NHV"),
    ("L-NHV-EHV", "Noordhaven EHV2 Eindhoven", "NL", "S-NHV-ZUID"),
    ("L-RIJN-ARN", "Rijnstad Datacenter Arnhem", "NL", "S-RIJN"),
    ("L-HOCH-NUE", "Hochwald Rechenzentrum Nürnberg", "DE", "S-HOCH"),
    ("L-NUAG-RBX", "Nuageon datacenter Roubaix", "FR", "S-NUAG"),
    ("L-SCHELDE-ANT", "Scheldelink datacenter Antwerpen", "BE", "S-SCHELDE"),
    ("L-ALPK-ZRH", "Alpenkern rekencentrum Zürich", "CH", "S-ALPK"),
    ("L-LDDO-DH", "Rijksdatacentrum Den Haag", "NL", "S-LDDO"),
    ("L-POLDER-UTR", "Polderlink netwerkcentrum Utrecht", "NL", "S-POLDER"),
    ("L-PBANK-ZST", "Polderbank rekencentrum Zeist", "NL", "S-POLDERBANK"),
    ("L-HANZE-GRQ", "Hanzebank rekencentrum Groningen", "NL", "S-HANZE"),
    ("L-VARUNA-PNQ", "Varuna Delivery Centre Pune", "IN", "S-VARUNA"),
    ("L-HXV-HZ", "Huaxing Cloud platform Hangzhou", "CN", "S-HXV"),
]

# --------------------------------------------------------------------------------------
# Systems: (id, name, type, organisation_id, supplier_id, operator_id, location_id,
#           data_export, exit_plan, key_control).  Empty string = unknown / not applicable.
# --------------------------------------------------------------------------------------
IT, IB, KCC, BZ, SD = "ORG-ZW-IT", "ORG-ZW-IB", "ORG-ZW-KCC", "ORG-ZW-BZ", "ORG-ZW-SD"
BEL, RO, VTH, OR_ = "ORG-ZW-BEL", "ORG-ZW-RO", "ORG-ZW-VTH", "ORG-ZW-OR"
OOV, FIN, HR, COM, GRF = "ORG-ZW-OOV", "ORG-ZW-FIN", "ORG-ZW-HR", "ORG-ZW-COM", "ORG-ZW-GRF"
BV, SSC = "ORG-ZW-BV", "ORG-SSC"

SYSTEMS = [
    # --- Office, collaboration and directory (Kynthos) ---------------------------------
    ("SYS-KYN-DIR", "Clouddirectory en single sign-on (Kynthos Directory)", "saas", IT, "S-KYN-IE", "S-KYN-IE", "L-KYN-DUB", PR, N, P),
    ("SYS-KYN-MAIL", "E-mail en agenda (Kynthos Workspace Mail)", "saas", IT, "S-KYN-IE", "S-KYN-NL", "L-KYN-AMS", OS, N, P),
    ("SYS-KYN-TEAMS", "Chat, samenwerken en videobellen (Kynthos Teamspace)", "saas", IT, "S-KYN-IE", "S-KYN-IE", "L-KYN-DUB", PR, N, P),
    ("SYS-KYN-DRIVE", "Bestandsopslag en delen (Kynthos Drive)", "saas", IT, "S-KYN-IE", "S-KYN-NL", "L-KYN-AMS", PR, N, P),
    ("SYS-KYN-OFFICE", "Kantoorapplicaties en licentieactivering (Kynthos Office)", "saas", IT, "S-KYN-IE", "S-KYN-IE", "L-KYN-DUB", OS, N, P),
    ("SYS-KYN-MDM", "Apparaatbeheer werkplekken (Kynthos Endpoint Manager)", "saas", IT, "S-KYN-IE", "S-KYN-IE", "L-KYN-DUB", NO, N, P),
    ("SYS-KYN-AI", "AI-assistent voor medewerkers (Kynthos Assist)", "saas", IT, "S-KYN", "S-KYN", "L-KYN-VA", NO, N, P),
    ("SYS-KYN-BI", "Managementinformatie en dashboards (Kynthos Analytics)", "saas", FIN, "S-KYN-DE", "S-KYN-DE", "L-KYN-FRA", PR, N, P),
    ("SYS-INTRANET", "Intranet (op Kynthos Teamspace)", "saas", COM, "S-KYN-IE", "S-KYN-IE", "L-KYN-DUB", PR, N, P),
    ("SYS-KYN-FORMS", "E-formulierenplatform (Formulo)", "saas", KCC, "S-FORMULO", "S-FORMULO", "L-KYN-AMS", PR, N, P),
    ("SYS-KYN-DIRSYNC", "Directorysynchronisatie on-premise naar cloud", "application", IT, "S-KYN", "", "L-ZW-SRK", NO, "", C),
    # --- On-premise infrastructure ----------------------------------------------------
    ("SYS-VIRT", "Virtualisatieplatform (hypervisorcluster)", "platform", IT, "S-VIREO", "", "L-ZW-SRK", NO, N, C),
    ("SYS-VIRT-NODE-01", "Hypervisorhost 01 (serverruimte stadskantoor)", "hardware", IT, "S-STELLARO", "S-DVI", "L-ZW-SRK", NO, "", C),
    ("SYS-VIRT-NODE-02", "Hypervisorhost 02 (serverruimte stadskantoor)", "hardware", IT, "S-STELLARO", "S-DVI", "L-ZW-SRK", NO, "", C),
    ("SYS-VIRT-NODE-03", "Hypervisorhost 03 (uitwijkruimte gemeentewerf)", "hardware", IT, "S-STELLARO", "S-DVI", "L-ZW-WERF", NO, "", C),
    ("SYS-SAN", "Centrale opslag (SAN)", "hardware", IT, "S-STELLARO", "S-DVI", "L-ZW-SRK", NO, N, C),
    ("SYS-AD", "Domeinbeheer en lokale directory (domeincontrollers)", "platform", IT, "S-KYN", "", "L-ZW-SRK", PR, N, C),
    ("SYS-FILESHARE", "Netwerkschijven (fileserver)", "platform", IT, "S-KYN", "", "L-ZW-SRK", OS, Y, C),
    ("SYS-DB", "Databaseplatform (SQL-cluster)", "platform", IT, "S-KYN", "", "L-ZW-SRK", PR, N, C),
    ("SYS-BACKUP", "Back-up en herstel (on-premise)", "application", IT, "S-SCHELDE", "S-DVI", "L-ZW-WERF", PR, Y, C),
    ("SYS-BACKUP-CLOUD", "Offsite back-upkopie (Scheldelink Vault)", "saas", IT, "S-SCHELDE", "S-SCHELDE", "L-SCHELDE-ANT", PR, Y, C),
    ("SYS-BACKUP-SAAS", "Back-up Kynthos Workspace (cloud-to-cloud)", "saas", IT, "S-SCHELDE", "S-SCHELDE", "L-SCHELDE-ANT", PR, Y, C),
    ("SYS-MONITOR", "Monitoring netwerk en servers", "application", IT, "S-DVI", "S-DVI", "L-ZW-SRK", OS, Y, C),
    ("SYS-PATCH", "Patch- en softwaredistributie", "application", IT, "S-KYN", "", "L-ZW-SRK", NO, N, C),
    ("SYS-PRINTSRV", "Printserver", "platform", IT, "S-KISA-NL", "S-DVI", "L-ZW-SRK", NO, "", C),
    ("SYS-HSM", "Sleutelbeheer (HSM) voor versleuteling", "hardware", IT, "S-ALPK", "", "L-ZW-SRK", NO, Y, C),
    # --- Network and connectivity -----------------------------------------------------
    ("SYS-INTERNET", "Internettoegang stadskantoor", "network", IT, "", "", "L-ZW-SRK", "", "", ""),
    ("SYS-WAN-GLAS", "Glasvezelverbinding en internet (Polderlink)", "network", IT, "S-POLDER", "S-POLDER", "L-POLDER-UTR", OS, "", P),
    ("SYS-WAN-MOBIEL", "Back-upverbinding 4G/5G (Lagunet)", "network", IT, "S-LAGU-NL", "S-LAGU-NL", "", OS, "", P),
    ("SYS-WAN-LOC", "WAN-koppeling buitenlocaties (werf, sporthal, camera's)", "network", IT, "S-POLDER", "S-POLDER", "L-POLDER-UTR", OS, "", P),
    ("SYS-LAN", "Lokaal netwerk en wifi stadskantoor", "network", IT, "S-TALV-NL", "S-DVI", "L-ZW-SRK", NO, N, C),
    ("SYS-FW", "Firewalls en VPN", "security", IT, "S-TALV-NL", "S-DVI", "L-ZW-SRK", NO, N, C),
    ("SYS-NAC", "Netwerktoegangscontrole (NAC)", "security", IT, "S-TALV-NL", "S-DVI", "L-ZW-SRK", NO, "", C),
    ("SYS-WAF", "Reverse proxy en webapplicatiefirewall", "security", IT, "S-RIJN", "S-RIJN", "L-RIJN-ARN", OS, Y, C),
    ("SYS-DNS", "DNS en domeinnamen (zuiderwaard.nl)", "service", IT, "S-RIJN", "S-RIJN", "", OS, Y, C),
    ("SYS-WIFI-GAST", "Gastenwifi publieke gebouwen (cloudbeheerd)", "network", IT, "S-TALV-NL", "S-TALV", "L-AUR-FRA", NO, "", P),
    ("SYS-MAILRELAY", "Mailrelay voor applicaties (SMTP)", "service", IT, "S-RIJN", "S-RIJN", "L-RIJN-ARN", OS, Y, C),
    # --- Telephony --------------------------------------------------------------------
    ("SYS-TEL-CLOUD", "Cloudtelefonie en KCC-wachtrijen (Talvion Voice)", "saas", KCC, "S-TALV-NL", "S-TALV", "L-AUR-FRA", PR, N, P),
    ("SYS-TEL-PBX", "Telefooncentrale on-premise (noodcentrale KCC)", "hardware", KCC, "S-POLDER", "S-POLDER", "L-ZW-SRK", OS, Y, C),
    ("SYS-SIP", "SIP-trunk en nummerreeks 14 0xxx", "service", KCC, "S-POLDER", "S-POLDER", "L-POLDER-UTR", OS, Y, ""),
    ("SYS-MOBIEL", "Mobiele telefonie en data-abonnementen", "service", IT, "S-LAGU-NL", "S-LAGU-NL", "", NO, N, P),
    ("SYS-SMARTPHONE", "Smartphones medewerkers", "endpoint", IT, "S-KISA", "S-DVI", "", NO, "", P),
    # --- Workplace --------------------------------------------------------------------
    ("SYS-WERKPLEK", "Digitale werkplek (laptops en beheer)", "endpoint", IT, "S-STELLARO", "S-DVI", "", NO, N, C),
    ("SYS-VDI", "Virtuele werkplek voor thuiswerkers (VDI)", "platform", IT, "S-VIREO", "", "L-ZW-SRK", NO, N, C),
    ("SYS-PRINT", "Multifunctionals en printen", "hardware", IT, "S-KISA-NL", "S-KISA-NL", "L-ZW-SRK", NO, Y, C),
    ("SYS-PRINT-CLOUD", "Follow-me printing (Kisaragi Cloud Print)", "saas", IT, "S-KISA", "S-KISA", "L-AUR-FRA", NO, N, P),
    ("SYS-ITSM", "ICT-servicedesk en CMDB", "saas", IT, "S-HALV-NL", "S-HALV", "L-AUR-FRA", PR, N, P),
    # --- Identity and security ----------------------------------------------------------
    ("SYS-IAM", "Identiteitsbeheer en provisioning (IAM)", "saas", IT, "S-VEYRID", "S-VEYRID", "L-AUR-FRA", PR, N, P),
    ("SYS-MFA", "Multifactorauthenticatie medewerkers", "saas", IT, "S-VEYRID", "S-VEYRID", "L-AUR-FRA", NO, N, P),
    ("SYS-PAM", "Wachtwoordkluis en beheerdersaccounts (PAM)", "saas", IT, "S-VEYRID", "S-VEYRID", "L-AUR-FRA", PR, N, C),
    ("SYS-EDR", "Endpointdetectie en -respons (EDR)", "saas", IT, "S-SENT-IE", "S-SENT", "L-AUR-FRA", NO, N, P),
    ("SYS-SIEM", "SIEM en Security Operations Center", "saas", IT, "S-ARDEL", "S-ARDEL", "L-NUAG-RBX", OS, Y, C),
    ("SYS-LOG", "Logverzamelaar (on-premise)", "application", IT, "S-ARDEL", "S-DVI", "L-ZW-SRK", OS, Y, C),
    ("SYS-VULN", "Kwetsbaarhedenscanner", "saas", IT, "S-SHOMRAI", "S-SHOMRAI", "L-AUR-OR", PR, N, P),
    ("SYS-MAILSEC", "E-mailbeveiliging (spam- en phishingfilter)", "saas", IT, "S-ALPK", "S-ALPK", "L-ALPK-ZRH", NO, Y, P),
    ("SYS-SECMAIL", "Beveiligd mailen en bestandsoverdracht", "saas", IB, "S-ALPK", "S-ALPK", "L-ALPK-ZRH", OS, Y, C),
    ("SYS-PKI", "PKIoverheid-certificaten en certificaatbeheer", "service", IT, "S-CERT-NL", "S-CERT-NL", "L-NHV-AMS", PR, N, P),
    ("SYS-AWARE", "Security-awarenesstrainingen en phishingsimulatie", "saas", HR, "S-BRACK", "S-BRACK", "L-KYN-DUB", PR, "", P),
    ("SYS-TOEGANG", "Toegangscontrole gebouwen (pasjessysteem)", "application", BV, "S-VDB", "S-VDB", "L-ZW-SRK", PR, N, C),
    # --- Citizen identity, e-services, KCC --------------------------------------------
    ("SYS-DIGID", "DigiD-koppeling", "service", KCC, "S-LDDO", "S-LDDO", "L-LDDO-DH", OS, "", P),
    ("SYS-EHERK", "eHerkenning-koppeling", "service", KCC, "S-HERK", "S-HERK", "L-RIJN-ARN", OS, Y, P),
    ("SYS-EIDAS", "eIDAS-koppeling (Europese inlog)", "service", KCC, "S-LDDO", "S-LDDO", "L-LDDO-DH", OS, "", P),
    ("SYS-MIJNOV", "Berichtenbox MijnOverheid-koppeling", "service", KCC, "S-LDDO", "S-LDDO", "L-LDDO-DH", OS, "", P),
    ("SYS-DIGIKOP", "Digikoppeling-adapter", "integration", IT, "S-CIVIQ", "", "L-ZW-SRK", OS, N, C),
    ("SYS-ESB", "Servicebus en StUF-koppelingen", "integration", IT, "S-CIVIQ", "", "L-ZW-SRK", PR, N, C),
    ("SYS-EDIENST", "Mijn Zuiderwaard en e-dienstverleningsportaal", "saas", KCC, "S-CIVIQ", "S-CIVIQ", "L-NHV-AMS", PR, N, P),
    ("SYS-WEB", "Gemeentelijke website (CMS)", "saas", COM, "S-NORR", "S-NORR", "L-HOCH-NUE", OS, Y, P),
    ("SYS-WEBSTAT", "Webstatistieken (privacyvriendelijk)", "saas", COM, "S-NUAG", "S-NUAG", "L-NUAG-RBX", OS, Y, C),
    ("SYS-TOEGANKELIJK", "Toegankelijkheidsmonitor website", "saas", COM, "S-POLLARIS", "S-POLLARIS", "L-AUR-OR", PR, "", P),
    ("SYS-ENQUETE", "Enquêtetool en burgerpanel", "saas", COM, "S-POLLARIS", "S-POLLARIS", "L-AUR-OR", PR, N, P),
    ("SYS-NIEUWSBRIEF", "Nieuwsbrieven voor inwoners", "saas", COM, "S-NORR", "S-NORR", "L-HOCH-NUE", OS, Y, P),
    ("SYS-SOCIAL", "Social-mediabeheer en webcare", "saas", COM, "S-POLLARIS", "S-POLLARIS", "L-AUR-OR", PR, N, P),
    ("SYS-AFSPRAAK", "Afsprakenplanner balies", "saas", BZ, "S-KCCNL", "S-KCCNL", "L-AUR-FRA", PR, N, P),
    ("SYS-KCC", "Klantcontactsysteem KCC (CRM)", "saas", KCC, "S-KCCNL", "S-KCCNL", "L-RIJN-ARN", OS, Y, P),
    ("SYS-CHAT", "Webchat en chatbot", "saas", KCC, "S-KCCNL", "S-KCCNL", "L-KYN-AMS", PR, N, P),
    ("SYS-KENNISBANK", "Kennisbank KCC (producten en diensten)", "saas", KCC, "S-KCCNL", "S-KCCNL", "L-RIJN-ARN", OS, Y, P),
    ("SYS-BETAAL-ONLINE", "Online betalen (iDEAL en kaartbetalingen)", "saas", FIN, "S-ATL-NL", "S-ATL", "L-KYN-DUB", PR, N, P),
    ("SYS-PIN", "Pinterminals balies", "hardware", FIN, "S-ATL-NL", "S-ATL", "", NO, "", P),
    ("SYS-OPENDATA", "Open-dataportaal", "saas", IB, "S-OPEN", "S-RIJN", "L-RIJN-ARN", OS, Y, C),
    ("SYS-WOO", "Woo-publicatieplatform", "saas", IB, "S-OPEN", "S-RIJN", "L-RIJN-ARN", OS, Y, C),
    ("SYS-WOO-LAK", "Anonimiseringssoftware Woo-documenten", "saas", IB, "S-VISTULA", "S-VISTULA", "L-AUR-FRA", PR, N, P),
    ("SYS-HANDTEK", "Digitale handtekening (e-sign)", "saas", IB, "S-INKW", "S-INKW", "L-KYN-VA", PR, N, P),
    ("SYS-VERTAAL", "Vertaaldienst (machinevertaling)", "saas", COM, "S-LINGUA", "S-LINGUA", "L-HOCH-NUE", NO, "", C),
    ("SYS-NOTULEN", "Notuleren met spraakherkenning", "saas", GRF, "S-LINGUA", "S-LINGUA", "L-HOCH-NUE", OS, "", C),
    # --- Zaakgericht werken, documents, archive -----------------------------------------
    ("SYS-ZAAK", "Zaaksysteem", "saas", IB, "S-CIVIQ", "S-CIVIQ", "L-NHV-AMS", OS, N, P),
    ("SYS-DMS", "Documentmanagementsysteem (DMS)", "saas", IB, "S-BRABO", "S-BRABO", "L-RIJN-ARN", OS, N, P),
    ("SYS-ZGW", "ZGW API-laag (Catalogi en Notificaties)", "application", IB, "S-OPEN", "S-RIJN", "L-RIJN-ARN", OS, Y, C),
    ("SYS-EDEPOT", "E-depot (duurzame archivering)", "saas", IB, "S-BRABO", "S-SCHELDE", "L-SCHELDE-ANT", OS, Y, C),
    ("SYS-POST", "Postregistratie en scanstraat (DIV)", "application", IB, "S-KISA-NL", "", "L-ZW-SRK", PR, "", C),
    # --- Burgerzaken and basisregistraties -----------------------------------------------
    ("SYS-BRP", "Basisregistratie Personen (BRP), gemeentelijke voorziening", "application", BZ, "S-CIVIQ", "S-CIVIQ", "L-NHV-AMS", PR, N, P),
    ("SYS-BURGERZAKEN", "Burgerzakenmodules (uittreksels, verhuizingen, burgerlijke stand)", "application", BZ, "S-CIVIQ", "S-CIVIQ", "L-NHV-AMS", PR, N, P),
    ("SYS-LV-BRP", "Landelijke Voorziening BRP (bevragen en leveren)", "service", BZ, "S-RBI", "S-RBI", "L-LDDO-DH", OS, "", P),
    ("SYS-REISDOC", "Reisdocumentenstation (paspoort en identiteitskaart)", "service", BZ, "S-RBI", "S-RBI", "L-LDDO-DH", NO, "", P),
    ("SYS-BIOSTATION", "Vingerafdruk- en fotostations balie", "hardware", BZ, "S-RBI", "", "L-ZW-SRK", NO, "", P),
    ("SYS-RIJBEW", "Rijbewijzenaanvraag (koppeling RVW)", "service", BZ, "S-RVW", "S-RVW", "L-LDDO-DH", NO, "", P),
    ("SYS-VERKIEZ", "Verkiezingsprogrammatuur (uitslagberekening)", "application", BZ, "S-LDDO", "", "L-ZW-SRK", OS, Y, C),
    ("SYS-STEMPAS", "Kiezersregister en stempassen", "application", BZ, "S-CIVIQ", "S-CIVIQ", "L-NHV-AMS", PR, N, P),
    # --- Sociaal domein -------------------------------------------------------------------
    ("SYS-SOC", "Sociaal-domeinsuite (Participatiewet, Wmo, Jeugd)", "saas", SD, "S-SOCIAAL", "S-SOCIAAL", "L-RIJN-ARN", PR, N, P),
    ("SYS-SUWI", "Suwinet-Inkijk", "service", SD, "S-RISZ", "S-RISZ", "L-LDDO-DH", NO, "", P),
    ("SYS-IB", "Inlichtingenbureau-koppeling (signalen en verificaties)", "service", SD, "S-RISZ", "S-RISZ", "L-LDDO-DH", OS, "", P),
    ("SYS-GGK", "Gegevensknooppunt berichtenverkeer Wmo en Jeugd", "service", SD, "S-VNGR", "S-VNGR", "L-NHV-EHV", OS, "", P),
    ("SYS-WMO-PORTAAL", "Zorgaanbiedersportaal (iWmo en iJw)", "saas", SD, "S-SOCIAAL", "S-SOCIAAL", "L-RIJN-ARN", OS, N, P),
    ("SYS-SCHULD", "Registratie schuldhulpverlening", "saas", SD, "S-VISTULA", "S-VISTULA", "L-AUR-FRA", PR, N, P),
    ("SYS-WIJKTEAM", "Cliëntvolgsysteem wijkteams", "saas", SD, "S-VISTULA", "S-VISTULA", "L-KYN-DUB", PR, N, P),
    ("SYS-INBURG", "Inburgeringsregistratie", "saas", SD, "S-SOCIAAL", "S-SOCIAAL", "L-RIJN-ARN", PR, "", P),
    ("SYS-LEERLING", "Leerplicht- en leerlingenvervoeradministratie", "saas", SD, "S-SOCIAAL", "S-SOCIAAL", "L-RIJN-ARN", PR, N, P),
    ("SYS-DUO", "Koppeling Landelijk Onderwijsregister", "service", SD, "S-LDDO", "S-LDDO", "L-LDDO-DH", OS, "", P),
    ("SYS-MINIMA", "Minimaregelingen en Meedoenpas", "saas", SD, "S-MEEDOEN", "S-MEEDOEN", "L-KYN-AMS", PR, N, P),
    ("SYS-WERK", "Re-integratie en werkzoekendenvolgsysteem", "saas", SD, "S-SOCIAAL", "S-SOCIAAL", "L-RIJN-ARN", PR, N, P),
    ("SYS-XLS-WMO", "Rekenmodel Wmo eigen bijdrage (Excel, eigen beheer)", "spreadsheet", SD, "", "", "", "", "", ""),
    ("SYS-LRK", "Koppeling Landelijk Register Kinderopvang", "service", SD, "S-LDDO", "S-LDDO", "L-LDDO-DH", OS, "", P),
    ("SYS-SUBSIDIE", "Subsidieregistratie en -verantwoording", "saas", SD, "S-VEENSTRA", "S-VEENSTRA", "L-RIJN-ARN", OS, N, P),
    ("SYS-ACCESS-SUB", "Access-database subsidies (historisch, eigen beheer)", "application", SD, "", "", "L-ZW-SRK", PR, "", ""),
    # --- Belastingen -----------------------------------------------------------------------
    ("SYS-BEL", "Belastingapplicatie (heffen en innen)", "application", BEL, "S-BELWIJS", "S-BELWIJS", "L-NHV-EHV", PR, N, P),
    ("SYS-WOZ", "WOZ-administratie", "application", BEL, "S-BELWIJS", "S-BELWIJS", "L-NHV-EHV", PR, N, P),
    ("SYS-TAXATIE", "Taxatie- en marktanalysemodel", "saas", BEL, "S-BELWIJS", "S-BELWIJS", "L-NHV-EHV", PR, N, P),
    ("SYS-BEL-PORTAAL", "Belastingportaal Mijn Belastingen", "saas", BEL, "S-BELWIJS", "S-BELWIJS", "L-NHV-EHV", PR, N, P),
    ("SYS-LV-WOZ", "Landelijke Voorziening WOZ-koppeling", "service", BEL, "S-KADN", "S-KADN", "L-LDDO-DH", OS, "", P),
    ("SYS-BRK", "Kadasterbevragingen (BRK)", "service", BEL, "S-KADN", "S-KADN", "L-LDDO-DH", OS, "", P),
    ("SYS-INVORDER", "Deurwaarderskoppeling invordering", "service", BEL, "S-DEURW", "S-DEURW", "", PR, "", P),
    ("SYS-AFVAL", "Afvalpassen en containerregistratie (diftar)", "saas", OR_, "S-AFVALW", "S-AFVALW", "L-RIJN-ARN", PR, N, P),
    # --- Ruimte, omgeving, openbare ruimte ------------------------------------------------
    ("SYS-GIS-SERVER", "GIS-server en geodatabase", "application", RO, "S-TERRA-NL", "", "L-ZW-SRK", PR, N, C),
    ("SYS-GIS-ONLINE", "Kaartviewers en geo-apps (Terravista Online)", "saas", RO, "S-TERRA", "S-TERRA", "L-AUR-OR", PR, N, P),
    ("SYS-GIS-DESKTOP", "GIS-desktopsoftware", "application", RO, "S-TERRA-NL", "", "", PR, "", C),
    ("SYS-BAG", "BAG-beheersysteem", "application", RO, "S-WATERL", "S-WATERL", "L-RIJN-ARN", OS, Y, C),
    ("SYS-BGT", "BGT-mutatiesysteem", "application", RO, "S-WATERL", "S-WATERL", "L-RIJN-ARN", OS, Y, C),
    ("SYS-LV-BAG", "Landelijke Voorzieningen BAG en BGT", "service", RO, "S-KADN", "S-KADN", "L-LDDO-DH", OS, "", P),
    ("SYS-VTH", "VTH-systeem (vergunningverlening, toezicht, handhaving)", "saas", VTH, "S-CIVIQ", "S-CIVIQ", "L-NHV-AMS", PR, N, P),
    ("SYS-DSO", "Koppeling Omgevingsloket (DSO)", "service", VTH, "S-LDDO", "S-LDDO", "L-LDDO-DH", OS, "", P),
    ("SYS-PLAN", "Plansoftware omgevingsplan (STOP/TPOD)", "saas", RO, "S-WATERL", "S-WATERL", "L-RIJN-ARN", OS, Y, C),
    ("SYS-TOEZICHT-APP", "Mobiele toezicht-app (inspecties)", "saas", VTH, "S-CIVIQ", "S-CIVIQ", "L-NHV-AMS", PR, N, P),
    ("SYS-MARKT", "Markt- en standplaatsenadministratie", "saas", VTH, "S-CIVIQ", "S-CIVIQ", "L-NHV-AMS", PR, "", P),
    ("SYS-EVENEMENT", "Evenementenkalender en -vergunningcheck", "saas", VTH, "S-CIVIQ", "S-CIVIQ", "L-NHV-AMS", PR, "", P),
    ("SYS-BOR", "Beheer openbare ruimte (wegen, groen, riolering)", "saas", OR_, "S-WATERL", "S-WATERL", "L-RIJN-ARN", OS, Y, P),
    ("SYS-MELD", "Meldingen openbare ruimte (MOR)", "saas", OR_, "S-KCCNL", "S-KCCNL", "L-KYN-AMS", PR, N, P),
    ("SYS-BOOM", "Bomenbeheer", "saas", OR_, "S-WATERL", "S-WATERL", "L-RIJN-ARN", OS, Y, P),
    ("SYS-RIOOL", "Rioolbeheer en gemalentelemetrie", "application", OR_, "S-HYDRO", "S-HYDRO", "L-HOCH-NUE", PR, N, P),
    ("SYS-VRI", "Beheer verkeersregelinstallaties", "application", OR_, "S-DONAU", "S-DONAU", "L-HOCH-NUE", PR, "", P),
    ("SYS-OVL", "Beheer openbare verlichting", "saas", OR_, "S-DONAU", "S-DONAU", "L-HOCH-NUE", PR, "", P),
    ("SYS-MILIEU", "Bodem- en milieu-informatiesysteem", "saas", RO, "S-WATERL", "S-WATERL", "L-RIJN-ARN", OS, Y, P),
    ("SYS-GRAF", "Begraafplaatsadministratie", "saas", OR_, "S-RUSTOORD", "S-RUSTOORD", "L-RIJN-ARN", PR, N, P),
    ("SYS-VASTGOED", "Vastgoed- en huurbeheer", "saas", BV, "S-VEENSTRA", "S-VEENSTRA", "L-RIJN-ARN", OS, N, P),
    ("SYS-GRONDEX", "Grondexploitatiemodel", "application", FIN, "S-VEENSTRA", "", "L-ZW-SRK", PR, "", C),
    ("SYS-SPORT", "Sportaccommodatieverhuur en roosters", "saas", OR_, "S-ROOSTER", "S-ROOSTER", "L-KYN-AMS", PR, N, P),
    ("SYS-WAGENPARK", "Wagenparkbeheer en voertuigvolgsysteem", "saas", OR_, "S-HXV-NL", "S-HXV", "L-HXV-HZ", NO, N, P),
    # --- Financiën and HR (partly via the shared-services body) ----------------------------
    ("SYS-ERP", "Financieel systeem (ERP)", "saas", SSC, "S-SAALB", "S-SAALB", "L-HOCH-NUE", PR, N, P),
    ("SYS-HR", "HR- en salarisadministratie", "saas", SSC, "S-SAALB", "S-SAALB", "L-HOCH-NUE", PR, N, P),
    ("SYS-WERVING", "Werving en selectie", "saas", SSC, "S-SAALB", "S-SAALB", "L-HOCH-NUE", PR, "", P),
    ("SYS-INKOOP", "Inkoop- en contractbeheer", "saas", SSC, "S-VEENSTRA", "S-VEENSTRA", "L-RIJN-ARN", OS, Y, P),
    ("SYS-FACTUUR", "Factuurherkenning en -verwerking (OCR)", "saas", FIN, "S-VARUNA-NL", "S-VARUNA", "L-VARUNA-PNQ", PR, N, P),
    ("SYS-EFACTUUR", "E-factuurontvangst (Peppol-toegangspunt)", "service", FIN, "S-VEENSTRA", "S-VEENSTRA", "L-RIJN-ARN", OS, Y, P),
    ("SYS-BANK-POLDER", "Zakelijk bankieren Polderbank (huisbank)", "saas", FIN, "S-POLDERBANK", "S-POLDERBANK", "L-PBANK-ZST", OS, Y, P),
    ("SYS-BANK-HANZE", "Zakelijk bankieren Hanzebank (tweede bank)", "saas", FIN, "S-HANZE", "S-HANZE", "L-HANZE-GRQ", OS, Y, P),
    ("SYS-TIJD", "Tijdregistratie en roostering", "saas", HR, "S-ROOSTER", "S-SHIFT", "L-AUR-OR", PR, N, P),
    ("SYS-VERZUIM", "Verzuimregistratie (arbodienstportaal)", "saas", HR, "S-ARBO", "S-ARBO", "L-NHV-AMS", PR, "", P),
    ("SYS-ELEARN", "E-learning en opleidingen", "saas", HR, "S-LUMEN", "S-LUMEN", "L-NUAG-RBX", OS, "", P),
    ("SYS-DECLARATIE", "Declaratieportaal medewerkers en raadsleden", "saas", FIN, "S-SAALB", "S-SAALB", "L-HOCH-NUE", PR, "", P),
    ("SYS-BEGROTING", "Begroting en planning & control (online begroting)", "saas", FIN, "S-FJORD", "S-FJORD", "L-NUAG-RBX", OS, Y, P),
    ("SYS-RISICO", "Risicomanagement en verbonden partijen", "saas", FIN, "S-FJORD", "S-FJORD", "L-NUAG-RBX", PR, "", P),
    ("SYS-KASSA", "Kassasysteem balie en kantine", "hardware", BV, "S-ATL-NL", "", "L-ZW-SRK", NO, "", P),
    # --- Raad en griffie ---------------------------------------------------------------------
    ("SYS-RIS", "Raadsinformatiesysteem", "saas", GRF, "S-FJORD", "S-FJORD", "L-NUAG-RBX", OS, Y, P),
    ("SYS-VERGAD", "Vergaderapp raad en college", "saas", GRF, "S-FJORD", "S-FJORD", "L-NUAG-RBX", PR, N, P),
    ("SYS-LIVESTREAM", "Livestream en archief raadsvergaderingen", "saas", GRF, "S-FJORD", "S-FJORD", "L-AUR-FRA", OS, "", P),
    ("SYS-STEMMEN", "Stem- en discussiesysteem raadzaal", "hardware", GRF, "S-FJORD", "", "L-ZW-SRK", NO, "", C),
    # --- Openbare orde, veiligheid, camera's, parkeren ---------------------------------------
    ("SYS-CAM", "Videomanagementsysteem cameratoezicht", "application", OOV, "S-HXV-NL", "", "L-ZW-SRK", NO, N, C),
    ("SYS-CAM-CAMS", "Camera's openbare ruimte (42 stuks)", "hardware", OOV, "S-HXV-NL", "S-HXV-NL", "", NO, "", C),
    ("SYS-CAM-CLOUD", "Camerabeheerportaal en firmware-updates (Huaxing Cloud)", "saas", OOV, "S-HXV", "S-HXV", "L-HXV-HZ", NO, N, P),
    ("SYS-CAM-ANPR", "Kentekenherkenning milieuzone (ANPR)", "application", OOV, "S-HXV-NL", "", "L-ZW-SRK", NO, N, C),
    ("SYS-KENTEKEN", "Kentekenregisterbevraging (RVW)", "service", OOV, "S-RVW", "S-RVW", "L-LDDO-DH", OS, "", P),
    ("SYS-OOV-REG", "Registratiesysteem ondermijning en Bibob", "application", OOV, "S-VISTULA", "", "L-ZW-SRK", PR, N, C),
    ("SYS-BOA", "Handhavingsapp BOA's (bonnen en meldingen)", "saas", OOV, "S-VISTULA", "S-VISTULA", "L-KYN-DUB", PR, N, P),
    ("SYS-CRISIS-A", "Crisisalertering en sms-berichten aan inwoners (Alarmeer)", "saas", OOV, "S-ALARM", "S-ALARM", "L-KYN-AMS", PR, N, P),
    ("SYS-CRISIS-B", "Massanotificatie crisiscommunicatie (Brackenfield Alert)", "saas", OOV, "S-BRACK", "S-BRACK", "L-KYN-DUB", PR, N, P),
    ("SYS-PARK-BACKEND", "Parkeerbeheersysteem (backoffice)", "saas", OR_, "S-DONAU", "S-DONAU", "L-HOCH-NUE", PR, N, P),
    ("SYS-PARK-AUTOMAAT", "Parkeerautomaten (34 stuks)", "hardware", OR_, "S-DONAU", "S-DONAU", "", NO, "", P),
    ("SYS-PARK-APP", "Mobiel parkeren (app en kentekenparkeren)", "saas", OR_, "S-PARQ", "S-PARQ", "L-AUR-FRA", PR, N, P),
    ("SYS-PARK-VERG", "Parkeervergunningen en bezoekersparkeren", "saas", OR_, "S-DONAU", "S-DONAU", "L-HOCH-NUE", PR, N, P),
    ("SYS-PARK-SCAN", "Scanauto's parkeerhandhaving", "hardware", OR_, "S-DONAU", "S-DONAU", "", NO, "", P),
    ("SYS-NPR", "Nationaal Parkeerregister-koppeling", "service", OR_, "S-RVW", "S-RVW", "L-LDDO-DH", OS, "", P),
    ("SYS-GARAGE", "Parkeergaragesysteem (slagbomen en betaalzuilen)", "hardware", OR_, "S-DONAU", "S-DONAU", "", NO, "", P),
    # --- Facilitair ---------------------------------------------------------------------------
    ("SYS-GBS", "Gebouwbeheersysteem (klimaat en energie)", "application", BV, "S-VDB", "S-VDB", "L-ZW-SRK", PR, "", C),
    ("SYS-ZALEN", "Zalenreservering en bezoekersregistratie", "saas", BV, "S-HALV-NL", "S-HALV", "L-AUR-FRA", PR, N, P),
    ("SYS-FACILITAIR", "Facilitaire meldingen", "saas", BV, "S-HALV-NL", "S-HALV", "L-AUR-FRA", PR, N, P),
]

# --------------------------------------------------------------------------------------
# Processes: (id, name, organisation_id, criticality, [systems and datasets used])
# A tuple in the uses list is an alternative group: (group, min_required, [ids]).
# --------------------------------------------------------------------------------------
PROCESSES = [
    ("P-BRP", "Bijhouden Basisregistratie Personen (BRP)", BZ, "vital",
     ["SYS-BRP", "SYS-BURGERZAKEN", "SYS-LV-BRP", "SYS-DIGIKOP", "D-BRP"]),
    ("P-VERHUIS", "Verwerken verhuizingen en inschrijvingen", BZ, "high",
     ["SYS-BURGERZAKEN", "SYS-EDIENST", "SYS-BRP", "D-BRP"]),
    ("P-REISDOC", "Aanvragen en uitreiken reisdocumenten", BZ, "high",
     ["SYS-REISDOC", "SYS-BIOSTATION", "SYS-AFSPRAAK", "SYS-BRP", "SYS-PIN", "D-REISDOC", "D-AFSPRAAK"]),
    ("P-RIJBEW", "Aanvragen en uitreiken rijbewijzen", BZ, "medium",
     ["SYS-RIJBEW", "SYS-BIOSTATION", "SYS-AFSPRAAK", "SYS-PIN", "D-RIJBEW"]),
    ("P-BS", "Burgerlijke stand (geboorte, huwelijk, overlijden)", BZ, "medium",
     ["SYS-BURGERZAKEN", "SYS-BRP", "D-BS"]),
    ("P-VERKIEZ", "Organiseren verkiezingen", BZ, "vital",
     ["SYS-VERKIEZ", "SYS-STEMPAS", "SYS-BRP", "D-KIEZERS", "D-UITSLAG"]),
    ("P-UITK-PW", "Uitkeringen Participatiewet verstrekken", SD, "vital",
     ["SYS-SOC", "SYS-SUWI", "SYS-IB", "SYS-ERP", ("bank", "1", ["SYS-BANK-POLDER", "SYS-BANK-HANZE"]),
      "D-CLIENT-PW", "D-BETAAL-UITK"]),
    ("P-WMO", "Wmo-maatwerkvoorzieningen toekennen", SD, "high",
     ["SYS-SOC", "SYS-WMO-PORTAAL", "SYS-GGK", "SYS-XLS-WMO", "D-CLIENT-WMO", "D-IWMO", "D-WMO-EB"]),
    ("P-JEUGD", "Jeugdhulp toewijzen en bekostigen", SD, "high",
     ["SYS-SOC", "SYS-WMO-PORTAAL", "SYS-GGK", "SYS-WIJKTEAM", "D-CLIENT-JEUGD", "D-IWMO", "D-WIJKTEAM"]),
    ("P-SCHULD", "Schuldhulpverlening", SD, "medium", ["SYS-SCHULD", "D-SCHULD"]),
    ("P-MINIMA", "Bijzondere bijstand en minimaregelingen", SD, "medium", ["SYS-SOC", "SYS-MINIMA", "D-MINIMA"]),
    ("P-INBURG", "Begeleiden inburgering", SD, "medium", ["SYS-INBURG", "D-INBURG"]),
    ("P-LEERPL", "Handhaven leerplicht en regelen leerlingenvervoer", SD, "medium",
     ["SYS-LEERLING", "SYS-DUO", "D-LEERPL"]),
    ("P-WERK", "Re-integratie en begeleiding naar werk", SD, "medium", ["SYS-WERK", "SYS-SUWI", "D-WERK"]),
    ("P-KINDEROPV", "Toezicht kinderopvang", SD, "low", ["SYS-LRK", "SYS-ZAAK", "D-KINDEROPV"]),
    ("P-SUBSIDIE", "Subsidieverlening", SD, "low", ["SYS-SUBSIDIE", "SYS-ACCESS-SUB", "D-SUBSIDIE"]),
    ("P-BEL-HEF", "Belastingheffing (aanslagen opleggen)", BEL, "high",
     ["SYS-BEL", "SYS-WOZ", "SYS-BRK", "SYS-MIJNOV", "D-BEL-AANSLAG", "D-WOZ"]),
    ("P-BEL-INV", "Invordering gemeentelijke belastingen", BEL, "medium",
     ["SYS-BEL", "SYS-INVORDER", "SYS-BETAAL-ONLINE", "D-BEL-AANSLAG"]),
    ("P-WOZ", "WOZ-waardebepaling en bezwaarafhandeling", BEL, "high",
     ["SYS-WOZ", "SYS-TAXATIE", "SYS-LV-WOZ", "SYS-BEL-PORTAAL", "D-WOZ", "D-BEL-BEZWAAR"]),
    ("P-OMG-VERG", "Vergunningverlening Omgevingswet", VTH, "high",
     ["SYS-VTH", "SYS-DSO", "SYS-ZAAK", "SYS-GIS-ONLINE", "D-VERG", "D-OMGPLAN"]),
    ("P-TOEZ", "Toezicht en handhaving fysieke leefomgeving", VTH, "medium",
     ["SYS-VTH", "SYS-TOEZICHT-APP", "D-HANDH"]),
    ("P-APV", "APV-, evenementen- en horecavergunningen", VTH, "medium",
     ["SYS-ZAAK", "SYS-EVENEMENT", "SYS-EDIENST", "D-VERG"]),
    ("P-MARKT", "Uitgeven markt- en standplaatsen", VTH, "low", ["SYS-MARKT"]),
    ("P-MOR", "Afhandelen meldingen openbare ruimte", OR_, "medium",
     ["SYS-MELD", "SYS-BOR", "SYS-GIS-ONLINE", "D-MELDING"]),
    ("P-BOR", "Beheer openbare ruimte (wegen, groen, riolering, verlichting)", OR_, "medium",
     ["SYS-BOR", "SYS-BOOM", "SYS-RIOOL", "SYS-OVL", "SYS-VRI", "D-BOR", "D-BOOM"]),
    ("P-GEO", "Bijhouden basisregistraties BAG en BGT", RO, "high",
     ["SYS-BAG", "SYS-BGT", "SYS-LV-BAG", "SYS-GIS-SERVER", "D-BAG", "D-BGT"]),
    ("P-OMGPLAN", "Opstellen en publiceren omgevingsplan", RO, "medium",
     ["SYS-PLAN", "SYS-DSO", "SYS-GIS-DESKTOP", "D-OMGPLAN", "D-GEO-THEMA"]),
    ("P-MILIEU", "Verstrekken bodem- en milieu-informatie", RO, "low", ["SYS-MILIEU", "D-BODEM"]),
    ("P-AFVAL", "Afvalinzameling en afvalpassen", OR_, "medium", ["SYS-AFVAL", "D-AFVAL"]),
    ("P-BEGRAAF", "Begraafplaatsbeheer", OR_, "low", ["SYS-GRAF", "D-GRAF"]),
    ("P-SPORT", "Verhuur sportaccommodaties", OR_, "low", ["SYS-SPORT"]),
    ("P-CRISIS", "Crisiscommunicatie naar inwoners", OOV, "vital",
     [("alertering", "1", ["SYS-CRISIS-A", "SYS-CRISIS-B"])]),
    ("P-KCC-TEL", "Telefonische dienstverlening KCC (14 0xxx)", KCC, "high",
     [("telefonie", "1", ["SYS-TEL-CLOUD", "SYS-TEL-PBX"])]),
    ("P-KCC-DIGI", "Digitale dienstverlening (e-formulieren, Mijn Zuiderwaard)", KCC, "high",
     ["SYS-EDIENST", "SYS-KYN-FORMS", "SYS-DIGID", "SYS-EHERK", "SYS-WEB", "SYS-KCC", "D-KCC-CONTACT", "D-ZAAK"]),
    ("P-ZAAK", "Zaakgericht werken en documentbeheer", IB, "high",
     ["SYS-ZAAK", "SYS-DMS", "SYS-WERKPLEK", "D-ZAAK", "D-DOC"]),
    ("P-ARCHIEF", "Archivering en informatiebeheer (Archiefwet)", IB, "medium",
     ["SYS-EDEPOT", "SYS-DMS", "SYS-POST", "D-EDEPOT", "D-DOC"]),
    ("P-WOO", "Afhandelen Woo-verzoeken en actieve openbaarmaking", IB, "medium",
     ["SYS-WOO", "SYS-WOO-LAK", "SYS-DMS", "SYS-OPENDATA", "D-WOO", "D-OPENDATA"]),
    ("P-RAAD", "Ondersteuning gemeenteraad en raadsvergaderingen", GRF, "high",
     ["SYS-RIS", "SYS-VERGAD", "SYS-STEMMEN", "SYS-NOTULEN", "D-RAAD", "D-RAAD-GEHEIM"]),
    ("P-RAAD-LIVE", "Openbaarheid raadsvergaderingen (livestream)", GRF, "low", ["SYS-LIVESTREAM", "D-RAAD"]),
    ("P-FIN-BETAAL", "Betalen crediteuren", FIN, "high",
     ["SYS-ERP", "SYS-FACTUUR", "SYS-EFACTUUR", ("bank", "", ["SYS-BANK-POLDER", "SYS-BANK-HANZE"]),
      "D-FIN", "D-CRED"]),
    ("P-FIN-PC", "Planning & control (begroting en jaarrekening)", FIN, "medium",
     ["SYS-ERP", "SYS-BEGROTING", "SYS-KYN-BI", "D-FIN"]),
    ("P-HR-SALARIS", "Salarisbetaling medewerkers", HR, "high",
     ["SYS-HR", ("bank", "", ["SYS-BANK-POLDER", "SYS-BANK-HANZE"]), "D-SALARIS", "D-PERS"]),
    ("P-INKOOP", "Inkoop en aanbesteding", FIN, "low", ["SYS-INKOOP", "SYS-HANDTEK", "D-CONTRACT"]),
    ("P-CAM", "Cameratoezicht openbare orde", OOV, "high", ["SYS-CAM", "SYS-CAM-CAMS", "D-CAM"]),
    ("P-ANPR", "Handhaving milieuzone", OOV, "low", ["SYS-CAM-ANPR", "SYS-KENTEKEN", "D-ANPR"]),
    ("P-BOA", "Handhaving door boa's", OOV, "medium", ["SYS-BOA", "SYS-KENTEKEN", "D-BOA"]),
    ("P-ONDERM", "Bibob-toetsing en aanpak ondermijning", OOV, "medium",
     ["SYS-OOV-REG", "SYS-SECMAIL", "D-ONDERM"]),
    ("P-PARK", "Parkeerbeheer en -handhaving", OR_, "medium",
     ["SYS-PARK-BACKEND", "SYS-PARK-APP", "SYS-PARK-AUTOMAAT", "SYS-PARK-SCAN", "SYS-NPR", "D-PARK"]),
    ("P-PARKVERG", "Verlenen parkeervergunningen", OR_, "low", ["SYS-PARK-VERG", "SYS-EDIENST", "D-PARKVERG"]),
    ("P-SAMENWERK", "Interne communicatie en samenwerking", IT, "high",
     ["SYS-KYN-MAIL", "SYS-KYN-TEAMS", "SYS-KYN-DRIVE", "SYS-WERKPLEK", "SYS-INTRANET", "D-MAIL", "D-DRIVE"]),
    ("P-SEC", "Detectie en afhandeling beveiligingsincidenten", IT, "high",
     ["SYS-SIEM", "SYS-LOG", "SYS-EDR", "SYS-ITSM", "D-LOG"]),
    ("P-BACKUP", "Back-up en herstel van gegevens", IT, "high",
     [("kopie", "1", ["SYS-BACKUP", "SYS-BACKUP-CLOUD"]), "D-BACKUP"]),
    ("P-IAM", "In-, door- en uitstroom medewerkers (accountbeheer)", IT, "high",
     ["SYS-IAM", "SYS-HR", "SYS-KYN-DIR", "SYS-AD", "D-IAM"]),
    ("P-COMM", "Publieksvoorlichting en website", COM, "medium",
     ["SYS-WEB", "SYS-NIEUWSBRIEF", "SYS-SOCIAL", "SYS-WEBSTAT", "D-WEB"]),
]

# --------------------------------------------------------------------------------------
# Data sets: (id, name, organisation_id, classification, personal_data, stored_in system)
# --------------------------------------------------------------------------------------
DATASETS = [
    ("D-BRP", "Persoonsgegevens ingezetenen (BRP)", BZ, "confidential", "personal", "SYS-BRP"),
    ("D-REISDOC", "Aanvragen reisdocumenten (incl. biometrie)", BZ, "confidential", "special", "SYS-REISDOC"),
    ("D-RIJBEW", "Aanvragen rijbewijzen", BZ, "confidential", "personal", "SYS-RIJBEW"),
    ("D-BS", "Akten burgerlijke stand", BZ, "confidential", "personal", "SYS-BURGERZAKEN"),
    ("D-KIEZERS", "Kiezersregister en stempassen", BZ, "confidential", "personal", "SYS-STEMPAS"),
    ("D-UITSLAG", "Verkiezingsuitslagen", BZ, "public", "none", "SYS-VERKIEZ"),
    ("D-AFSPRAAK", "Afspraken balie", BZ, "internal", "personal", "SYS-AFSPRAAK"),
    ("D-KCC-CONTACT", "Klantcontacthistorie KCC", KCC, "confidential", "personal", "SYS-KCC"),
    ("D-MELDING", "Meldingen openbare ruimte", OR_, "internal", "personal", "SYS-MELD"),
    ("D-CLIENT-PW", "Cliëntdossiers Participatiewet", SD, "confidential", "special", "SYS-SOC"),
    ("D-CLIENT-WMO", "Wmo-dossiers (incl. medische adviezen)", SD, "confidential", "special", "SYS-SOC"),
    ("D-CLIENT-JEUGD", "Jeugdhulpdossiers", SD, "confidential", "special", "SYS-SOC"),
    ("D-BETAAL-UITK", "Betaalbestanden uitkeringen", SD, "confidential", "personal", "SYS-SOC"),
    ("D-IWMO", "Berichtenverkeer zorgaanbieders (iWmo en iJw)", SD, "confidential", "special", "SYS-WMO-PORTAAL"),
    ("D-SCHULD", "Schuldhulpdossiers", SD, "confidential", "personal", "SYS-SCHULD"),
    ("D-WIJKTEAM", "Wijkteamdossiers (incl. signalen huiselijk geweld)", SD, "secret", "special", "SYS-WIJKTEAM"),
    ("D-INBURG", "Inburgeringsdossiers", SD, "confidential", "personal", "SYS-INBURG"),
    ("D-LEERPL", "Leerplichtadministratie", SD, "confidential", "personal", "SYS-LEERLING"),
    ("D-MINIMA", "Deelnemers minimaregelingen", SD, "confidential", "personal", "SYS-MINIMA"),
    ("D-WERK", "Re-integratiedossiers", SD, "confidential", "special", "SYS-WERK"),
    ("D-WMO-EB", "Berekeningen Wmo eigen bijdrage", SD, "confidential", "special", "SYS-XLS-WMO"),
    ("D-KINDEROPV", "Inspectierapporten kinderopvang", SD, "internal", "personal", "SYS-ZAAK"),
    ("D-SUBSIDIE", "Subsidieaanvragen en -beschikkingen", SD, "internal", "personal", "SYS-SUBSIDIE"),
    ("D-BEL-AANSLAG", "Belastingaanslagen en debiteuren", BEL, "confidential", "personal", "SYS-BEL"),
    ("D-BEL-BEZWAAR", "Bezwaarschriften belastingen en WOZ", BEL, "confidential", "personal", "SYS-BEL"),
    ("D-WOZ", "WOZ-waarden en taxatieverslagen", BEL, "internal", "personal", "SYS-WOZ"),
    ("D-BAG", "Adressen en gebouwen (BAG)", RO, "public", "none", "SYS-BAG"),
    ("D-BGT", "Grootschalige topografie (BGT)", RO, "public", "none", "SYS-BGT"),
    ("D-GEO-THEMA", "Geo-themakaarten (kabels en leidingen, beleidskaarten)", RO, "internal", "none", "SYS-GIS-SERVER"),
    ("D-OMGPLAN", "Omgevingsplan", RO, "public", "none", "SYS-PLAN"),
    ("D-VERG", "Vergunningdossiers", VTH, "internal", "personal", "SYS-VTH"),
    ("D-HANDH", "Toezicht- en handhavingsdossiers", VTH, "confidential", "personal", "SYS-VTH"),
    ("D-BOOM", "Bomenregister", OR_, "public", "none", "SYS-BOOM"),
    ("D-BOR", "Beheerdata openbare ruimte", OR_, "internal", "none", "SYS-BOR"),
    ("D-BODEM", "Bodeminformatie", RO, "public", "none", "SYS-MILIEU"),
    ("D-AFVAL", "Afvalpassen en containerregistratie", OR_, "internal", "personal", "SYS-AFVAL"),
    ("D-GRAF", "Grafrechtenadministratie", OR_, "internal", "personal", "SYS-GRAF"),
    ("D-ZAAK", "Zaakdossiers", IB, "internal", "personal", "SYS-ZAAK"),
    ("D-DOC", "Digitaal documentenarchief (semi-statisch)", IB, "internal", "personal", "SYS-DMS"),
    ("D-EDEPOT", "Blijvend te bewaren archief (e-depot)", IB, "internal", "personal", "SYS-EDEPOT"),
    ("D-WOO", "Woo-publicaties", IB, "public", "none", "SYS-WOO"),
    ("D-MAIL", "E-mail en agenda's medewerkers", IT, "confidential", "personal", "SYS-KYN-MAIL"),
    ("D-DRIVE", "Samenwerkingsbestanden en teamsites", IT, "internal", "personal", "SYS-KYN-DRIVE"),
    ("D-IAM", "Accounts en autorisaties", IT, "confidential", "personal", "SYS-IAM"),
    ("D-LOG", "Beveiligingslogs", IT, "confidential", "personal", "SYS-SIEM"),
    ("D-BACKUP", "Back-upkopieën", IT, "confidential", "special", "SYS-BACKUP"),
    ("D-RAAD", "Raadsstukken en besluiten", GRF, "public", "none", "SYS-RIS"),
    ("D-RAAD-GEHEIM", "Geheime raadsstukken", GRF, "secret", "none", "SYS-RIS"),
    ("D-FIN", "Financiële administratie", FIN, "internal", "personal", "SYS-ERP"),
    ("D-CRED", "Crediteuren en inkoopfacturen", FIN, "internal", "personal", "SYS-FACTUUR"),
    ("D-CONTRACT", "Contractenregister", FIN, "internal", "none", "SYS-INKOOP"),
    ("D-PERS", "Personeelsdossiers (incl. verzuim)", HR, "confidential", "special", "SYS-HR"),
    ("D-SALARIS", "Salarisgegevens", HR, "confidential", "personal", "SYS-HR"),
    ("D-CAM", "Camerabeelden openbare ruimte", OOV, "confidential", "personal", "SYS-CAM"),
    ("D-ANPR", "Kentekenregistraties milieuzone", OOV, "confidential", "personal", "SYS-CAM-ANPR"),
    ("D-BOA", "Processen-verbaal en boa-rapportages", OOV, "confidential", "special", "SYS-BOA"),
    ("D-ONDERM", "Bibob- en ondermijningsdossiers", OOV, "secret", "special", "SYS-OOV-REG"),
    ("D-PARK", "Parkeerrechten en -transacties", OR_, "internal", "personal", "SYS-PARK-BACKEND"),
    ("D-PARKVERG", "Parkeervergunningen", OR_, "internal", "personal", "SYS-PARK-VERG"),
    ("D-WEB", "Webcontent en nieuwsberichten", COM, "public", "none", "SYS-WEB"),
    ("D-OPENDATA", "Open datasets", IB, "public", "none", "SYS-OPENDATA"),
]

# --------------------------------------------------------------------------------------
# System-to-system dependencies (from depends on to; failure flows to -> from).
# --------------------------------------------------------------------------------------
SYSTEM_DEPS = {
    "SYS-KYN-MAIL": ["SYS-KYN-DIR", "SYS-MAILSEC", "SYS-DNS"],
    "SYS-KYN-TEAMS": ["SYS-KYN-DIR"],
    "SYS-KYN-DRIVE": ["SYS-KYN-DIR"],
    "SYS-KYN-OFFICE": ["SYS-KYN-DIR"],
    "SYS-KYN-MDM": ["SYS-KYN-DIR"],
    "SYS-KYN-AI": ["SYS-KYN-DIR", "SYS-KYN-DRIVE"],
    "SYS-KYN-BI": ["SYS-KYN-DIR", "SYS-ERP"],
    "SYS-INTRANET": ["SYS-KYN-TEAMS"],
    "SYS-KYN-DIRSYNC": ["SYS-AD", "SYS-KYN-DIR", "SYS-VIRT"],
    "SYS-AD": ["SYS-VIRT"],
    "SYS-FILESHARE": ["SYS-VIRT", "SYS-AD"],
    "SYS-DB": ["SYS-VIRT"],
    "SYS-VIRT": ["SYS-SAN"],  # plus the 2-of-3 node group, below
    "SYS-VDI": ["SYS-VIRT", "SYS-AD", "SYS-FW"],
    "SYS-PATCH": ["SYS-VIRT"],
    "SYS-PRINTSRV": ["SYS-VIRT", "SYS-AD"],
    "SYS-PRINT": ["SYS-PRINTSRV", "SYS-PRINT-CLOUD"],
    "SYS-MONITOR": ["SYS-VIRT", "SYS-MAILRELAY"],
    "SYS-LOG": ["SYS-VIRT"],
    "SYS-INTERNET": ["SYS-FW"],  # plus the uplink group, below
    "SYS-NAC": ["SYS-LAN", "SYS-AD"],
    "SYS-WIFI-GAST": ["SYS-INTERNET"],
    "SYS-WERKPLEK": ["SYS-KYN-MDM", "SYS-KYN-DIR", "SYS-EDR", "SYS-INTERNET", "SYS-KYN-OFFICE"],
    "SYS-SMARTPHONE": ["SYS-KYN-MDM", "SYS-MOBIEL"],
    "SYS-ITSM": ["SYS-KYN-DIR"],
    "SYS-IAM": ["SYS-KYN-DIR", "SYS-HR"],
    "SYS-MFA": ["SYS-KYN-DIR"],
    "SYS-PAM": ["SYS-MFA"],
    "SYS-SECMAIL": ["SYS-KYN-DIR", "SYS-HSM"],
    "SYS-AWARE": ["SYS-KYN-MAIL"],
    "SYS-TOEGANG": ["SYS-LAN", "SYS-AD"],
    "SYS-TEL-CLOUD": ["SYS-KYN-DIR"],
    "SYS-TEL-PBX": ["SYS-SIP"],
    "SYS-DIGIKOP": ["SYS-VIRT", "SYS-PKI"],
    "SYS-ESB": ["SYS-VIRT", "SYS-DB", "SYS-DIGIKOP"],
    "SYS-EDIENST": ["SYS-DIGID", "SYS-EHERK", "SYS-EIDAS", "SYS-KYN-FORMS", "SYS-ZAAK",
                    "SYS-BETAAL-ONLINE", "SYS-WAF", "SYS-DNS"],
    "SYS-WEB": ["SYS-DNS"],
    "SYS-KCC": ["SYS-ZAAK", "SYS-ESB", "SYS-KYN-DIR"],
    "SYS-CHAT": ["SYS-KENNISBANK"],
    "SYS-WOO": ["SYS-DMS"],
    "SYS-WOO-LAK": ["SYS-DMS"],
    # The cycle: zaaksysteem -> DMS -> ZGW API layer -> zaaksysteem.
    "SYS-ZAAK": ["SYS-DMS", "SYS-ESB", "SYS-KYN-DIR"],
    "SYS-DMS": ["SYS-ZGW", "SYS-KYN-DIR"],
    "SYS-ZGW": ["SYS-ZAAK"],
    "SYS-POST": ["SYS-ZAAK", "SYS-VIRT"],
    "SYS-BRP": ["SYS-LV-BRP", "SYS-DIGIKOP"],
    "SYS-BURGERZAKEN": ["SYS-BRP"],
    "SYS-STEMPAS": ["SYS-BRP"],
    "SYS-SOC": ["SYS-ESB", "SYS-KYN-DIR", "SYS-GGK"],
    "SYS-WMO-PORTAAL": ["SYS-GGK", "SYS-SOC"],
    "SYS-SCHULD": ["SYS-KYN-DIR"],
    "SYS-WIJKTEAM": ["SYS-KYN-DIR", "SYS-SOC"],
    "SYS-INBURG": ["SYS-ESB"],
    "SYS-LEERLING": ["SYS-DUO", "SYS-ESB"],
    "SYS-MINIMA": ["SYS-DIGID"],
    "SYS-WERK": ["SYS-SOC", "SYS-SUWI"],
    "SYS-SUBSIDIE": ["SYS-EHERK", "SYS-DIGID"],
    "SYS-ACCESS-SUB": ["SYS-FILESHARE"],
    "SYS-BEL": ["SYS-WOZ", "SYS-ESB", "SYS-BRK", "SYS-MIJNOV"],
    "SYS-WOZ": ["SYS-BRK", "SYS-BAG"],
    "SYS-TAXATIE": ["SYS-WOZ"],
    "SYS-BEL-PORTAAL": ["SYS-BEL", "SYS-DIGID", "SYS-EHERK"],
    "SYS-AFVAL": ["SYS-ESB"],
    "SYS-GIS-SERVER": ["SYS-VIRT", "SYS-DB"],
    "SYS-GIS-ONLINE": ["SYS-GIS-SERVER"],
    "SYS-GIS-DESKTOP": ["SYS-GIS-ONLINE", "SYS-WERKPLEK"],
    "SYS-BAG": ["SYS-LV-BAG"],
    "SYS-BGT": ["SYS-LV-BAG"],
    "SYS-VTH": ["SYS-DSO", "SYS-DMS", "SYS-BAG", "SYS-KYN-DIR"],
    "SYS-PLAN": ["SYS-DSO"],
    "SYS-TOEZICHT-APP": ["SYS-VTH"],
    "SYS-EVENEMENT": ["SYS-ZAAK"],
    "SYS-BOR": ["SYS-BGT", "SYS-GIS-ONLINE"],
    "SYS-MELD": ["SYS-BOR"],
    "SYS-BOOM": ["SYS-BGT"],
    "SYS-VASTGOED": ["SYS-ERP"],
    "SYS-GRONDEX": ["SYS-FILESHARE"],
    "SYS-INKOOP": ["SYS-ERP"],
    "SYS-FACTUUR": ["SYS-ERP", "SYS-EFACTUUR"],
    "SYS-TIJD": ["SYS-HR"],
    "SYS-VERZUIM": ["SYS-HR"],
    "SYS-WERVING": ["SYS-HR"],
    "SYS-ELEARN": ["SYS-KYN-DIR"],
    "SYS-DECLARATIE": ["SYS-ERP"],
    "SYS-BEGROTING": ["SYS-ERP"],
    "SYS-RIS": ["SYS-KYN-DIR"],
    "SYS-VERGAD": ["SYS-RIS"],
    "SYS-LIVESTREAM": ["SYS-RIS"],
    "SYS-CAM": ["SYS-VIRT", "SYS-LAN"],
    "SYS-CAM-CAMS": ["SYS-WAN-LOC"],
    "SYS-CAM-ANPR": ["SYS-CAM-CAMS", "SYS-CAM-CLOUD", "SYS-KENTEKEN", "SYS-VIRT"],
    "SYS-OOV-REG": ["SYS-VIRT", "SYS-AD"],
    "SYS-PARK-APP": ["SYS-NPR"],
    "SYS-PARK-SCAN": ["SYS-NPR", "SYS-PARK-BACKEND", "SYS-MOBIEL"],
    "SYS-PARK-AUTOMAAT": ["SYS-PARK-BACKEND", "SYS-NPR", "SYS-MOBIEL"],
    "SYS-PARK-VERG": ["SYS-NPR", "SYS-DIGID"],
    "SYS-GARAGE": ["SYS-PARK-BACKEND"],
    "SYS-GBS": ["SYS-LAN"],
    "SYS-ZALEN": ["SYS-KYN-MAIL"],
    "SYS-FACILITAIR": ["SYS-ITSM"],
}

# Explicitly typed extra rows: (from, to, type, group, min_required).
EXTRA_DEPS = [
    # 2-of-3: the hypervisor cluster needs two of its three hosts (N+1).
    ("SYS-VIRT", "SYS-VIRT-NODE-01", "depends_on", "nodes", "2"),
    ("SYS-VIRT", "SYS-VIRT-NODE-02", "depends_on", "nodes", "2"),
    ("SYS-VIRT", "SYS-VIRT-NODE-03", "depends_on", "nodes", "2"),
    # Internet: glass fibre (EU) or 4G/5G back-up line (UK-owned operator).
    ("SYS-INTERNET", "SYS-WAN-GLAS", "depends_on", "uplink", "1"),
    ("SYS-INTERNET", "SYS-WAN-MOBIEL", "depends_on", "uplink", "1"),
    # DNS runs anycast from two sites: Rijnstad's own DC and colocation at Noordhaven.
    ("SYS-DNS", "L-RIJN-ARN", "hosted_at", "dns-sites", ""),
    ("SYS-DNS", "L-NHV-AMS", "hosted_at", "dns-sites", ""),
    # The laptops run an operating system licensed from Kynthos.
    ("SYS-WERKPLEK", "S-KYN", "provided_by", "", ""),
]

# --------------------------------------------------------------------------------------
EU = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
      "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
EEA = EU | {"IS", "LI", "NO"}


def lei_for(sid: str) -> str:
    """A synthetic 20-character LEI with a valid ISO 17442 MOD 97-10 check."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    n = int(hashlib.sha256(sid.encode("utf-8")).hexdigest(), 16)
    body = ""
    for _ in range(12):
        n, r = divmod(n, 36)
        body += alphabet[r]
    base = "ZZSV00" + body
    digits = "".join(str(int(ch, 36)) for ch in base) + "00"
    check = 98 - int(digits) % 97
    return f"{base}{check:02d}"


def lei_valid(lei: str) -> bool:
    return len(lei) == 20 and lei.isalnum() and int("".join(str(int(c, 36)) for c in lei)) % 97 == 1


def build_tables() -> dict[str, list[list[str]]]:
    t: dict[str, list[list[str]]] = {}
    t["organisations"] = [list(r) for r in ORGANISATIONS]
    t["suppliers"] = [[i, n, c, p, lei_for(i) if has else ""] for i, n, c, p, has in SUPPLIERS]
    t["locations"] = [list(r) for r in LOCATIONS]
    t["systems"] = [list(r) for r in SYSTEMS]
    t["processes"] = [[i, n, o, c] for i, n, o, c, _ in PROCESSES]
    t["datasets"] = [[i, n, o, c, p] for i, n, o, c, p, _ in DATASETS]

    deps: list[list[str]] = []
    typed_uses = {"P-BRP", "P-CRISIS"}  # a few rows spell out the implied type
    for pid, _, _, _, uses in PROCESSES:
        for u in uses:
            if isinstance(u, tuple):
                group, minreq, members = u
                for m in members:
                    deps.append([pid, m, "uses", group, minreq])
            else:
                deps.append([pid, u, "uses" if pid in typed_uses else "", "", ""])
    for did, _, _, _, _, sysid in DATASETS:
        deps.append([did, sysid, "stored_in" if did in {"D-BRP", "D-ZAAK"} else "", "", ""])
    for src, targets in SYSTEM_DEPS.items():
        for tgt in targets:
            deps.append([src, tgt, "", "", ""])
    deps.extend(list(r) for r in EXTRA_DEPS)
    t["dependencies"] = deps
    covered: dict[str, list[str]] = defaultdict(list)
    for row in SYSTEMS:
        covered[row[4]].append(row[0])
    t["contracts"] = [[cid, name, sup, " | ".join(covered[sup]), *rest] for cid, name, sup, *rest in CONTRACTS]
    return t


def write(tables: dict[str, list[list[str]]], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, header in HEADERS.items():
        with open(out / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, delimiter=",", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            w.writerow(header)
            w.writerows(tables[name])


def read(out: Path) -> dict[str, list[dict[str, str]]]:
    tables = {}
    for name in HEADERS:
        with open(out / f"{name}.csv", encoding="utf-8", newline="") as fh:
            rdr = csv.DictReader(fh)
            assert rdr.fieldnames == HEADERS[name], (name, rdr.fieldnames)
            tables[name] = list(rdr)
    return tables


# --------------------------------------------------------------------------------------
# Self-check (reads the files back, so it checks what was written)
# --------------------------------------------------------------------------------------
class Inv:
    def __init__(self, t: dict[str, list[dict[str, str]]]):
        self.t = t
        self.org = {r["id"]: r for r in t["organisations"]}
        self.sup = {r["id"]: r for r in t["suppliers"]}
        self.loc = {r["id"]: r for r in t["locations"]}
        self.sys = {r["id"]: r for r in t["systems"]}
        self.proc = {r["id"]: r for r in t["processes"]}
        self.ds = {r["id"]: r for r in t["datasets"]}
        self.deps = t["dependencies"]

    def kind(self, i: str) -> str | None:
        for k, d in (("organisation", self.org), ("supplier", self.sup), ("location", self.loc),
                     ("system", self.sys), ("process", self.proc), ("dataset", self.ds)):
            if i in d:
                return k
        return None

    def chain(self, sid: str) -> list[str]:
        out = [sid]
        while self.sup[out[-1]]["parent_id"]:
            out.append(self.sup[out[-1]]["parent_id"])
        return out

    def root(self, sid: str) -> str:
        return self.chain(sid)[-1]

    def requirements(self):
        """node -> (required deps, {group: (min, [members])}) over every relation kind."""
        req: dict[str, list[str]] = defaultdict(list)
        groups: dict[str, dict[str, list]] = defaultdict(dict)
        for s in self.sys.values():
            for col in ("supplier_id", "operator_id", "location_id"):
                if s[col]:
                    req[s["id"]].append(s[col])
        for l in self.loc.values():
            if l["operator_id"]:
                req[l["id"]].append(l["operator_id"])
        for d in self.deps:
            if d["alternative_group"]:
                g = groups[d["from_id"]].setdefault(d["alternative_group"], [int(d["min_required"] or 1), []])
                g[1].append(d["to_id"])
            else:
                req[d["from_id"]].append(d["to_id"])
        return req, groups

    def failed_after(self, cut: set[str]) -> set[str]:
        """Least fixed point of failure: start from `cut`, propagate until stable."""
        req, groups = self.requirements()
        failed = set(cut)
        nodes = set(self.sys) | set(self.loc) | set(self.proc) | set(self.ds)
        changed = True
        while changed:
            changed = False
            for n in nodes - failed:
                bad = any(r in failed for r in req.get(n, ()))
                if not bad:
                    for mn, members in groups.get(n, {}).values():
                        if sum(m not in failed for m in members) < mn:
                            bad = True
                            break
                if bad:
                    failed.add(n)
                    changed = True
        return failed


def check(out: Path, quiet: bool = False) -> dict:
    t = read(out)
    inv = Inv(t)
    problems: list[str] = []

    def need(cond: bool, msg: str) -> None:
        if not cond:
            problems.append(msg)

    # ---- ids: present, unique across all files, right prefix ---------------------------
    prefixes = {"organisations": "ORG-", "suppliers": "S-", "locations": "L-", "systems": "SYS-",
                "processes": "P-", "datasets": "D-", "contracts": "C-"}
    seen: Counter = Counter()
    for name, pref in prefixes.items():
        for r in t[name]:
            need(bool(r["id"]) and bool(r["name"]), f"{name}: empty id or name in {r}")
            need(r["id"].startswith(pref), f"{name}: {r['id']} lacks prefix {pref}")
            seen[r["id"]] += 1
            for k, v in r.items():
                need(v == v.strip(), f"{name}: {r['id']}.{k} has surrounding whitespace")
    need(not [i for i, c in seen.items() if c > 1], f"duplicate ids: {[i for i, c in seen.items() if c > 1]}")

    # ---- value vocabularies ---------------------------------------------------------------
    try:
        import pycountry  # optional; the fallback below covers the codes used here
        valid_cc = {c.alpha_2 for c in pycountry.countries}
    except ImportError:  # pragma: no cover
        valid_cc = EEA | {"US", "GB", "CH", "CA", "CN", "JP", "IN", "IL"}
    for name in ("organisations", "suppliers", "locations"):
        for r in t[name]:
            need(r["country"] in valid_cc, f"{name}: {r['id']} country {r['country']!r}")
    vocab = {
        ("processes", "criticality"): {"vital", "high", "medium", "low"},
        ("datasets", "classification"): {"public", "internal", "confidential", "secret"},
        ("datasets", "personal_data"): {"none", "personal", "special"},
        ("systems", "exit_plan"): {"yes", "no", ""},
        ("systems", "key_control"): {"customer", "provider", ""},
        ("systems", "data_export"): {"open-standard", "proprietary", "none", ""},
    }
    # ---- contracts: every supplier and system known, a term inside 2021-2030, valid clauses ----
    system_ids = {r["id"] for r in t["systems"]}
    for r in t["contracts"]:
        need(r["supplier_id"] in inv.sup, f"contracts: {r['id']} supplier {r['supplier_id']!r} unknown")
        covered = r["system_ids"].split(" | ") if r["system_ids"] else []
        need(bool(covered) and set(covered) <= system_ids, f"contracts: {r['id']} systems {covered!r}")
        need("2021-01-01" <= r["start_date"] < r["end_date"] <= "2030-12-31", f"contracts: {r['id']} dates")
        need(r["notice_period"].isdigit(), f"contracts: {r['id']} notice period {r['notice_period']!r}")
        for col in ("governing_law", "court"):
            need(r[col] in valid_cc, f"contracts: {r['id']} {col} {r[col]!r}")
        need(r["data_location"] in valid_cc | {"EU", "EEA", ""}, f"contracts: {r['id']} data_location")
    vocab.update({
        ("contracts", "renewal"): {"automatic", "manual"},
        ("contracts", "change_of_control"): {"yes", "no", "unknown"},
        ("contracts", "escrow"): {"yes", "no", "unknown"},
        ("contracts", "data_return"): {"open_format", "proprietary", "none", "unknown"},
    })
    for (name, col), allowed in vocab.items():
        for r in t[name]:
            need(r[col] in allowed, f"{name}: {r['id']}.{col} = {r[col]!r}")
    for r in t["suppliers"]:
        need(r["lei"] == "" or lei_valid(r["lei"]), f"supplier {r['id']}: bad LEI {r['lei']}")

    # ---- referential integrity --------------------------------------------------------------
    for r in t["organisations"]:
        need(r["parent_id"] == "" or r["parent_id"] in inv.org, f"org {r['id']}: parent {r['parent_id']}")
    for r in t["suppliers"]:
        need(r["parent_id"] == "" or r["parent_id"] in inv.sup, f"supplier {r['id']}: parent {r['parent_id']}")
    for r in t["locations"]:
        need(r["operator_id"] == "" or r["operator_id"] in inv.sup, f"location {r['id']}: operator")
    for r in t["systems"]:
        need(r["organisation_id"] == "" or r["organisation_id"] in inv.org, f"system {r['id']}: org")
        need(r["supplier_id"] == "" or r["supplier_id"] in inv.sup, f"system {r['id']}: supplier")
        need(r["operator_id"] == "" or r["operator_id"] in inv.sup, f"system {r['id']}: operator")
        need(r["location_id"] == "" or r["location_id"] in inv.loc, f"system {r['id']}: location")
    for name in ("processes", "datasets"):
        for r in t[name]:
            need(r["organisation_id"] in inv.org, f"{name} {r['id']}: org")

    # ---- parent cycles ---------------------------------------------------------------------
    for table, col in ((inv.org, "parent_id"), (inv.sup, "parent_id")):
        for start in table:
            cur, path = start, set()
            while cur:
                need(cur not in path, f"parent cycle through {start}")
                if cur in path:
                    break
                path.add(cur)
                cur = table[cur][col]

    # ---- dependencies: endpoints, implied/explicit types, groups ------------------------------
    implied = {("process", "system"): "uses", ("process", "dataset"): "uses",
               ("system", "system"): "depends_on", ("dataset", "system"): "stored_in",
               ("system", "supplier"): "provided_by", ("location", "supplier"): "operated_by",
               ("system", "location"): "hosted_at"}
    allowed_explicit = {"uses": {("process", "system"), ("process", "dataset")},
                        "depends_on": {("system", "system")},
                        "stored_in": {("dataset", "system")},
                        "provided_by": {("system", "supplier")},
                        "operated_by": {("system", "supplier"), ("location", "supplier")},
                        "hosted_at": {("system", "location")}}
    pairs = Counter()
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for d in inv.deps:
        fk, tk = inv.kind(d["from_id"]), inv.kind(d["to_id"])
        need(fk is not None and tk is not None, f"dependency {d['from_id']} -> {d['to_id']}: unknown id")
        if d["type"]:
            need((fk, tk) in allowed_explicit.get(d["type"], set()),
                 f"dependency {d['from_id']} -> {d['to_id']}: type {d['type']} not valid for {fk}->{tk}")
        else:
            need((fk, tk) in implied, f"dependency {d['from_id']} -> {d['to_id']}: no implied type for {fk}->{tk}")
        need(d["from_id"] != d["to_id"], f"self-dependency {d['from_id']}")
        pairs[(d["from_id"], d["to_id"])] += 1
        if d["alternative_group"]:
            groups[(d["from_id"], d["alternative_group"])].append(d)
        else:
            need(d["min_required"] == "", f"min_required without group on {d['from_id']} -> {d['to_id']}")
    need(not [p for p, c in pairs.items() if c > 1], f"duplicate dependency rows: {[p for p, c in pairs.items() if c > 1]}")
    # a relation already given by a column must not be repeated as a row
    for s in inv.sys.values():
        for col in ("supplier_id", "operator_id", "location_id"):
            need(not (s[col] and (s["id"], s[col]) in pairs), f"{s['id']} -> {s[col]} given twice")
    for (frm, g), rows in groups.items():
        mins = {r["min_required"] for r in rows}
        need(len(mins) == 1, f"group {frm}/{g}: min_required differs {mins}")
        m = int(next(iter(mins)) or 1)
        need(len(rows) >= 2, f"group {frm}/{g}: only one member")
        need(1 <= m <= len(rows), f"group {frm}/{g}: min_required {m} > size {len(rows)}")

    # ---- minimums --------------------------------------------------------------------------
    sup_countries = {s["country"] for s in inv.sup.values()}
    counts = {
        "organisations": len(inv.org),
        "systems": len(inv.sys),
        "suppliers": len(inv.sup),
        "supplier countries": len(sup_countries),
        "processes": len(inv.proc),
        "datasets": len(inv.ds),
        "locations": len(inv.loc),
        "dependency rows": len(inv.deps),
        "redundancy groups": len(groups),
        "contracts": len(t["contracts"]),
        "systems under contract": len({x for r in t["contracts"] for x in r["system_ids"].split(" | ")}),
    }
    for key, minimum in (("systems", 150), ("suppliers", 40), ("supplier countries", 8),
                         ("processes", 30), ("datasets", 40), ("locations", 8), ("redundancy groups", 6)):
        need(counts[key] >= minimum, f"minimum: {key} = {counts[key]} < {minimum}")

    # ---- every system, data set and process is wired up --------------------------------------
    froms = {d["from_id"] for d in inv.deps}
    tos = {d["to_id"] for d in inv.deps}
    for p in inv.proc:
        need(p in froms, f"process {p} uses nothing")
    for ds in inv.ds:
        need(ds in froms, f"data set {ds} is stored nowhere")
        need(ds in tos, f"data set {ds} is used by no process")

    # ---- notable cases ---------------------------------------------------------------------
    def descendants(root: str) -> set[str]:
        return {s for s in inv.sup if inv.root(s) == root}

    def non_eu_chain(sid: str) -> bool:
        return any(inv.sup[x]["country"] not in EU for x in inv.chain(sid))

    # 1. hidden concentration
    a, b = "SYS-CRISIS-A", "SYS-CRISIS-B"
    sa, sb = inv.sys[a], inv.sys[b]
    need(inv.proc["P-CRISIS"]["criticality"] == "vital", "P-CRISIS not vital")
    need(sa["supplier_id"] != sb["supplier_id"], "crisis systems share a supplier")
    need(inv.root(sa["supplier_id"]) != inv.root(sb["supplier_id"]), "crisis suppliers share an owner")
    op_a = inv.loc[sa["location_id"]]["operator_id"]
    op_b = inv.loc[sb["location_id"]]["operator_id"]
    need(inv.root(op_a) == inv.root(op_b) == "S-KYN", "crisis locations not both under S-KYN")
    need(inv.sup["S-KYN"]["country"] not in EU, "S-KYN should be non-EU")
    kyn_cut = descendants("S-KYN")
    f_kyn = inv.failed_after(kyn_cut)
    need("P-CRISIS" not in inv.failed_after(set()), "P-CRISIS fails with nothing cut")
    need("P-CRISIS" not in inv.failed_after({a}), "P-CRISIS should survive losing SYS-CRISIS-A alone")
    need("P-CRISIS" not in inv.failed_after({b}), "P-CRISIS should survive losing SYS-CRISIS-B alone")
    need("P-CRISIS" in f_kyn, "P-CRISIS should fail when the Kynthos group is cut")

    # 2. real redundancy
    non_eu_cut = {s for s in inv.sup if non_eu_chain(s)}
    f_noneu = inv.failed_after(non_eu_cut)
    need("SYS-TEL-CLOUD" in f_noneu, "SYS-TEL-CLOUD should fail when non-EU suppliers are cut")
    need("SYS-TEL-PBX" not in f_noneu, "SYS-TEL-PBX should survive the non-EU cut")
    need("P-KCC-TEL" not in f_noneu, "P-KCC-TEL should only degrade under the non-EU cut")
    need("P-KCC-TEL" not in f_kyn, "P-KCC-TEL should survive the Kynthos cut")

    # 3. 2-of-3
    need(("SYS-VIRT", "nodes") in groups and len(groups[("SYS-VIRT", "nodes")]) == 3
         and groups[("SYS-VIRT", "nodes")][0]["min_required"] == "2", "2-of-3 group missing")
    need("SYS-VIRT" not in inv.failed_after({"SYS-VIRT-NODE-03"}), "cluster should survive one node")
    need("SYS-VIRT" in inv.failed_after({"SYS-VIRT-NODE-01", "SYS-VIRT-NODE-03"}), "cluster should fail at two nodes")

    # 4. deep chain ending in the US
    deep = inv.chain("S-NHV-ZUID")
    need(deep == ["S-NHV-ZUID", "S-NHV", "S-MER-IE", "S-MER"] and inv.sup[deep[-1]]["country"] == "US",
         f"deep chain wrong: {deep}")
    max_chain = max(len(inv.chain(s)) for s in inv.sup)

    # 5. cycle among systems
    adj = defaultdict(list)
    for d in inv.deps:
        if inv.kind(d["from_id"]) == "system" and inv.kind(d["to_id"]) == "system":
            adj[d["from_id"]].append(d["to_id"])
    cycles = []
    color: dict[str, int] = {}
    stack: list[str] = []

    def dfs(u: str) -> None:
        color[u] = 1
        stack.append(u)
        for v in adj[u]:
            if color.get(v, 0) == 0:
                dfs(v)
            elif color.get(v) == 1:
                cycles.append(stack[stack.index(v):])
        stack.pop()
        color[u] = 2

    for s in sorted(inv.sys):
        if color.get(s, 0) == 0:
            dfs(s)
    cyc_sets = [set(c) for c in cycles]
    need({"SYS-ZAAK", "SYS-DMS", "SYS-ZGW"} in cyc_sets, f"expected cycle missing; found {cycles}")
    need(len(cycles) == 1, f"unexpected extra cycles: {cycles}")

    # 6. warning: no supplier and no location (neither by column nor by dependency row)
    linked = {(d["from_id"], inv.kind(d["to_id"])) for d in inv.deps}
    orphans = sorted(s["id"] for s in inv.sys.values()
                     if not s["supplier_id"] and not s["location_id"]
                     and (s["id"], "supplier") not in linked and (s["id"], "location") not in linked)
    need(orphans == ["SYS-XLS-WMO"], f"warning systems: {orphans}")

    # largest non-EU group (by member count, then by systems touching it)
    touching = Counter()
    for s in inv.sys.values():
        roots = set()
        for col in ("supplier_id", "operator_id"):
            if s[col]:
                roots.add(inv.root(s[col]))
        if s["location_id"] and inv.loc[s["location_id"]]["operator_id"]:
            roots.add(inv.root(inv.loc[s["location_id"]]["operator_id"]))
        for r in roots:
            touching[r] += 1
    for d in inv.deps:
        if inv.kind(d["from_id"]) == "system" and inv.kind(d["to_id"]) == "location":
            op = inv.loc[d["to_id"]]["operator_id"]
            if op:
                touching[inv.root(op)] += 1
        if inv.kind(d["from_id"]) == "system" and inv.kind(d["to_id"]) == "supplier":
            touching[inv.root(d["to_id"])] += 1
    roots = {inv.root(s) for s in inv.sup}
    non_eu_roots = sorted((r for r in roots if inv.sup[r]["country"] not in EU),
                          key=lambda r: (-len(descendants(r)), -touching[r], r))
    largest = non_eu_roots[0]
    need(largest == "S-KYN", f"largest non-EU group is {largest}")
    need(max(touching[r] for r in non_eu_roots) == touching["S-KYN"], "Kynthos should touch the most systems")

    info = {
        "counts": counts,
        "supplier countries": sorted(sup_countries),
        "groups": {f"{f}/{g}": (len(r), r[0]["min_required"] or "1 (default)") for (f, g), r in sorted(groups.items())},
        "cycle": cycles[0] if cycles else [],
        "orphans": orphans,
        "deep chain": deep,
        "longest chain": max_chain,
        "largest non-EU group": (largest, sorted(descendants(largest)), touching[largest]),
        "non-EU groups": [(r, inv.sup[r]["country"], len(descendants(r)), touching[r]) for r in non_eu_roots],
        "failed under Kynthos cut": sorted(x for x in f_kyn if x.startswith("P-")),
        "failed under non-EU cut": sorted(x for x in f_noneu if x.startswith("P-")),
    }
    if not quiet:
        print("Counts")
        for k, v in counts.items():
            print(f"  {k:20} {v}")
        print(f"  supplier countries:  {', '.join(info['supplier countries'])}")
        print("Redundancy groups (from/group: members, min_required)")
        for k, v in info["groups"].items():
            print(f"  {k:28} {v[0]} members, min {v[1]}")
        print(f"Cycle: {' -> '.join(info['cycle'] + info['cycle'][:1])}")
        print(f"Warning system(s) (no supplier, no location): {', '.join(orphans)}")
        deep_txt = " -> ".join(f"{s} ({inv.sup[s]['country']})" for s in deep)
        print(f"Deep chain: {deep_txt}; longest chain {max_chain}")
        print(f"Largest non-EU group: {largest} ({len(descendants(largest))} companies, "
              f"{touching[largest]} systems touch it): {', '.join(sorted(descendants(largest)))}")
        print("Non-EU groups (root, country, companies, systems touching):")
        for r in info["non-EU groups"]:
            print(f"  {r[0]:12} {r[1]}  {r[2]}  {r[3]}")
        print(f"Processes failing when the Kynthos group is cut ({len(info['failed under Kynthos cut'])}): "
              f"{', '.join(info['failed under Kynthos cut'])}")
        print(f"Processes failing when every non-EU-owned supplier is cut ({len(info['failed under non-EU cut'])}): "
              f"{', '.join(info['failed under non-EU cut'])}")
    if problems:
        print("\nSELF-CHECK FAILED:", file=sys.stderr)
        for p in problems:
            print("  - " + p, file=sys.stderr)
        raise SystemExit(1)
    if not quiet:
        print("\nSelf-check passed.")
    return info


# --------------------------------------------------------------------------------------
README = """\
# Demo inventory: Gemeente Zuiderwaard

A complete, **fictional** inventory of a mid-sized Dutch municipality, for trying
sovmap out, for the tests, and for demonstrations. A copy made by `sovmap demo` is
yours to look at and edit (`sovmap validate FOLDER` checks your edits); it also holds
`flatlist/`, the municipality's application list, the input of the `sovmap convert`
examples. The files are generated deterministically by sovmap's developers (with a
self-check over what was written); nothing needs to be run to use them.

All organisations, companies, data centres, government bodies and product names
are made up. Any resemblance to real companies is coincidental. The LEI codes are
synthetic: they pass the ISO 17442 check-digit test but use the prefix `ZZSV`, which no
real LEI issuer uses.

## Scenario

*Gemeente Zuiderwaard* (`ORG-ZW`) is a Dutch municipality of about 60,000 inhabitants.
Its departments and teams are organisations with `parent_id` pointing at the
municipality (Dienstverlening with Burgerzaken and KCC, Sociaal Domein, Belastingen,
Ruimte en Omgeving with VTH and Beheer Openbare Ruimte, Openbare Orde en Veiligheid,
Bedrijfsvoering with the IT department, Informatiebeheer, Financiën and HRM,
Communicatie, Griffie). Finance, HR and purchasing run at a shared-services body,
*Bedrijfsvoeringsorganisatie Waardland* (`ORG-SSC`), a gemeenschappelijke regeling
that Zuiderwaard takes part in with a neighbouring municipality.

The landscape is typical: office, mail and collaboration in a US cloud (Kynthos), a
zaaksysteem, BRP and e-services from a Dutch municipal-software house owned by a
Canadian group (Corvanta), taxes from a sister company, social-domain software from a
Dutch firm with a Swedish parent, hosting at a Dutch hoster that was bought by a US
data-centre group (Noordhaven / Meridian), an EU hoster (Rijnstad), German and French
SaaS, Dutch government services (DigiD, BRP, DSO), a Chinese-owned camera vendor, a UK
crisis-communication supplier, Swiss secure mail, and an on-premise server room plus a
stand-by room at the municipal yard.

{counts}

Supplier countries: {countries}.

## Files

| file | rows | what |
|---|---|---|
| `organisations.csv` | {n_org} | the municipality, its departments and teams, the shared-services body |
| `suppliers.csv` | {n_sup} | companies and government bodies, `parent_id` = owner |
| `locations.csv` | {n_loc} | data centres and server rooms, `operator_id` = who runs them |
| `systems.csv` | {n_sys} | applications, SaaS, infrastructure, network, endpoints |
| `processes.csv` | {n_proc} | municipal tasks with their criticality |
| `datasets.csv` | {n_ds} | data sets with classification and personal-data level |
| `dependencies.csv` | {n_dep} | uses, depends_on, stored_in, hosted_at, provided_by rows |
| `contracts.csv` | {n_con} | one contract per supplier: term 2021–2030, notice period, renewal and the sovereignty clauses |

Most rows in `dependencies.csv` leave `type` empty (it is implied by the two ids); a
few spell it out. Missing information is left empty on purpose in places (an unknown
exit plan, a supplier without LEI, a mobile network without a location).

## Notable cases

1. **Hidden concentration.** `P-CRISIS` (*Crisiscommunicatie naar inwoners*, vital)
   uses alternative group `alertering` (min_required 1) of two SaaS systems from two
   unrelated suppliers:
   - `SYS-CRISIS-A` from `S-ALARM` (Alarmeer B.V., NL, EU-owned), hosted at
     `L-KYN-AMS`, operated by `S-KYN-NL` (Kynthos Cloud Nederland B.V.);
   - `SYS-CRISIS-B` from `S-BRACK` (Brackenfield Systems Ltd, GB), hosted at
     `L-KYN-DUB`, operated by `S-KYN-IE` (Kynthos Cloud Ireland Ltd).

   Both data centres belong to the US group `S-KYN` (Kynthos Cloud Inc.). Losing
   either system alone is fine; cutting the Kynthos group breaks the process even
   though it "has redundancy".

2. **Real redundancy.** `P-KCC-TEL` (*Telefonische dienstverlening KCC*, high) uses
   group `telefonie` of `SYS-TEL-CLOUD` (Talvion Voice: `S-TALV-NL` → `S-TALV`, US;
   hosted at `L-AUR-FRA`, Aurelon → US) and `SYS-TEL-PBX` (on-premise exchange from
   `S-POLDER`, Polderlink Telecom, NL, EU-owned, in `L-ZW-SRK`, with SIP trunk
   `SYS-SIP` from the same supplier at `L-POLDER-UTR`). Cutting every non-EU-owned
   supplier takes out the cloud telephony only; the process degrades but keeps working.
   Other redundancy: the payment processes `P-UITK-PW`, `P-FIN-BETAAL` and
   `P-HR-SALARIS` each use group `bank` (two EU banks, `SYS-BANK-POLDER` and
   `SYS-BANK-HANZE`); `P-BACKUP` uses group `kopie` (`SYS-BACKUP` on-premise,
   `SYS-BACKUP-CLOUD` in Antwerp); `SYS-INTERNET` uses group `uplink`
   (`SYS-WAN-GLAS`, `SYS-WAN-MOBIEL`, the latter from a UK-owned operator); `SYS-DNS`
   is hosted at two sites, group `dns-sites` (`L-RIJN-ARN`, `L-NHV-AMS`).

3. **2-of-3.** `SYS-VIRT` (hypervisor cluster) depends on group `nodes` with
   min_required 2: `SYS-VIRT-NODE-01`, `SYS-VIRT-NODE-02` (server room, `L-ZW-SRK`)
   and `SYS-VIRT-NODE-03` (stand-by room, `L-ZW-WERF`). One host may fail, two may not.

4. **Deep ownership chain ending in the US.** `S-NHV-ZUID` (Noordhaven Colocatie Zuid
   B.V., NL) → `S-NHV` (Noordhaven Datacenters B.V., NL) → `S-MER-IE` (Meridian Data
   Holdings Ireland Ltd, IE) → `S-MER` (Meridian Digital Realty Inc., US). The Dutch
   hoster runs `L-NHV-AMS` and `L-NHV-EHV`, where the zaaksysteem, BRP, VTH and tax
   systems live. Other chains: `S-FORMULO` → `S-KYN-NL` → `S-KYN-IE` → `S-KYN` (US);
   `S-CIVIQ` / `S-BELWIJS` → `S-CORV-EU` → `S-CORV` (CA); `S-AUR-DE` → `S-AUR-LU` →
   `S-AUR` (US); `S-HXV-NL` → `S-HXV` (CN); `S-LAGU-NL` → `S-LAGU` (GB);
   EU-only: `S-SOCIAAL` → `S-LUMEN` (SE), `S-ARBO` → `S-SANTE` (FR).

5. **Dependency cycle.** `SYS-ZAAK` → `SYS-DMS` → `SYS-ZGW` → `SYS-ZAAK`
   (zaaksysteem needs the DMS for documents, the DMS needs the ZGW catalogue, the ZGW
   layer needs the zaaksysteem's Zaken API). Allowed; analyses must not loop on it.

6. **Warning case.** `SYS-XLS-WMO` (*Rekenmodel Wmo eigen bijdrage (Excel, eigen
   beheer)*) has neither supplier nor location. It stores data set `D-WMO-EB` and is
   used by `P-WMO`. (`SYS-INTERNET` and `SYS-ACCESS-SUB` have no supplier but do have a
   location.)

7. **Contracts.** `contracts.csv` gives {n_con} contracts covering {n_covered} of the
   {n_sys} systems (government services run on covenants and have none). Ends fall
   between 2026 and 2030. The Civiq framework contract `C-2022-CIVIQ` (Canadian
   group) has a change-of-control clause, open-format data return and escrow. The
   Veenstra contract `C-2025-VEENSTRA` has a change-of-control clause and open-format
   data return: `sovmap assess --demo --acquire S-VEENSTRA=US` makes its systems
   operationally partial rather than not in control, with the clause as reason; the
   Kynthos server licences `C-2023-KYN-LIC` and several US SaaS contracts are under US
   law, which lowers legal control; some clauses are `unknown` (not yet read). See
   docs/contracts.md in sovmap's source repository.

**Largest non-EU supplier group:** `S-KYN` (Kynthos Cloud Inc., US) with
{kyn_members} companies ({kyn_list}); {kyn_touch} systems have it as supplier, operator
or data-centre operator. In the self-check's simple failure model (a cut supplier
takes down every system it supplies, operates or hosts, and failure flows up the
dependencies, respecting alternative groups), cutting the Kynthos group makes
{n_fail_kyn} of the {n_proc} processes fail; cutting every supplier with a non-EU
owner anywhere in its ownership chain makes {n_fail_noneu} fail.
"""


def write_readme(out: Path, info: dict) -> None:
    c = info["counts"]
    counts_md = ("| | |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in c.items()))
    largest, members, touch = info["largest non-EU group"]
    text = README.format(
        counts=counts_md,
        countries=", ".join(info["supplier countries"]),
        n_org=c["organisations"], n_sup=c["suppliers"], n_loc=c["locations"], n_sys=c["systems"],
        n_proc=c["processes"], n_ds=c["datasets"], n_dep=c["dependency rows"], n_con=c["contracts"],
        kyn_members=len(members), kyn_list=", ".join(f"`{m}`" for m in members), kyn_touch=touch,
        n_covered=c["systems under contract"],
        n_fail_kyn=len(info["failed under Kynthos cut"]), n_fail_noneu=len(info["failed under non-EU cut"]),
    )
    (out / "README.md").write_text(text, encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write (default: %(default)s)")
    ap.add_argument("--check-only", action="store_true", help="only run the self-check on existing files")
    args = ap.parse_args(argv)
    if not args.check_only:
        write(build_tables(), args.out)
    info = check(args.out)
    if not args.check_only:
        write_readme(args.out, info)
        print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
