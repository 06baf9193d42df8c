"""The documented ``dose --json`` key sets (README, 'JSON output'), pinned by the tests."""

JSON_KEYS = {
    "schema_version", "elemental_mg", "mmol", "meq", "components", "profile", "rda_mg", "ul_mg",
    "percent_rda", "percent_ul", "over_ul", "percent_dv", "mg_per_kg", "mmol_per_kg", "dv_mg", "reference", "warnings",
}
REFERENCE_KEYS = {"authority", "name", "intake_kind", "intake_source", "upper_kind", "upper_source"}
COMPONENT_KEYS = {
    "form_id", "form_name", "formula", "compound_mg", "percent_elemental", "elemental_mg", "volume_ml", "strength",
}
PROFILE_KEYS = {"age", "sex", "pregnant", "lactating"}
