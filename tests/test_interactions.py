"""Medication interactions: the table, lookups, the direction of hours (the commands
that show them: tests/cli/test_cli_interactions.py and test_cli_dose.py).

Each row's figures below were read from the source the row cites (data/interactions.csv names the
document, section, URL or DailyMed set id, and date); the direction tests quote the source
sentence itself and derive the hours from it.
"""

from __future__ import annotations

import re
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import AVOID, SPACING, STATUS
from mgcalc.dose import dose
from mgcalc.errors import FormsTableError, MgcalcError
from mgcalc.interactions import (
    COLUMNS,
    EFFECTS,
    GRADES,
    KINDS,
    NO_INTERVAL,
    NOT_LISTED,
    from_mineral_side,
    load_interactions,
    lookup,
    lookup_all,
    parse_interactions,
)

#: drug -> (kind, hours_before, hours_after), as the cited source gives them, from the drug's side.
EXPECTED = {
    "ciprofloxacin": (SPACING, 2, 6),      # CIPRO label 2.4
    "levofloxacin": (SPACING, 2, 2),       # levofloxacin tablets label 2.4, 7.1
    "moxifloxacin": (SPACING, 4, 8),       # moxifloxacin tablets label, highlights and 2.2
    "tetracycline": (SPACING, 3, 3),       # Neomag SmPC 4.5: "2 to 3 hours or more" (the longer)
    "alendronate": (SPACING, 0.5, None),   # FOSAMAX 2.6 (Drugs.com copy): one-half hour before the first medication
    "risedronate": (SPACING, 0.5, None),   # ACTONEL 2.6: 30 minutes before any oral medication
    "ibandronate": (SPACING, 1, None),     # ibandronate tablets 2.2: 60 minutes before
    "levothyroxine": (SPACING, 4, 4),      # TIROSINT-SOL 2.1 (Drugs.com copy, 2022-05-27): 4 hours before or after
    "dolutegravir": (SPACING, 2, 6),       # TIVICAY: 2 hours before or 6 hours after
    "bictegravir": (SPACING, 2, 6),        # BIKTARVY: 2 hours before or 6 hours after Al/Mg antacids
    "raltegravir": (AVOID, None, None),    # FDA: coadministration or staggered administration not recommended
    "atazanavir": (SPACING, 2, 1),         # REYATAZ 7.3: 2 hours before or 1 hour after antacids
    "eltrombopag": (SPACING, 2, 4),        # PROMACTA: 2 hours before or 4 hours after
    "penicillamine": (SPACING, 4, 4),      # Neomag SmPC 4.5: 3 to 4 hours (the longer)
    "nitrofurantoin": (SPACING, 4, 4),
    "hydroxychloroquine": (SPACING, 4, 4),
    "chloroquine": (SPACING, 4, 4),
    "quinidine": (SPACING, 4, 4),
    "sodium fluoride": (SPACING, 3, 3),    # "Fluorides and tetracycline ... 2 to 3 hours or more"
    "oral iron": (SPACING, 4, 4),        # Neomag SmPC 4.5: iron, 3 to 4 hours (the longer)
    # Issue 20: the label names magnesium or antacids but gives no interval.
    "doxycycline": (SPACING, None, None),  # US label, Drug Interactions (transcription; grade secondary)
    "minocycline": (SPACING, None, None),  # MINOCIN label copy, Drug Interactions
    "mycophenolate mofetil": (SPACING, None, None),  # CELLCEPT: antacid not at the same time
    "baloxavir marboxil": (SPACING, None, None),      # XOFLUZA EU leaflet: not with them, no interval
    "deferiprone": (SPACING, None, None),  # FERRIPROX EU leaflet: not at the same time as Al antacids
    "gabapentin": (SPACING, None, 2),      # NEURONTIN (Thai PI, MIMS copy): about 2 hours after the antacid
    "demeclocycline": (SPACING, 2, 6),     # consumer page: 2 hours before or 6 hours after Mg antacids, laxatives
    "cabotegravir": (SPACING, 4, 2),       # antacid 2 hours before or 4 hours after the tablet, turned round
    "dolutegravir/rilpivirine": (SPACING, 4, 6),     # JULUCA: antacids 6 hours before or 4 hours after, turned round
    "abacavir/dolutegravir/lamivudine": (SPACING, 2, 6),  # TRIUMEQ EU leaflet: no antacid 6 hours before, 2 after
    "dolutegravir/lamivudine": (SPACING, 2, 6),      # DOVATO: 2 hours before or 6 hours after
    # STRIBILD and GENVOYA EU leaflets: minerals at least 4 hours before or at least 4 hours after the tablet
    "elvitegravir/cobicistat/emtricitabine/tenofovir disoproxil fumarate": (SPACING, 4, 4),
    "elvitegravir/cobicistat/emtricitabine/tenofovir alafenamide": (SPACING, 4, 4),
    **{drug: (STATUS, None, None) for drug in (
        "furosemide", "bumetanide", "torsemide", "hydrochlorothiazide", "bendroflumethiazide",
        "omeprazole", "esomeprazole", "lansoprazole", "pantoprazole", "rabeprazole", "dexlansoprazole",
        "gentamicin", "tobramycin", "amikacin", "amphotericin B", "cyclosporine", "digoxin",
        "cisplatin", "foscarnet", "pentamidine", "sirolimus", "cetuximab", "erlotinib", "panitumumab",
        "bevacizumab", "tacrolimus", "spironolactone", "amiloride", "triamterene",
    )},
}

