"""Unit factors computed by pint from units.txt by mgcalc.units.generate_factors(); do not edit."""

FACTORS: dict[tuple[str, str], float] = {
    ('grain', 'milligram'): 64.79891,
    ('gram', 'milligram'): 1000.0,
    ('kilogram', 'milligram'): 1000000.0,
    ('microgram', 'milligram'): 0.001,
    ('milliequivalent_magnesium', 'milligram'): 12.1525,
    ('milligram', 'milligram'): 1.0,
    ('millimole_magnesium', 'milligram'): 24.305,
    ('milligram', 'millimole_magnesium'): 0.04114379757251595,
    ('milligram', 'milliequivalent_magnesium'): 0.0822875951450319,
    ('fluid_ounce', 'milliliter'): 29.5735295625,
    ('liter', 'milliliter'): 1000.0,
    ('metric_tablespoon', 'milliliter'): 15.0,
    ('metric_teaspoon', 'milliliter'): 5.0,
    ('milliliter', 'milliliter'): 1.0,
    ('gram', 'kilogram'): 0.001,
    ('kilogram', 'kilogram'): 1.0,
    ('pound', 'kilogram'): 0.45359237,
    ('hour', 'minute'): 60.0,
}
