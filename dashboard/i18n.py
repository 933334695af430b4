"""Every text of the dashboard in Dutch and English, and the labels of kinds and values from the ontology.

Our own texts live in :data:`TEXTS` (key → Dutch, English). Labels of kinds,
columns, relations and listed values come from the ontology
(:func:`sovmap.ontology.vocab.vocabulary`), country names from
:mod:`sovmap.ontology.countries`, so they are never written twice.

Examples
--------
>>> t("nav.impact", "nl")
'Wat valt uit als…'
>>> kind_label("dataset", "nl"), value_label("criticality", "vital", "nl")
('Gegevensverzameling', 'vitaal')
>>> pick_language(None, "en-GB", None), pick_language("nl", "en-GB", None)
('en', 'nl')
"""

from __future__ import annotations

from sovmap.ontology.countries import country
from sovmap.ontology.vocab import vocabulary

__all__ = ["LANGS", "TEXTS", "t", "kind_label", "kinds_label", "value_label", "column_label",
           "relation_label", "country_label", "pick_language", "yes_no"]

LANGS = ("nl", "en")
DEFAULT_LANG = "nl"

# key: (Dutch, English). Placeholders in {braces} are filled by t(key, lang, **values).
TEXTS: dict[str, tuple[str, str]] = {
    # --- frame -------------------------------------------------------------------
    "app.title": ("sovmap: digitale soevereiniteit", "sovmap: digital sovereignty"),
    "app.tagline": ("Wat valt uit als een leverancier de toegang afsluit, en wat hebben we niet zelf in de hand?",
                    "What breaks if a supplier cuts access, and what is not under our control?"),
    "lang.label": ("Taal", "Language"),
    "sidebar.version": ("Inventaris: versie {version} van {created}", "Inventory: version {version} of {created}"),
    "sidebar.no_version": ("Nog geen inventaris geladen.", "No inventory loaded yet."),
    "sidebar.workspace": ("Werkmap: {path}", "Workspace: {path}"),
    "sidebar.data": ("Gegevensbron", "Data source"),
    "sidebar.data.neo4j": ("Neo4j-server", "Neo4j server"),
    "sidebar.data.workspace": ("Werkmap op schijf", "Workspace on disk"),
    "sidebar.neo4j": ("Neo4j: {uri}", "Neo4j: {uri}"),
    "sidebar.neo4j_source": ("Inventaris in Neo4j", "Inventory in Neo4j"),
    "sidebar.neo4j_choose": ("kies een inventaris", "choose an inventory"),
    "sidebar.neo4j_version": ("Versie {version}, in Neo4j gezet op {pushed_at}; {nodes} onderdelen.",
                              "Version {version}, pushed to Neo4j on {pushed_at}; {nodes} items."),
    "sidebar.neo4j_unreachable": ("Neo4j is niet bereikbaar.", "Neo4j cannot be reached."),
    # --- Neo4j -------------------------------------------------------------------------
    "neo4j.unreachable": ("Kan Neo4j op {uri} niet bereiken ({error}). Controleer of de server draait, het adres "
                          "(sovmap dashboard --neo4j) en NEO4J_USERNAME, NEO4J_PASSWORD en NEO4J_DATABASE.",
                          "Cannot reach Neo4j at {uri} ({error}). Check that the server runs, the address "
                          "(sovmap dashboard --neo4j) and NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE."),
    "neo4j.no_sources": ("Er staat nog geen inventaris in Neo4j op {uri}. Zet er een in, bijvoorbeeld de huidige "
                         "versie van de werkmap:",
                         "There is no inventory in Neo4j at {uri} yet. Push one, for instance the workspace's "
                         "current version:"),
    "neo4j.unknown_source": ("Er staat geen inventaris \"{source}\" in Neo4j op {uri}; wel: {known}. Kies er een in "
                             "de zijbalk, of zet hem erin:",
                             "There is no inventory \"{source}\" in Neo4j at {uri}; there is: {known}. Choose one in "
                             "the sidebar, or push it:"),
    "neo4j.pulling": ("Inventaris {source} uit Neo4j halen ({nodes} onderdelen; eenmalig per versie)…",
                      "Fetching inventory {source} from Neo4j ({nodes} items; once per version)…"),
    "neo4j.reading": ("Antwoorden over inventaris {source} uit Neo4j lezen ({nodes} onderdelen)…",
                      "Reading the answers about inventory {source} from Neo4j ({nodes} items)…"),
    "neo4j.stored": ("Gelezen uit de antwoorden die bij het vastleggen in Neo4j zijn opgeslagen.",
                     "Read from the answers stored in Neo4j with this version when it was pushed."),
    "neo4j.computed": ("Deze versie staat zonder opgeslagen antwoorden in Neo4j (vastgelegd met --no-answers of door "
                       "een eerdere sovmap): berekend uit de hele graaf, eenmalig uit Neo4j gehaald.",
                       "This version is in Neo4j without stored answers (pushed with --no-answers or by an earlier "
                       "sovmap): computed from the whole graph, fetched from Neo4j once."),
    "gaps.top_stored": ("De {n} ernstigste van {total} tekortkomingen en de eerste {steps} van {steps_total} "
                        "stappen, zoals opgeslagen in Neo4j. Zet hieronder alle tekortkomingen aan om ze allemaal "
                        "te zien.",
                        "The {n} most severe of {total} gaps and the first {steps} of {steps_total} steps, as "
                        "stored in Neo4j. Switch on every gap below to see them all."),
    "gaps.all": ("Alle tekortkomingen", "Every gap"),
    "gaps.all_help": ("Berekend uit de hele graaf, eenmalig uit Neo4j gehaald: bij een landelijke inventaris duurt "
                      "dat minuten.",
                      "Computed from the whole graph, fetched from Neo4j once: minutes for a national inventory."),
    "neo4j.uploads": ("De analysepagina's lezen inventaris {source} uit Neo4j ({uri}). Een upload wordt opgeslagen "
                      "in de werkmap {root}, niet in Neo4j. Zet de huidige versie van de werkmap daarna in Neo4j met "
                      "onderstaand commando; zonder --source heet de inventaris daar {name}, met --source {source} "
                      "vervangt hij {source} voor iedereen die hem leest.",
                      "The analysis pages read inventory {source} from Neo4j ({uri}). An upload is stored in the "
                      "workspace {root}, not in Neo4j. Push the workspace's current version to Neo4j afterwards with "
                      "the command below; without --source it is named {name} there, with --source {source} it "
                      "replaces {source} for everyone who reads it."),
    "nav.section.inventory": ("Inventaris", "Inventory"),
    "nav.section.analysis": ("Analyse", "Analysis"),
    "nav.section.report": ("Rapportage", "Reporting"),
    "nav.overview": ("Overzicht", "Overview"),
    "nav.upload": ("Inventaris laden", "Upload inventory"),
    "nav.versions": ("Versies", "Versions"),
    "nav.graph": ("Afhankelijkheden verkennen", "Explore dependencies"),
    "nav.impact": ("Wat valt uit als…", "What breaks if…"),
    "nav.spof": ("Single points of failure", "Single points of failure"),
    "nav.gaps": ("Tekortkomingen en stappen", "Gaps and next steps"),
    "nav.report": ("Bestuurlijke rapportage", "Board report"),
    "no_inventory": ("Er is nog geen inventaris geladen. Laad eerst een inventaris (CSV-bestanden, .zip of .xlsx).",
                     "No inventory has been loaded yet. Upload an inventory first (CSV files, .zip or .xlsx)."),
    "go_upload": ("Naar Inventaris laden", "Go to Upload inventory"),
    "download.csv": ("CSV downloaden", "Download CSV"),
    "download.xlsx": ("Excel downloaden", "Download Excel"),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
    "unknown": ("onbekend", "unknown"),
    "none": ("geen", "none"),
    "all": ("alle", "all"),
    "european": ("Europees (EU/EER)", "European (EU/EEA)"),
    "non_european": ("niet-Europees", "non-European"),
    "ownership_unknown": ("eigendom onbekend", "ownership unknown"),
    "col.id": ("id", "id"),
    "col.name": ("naam", "name"),
    "col.kind": ("soort", "kind"),
    "col.criticality": ("kritikaliteit", "criticality"),
    "col.classification": ("classificatie", "classification"),
    "col.why": ("waarom", "why"),
    "why.more": ("… nog {n} stappen …", "… {n} more steps …"),
    "col.country": ("land", "country"),
    "col.countries": ("landen", "countries"),
    "col.european": ("Europees", "European"),
    "col.members": ("onderdelen", "members"),
    "col.count": ("aantal", "count"),
    "col.level": ("niveau", "level"),
    "col.dimension": ("dimensie", "dimension"),
    # --- upload ---------------------------------------------------------------------
    "upload.intro": ("Laad de inventaris als losse CSV-bestanden (meerdere tegelijk), als .zip of als Excel-werkmap "
                     "(.xlsx). Nederlandse en Engelse bestandsnamen en kolomkoppen worden allebei herkend. "
                     "Er wordt pas iets opgeslagen als er geen fouten meer zijn; elke geaccepteerde upload die iets "
                     "verandert wordt een nieuwe versie, en eerdere versies blijven beschikbaar.",
                     "Upload the inventory as separate CSV files (several at once), as a .zip or as an Excel "
                     "workbook (.xlsx). Dutch and English file names and column headers are both recognised. "
                     "Nothing is stored while errors remain; every accepted upload that changes something becomes a "
                     "new version, and earlier versions stay available."),
    "upload.label": ("Inventarisbestanden", "Inventory files"),
    "upload.check": ("Controleren en opslaan", "Check and store"),
    "upload.demo": ("Probeer de demo-gemeente", "Try the demo municipality"),
    "upload.checking": ("{n} bestand(en) controleren…", "Checking {n} file(s)…"),
    "upload.step.read": ("Bestanden lezen", "Reading files"),
    "upload.step.validate": ("Controleren op fouten en opslaan", "Checking for errors and storing"),
    "upload.step.done": ("Klaar", "Done"),
    "upload.done": ("Gecontroleerd en opgeslagen", "Checked and stored"),
    "upload.failed": ("Gecontroleerd: er zijn fouten gevonden", "Checked: errors were found"),
    "upload.stored": ("Opgeslagen als versie {version} ({files} bestand(en), {warnings} waarschuwing(en)). "
                      "Deze versie is nu de huidige.",
                      "Stored as version {version} ({files} file(s), {warnings} warning(s)). "
                      "This version is now the current one."),
    "upload.rejected": ("{errors} fout(en) in {files} bestand(en): er is niets opgeslagen. Herstel de fouten "
                        "hieronder en kies de herstelde bestanden opnieuw: de lijst met bestanden is leeggemaakt.",
                        "{errors} error(s) in {files} file(s): nothing was stored. Fix the errors below and "
                        "choose the corrected files again: the list of files has been emptied."),
    "upload.report": ("Controlerapport", "Validation report"),
    "upload.templates": ("Sjablonen en voorbeeld", "Templates and example"),
    "upload.templates_intro": ("Lege sjablonen met de juiste kolommen, en een tabblad/bestand dat elke kolom "
                               "uitlegt in het Nederlands en Engels.",
                               "Empty templates with the right columns, and a sheet/file that explains every "
                               "column in Dutch and English."),
    "upload.template_zip": ("Sjabloon (CSV, .zip)", "Template (CSV, .zip)"),
    "upload.template_xlsx": ("Sjabloon (Excel)", "Template (Excel)"),
    "upload.demo_intro": ("De fictieve demo-gemeente Zuiderwaard, om te bekijken hoe een ingevulde inventaris "
                          "eruitziet.",
                          "The fictional demo municipality of Zuiderwaard, to see what a filled-in inventory "
                          "looks like."),
    "upload.demo_zip": ("Demo-inventaris (CSV, .zip)", "Demo inventory (CSV, .zip)"),
    "upload.demo_xlsx": ("Demo-inventaris (Excel)", "Demo inventory (Excel)"),
    "problem.severity": ("ernst", "severity"),
    "problem.file": ("bestand", "file"),
    "problem.line": ("regel", "line"),
    "problem.column": ("kolom", "column"),
    "problem.value": ("waarde", "value"),
    "problem.problem": ("probleem", "problem"),
    "problem.hint": ("oplossing", "hint"),
    "severity.error": ("fout", "error"),
    "severity.warning": ("waarschuwing", "warning"),
    # --- versions -------------------------------------------------------------------
    "versions.intro": ("Elke geaccepteerde upload is een versie die niet meer verandert. De huidige versie is "
                       "wat alle pagina's laten zien; een eerdere versie kan weer de huidige worden.",
                       "Every accepted upload is a version that never changes. The current version is what every "
                       "page shows; an earlier version can be made current again."),
    "versions.col.version": ("versie", "version"),
    "versions.col.current": ("huidig", "current"),
    "versions.col.created": ("geladen op", "uploaded"),
    "versions.col.files": ("bestanden", "files"),
    "versions.col.edges": ("afhankelijkheden", "dependencies"),
    "versions.choose": ("Versie", "Version"),
    "versions.make_current": ("Maak huidig", "Make current"),
    "versions.download": ("Originele bestanden", "Original files"),
    "versions.diff": ("Wat is er veranderd?", "What changed?"),
    "versions.one": ("Er is nog maar één versie; na de volgende upload ziet u hier wat er veranderd is.",
                     "There is only one version; after the next upload you will see here what changed."),
    "versions.from": ("Van versie", "From version"),
    "versions.to": ("Naar versie", "To version"),
    "versions.nodes_changed": ("Onderdelen toegevoegd, verwijderd of gewijzigd", "Items added, removed or changed"),
    "versions.edges_changed": ("Afhankelijkheden toegevoegd, verwijderd of gewijzigd",
                               "Dependencies added, removed or changed"),
    "versions.non_eu_spof": ("Vitale/hoge processen met een niet-Europese single point of failure",
                             "Vital/high processes with a non-European single point of failure"),
    "versions.non_eu_spof_help": ("Was {before}; van {n} vitale en hoge processen.",
                                  "Was {before}; out of {n} vital and high processes."),
    "versions.new_spof": ("Nieuw afhankelijk van één niet-Europese leveranciersgroep:",
                          "Newly dependent on a single non-European supplier group:"),
    "versions.resolved_spof": ("Niet meer afhankelijk van één niet-Europese leveranciersgroep:",
                               "No longer dependent on a single non-European supplier group:"),
    "versions.damaged": ("Versie {version} is beschadigd en wordt niet gebruikt; de andere versies wel. {problem}",
                         "Version {version} is damaged and is not used; the other versions are. {problem}"),
    "guard.error": ("Er ging onverwacht iets mis op deze pagina: {error}",
                    "Something unexpected went wrong on this page: {error}"),
    "guard.debug": ("De technische details staan in het venster waarin het dashboard draait; start het met "
                    "`sovmap dashboard --debug` om ze ook hier te zien.",
                    "The technical details are in the window the dashboard runs in; start it with "
                    "`sovmap dashboard --debug` to see them here too."),
    "guard.details": ("Technische details", "Technical details"),
    "diff.col.change": ("wijziging", "change"),
    "diff.col.detail": ("details", "details"),
    "diff.added": ("toegevoegd", "added"),
    "diff.removed": ("verwijderd", "removed"),
    "diff.changed": ("gewijzigd", "changed"),
    "diff.dependency": ("Afhankelijkheid", "Dependency"),
    # --- overview -------------------------------------------------------------------
    "overview.share": ("Vitale en hoge processen met een niet-Europese single point of failure",
                       "Vital and high processes with a non-European single point of failure"),
    "overview.share_help": ("{n} van de {total} vitale en hoge processen valt stil als één niet-Europese "
                            "leveranciersgroep de toegang afsluit.",
                            "{n} of the {total} vital and high processes stop if a single non-European supplier "
                            "group cuts access."),
    "overview.share_text": ("**{n} van de {total}** vitale en hoge processen valt stil als één niet-Europese "
                            "leveranciersgroep (een moederbedrijf met alles wat het bezit) de toegang afsluit.",
                            "**{n} of the {total}** vital and high processes stop if a single non-European supplier "
                            "group (a parent company with everything it owns) cuts access."),
    "overview.left_out": ("{n} proces(sen) zonder kritikaliteit tellen hier niet mee: neem ze mee op de pagina Single "
                          "points of failure, of geef ze een kritikaliteit in processes.csv (kolom kritikaliteit).",
                          "{n} process(es) without a criticality are not counted here: include them on the Single "
                          "points of failure page, or set one in processes.csv (column criticality)."),
    "overview.non_eu_groups": ("Niet-Europese leveranciersgroepen", "Non-European supplier groups"),
    "overview.assessment": ("Hebben we het in de hand?", "Are we in control?"),
    "overview.no_assessment": ("De beoordeling in drie niveaus is in deze installatie niet beschikbaar.",
                               "The three-level assessment is not available in this installation."),
    "overview.groups": ("Welke leveranciersgroepen raken het meest?", "Which supplier groups hit hardest?"),
    "overview.groups_help": ("Aantal processen dat stilvalt als de hele groep (moederbedrijf en dochters) de "
                             "toegang afsluit. Rood: niet-Europees.",
                             "Number of processes that stop if the whole group (parent and subsidiaries) cuts "
                             "access. Red: non-European."),
    "overview.failed_processes": ("processen die stilvallen", "processes that stop"),
    "overview.failed_vital_high": ("waarvan vitaal of hoog", "of which vital or high"),
    "overview.jurisdictions": ("Buitenlandse wetgeving met bereik tot onze gegevens",
                               "Foreign jurisdictions that can reach our data"),
    "overview.jurisdictions_help": ("Processen, gegevensverzamelingen en systemen waarbij een partij in de keten "
                                    "onder het recht van een land buiten de EU/EER valt.",
                                    "Processes, data sets and systems where a party in the chain falls under the "
                                    "law of a country outside the EU/EEA."),
    "overview.laws": ("wetten", "laws"),
    "overview.no_jurisdictions": ("Geen enkele partij valt onder recht van buiten de EU/EER.",
                                  "No party falls under the law of a country outside the EU/EEA."),
    # --- graph browser ----------------------------------------------------------------
    "graph.intro": ("Kies een proces, systeem, leverancier of locatie en zie waar het van afhangt en wat ervan "
                    "afhangt. Klik op een onderdeel voor details; dubbelklik om zijn buren toe te voegen.",
                    "Choose a process, system, supplier or location and see what it depends on and what depends "
                    "on it. Click an item for details; double-click to add its neighbours."),
    "graph.search": ("Zoek op naam of code", "Search by name or id"),
    "graph.filters": ("Filters en diepte", "Filters and depth"),
    "graph.radius": ("Aantal stappen vanaf het gekozen onderdeel", "Steps from the chosen item"),
    "graph.control": ("Zeggenschap", "Control"),
    "graph.control.all": ("alles", "all"),
    "graph.control.non_eu": ("niet-Europees", "non-European"),
    "graph.control.eu": ("Europees", "European"),
    "graph.kinds": ("Soorten", "Kinds"),
    "graph.shown": ("{nodes} onderdelen en {edges} verbindingen getoond.", "{nodes} items and {edges} links shown."),
    "graph.howto": ("Klik voor details, dubbelklik om uit te breiden; scrol om te zoomen.",
                    "Click for details, double-click to expand; scroll to zoom."),
    "graph.truncated": ("Niet alles past: {nodes} onderdelen en {edges} verbindingen zijn weggelaten (maximaal "
                        "{limit} elementen). Verklein het aantal stappen of gebruik de filters.",
                        "Not everything fits: {nodes} items and {edges} links were left out (at most {limit} "
                        "elements). Reduce the steps or use the filters."),
    "graph.legend.noneu": ("rode rand: niet-Europese zeggenschap", "red ring: non-European control"),
    "graph.legend.unknownowner": ("grijze stippelrand: eigendom onbekend", "grey dashed ring: ownership unknown"),
    "spof.col.unknown_ownership": ("waarvan eigendom onbekend", "of which ownership unknown"),
    "report.coverage": ("Waar dit op rust", "What this rests on"),
    "graph.centre": ("Maak dit het middelpunt", "Centre on this item"),
    "details.ownership": ("Eigendomsketen", "Ownership chain"),
    "details.assessment": ("Beoordeling", "Assessment"),
    "graph.query": ("Zoek in Neo4j op naam of code", "Search Neo4j by name or id"),
    "graph.query_hint": ("bijvoorbeeld Kynthos of SYS-BRP, dan Enter", "for instance Kynthos or SYS-BRP, then Enter"),
    "graph.focus": ("Middelpunt", "Centre"),
    "graph.search_first": ("Zoek hierboven een proces, systeem, leverancier of locatie op naam of code. De "
                           "inventaris staat in Neo4j; alleen de omgeving van het gekozen onderdeel wordt opgehaald.",
                           "Search above for a process, system, supplier or location by name or id. The inventory "
                           "is in Neo4j; only the neighbourhood of the chosen item is fetched."),
    "graph.no_hits": ("Niets gevonden voor \"{text}\".", "Nothing found for \"{text}\"."),
    "graph.gone": ("\"{node}\" staat niet in inventaris {source}.", "\"{node}\" is not in inventory {source}."),
    "graph.neo4j_truncated": ("Binnen {radius} stap(pen) heeft Neo4j meer onderdelen dan er zijn opgehaald (hoogstens "
                              "{limit} per vraag, de dichtstbijzijnde eerst); wat weggelaten is, telt alleen mee voor "
                              "zover het is opgehaald. Verklein het aantal stappen of kies een specifieker middelpunt.",
                              "Within {radius} step(s) Neo4j has more items than were fetched (at most {limit} per "
                              "query, nearest first); what was left out is only counted as far as it was fetched. "
                              "Reduce the steps or choose a more specific centre."),
    "graph.neo4j_assessment": ("De beoordeling in drie niveaus staat op de pagina Tekortkomingen en stappen; die "
                               "leest de hele inventaris.",
                               "The three-level assessment is on the Gaps and next steps page, which reads the "
                               "whole inventory."),
    # --- what breaks if… ---------------------------------------------------------------
    "impact.intro": ("Kies wat wegvalt: een of meer leveranciers (met of zonder hun dochterbedrijven), alle partijen "
                     "onder het recht van een land, of een locatie. U ziet wat stilvalt en waarom.",
                     "Choose what is cut: one or more suppliers (with or without their subsidiaries), every party "
                     "under a country's law, or a location. You see what stops and why."),
    "impact.suppliers": ("Leveranciers", "Suppliers"),
    "impact.subsidiaries": ("Inclusief dochterbedrijven", "Including subsidiaries"),
    "impact.countries": ("Recht van land", "Law of country"),
    "impact.locations": ("Locaties", "Locations"),
    "impact.none": ("niets gekozen", "nothing chosen"),
    "impact.largest": ("Wat als {name} de toegang afsluit?", "What if {name} cuts access?"),
    "impact.choose": ("Kies hierboven een leverancier, land of locatie.", "Choose a supplier, country or location above."),
    "impact.failed_kind": ("{kinds} vallen stil", "{kinds} stop"),
    "impact.degraded": ("Minder alternatieven", "Fewer alternatives"),
    "impact.more": ("{names} en nog {n}", "{names} and {n} more"),
    "impact.critical_only": ("Teken alleen vitale en hoge processen en hun keten",
                             "Draw only vital and high processes and their chains"),
    "impact.link": ("Link naar precies deze weergave", "Link to exactly this view"),
    "impact.table.failed": ("Valt stil", "Stops working"),
    "impact.table.degraded": ("Werkt nog, maar met minder alternatieven", "Still works, with fewer alternatives"),
    "impact.col.level": ("kritikaliteit/classificatie", "criticality/classification"),
    "impact.state.cut": ("weggevallen", "cut"),
    "impact.state.failed": ("valt stil", "stops"),
    "impact.state.degraded": ("minder alternatieven", "fewer alternatives"),
    "impact.sort": ("Sorteren op", "Sort by"),
    "impact.sort.kind": ("soort, dan de meest kritieke", "kind, then the most critical"),
    "impact.sort.level": ("kritikaliteit/classificatie", "criticality/classification"),
    "impact.sort.name": ("naam", "name"),
    "impact.sort.id": ("id", "id"),
    "impact.sort.descending": ("Omgekeerd", "Reversed"),
    "impact.page": ("Pagina (van {pages})", "Page (of {pages})"),
    "impact.page.rows": ("Rij {first}–{last} van {n}; de downloads bevatten alle {n} rijen.",
                         "Rows {first}–{last} of {n}; the downloads hold all {n} rows."),
    # --- single points of failure -------------------------------------------------------
    "spof.intro": ("Processen die stilvallen als één leveranciersgroep (een moederbedrijf met alles wat het bezit) "
                   "de toegang afsluit, ook als er elders alternatieven zijn die niet volstaan.",
                   "Processes that stop if a single supplier group (a parent company with everything it owns) cuts "
                   "access, even where alternatives exist that do not suffice."),
    "spof.sort": ("Sorteren op", "Sort by"),
    "spof.sort.criticality": ("kritikaliteit", "criticality"),
    "spof.sort.count": ("aantal single points of failure", "number of single points of failure"),
    "spof.sort.non_european": ("aantal niet-Europese", "number of non-European ones"),
    "spof.sort.name": ("naam", "name"),
    "spof.only_non_eu": ("Alleen niet-Europese", "Only non-European"),
    "spof.no_criticality": ("geen kritikaliteit", "no criticality"),
    "spof.derived": ("afgeleid", "derived"),
    "spof.left_out": ("{n} proces(sen) zonder kritikaliteit niet meegenomen: kies \"geen kritikaliteit\" in het filter "
                      "hierboven, of geef ze een kritikaliteit in processes.csv (kolom kritikaliteit).",
                      "{n} process(es) without a criticality left out: choose \"no criticality\" in the filter above, "
                      "or set one in processes.csv (column criticality)."),
    "spof.col.count": ("single points of failure", "single points of failure"),
    "spof.col.non_european": ("waarvan niet-Europees", "of which non-European"),
    "spof.col.groups": ("leveranciersgroepen", "supplier groups"),
    "spof.col.systems": ("systemen die stilvallen", "systems that stop"),
    "spof.col.datasets": ("gegevensverzamelingen die onbruikbaar worden", "data sets that become unavailable"),
    "spof.col.score": ("gewogen impact", "weighted impact"),
    "spof.ranking": ("Leveranciersgroepen naar impact", "Supplier groups by impact"),
    "spof.ranking_help": ("Wat stilvalt als de hele groep de toegang afsluit. De gewogen impact telt een vitaal "
                          "proces als 64, hoog 16, midden 4, laag 1.",
                          "What stops if the whole group cuts access. The weighted impact counts a vital process "
                          "as 64, high 16, medium 4, low 1."),
    # --- gaps and next steps --------------------------------------------------------------
    "gaps.intro": ("Een tekortkoming is een proces, gegevensverzameling of systeem waarvan het niveau van "
                   "zeggenschap lager is dan het beleid vraagt (vitale processen en vertrouwelijke gegevens vragen "
                   "meer). Onbekend telt altijd als tekortkoming.",
                   "A gap is a process, data set or system whose level of control is below what the policy requires "
                   "(vital processes and confidential data require more). Unknown always counts as a gap."),
    "gaps.actions": ("Concrete volgende stappen", "Concrete next steps"),
    "gaps.actions_help": ("Stappen samengevoegd over alle tekortkomingen, de stap die de zwaarste tekortkomingen "
                          "oplost eerst.",
                          "Steps merged over all gaps, the step that closes the most severe gaps first."),
    "gaps.gaps": ("Alle tekortkomingen", "All gaps"),
    "gaps.sort.severity": ("ernst", "severity"),
    "gaps.sort.kind": ("soort", "kind"),
    "gaps.sort.name": ("naam", "name"),
    "gaps.summary": ("{n} van de {total} tekortkomingen getoond.", "{n} of {total} gaps shown."),
    "gaps.col.required": ("vereist", "required"),
    "gaps.col.actual": ("huidig", "actual"),
    "gaps.col.severity": ("ernst", "severity"),
    "gaps.col.steps": ("stappen", "steps"),
    "gaps.col.step": ("stap", "step"),
    "gaps.col.closes": ("lost op", "closes"),
    "gaps.col.fixes": ("tekortkomingen opgelost", "gaps closed"),
    "gaps.col.items": ("betreft", "concerns"),
    # --- board report --------------------------------------------------------------------
    "report.title": ("Bestuurlijke rapportage digitale soevereiniteit", "Board report on digital sovereignty"),
    "report.organisation": ("(organisatie)", "(organisation)"),
    "report.meta": ("inventaris versie {version} van {created} · opgesteld {generated}",
                    "inventory version {version} of {created} · prepared {generated}"),
    "report.lead": ("{n} van de {total} vitale en hoge processen ({share}) vallen stil als één niet-Europese "
                    "leveranciersgroep de toegang afsluit, bijvoorbeeld door een sanctie, een overname of een bevel "
                    "van een buitenlandse overheid.",
                    "{n} of the {total} vital and high processes ({share}) stop if a single non-European supplier "
                    "group cuts access, for instance through a sanction, a takeover or an order of a foreign "
                    "government."),
    "report.fig.spof": ("vitale/hoge processen met een niet-Europese single point of failure",
                        "vital/high processes with a non-European single point of failure"),
    "report.risks": ("Grootste risico's", "Top risks"),
    "report.risks_help": ("Vitale en hoge processen die één niet-Europese leveranciersgroep in zijn eentje kan "
                          "stilleggen.",
                          "Vital and high processes that a single non-European supplier group can stop on its own."),
    "report.no_risks": ("Geen enkel vitaal of hoog proces hangt af van één niet-Europese leveranciersgroep.",
                        "No vital or high process depends on a single non-European supplier group."),
    "report.col.process": ("proces", "process"),
    "report.col.groups": ("niet-Europese leveranciersgroepen die het alleen kunnen stilleggen",
                          "non-European supplier groups that can stop it alone"),
    "report.unit.processes": ("processen", "processes"),
    "report.laws": ("Wetten met extraterritoriale werking in de keten:", "Laws with extraterritorial reach in the chain:"),
    "report.steps_help": ("De stappen die de zwaarste tekortkomingen oplossen, samengevoegd over alle processen, "
                          "gegevens en systemen.",
                          "The steps that close the most severe gaps, merged over all processes, data and systems."),
    "report.step_fixes": ("(lost {n} tekortkomingen op)", "(closes {n} gaps)"),
    "report.method": ("Opgesteld met sovmap uit de inventaris van afhankelijkheden. Een leveranciersgroep is een "
                      "moederbedrijf met alles wat het bezit; niet-Europees betekent dat een partij in de keten "
                      "buiten de EU/EER gevestigd is. De beoordeling volgt de drie vragen van 'Sturen op digitale "
                      "soevereiniteit': geografisch, juridisch en operationeel.",
                      "Prepared with sovmap from the inventory of dependencies. A supplier group is a parent company "
                      "with everything it owns; non-European means that a party in the chain is registered outside "
                      "the EU/EEA. The assessment follows the three questions of the Dutch guidance 'Sturen op "
                      "digitale soevereiniteit': geographic, legal and operational."),
    "report.intro": ("Een afdrukbare rapportage voor bestuur en raad: kerncijfers, grafieken, de grootste risico's en "
                     "de concrete volgende stappen. Het bestand staat op zichzelf (geen internet nodig).",
                     "A printable report for the board and council: key figures, charts, the top risks and the "
                     "concrete next steps. The file is self-contained (no internet needed)."),
    "report.download": ("Download rapportage (HTML)", "Download report (HTML)"),
    "report.print": ("Open het bestand in de browser en kies Afdrukken om er een PDF van te maken.",
                     "Open the file in a browser and choose Print to make a PDF of it."),
    # --- the explanation sheet of the templates -------------------------------------
    "tpl.id": ("Unieke code van de regel; codes zijn uniek over alle bestanden heen.",
               "Unique id of the row; ids are unique across all files."),
    "tpl.name": ("Naam zoals collega's en bestuurders die kennen.", "Name as colleagues and the board know it."),
    "tpl.from_id": ("Code van wat afhankelijk is (proces, gegevensverzameling of systeem).",
                    "Id of what depends (a process, data set or system)."),
    "tpl.to_id": ("Code van waar het van afhangt.", "Id of what it depends on."),
    "tpl.dependency_type": ("Soort afhankelijkheid; leeg laten als die volgt uit de soorten aan beide kanten.",
                            "Kind of dependency; leave empty when it follows from the kinds at both ends."),
    "tpl.alternative_group": ("Naam van een groep alternatieven: regels met dezelfde groep vervangen elkaar.",
                              "Name of a group of alternatives: rows with the same group replace each other."),
    "tpl.min_required": ("Hoeveel alternatieven van de groep minstens moeten werken (standaard 1).",
                         "How many alternatives of the group must work at least (default 1)."),
    "tpl.enum": ("{label}: een van de toegestane waarden (Nederlands of Engels).",
                 "{label}: one of the accepted values (Dutch or English)."),
    "tpl.country": ("Land: ISO-code (NL, DE, US) of naam.", "Country: ISO code (NL, DE, US) or name."),
    "tpl.reference": ("Verwijzing ({relation}): een code uit {files}.", "Reference ({relation}): an id from {files}."),
    "or": (" of ", " or "),
    # --- plural titles of kinds (our headings; the kinds' own labels come from the ontology) --------
    "kinds.organisation": ("Organisaties", "Organisations"),
    "kinds.process": ("Processen", "Processes"),
    "kinds.dataset": ("Gegevensverzamelingen", "Data sets"),
    "kinds.system": ("Systemen", "Systems"),
    "kinds.location": ("Locaties", "Locations"),
    "kinds.supplier": ("Leveranciers", "Suppliers"),
    "kinds.country": ("Landen", "Countries"),
    # --- issue 12: owners in why-chains, demo, uploads, versions, plurals ----------------------------
    "why.owned_by": ("eigendom van {owner}, {country}", "owned by {owner}, {country}"),
    "demo.banner": ("U bekijkt de fictieve demo-gemeente Zuiderwaard, in een eigen demo-werkmap. Uw eigen werkmap "
                    "en de huidige versie daarvan zijn niet veranderd; Inventaris laden en Versies gaan over uw "
                    "eigen werkmap.",
                    "You are looking at the fictional demo municipality of Zuiderwaard, in a demo workspace of its "
                    "own. Your own workspace and its current version are unchanged; Upload inventory and Versions "
                    "are about your own workspace."),
    "demo.leave": ("Demo verlaten", "Leave the demo"),
    "sidebar.demo": ("Demo: fictieve gemeente Zuiderwaard (niet uw werkmap).",
                     "Demo: the fictional municipality of Zuiderwaard (not your workspace)."),
    "welcome.what": ("sovmap beantwoordt twee vragen over uw digitale afhankelijkheden: **wat valt uit als een "
                     "leverancier de toegang afsluit** (door een sanctie, een overname of een bevel van een "
                     "buitenlandse overheid), en **welke processen, systemen en gegevens hebben we niet zelf in de "
                     "hand**. U laadt daarvoor een inventaris van processen, systemen, leveranciers en locaties.",
                     "sovmap answers two questions about your digital dependencies: **what breaks if a supplier "
                     "cuts access** (through a sanction, a takeover or an order of a foreign government), and "
                     "**which processes, systems and data are not under our control**. For that you upload an "
                     "inventory of processes, systems, suppliers and locations."),
    "welcome.demo": ("Bekijk de demo-gemeente", "Look at the demo municipality"),
    "welcome.demo_help": ("Opent de fictieve demo-gemeente in een eigen demo-werkmap; uw eigen werkmap blijft leeg "
                          "tot u zelf een inventaris laadt.",
                          "Opens the fictional demo municipality in a demo workspace of its own; your own workspace "
                          "stays empty until you upload an inventory yourself."),
    "upload.demo_help": ("Opent de fictieve demo-gemeente in een eigen demo-werkmap. Uw werkmap en de huidige versie "
                         "daarvan veranderen niet.",
                         "Opens the fictional demo municipality in a demo workspace of its own. Your workspace and "
                         "its current version do not change."),
    "upload.drop_hint": ("Klik op \"Upload\" of sleep de bestanden in het vak hieronder. De teksten in dat vak komen "
                         "van Streamlit en zijn alleen in het Engels; \"per file\" geeft de grootste toegestane "
                         "omvang per bestand.",
                         "Click \"Upload\" or drag the files into the box below; \"per file\" gives the largest "
                         "size allowed per file."),
    "upload.help": ("CSV-bestanden (meerdere tegelijk), een .zip of een Excel-werkmap (.xlsx).",
                    "CSV files (several at once), a .zip or an Excel workbook (.xlsx)."),
    "upload.name": ("Naam van deze versie (optioneel)", "Name of this version (optional)"),
    "upload.name_hint": ("bijvoorbeeld: na aanbesteding werkplek", "for instance: after the workplace tender"),
    "upload.rejected_files": ("Afgewezen en uit de lijst gehaald: {names}. Kies de herstelde bestanden opnieuw.",
                              "Rejected and removed from the list: {names}. Choose the corrected files again."),
    "upload.copy_name": ("\"{name}\" lijkt een tweede kopie van \"{original}\": een browser of Verkenner zet "
                         "\"(2)\" achter de naam als een bestand met die naam er al is. sovmap herkent het bestand "
                         "aan zijn naam; hernoem het naar \"{original}\" (en verwijder de oude kopie) voor u het "
                         "laadt.",
                         "\"{name}\" looks like a second copy of \"{original}\": a browser or file manager adds "
                         "\"(2)\" to the name when a file of that name already exists. sovmap recognises a file "
                         "by its name; rename it to \"{original}\" (and delete the old copy) before you upload it."),
    "upload.unchanged": ("Niets nieuws opgeslagen: deze bestanden zijn precies dezelfde als versie {version}, de "
                         "huidige versie.",
                         "Nothing new stored: these files are exactly the same as version {version}, the current "
                         "one."),
    "upload.unchanged_old": ("Niets nieuws opgeslagen: deze bestanden zijn precies dezelfde als versie {version}. "
                             "Die is niet de huidige; maak hem huidig op de pagina Versies.",
                             "Nothing new stored: these files are exactly the same as version {version}. It is not "
                             "the current one; make it current on the Versions page."),
    "versions.col.name": ("naam", "name"),
    "versions.rename": ("Naam van de gekozen versie", "Name of the chosen version"),
    "versions.rename_save": ("Naam opslaan", "Save name"),
    "versions.renamed": ("Versie {version} heet nu \"{name}\".", "Version {version} is now named \"{name}\"."),
    "versions.confirm": ("Versie {version} de huidige maken? Alle pagina's en de bestuurlijke rapportage laten dan "
                         "versie {version} zien in plaats van {current}.",
                         "Make version {version} the current one? Every page and the board report then show "
                         "version {version} instead of {current}."),
    "versions.confirm_yes": ("Ja, maak huidig", "Yes, make current"),
    "versions.cancel": ("Annuleren", "Cancel"),
    "versions.made_current": ("Versie {version} is nu de huidige.", "Version {version} is now the current one."),
    "impact.summary.cut": ("Weg: {cut}", "Cut: {cut}"),
    "impact.summary.none": ("Daardoor valt geen enkel vitaal of hoog proces stil.",
                            "No vital or high process stops as a result."),
    "impact.summary.one": ("Daardoor valt **1 vitaal of hoog proces** stil: {names}.",
                           "As a result **1 vital or high process** stops: {names}."),
    "impact.summary.many": ("Daardoor vallen **{n} vitale of hoge processen** stil: {names}.",
                            "As a result **{n} vital or high processes** stop: {names}."),
    "spof.summary.all": ("**{n}** van de {total} gekozen processen {verb} een single point of failure; **{non_eu}** "
                         "daarvan een niet-Europese.",
                         "**{n}** of the {total} chosen processes {verb} a single point of failure; **{non_eu}** of "
                         "them a non-European one."),
    "spof.summary.non_eu": ("**{n}** van de {total} gekozen processen {verb} een niet-Europese single point of "
                            "failure; alleen de niet-Europese leveranciersgroepen staan in de lijst.",
                            "**{n}** of the {total} chosen processes {verb} a non-European single point of failure; "
                            "only the non-European supplier groups are listed."),
    "spof.verb.one": ("heeft", "has"),
    "spof.verb.many": ("hebben", "have"),
    "spof.unknown_hidden": ("Een leveranciersgroep waarvan het eigendom onbekend is, telt hier niet als "
                            "niet-Europees, maar ook niet als Europees: {n} proces(sen) met alleen zulke groepen "
                            "staan niet in deze lijst. Zet de schakelaar uit om ze te zien (kolom \"waarvan eigendom "
                            "onbekend\").",
                            "A supplier group whose ownership is unknown does not count as non-European here, nor as "
                            "European: {n} process(es) with only such groups are not in this list. Switch the toggle "
                            "off to see them (column \"of which ownership unknown\")."),
    "report.file": ("sovmap-rapportage", "sovmap-board-report"),
    "report.unit.process": ("proces", "process"),
    "report.step_fixes.one": ("(lost 1 tekortkoming op)", "(closes 1 gap)"),
    "kinds.contract": ("Contracten", "Contracts"),
    # --- the graph browser's chain view (dashboard/views/graph.py, graphview_chain.py) ----------------
    "graph.chain.intro": ("Kies een onderdeel en zie de hele keten: van proces via systemen, locaties en "
                          "leveranciers tot de uiteindelijke eigenaar en het land waar die gevestigd is.",
                          "Choose an item and see the whole chain: from process through systems, locations and "
                          "suppliers to the ultimate owner and the country it is registered in."),
    "graph.chain.fit": ("Alles in beeld", "Fit to view"),
    "graph.chain.items": ("onderdelen", "items"),
    "graph.chain.group_of": ("groep van {count}", "group of {count}"),
    "graph.chain.howto": ("Klik op een onderdeel voor details; dubbelklik om zijn buren toe te voegen (wat al "
                          "getekend is blijft staan); scrol om te zoomen, sleep om te verschuiven.",
                          "Click an item for its details; double-click to add its neighbours (what is drawn "
                          "stays where it is); scroll to zoom, drag to pan."),
    "graph.chain.aggregated": ("Meer dan {limit} onderdelen: gelijksoortige onderdelen zijn samengevoegd tot "
                               "één blok met een aantal. Dubbelklik op een blok om het te openen, of kies een "
                               "kleinere diepte of een ander middelpunt.",
                               "More than {limit} items: items of one kind are folded into one block with a "
                               "count. Double-click a block to open it, or choose a smaller depth or another "
                               "centre."),
    "graph.chain.depth_cut": ("Na {depth} stap(pen) afgebroken. Kies \"hele keten\" om door te gaan tot de "
                              "uiteindelijke eigenaar en zijn land.",
                              "Stopped after {depth} step(s). Choose \"whole chain\" to go on to the ultimate "
                              "owner and its country."),
    "graph.mode": ("Vraag", "Question"),
    "graph.mode.down": ("Waar hangt dit van af?", "What does this depend on?"),
    "graph.mode.up": ("Wat hangt hiervan af?", "What depends on this?"),
    "graph.mode.path": ("Hoe hangen twee onderdelen samen?", "How are two items connected?"),
    "graph.target": ("Naar", "To"),
    "graph.depth": ("Diepte", "Depth"),
    "graph.depth.all": ("hele keten", "whole chain"),
    "graph.groups": ("Leveranciersgroepen", "Supplier groups"),
    "graph.groups.separate": ("los", "separate"),
    "graph.groups.boxed": ("in een kader", "boxed"),
    "graph.groups.collapsed": ("samengevoegd", "collapsed"),
    "graph.path.found": ("{count} kortste keten(s) van {steps} stap(pen), gemarkeerd in de tekening:",
                         "{count} shortest chain(s) of {steps} step(s), highlighted in the drawing:"),
    "graph.path.reversed": ("{b} hangt af van {a}: de ketens lopen van {b} naar {a}.",
                            "{b} depends on {a}: the chains run from {b} to {a}."),
    "graph.path.none": ("Er loopt geen afhankelijkheidsketen tussen {a} en {b}, in geen van beide richtingen.",
                        "No dependency chain connects {a} and {b}, in either direction."),
    "graph.path.same": ("Kies bij \"Naar\" een ander onderdeel.", "Choose another item under \"To\"."),
    "graph.path.alternative": ("stap {step} is één van {n} alternatieven (groep {group}, {k} nodig)",
                               "step {step} is one of {n} alternatives (group {group}, {k} needed)"),
    "graph.path.single": ("geen alternatieven onderweg", "no alternatives along the way"),
    "graph.legend.junction": ("rondje met k / N: k van N alternatieven nodig",
                              "circle with k / N: k of N alternatives needed"),
    "graph.legend.badges": ("[…] onder een naam: organisatie en land", "[…] under a name: organisation and country"),
    "graph.legend.path": ("oranje: de kortste ketens", "orange: the shortest chains"),
    "details.what": ("Wat het is", "What it is"),
    "details.control": ("Zeggenschap", "Control"),
    "details.dependants": ("Wat hiervan afhangt", "What depends on it"),
    "details.dependants.none": ("Niets in de inventaris hangt hiervan af.", "Nothing in the inventory depends on it."),
    "details.dependants.count": ("{direct} direct; in totaal {processes} proces(sen).",
                                 "{direct} directly; {processes} process(es) in all."),
    "details.reasons_all": ("Alle redenen", "All reasons"),
    # --- roadmap (routekaart) ---------------------------------------------------------
    "nav.roadmap": ("Routekaart", "Roadmap"),
    "roadmap.intro": ("Welke stappen in welk jaar: steeds de stap die per inspanning het meeste risico wegneemt, "
                      "binnen {capacity:g} inspanning per jaar (standaard: leverancier vervangen 3, verhuizen 2, "
                      "exitplan en export 1, clausule onderhandelen 1), en niet vóór de opzegdatum van het contract "
                      "waarop een stap wacht. Alternatieven zijn aangenomen in {home}: een planningsaanname, geen "
                      "feit uit de inventaris.",
                      "Which steps in which year: each time the step that removes the most risk per effort, within "
                      "{capacity:g} effort a year (by default: replace a supplier 3, move 2, exit plan and export 1, "
                      "negotiate a clause 1), and not before the notice date of the contract a step waits for. "
                      "Alternatives are assumed in {home}: a planning assumption, not a fact of the inventory."),
    "roadmap.computing": ("De routekaart wordt berekend (eenmalig per versie, enkele seconden)…",
                          "Computing the roadmap (once per version, a few seconds)…"),
    "roadmap.kind.replace": ("Leverancier vervangen", "Replace supplier"),
    "roadmap.kind.exit": ("Exit voorbereiden", "Prepare exit"),
    "roadmap.kind.move": ("Verhuizen naar EU/EER", "Move to EU/EEA"),
    "roadmap.kind.contract_law": ("Clausule onderhandelen", "Negotiate clause"),
    "roadmap.col.period": ("periode", "period"),
    "roadmap.col.start": ("start vanaf", "start from"),
    "roadmap.col.kind": ("soort stap", "kind of step"),
    "roadmap.col.target": ("waarvoor", "for"),
    "roadmap.col.action": ("stap", "step"),
    "roadmap.col.dimensions": ("dimensie", "dimension"),
    "roadmap.col.organisations": ("organisatie", "organisation"),
    "roadmap.col.waits_for": ("wacht op contract", "waits for contract"),
    "roadmap.col.notice_by": ("opzegdatum", "notice date"),
    "roadmap.col.effort": ("inspanning", "effort"),
    "roadmap.col.risk_removed": ("risico weg", "risk removed"),
    "roadmap.now": ("nu", "now"),
    "roadmap.period_end": ("einde periode", "end of period"),
    "roadmap.contract": ("contract", "contract"),
    "roadmap.contract_end": ("einddatum contract", "contract end"),
    "roadmap.in_control": ("vitale/hoge processen zonder tekortkoming", "vital/high processes without a gap"),
    "roadmap.timeline": ("Tijdlijn", "Timeline"),
    "roadmap.timeline_help": ("Elke stap loopt van het moment dat hij kan beginnen tot het einde van zijn periode; de "
                              "stippellijnen zijn de einddatums van de contracten waarop stappen wachten.",
                              "Each step runs from when it may start to the end of its period; the dotted lines are "
                              "the end dates of the contracts steps wait for."),
    "roadmap.curve": ("Vitale en hoge processen in controle", "Vital and high processes in control"),
    "roadmap.curve_help": ("Hoeveel van de {of} vitale en hoge processen na elke periode geen tekortkoming meer hebben "
                           "(nu {now}). De lijn daalt nooit.",
                           "How many of the {of} vital and high processes have no gap left after each period (now "
                           "{now}). The line never goes down."),
    "roadmap.actions": ("Stappen per periode", "Steps per period"),
    "roadmap.summary": ("**{n}** van de {total} geplande stappen getoond; {later} stap(pen) passen niet binnen de "
                        "periode en blijven voor later.",
                        "**{n}** of the {total} planned steps shown; {later} step(s) do not fit in the period and are "
                        "left for later."),
    "roadmap.organisations": ("Organisaties", "Organisations"),
    "roadmap.none": ("Er is niets te plannen: geen tekortkoming die een stap kan sluiten. Dat zegt niets over wat de "
                     "inventaris niet weet: zie de dekking hierboven.",
                     "There is nothing to plan: no gap a step can close. That says nothing about what the inventory "
                     "does not know: see the coverage above."),
    "roadmap.file": ("sovmap-routekaart", "sovmap-roadmap"),
    "roadmap.sheet": ("routekaart", "roadmap"),
    "report.roadmap": ("Routekaart: wat we doen in {years}", "Roadmap: what we do in {years}"),
    "report.roadmap_help": ("Per periode de stappen die per inspanning het meeste risico wegnemen, niet vóór de "
                            "opzegdatum van de contracten waarop ze wachten; alternatieven aangenomen in {home} "
                            "(planningsaanname).",
                            "Per period the steps that remove the most risk per effort, not before the notice date of "
                            "the contracts they wait for; alternatives assumed in {home} (planning assumption)."),
    "report.roadmap_period": ("{period}: {n} stap(pen); daarna {done} van de {of} vitale/hoge processen zonder "
                              "tekortkoming",
                              "{period}: {n} step(s); then {done} of the {of} vital/high processes without a gap"),
    "report.roadmap_more": ("en nog {n} stap(pen): zie de routekaart in het dashboard",
                            "and {n} more step(s): see the roadmap in the dashboard"),
    "roadmap.renews_first": ("({contract} verlengt eerst: opzegdatum {date} is dan voorbij)",
                             "({contract} renews first: notice date {date} has passed by then)"),
    "report.roadmap_waits": ("wacht op {contracts}, opzeggen vóór {date}", "waits for {contracts}, notice by {date}"),
    # --- the graph browser on Neo4j (dashboard/views/graph_neo4j.py) ----------------------------
    "graph.neo4j_target": ("Te kiezen: waar het middelpunt van afhangt, of een zoekresultaat.",
                           "To choose from: what the centre depends on, or a search hit."),
    "graph.neo4j_capped": ("Neo4j heeft voor deze weergave meer dan {limit} onderdelen; de eerste {limit} (de "
                           "dichtstbijzijnde) zijn opgehaald, de rest ontbreekt in de tekening en in de tellingen. "
                           "Kies een specifieker middelpunt of een kleinere diepte.",
                           "Neo4j has more than {limit} items for this view; the first {limit} (nearest first) were "
                           "fetched, the rest is missing from the drawing and the counts. Choose a more specific "
                           "centre or a smaller depth."),
}