#: Which way each affects-magnesium-status drug moves magnesium, as its source says.
RAISES = {"spironolactone", "amiloride", "triamterene"}

_NUMBER_WORDS = {"one-half": 0.5, "one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "eight": 8}
_BEFORE_AFTER = re.compile(
    r"(\d+(?:\.\d+)?|one-half|one|two|three|four|six|eight) hours? (?:before|prior)"
    r"(?: (?:or|and) (?:at least )?(\d+|one|two|three|four|six|eight) hours? after)?"
)


def hours_in(sentence: str) -> tuple[float, float | None]:
    """(before, after) as the sentence words them: 'at least 2 hours before or 6 hours after'."""
    match = _BEFORE_AFTER.search(sentence)
    assert match, sentence
    before, after = (None if t is None else float(_NUMBER_WORDS.get(t, t)) for t in match.groups())
    if after is None and " or after" in sentence[match.end():match.end() + 10]:
        after = before  # "4 hours before or after"
    return before, after  # type: ignore[return-value]


# --- the table ------------------------------------------------------------------------------


def test_the_installed_package_finds_the_table():
    resource = resources.files("mgcalc") / "data" / "interactions.csv"
    assert resource.is_file()
    assert load_interactions().origin.endswith("interactions.csv")


def test_every_row_has_the_kind_and_hours_its_source_gives():
    table = load_interactions()
    found = {row.drug: (row.kind, row.hours_before, row.hours_after) for row in table.rows}
    assert found == EXPECTED


def test_every_row_has_a_source_and_at_least_25_drugs_ship():
    rows = load_interactions().rows
    assert len(rows) >= 25
    for row in rows:
        assert row.kind in KINDS
        assert all(row.source), row.drug
        assert row.source.url.startswith("http"), row.drug
        assert re.match(r"\d{4}-\d{2}(-\d{2})?$|undated copy, read \d{4}-\d{2}-\d{2}$", row.source.date), row.drug
        assert row.wording_basis and "\n" not in row.rule
        assert row.source.grade in GRADES, row.drug
        for other in row.other_sources:
            assert other.rule and all(other.source) and other.source.grade in GRADES, row.drug


def test_every_status_row_says_which_way_and_no_other_row_does():
    for row in load_interactions().rows:
        if row.kind == STATUS:
            assert row.effect == ("raises" if row.drug in RAISES else "lowers"), row.drug
        else:
            assert row.effect is None, row.drug


def test_a_spacing_row_without_hours_says_the_source_gives_no_interval():
    no_hours = [r for r in load_interactions().rows
                if r.kind == SPACING and r.hours_before is None and r.hours_after is None]
    assert {r.drug for r in no_hours} == {"doxycycline", "minocycline", "mycophenolate mofetil", "baloxavir marboxil",
                                          "deferiprone"}
    for row in no_hours:
        assert NO_INTERVAL in row.rule, row.drug


def test_other_authorities_hours_for_doxycycline_are_their_own():
    """NIH ODS's 2 hours before / 4 to 6 after is listed under other_sources, never as the label's."""
    row = lookup("doxycycline").row
    assert row is not None and (row.hours_before, row.hours_after) == (None, None)
    ods = [o for o in row.other_sources if "Office of Dietary Supplements" in o.source.title]
    assert ods and "2 hours before or 4 to 6 hours after" in ods[0].rule
    assert "4 to 6" not in row.rule and "ods.od.nih.gov" not in row.source.url


def test_grades_are_the_ones_the_sources_earn():
    graded = {row.drug: row.source.grade for row in load_interactions().rows}
    assert graded["minocycline"] == "label-copy"       # DrugLib's copy of the MINOCIN label
    assert graded["dolutegravir/lamivudine"] == "maker-site"   # ViiV's DOVATO prescriber page
    assert graded["dolutegravir/rilpivirine"] == "maker-site"  # GSK's JULUCA prescriber page
    assert graded["omeprazole"] == "fda" and graded["raltegravir"] == "fda"
    assert graded["furosemide"] == "magnesium-smpc" and graded["oral iron"] == "magnesium-smpc"
    # MIMS Thailand's copy of the NEURONTIN prescribing information; the XOFLUZA EU package leaflet.
    assert graded["gabapentin"] == "label-copy" and graded["baloxavir marboxil"] == "label-copy"
    # Full English copies of EU package leaflets (the Gravitate Health ePI test repository).
    for drug in ("abacavir/dolutegravir/lamivudine", "deferiprone", "tacrolimus",
                 "elvitegravir/cobicistat/emtricitabine/tenofovir disoproxil fumarate",
                 "elvitegravir/cobicistat/emtricitabine/tenofovir alafenamide"):
        assert graded[drug] == "label-copy", drug
    for drug in ("doxycycline", "cabotegravir", "spironolactone", "amiloride", "triamterene",
                 "mycophenolate mofetil", "demeclocycline"):
        assert graded[drug] == "secondary", drug
    # A magnesium product's SmPC is graded as such, never as the drug's own label.
    for row in load_interactions().rows:
        if "emc product 2678" in row.source.title or "emc product 12118" in row.source.title:
            assert row.source.grade == "magnesium-smpc", row.drug

def test_every_class_the_issue_names_is_covered():
    classes = {row.drug_class for row in load_interactions().rows}
    for needed in ("tetracycline antibiotic", "fluoroquinolone antibiotic", "bisphosphonate", "thyroid hormone",
                   "HIV integrase inhibitor", "thrombopoietin receptor agonist", "loop diuretic",
                   "thiazide diuretic", "proton pump inhibitor", "aminoglycoside antibiotic", "antifungal",
                   "calcineurin inhibitor", "potassium-sparing diuretic", "gabapentinoid", "iron supplement",
                   "immunosuppressant", "influenza antiviral", "iron chelator"):
        assert needed in classes


def table_text(**changes: str) -> str:
    row = {c: "" for c in COLUMNS}
    row.update(drug="drugamab", kind="spacing", hours_before="2", rule="Take it 2 hours before.",
               source_title="A label", source_section="2.4", source_url="https://example.org/label",
               source_date="2026-01-01", grade="label", wording_basis="magnesium named")
    row.update(changes)
    return ",".join(COLUMNS) + "\n" + ",".join(f'"{row[c]}"' for c in COLUMNS) + "\n"


def test_a_valid_minimal_table_parses():
    row = parse_interactions(table_text(), "t.csv").rows[0]
    assert (row.kind, row.hours_before, row.hours_after, row.source.grade) == ("spacing", 2.0, None, "label")


def test_a_spacing_row_may_give_no_hours_when_its_rule_says_so():
    row = parse_interactions(table_text(hours_before="", rule="Keep them apart; the label gives no interval."),
                             "t.csv").rows[0]
    assert (row.hours_before, row.hours_after) == (None, None)


def test_a_status_row_carries_its_effect():
    for effect in EFFECTS:
        row = parse_interactions(table_text(kind=STATUS, hours_before="", effect=effect), "t.csv").rows[0]
        assert row.effect == effect


def test_a_name_two_rows_carry_names_both():
    """A brand sold for two drugs (two countries, or a generic in two combinations) lists both rows."""
    second = table_text(drug="otheramab", brands="Shared").splitlines()[1]
    table = parse_interactions(table_text(brands="Shared") + second + "\n", "t.csv")
    assert [i.drug for i in table.find("shared")] == ["drugamab", "otheramab"]
    assert [i.drug for i in table.find("otheramab")] == ["otheramab"]
    with pytest.raises(MgcalcError, match="names 2 rows"):
        table.lookup("SHARED")


def test_a_drug_twice_is_refused():
    second = table_text().splitlines()[1]
    with pytest.raises(FormsTableError, match=r"t\.csv:3: drug 'drugamab' already has a row"):
        parse_interactions(table_text() + second + "\n", "t.csv")


@pytest.mark.parametrize(("changes", "message"), [
    ({"kind": "maybe"}, "kind 'maybe' is not one of"),
    ({"hours_before": "", "hours_after": ""}, "must say in its rule that the source gives no interval"),
    ({"kind": "affects-magnesium-status", "hours_before": ""}, "needs effect lowers or raises"),
    ({"kind": "affects-magnesium-status", "hours_before": "", "effect": "maybe"}, "needs effect lowers or raises"),
    ({"effect": "lowers"}, "only an affects-magnesium-status row has an effect"),
    ({"grade": ""}, "empty grade"),
    ({"grade": "trust me"}, "grade 'trust me' is not one of label, label-copy"),
    ({"kind": "affects-magnesium-status", "effect": "lowers"}, "row gives no hours"),
    ({"kind": "avoid", "hours_before": "", "hours_after": "6"}, "row gives no hours"),
    ({"hours_before": "-1"}, "outside 0 to 72 hours"),
    ({"hours_after": "soon"}, "is not a number of hours"),
    ({"hours_after": "nan"}, "outside 0 to 72 hours"),
    ({"source_title": ""}, "empty source_title"),
    ({"source_date": ""}, "empty source_date"),
    ({"source_url": ""}, "empty source_url"),
    ({"rule": ""}, "empty rule"),
    ({"brands": "Drugamab|DRUGAMAB"}, "already names the row"),
    ({"other_sources": "a rule | a title | 4.5"}, "needs rule | title | section | url | date | grade"),
    ({"other_sources": "a rule | a title | 4.5 | https://example.org | 2026-01-01"}, "| date | grade"),
    ({"other_sources": "a rule | a title | 4.5 | https://example.org | 2026-01-01 | best"}, "grade 'best'"),
])
def test_a_malformed_row_is_refused_with_its_line(changes, message):
    with pytest.raises(FormsTableError) as caught:
        parse_interactions(table_text(**changes), "t.csv")
    assert "t.csv:2" in str(caught.value) and message in str(caught.value)


def test_a_table_without_rows_or_columns_is_refused():
    with pytest.raises(FormsTableError, match="no rows"):
        parse_interactions(",".join(COLUMNS) + "\n", "t.csv")
    with pytest.raises(FormsTableError, match="missing column"):
        parse_interactions("drug,kind\nx,spacing\n", "t.csv")


# --- lookups --------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "generic"), [
    ("Cipro", "ciprofloxacin"), ("CIPROFLOXACIN", "ciprofloxacin"), ("tivicay pd", "dolutegravir"),
    ("Tirosint-SOL", "levothyroxine"), ("tirosint sol", "levothyroxine"), ("Synthroid", "levothyroxine"),
    ("Nexium", "esomeprazole"), ("Zegerid", "omeprazole"), ("Isentress HD", "raltegravir"),
    ("Promacta", "eltrombopag"), ("  Lasix ", "furosemide"), ("ciclosporin", "cyclosporine"),
    ("Fosamax", "alendronate"), ("Biktarvy", "bictegravir"),
    ("Juluca", "dolutegravir/rilpivirine"), ("Dovato", "dolutegravir/lamivudine"),
    ("Triumeq", "abacavir/dolutegravir/lamivudine"), ("Triumeq PD", "abacavir/dolutegravir/lamivudine"),
    ("Stribild", "elvitegravir/cobicistat/emtricitabine/tenofovir disoproxil fumarate"),
    ("Genvoya", "elvitegravir/cobicistat/emtricitabine/tenofovir alafenamide"),
    ("Vocabria", "cabotegravir"), ("Xofluza", "baloxavir marboxil"), ("CellCept", "mycophenolate mofetil"),
    ("Prograf", "tacrolimus"), ("Aldactone", "spironolactone"), ("doxycycline hyclate", "doxycycline"),
    ("Ferrous Sulfate", "oral iron"), ("Neurontin", "gabapentin"), ("Declomycin", "demeclocycline"),
    ("Ferriprox", "deferiprone"),
])
def test_brand_and_generic_names_find_the_generic_row(name, generic):
    found = lookup(name)
    assert found.drug == generic and found.kind != NOT_LISTED
    assert found.query == " ".join(name.split())


