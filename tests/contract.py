"""The documented ``--json`` key sets (README, 'JSON output'), pinned by the tests."""

JSON_KEYS = {
    "schema_version", "elemental_mg", "mmol", "meq", "components", "profile", "rda_mg", "ul_mg",
    "percent_rda", "percent_ul", "over_ul", "percent_dv", "mg_per_kg", "mmol_per_kg", "dv_mg", "reference",
    "warnings", "interactions", "route", "use", "label_limits",
}
#: Each object of ``dose --json``'s ``label_limits`` list (and of ``infusion --json``'s ``limits``).
LABEL_LIMIT_KEYS = {
    "id", "kind", "max", "max_low", "unit", "who", "quote", "exceptions", "source", "grade", "value", "over",
}
REFERENCE_KEYS = {"authority", "name", "intake_kind", "intake_source", "upper_kind", "upper_source"}
COMPONENT_KEYS = {
    "form_id", "form_name", "formula", "compound_mg", "percent_elemental", "elemental_mg", "volume_ml", "strength",
    "product_id",
}
PROFILE_KEYS = {"age", "sex", "pregnant", "lactating"}
#: ``mgcalc interactions --json`` (and each object of ``dose --json``'s ``interactions`` list).
INTERACTIONS_KEYS = {"schema_version", "interactions"}
#: ``mgcalc interactions --json``'s ``schema_version``: 2 since hours may be null and each interaction and
#: source carries ``grade`` (and ``effect``), with ``other_sources`` graded too (issue 20).
INTERACTIONS_SCHEMA_VERSION = 2
INTERACTION_KEYS = {
    "query", "drug", "kind", "effect", "hours_before", "hours_after", "rule", "grade", "sources", "other_sources",
}
SOURCE_KEYS = {"title", "section", "url", "date", "grade"}
OTHER_SOURCE_KEYS = {"rule", "source"}
COMPARE_KEYS = {"schema_version", "target_mg", "mmol", "meq", "forms", "warnings"}
COMPARE_FORM_KEYS = {"form_id", "form_name", "formula", "percent_elemental", "kind", "compound_mg"}
#: ``mgcalc serum --json``.
SERUM_KEYS = {"schema_version", "value", "unit", "mmol_per_l", "meq_per_l", "mg_per_dl", "mg_per_l", "reference",
              "position", "note"}
SERUM_REFERENCE_KEYS = {"mmol_per_l", "meq_per_l", "mg_per_dl", "mg_per_l", "source"}
#: ``mgcalc infusion --json``.
INFUSION_KEYS = {
    "schema_version", "form_id", "form_name", "preparation", "country", "salt_mg", "elemental_mg", "mmol", "meq",
    "drug_volume_ml", "diluent_ml", "volume_ml", "percent_w_v", "mg_per_ml", "mmol_per_ml", "meq_per_ml", "minutes",
    "rate_mg_per_min", "rate_mmol_per_h", "rate_ml_per_h", "weight_kg", "salt_mg_per_kg", "mg_per_kg", "mmol_per_kg",
    "per_day", "total_24h_mg", "limits", "usual_dose", "tenfold", "over", "warnings",
}
#: ``mgcalc compound TARGET PRODUCT --json`` and ``compound TARGET FORM --per-unit X --json`` (and each
#: object of ``compare TARGET --product NAME --json``'s ``products`` list).
PRODUCT_COUNT_KEYS = {
    "schema_version", "target_mg", "mmol", "meq", "product_id", "product_name", "form_id", "unit",
    "magnesium_per_unit_mg", "basis", "units", "whole_count", "whole_count_mg", "whole_count_mmol",
    "whole_count_meq", "grade", "source", "warnings",
}
COMPARE_PRODUCTS_KEYS = {"schema_version", "target_mg", "mmol", "meq", "products"}
PRODUCT_ROW_KEYS = {
    "id", "name", "aliases", "country", "dosage_form", "unit", "per", "form_id", "salt_mg", "magnesium",
    "magnesium_per_unit_mg", "other_actives", "scored", "route", "use", "valid_from", "valid_to", "grade", "source",
    "note",
}
#: ``mgcalc check --json``.
CHECK_KEYS = {"schema_version", "declared_mg", "compound_mg", "form_id", "forms", "expected_mg", "deviation_percent",
              "consistent", "reason", "per", "percent_dv_printed", "percent_dv_expected", "implied_compound_mg",
              "per_unit", "explained_by", "issues", "basis", "per_day", "directions_problem", "other_ingredients",
              "percent_of"}
#: ``mgcalc compound TARGET FORM --json``.
COMPOUND_KEYS = {"schema_version", "target_mg", "mmol", "meq", "form_id", "form_name", "formula",
                 "percent_elemental", "compound_mg", "volume_ml", "strength", "weight_kg", "warnings"}
#: ``basis``, ``per_day`` and each of ``other_ingredients`` (issues 23 and 29).
BASIS_KEYS = {"units", "unit", "size", "kind", "text"}
PER_DAY_KEYS = {"units_low", "units_high", "unit", "mg_low", "mg_high", "how", "text", "upper_level_mg", "upper_level",
                "over_upper_level"}
OTHER_INGREDIENT_KEYS = {"name", "figures"}