def t(key: str, lang: str, **values: object) -> str:
    """Our text ``key`` in ``lang`` ("nl" or "en"), with ``{placeholders}`` filled in."""
    nl, en = TEXTS[key]
    text = nl if lang == "nl" else en
    return text.format(**values) if values else text


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def kind_label(kind: str, lang: str) -> str:
    """The ontology's label of a kind, capitalised: "Systeem", "Data set"."""
    try:
        return _cap(vocabulary().kind(kind).label(lang))
    except KeyError:
        return kind


def kinds_label(kind: str, lang: str) -> str:
    """A heading for many items of a kind: "Systemen", "Data sets"."""
    key = f"kinds.{kind}"
    return t(key, lang) if key in TEXTS else kind_label(kind, lang)


def value_label(enum_id: str, value: str | None, lang: str) -> str:
    """The ontology's label of a listed value ("vital" → "vitaal"); empty for no value."""
    if value in (None, ""):
        return ""
    try:
        return vocabulary().enum(enum_id).get(value).label(lang)
    except KeyError:
        return str(value)


def column_label(kind: str, key: str, lang: str) -> str:
    """The ontology's label of an inventory column of a kind ("criticality" → "kritikaliteit")."""
    try:
        return vocabulary().kind(kind).column(key).label(lang)
    except KeyError:
        return key