def test_an_unknown_drug_is_not_listed_never_safe():
    found = lookup("paracetamol")
    assert (found.kind, found.drug, found.hours_before, found.hours_after) == (NOT_LISTED, None, None, None)
    assert "does not list 'paracetamol'" in found.rule and "does not mean it is safe" in found.rule
    assert found.suggestion is None and "did you mean" not in found.rule
    assert found.as_dict()["sources"] == [] and found.as_dict()["other_sources"] == []


@pytest.mark.parametrize(("typo", "meant"), [
    ("ciprofloxacine", "ciprofloxacin"), ("levothyroxin", "levothyroxine"), ("dolutegravier", "dolutegravir"),
    ("Biktarvi", "Biktarvy"), ("omeprazol", "omeprazole"), ("doxycyclin", "doxycycline"), ("Julucca", "Juluca"),
])
def test_a_misspelled_drug_is_not_listed_with_a_suggestion(typo, meant):
    found = lookup(typo)
    assert found.kind == NOT_LISTED and found.drug is None
    assert found.suggestion == meant
    assert f"did you mean {meant}?" in found.rule


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_an_empty_or_overlong_name_is_a_user_error(name):
    with pytest.raises(MgcalcError):
        lookup(name)


@given(st.text(max_size=120))
def test_lookup_never_raises_anything_but_a_user_error(text):
    try:
        found = lookup(text)
    except MgcalcError:
        return
    assert found.kind in (*KINDS, NOT_LISTED)


