"""The documented ``--json`` key sets (README, 'JSON output'), pinned by the tests."""

JSON_KEYS = {
    "schema_version", "elemental_mg", "mmol", "meq", "components", "profile", "rda_mg", "ul_mg",
    "percent_rda", "percent_ul", "over_ul", "percent_dv", "mg_per_kg", "mmol_per_kg", "dv_mg", "reference",
    "warnings", "interactions",
}
REFERENCE_KEYS = {"authority", "name", "intake_kind", "intake_source", "upper_kind", "upper_source"}
COMPONENT_KEYS = {
    "form_id", "form_name", "formula", "compound_mg", "percent_elemental", "elemental_mg", "volume_ml", "strength",
}
PROFILE_KEYS = {"age", "sex", "pregnant", "lactating"}
#: ``mgcalc interactions --json`` (and each object of ``dose --json``'s ``interactions`` list).
INTERACTIONS_KEYS = {"schema_version", "interactions"}
INTERACTION_KEYS = {"query", "drug", "kind", "hours_before", "hours_after", "rule", "sources", "other_sources"}
SOURCE_KEYS = {"title", "section", "url", "date"}
OTHER_SOURCE_KEYS = {"rule", "source"}
COMPARE_KEYS = {"schema_version", "target_mg", "mmol", "meq", "forms", "warnings"}
COMPARE_FORM_KEYS = {"form_id", "form_name", "formula", "percent_elemental", "kind", "compound_mg"}