def relation_label(relation: str, lang: str) -> str:
    """The ontology's label of a relation ("provided_by" → "geleverd door")."""
    try:
        return vocabulary().relation(relation).label(lang)
    except KeyError:
        return relation


def country_label(code: str | None, lang: str) -> str:
    """A country's name in ``lang`` with its code: "Verenigde Staten (US)"."""
    if not code:
        return t("unknown", lang)
    try:
        return f"{country(code).label(lang)} ({code})"
    except KeyError:
        return code


def yes_no(value: bool | None, lang: str) -> str:
    return t("unknown", lang) if value is None else t("yes" if value else "no", lang)


def _lang_of(tag: str | None) -> str | None:
    primary = (tag or "").strip().split(";")[0].split("-")[0].split("_")[0].lower()
    return primary if primary in LANGS else None


def pick_language(query: str | None, locale: str | None, accept_language: str | None) -> str:
    """The language to show: ?lang= when valid, else the browser's locale, else Accept-Language, else Dutch.

    A browser in another language than Dutch or English gets English.

    >>> pick_language(None, None, "de-DE,de;q=0.9,nl;q=0.8")
    'nl'
    >>> pick_language(None, "fr-FR", None), pick_language(None, None, None)
    ('en', 'nl')
    """
    if _lang_of(query):
        return _lang_of(query)
    if locale:
        return _lang_of(locale) or "en"
    if accept_language:
        for part in accept_language.split(","):
            hit = _lang_of(part)
            if hit:
                return hit
        return "en"
    return DEFAULT_LANG