@given(st.sampled_from([n for row in load_interactions().rows for n in (row.drug, *row.brands)]))
def test_every_name_is_found_whatever_its_case(name):
    drugs = [i.drug for i in lookup_all([name])]
    assert None not in drugs and [i.drug for i in lookup_all([name.swapcase()])] == drugs


def test_elvitegravir_names_both_of_its_combinations():
    found = lookup_all(["elvitegravir"])
    assert [i.drug for i in found] == ["elvitegravir/cobicistat/emtricitabine/tenofovir disoproxil fumarate",
                                       "elvitegravir/cobicistat/emtricitabine/tenofovir alafenamide"]
    assert {i.query for i in found} == {"elvitegravir"}
    with pytest.raises(MgcalcError, match="'elvitegravir' names 2 rows"):
        lookup("elvitegravir")


def test_dolutegravir_alone_names_only_its_own_row():
    """The combinations carry their own rules (Juluca's differs); the generic name does not pull them in."""
    assert [i.drug for i in lookup_all(["dolutegravir"])] == ["dolutegravir"]


# --- direction of the hours, against the source sentence -----------------------------------


@pytest.mark.parametrize(("drug", "sentence", "worded_from"), [
    ("ciprofloxacin",  # CIPRO label 2.4 (DailyMed set 888dc7f9-..., 2026-03-02)
     "Administer CIPRO at least 2 hours before or 6 hours after magnesium/aluminum antacids; polymeric phosphate "
     "binders (for example, sevelamer, lanthanum carbonate) or sucralfate; ... or other products containing "
     "calcium, iron or zinc.", "drug"),
    ("moxifloxacin",  # moxifloxacin tablets label highlights (DailyMed set 78039242-..., revised 7/2018)
     "Take Moxifloxacin Tablet at least 4 hours before or 8 hours after these products.", "drug"),
    ("levofloxacin",  # levofloxacin tablets label 7.1 (DailyMed set 4be13bd5-..., 2024-07-10)
     "These agents should be taken at least two hours before or two hours after oral levofloxacin "
     "administration.", "mineral"),
    ("bictegravir",  # BIKTARVY prescriber site, US label table
     "BIKTARVY can be taken at least 2 hours before or 6 hours after taking antacids containing Al/Mg.", "drug"),
    ("eltrombopag",  # PROMACTA patient site: the food rule, worded from the calcium side
     "These sample items (not all are foods) may have more than 50 mg of calcium. Avoid them for 4 hours "
     "before and 2 hours after taking PROMACTA.", "mineral"),
    ("eltrombopag",  # PROMACTA patient site, worded from the drug's side
     "PROMACTA should be taken 2 hours before or 4 hours after taking medications like antacids, mineral "
     "supplements, or foods that are high in calcium", "drug"),
    ("levothyroxine",  # TIROSINT-SOL label 2.1 (https://www.drugs.com/dosage/tirosint-sol.html, 2022-05-27)
     "Administer TIROSINT-SOL at least 4 hours before or after drugs known to interfere with TIROSINT-SOL "
     "absorption", "drug"),
    ("alendronate",  # FOSAMAX label 2.6 (https://www.drugs.com/dosage/fosamax.html, read 2026-11-23)
     "Take FOSAMAX at least one-half hour before the first food, beverage, or medication of the day with plain "
     "water only", "drug"),
    ("Juluca",  # GSK prescriber site (Ireland), Other dosing considerations: worded from the antacid's side
     "Dose separation for antacids (6 hours before or 4 hours after) and H2-antagonists (12 hours before or 4 "
     "hours after)", "mineral"),
    ("Dovato",  # ViiV prescriber site, US label table
     "Administer DOVATO 2 hours before or 6 hours after taking medications containing polyvalent cations", "drug"),
    ("Triumeq",  # GSK prescriber site (Ireland), TRIUMEQ drug-drug interactions: magnesium/aluminium antacids
     "TRIUMEQ is recommended to be administered 2 hours before or 6 hours after taking these agents", "drug"),
    ("Genvoya",  # GENVOYA EU package leaflet, section 3
     "If you are taking medicines, oral supplements, antacids or laxatives containing minerals (such as magnesium, "
     "aluminium, calcium, iron, zinc), take them at least 4 hours before or at least 4 hours after Genvoya.",
     "mineral"),
    ("Stribild",  # STRIBILD EU package leaflet, section 3
     "If you are taking medicines, oral supplements, antacids or laxatives containing minerals (such as magnesium, "
     "aluminium, calcium, iron, zinc), take them at least 4 hours before or at least 4 hours after Stribild.",
     "mineral"),
    ("demeclocycline",  # Declomycin patient drug information (emeddb.com), special precautions ("or6" on the page)
     "Take demeclocycline 2 hours before or 6 hours after antacids, calcium supplements, and laxatives containing "
     "magnesium.", "drug"),
])
def test_the_hours_run_the_way_the_source_sentence_says(drug, sentence, worded_from):
    before, after = hours_in(sentence)
    expected = (before, after) if worded_from == "drug" else from_mineral_side(before, after)
    found = lookup(drug)
    assert (found.hours_before, found.hours_after) == expected


#: Neomag 4mmol chewable tablets SmPC 4.5 (https://www.medicines.org.uk/emc/product/2678/smpc, 2022-11-09),
#: worded from the magnesium's side; the same hours either way round, so the swap changes nothing.
NEOMAG_3_TO_4 = (
    "Aminoquinolines, quinidine and quinidine derivatives, nitrofurantoin, penicillamine, iron, bisphosphonates "
    "(such as alendronate and risedronate), eltrombopag, nitroxoline: to avoid impairment of absorption, "
    "magnesium preparations should be taken 3 to 4 hours before or after the administration of those drugs."
)


@pytest.mark.parametrize("drug", ["penicillamine", "nitrofurantoin", "hydroxychloroquine", "chloroquine", "quinidine"])
def test_a_range_worded_from_the_magnesium_side_gives_its_longer_figure_both_ways(drug):
    low, high = (float(n) for n in re.search(r"(\d+) to (\d+) hours before or after", NEOMAG_3_TO_4).groups())
    assert (low, high) == (3, 4)
    found = lookup(drug)
    assert (found.hours_before, found.hours_after) == from_mineral_side(high, high) == (high, high)
    assert "Neomag" in found.sources[0].title


def test_every_uk_smpc_source_names_its_product():
    for row in load_interactions().rows:
        for source in (row.source, *(o.source for o in row.other_sources)):
            if "medicines.org.uk/emc/" in source.url:
                product = re.search(r"/product/(\d+)/", source.url).group(1)
                assert f"emc product {product}" in source.title, (row.drug, source.title)
                assert not source.title.startswith("UK SmPC of a magnesium supplement"), row.drug
                assert re.match(r"\d{4}-\d{2}-\d{2}$", source.date), (row.drug, source.date)


def test_cabotegravir_wording_from_the_antacid_side_turns_round():
    """The oral cabotegravir rule is worded from the antacid's side; its figures swap.

    drugs.com (professional, citing the VOCABRIA prescribing information, 2021): "medications
    containing polyvalent cations such as antacids and mineral supplements should be administered at
    least 2 hours before or 4 hours after the oral cabotegravir dose". So cabotegravir comes at least
    4 hours before, or at least 2 hours after, the magnesium. The VOCABRIA label itself was not read,
    so the row ships graded ``secondary`` (the compendium's rule, shown as such).
    """
    sentence = ("medications containing polyvalent cations such as antacids and mineral supplements should be "
                "administered at least 2 hours before or 4 hours after the oral cabotegravir dose")
    assert hours_in(sentence) == (2, 4)
    assert from_mineral_side(*hours_in(sentence)) == (4, 2)
    found = lookup("cabotegravir")
    assert (found.kind, found.hours_before, found.hours_after, found.grade) == (SPACING, 4, 2, "secondary")
    assert "drugs.com/food-interactions/cabotegravir" in found.sources[0].url


def test_deferiprone_says_what_its_leaflet_names_and_no_more():
    """Ferriprox's EU leaflet: no aluminium-based antacid at the same time; it names no magnesium, no hours."""
    found = lookup("Ferriprox")
    assert (found.drug, found.kind, found.hours_before, found.hours_after) == ("deferiprone", SPACING, None, None)
    assert "aluminium-based antacid" in found.rule and "does not name magnesium" in found.rule
    assert NO_INTERVAL in found.rule and found.grade == "label-copy" and "EU package leaflet" in found.sources[0].title
    (us,) = found.other_sources
    assert "4 hours" in us.rule and "does not name magnesium" in us.rule and us.source.grade == "secondary"


def test_triumeq_follows_its_leaflet_from_the_antacid_side_with_the_food_exception_said():
    """TRIUMEQ EU leaflet: "Do not take an antacid during the 6 hours before you take Triumeq, or for at least 2
    hours after you take it"; supplements with magnesium may go with Triumeq taken with food."""
    found = lookup("Triumeq")
    assert (found.hours_before, found.hours_after) == from_mineral_side(6, 2) == (2, 6)
    assert "with food" in found.rule and found.grade == "label-copy"
    (gsk,) = found.other_sources
    assert gsk.source.grade == "maker-site" and "no food exception" in gsk.rule


def test_gabapentin_and_baloxavir_cite_their_own_prescribing_information():
    """MIMS Thailand's copy of the NEURONTIN Drug Interactions section; the XOFLUZA EU package leaflet. GoodRx
    and Medscape move to other_sources, graded secondary."""
    gabapentin, baloxavir = lookup("Neurontin"), lookup("Xofluza")
    assert "NEURONTIN" in gabapentin.sources[0].title and gabapentin.grade == "label-copy"
    assert (gabapentin.hours_before, gabapentin.hours_after) == (None, 2) and "about 2 hours" in gabapentin.rule
    assert "XOFLUZA" in baloxavir.sources[0].title and baloxavir.grade == "label-copy"
    for found, where in ((gabapentin, "goodrx.com"), (baloxavir, "medscape.com")):
        (other,) = found.other_sources
        assert where in other.source.url and other.source.grade == "secondary"


# --- the command ----------------------------------------------------------------------------


# --- dose --with -----------------------------------------------------------------------------


def test_the_library_dose_takes_drugs_too():
    result = dose("500mg", "citrate", with_drugs=("Lasix", "levofloxacin"))
    assert [i.drug for i in result.interactions] == ["furosemide", "levofloxacin"]
    assert dose("500mg", "citrate", with_drugs="Lasix").interactions[0].drug == "furosemide"
    assert dose("500mg", "citrate").interactions == ()
