"""Results drawn for people and for scripts: plain text when piped, rich on a terminal, JSON.

``cli.py`` parses options and calls the library; this module turns the library's typed results
into output. It imports neither typer nor, at module level, rich: rich is imported inside the
functions that draw on a terminal, so a piped, ``--json`` or ``-q`` call never loads it.
"""

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from mgcalc import figures as fig
from mgcalc.check import CheckResult
from mgcalc.dose import ORAL_SUPPLEMENT, Component, CompoundResult, DoseResult
from mgcalc.forms import Form
from mgcalc.interactions import GRADES, NOT_LISTED, Interaction, Source
from mgcalc.limits import GRADES as LIMIT_GRADES
from mgcalc.limits import KIND_NAMES, LimitCheck
from mgcalc.notes import Kind, detail_of, kind_of
from mgcalc.references import AUTHORITIES, Row
from mgcalc.route import ROUTE_NAMES, USE_NAMES
from mgcalc.units import to_meq, to_mmol

if TYPE_CHECKING:
    from rich.console import Console

    from mgcalc.audit import Report
    from mgcalc.compare import CompareResult
    from mgcalc.infusion import Infusion
    from mgcalc.products import ProductCount
    from mgcalc.serum import SerumResult


def echo(text: str = "", err: bool = False) -> None:
    """One write of ``text`` and a newline to stdout (or stderr), flushed: what scripts read."""
    stream = sys.stderr if err else sys.stdout
    stream.write(f"{text}\n")
    stream.flush()


DISCLAIMER = (
    "mgcalc is a calculator, not medical advice. With impaired kidney function, "
    "ask a clinician before taking any magnesium supplement."
)


def might_be_terminal() -> bool:
    """False when rich would surely find stdout no terminal, decided without importing rich.

    Mirrors rich's ``Console.is_terminal`` (TTY_COMPATIBLE, FORCE_COLOR, then isatty), so that
    piped output, what scripts read, never pays for importing rich.
    """
    tty_compatible = os.environ.get("TTY_COMPATIBLE", "")
    if tty_compatible in ("0", "1"):
        return tty_compatible == "1"
    force_color = os.environ.get("FORCE_COLOR")
    if force_color is not None:
        return force_color != ""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def compound_lines(result: CompoundResult) -> list[str]:
    form = result.resolution.form
    wanted = (f"Magnesium wanted: {fig.amount(result.target_mg)} mg ({fig.small(result.mmol)} mmol, "
              f"{fig.small(result.meq)} mEq)")
    if result.weight_kg is not None:
        kg = result.weight_kg
        wanted += (f" for {kg:g} kg: {fig.amount(result.target_mg / kg)} mg/kg ({fig.small(result.mmol / kg)} mmol/kg, "
                   f"{fig.small(result.meq / kg)} mEq/kg)")
    arithmetic = f"= {fig.amount(result.target_mg)} mg x 100 / {form.percent_elemental:.2f}"
    strength = result.strength
    if strength is None:
        return [wanted, f"Take {fig.amount(result.compound_mg)} mg {form.label}", arithmetic]
    measure = _measure(result.volume_ml, result.sachets)
    per = "mL" if strength.per_unit == "mL" else "sachet"
    holds = strength.magnesium_per_one(form)
    return [
        wanted,
        f"Take {measure} of {_liquid_name(form, strength, result.preparation)} ({fig.amount(result.compound_mg)} mg)",
        f"= {fig.amount(result.target_mg)} mg magnesium / {fig.hundredths(holds)} mg magnesium per {per}"
        + ("" if strength.of_magnesium else
           f" ({strength.text} = {fig.hundredths(strength.per_one)} mg per {per} x {form.percent_elemental:.2f} % Mg)"),
    ]


def _measure(volume_ml: float | None, sachets: float | None) -> str:
    """'4.93 mL' or '1 sachet': a measured amount of a liquid or sachet."""
    if volume_ml is not None:
        return f"{fig.hundredths(volume_ml)} mL"
    count = sachets or 0.0
    return f"{fig.hundredths(count)} sachet{'' if count == 1 else 's'}"




def _liquid_name(form: Form, strength: Any, preparation: Any) -> str:
    """'magnesium sulfate heptahydrate 50 % w/v', or 'milk of magnesia (US), magnesium hydroxide 1200 mg/15 mL'."""
    if preparation is None:
        return f"{form.name} {strength.text}"
    return f"{preparation.name} ({preparation.country}), {form.name} {strength.text}"


def draw_compare(result: "CompareResult") -> None:
    """The compare table: tab-separated text with a header line when piped; on a terminal a rich
    table with the compound weights as bars, the ids whole at 80 columns. Then the disclaimer."""
    per_unit = result.per_unit_mg
    console = _terminal_console()
    if console is None:
        header = ["form_id", "form_name", "formula", "percent_elemental", "compound_mg", "kind",
                  "percent_range", "compound_mg_range"] + (["units_needed"] if per_unit is not None else [])
        lines = ["\t".join(header)]
        for row in result.rows:
            form, span = row.form, row.compound_mg_range
            cells = [form.id, form.name, form.formula, f"{form.percent_elemental:.2f}", fig.piped(row.compound_mg),
                     form.kind, form.content.removesuffix(" %") if span else "",
                     f"{fig.piped(span[0])}-{fig.piped(span[1])}" if span else ""]
            if row.units_needed is not None:
                cells.append(fig.piped(row.units_needed))
            lines.append("\t".join(cells))
        echo("\n".join(lines))
        for warning in result.warnings:  # on stderr, as the disclaimer, so that stdout stays one TSV table
            echo(f"mgcalc: warning: {warning}", err=True)
        echo(DISCLAIMER, err=True)
        return
    from rich import box
    from rich.progress_bar import ProgressBar
    from rich.table import Table
    from rich.text import Text

    family = f", {result.family} family" if result.family else ""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title_justify="left",
                  title=f"{fig.amount(result.target_mg)} mg magnesium ({fig.small(result.mmol)} mmol, "
                        f"{fig.small(result.meq)} mEq){family}, lightest compound first")
    _id_column(table, "form", [row.form for row in result.rows])
    wide = console.width >= _COMPARE_NAME_FROM
    if wide:
        table.add_column("name", min_width=16, ratio=2)
    table.add_column("% Mg", justify="right", no_wrap=True)
    table.add_column("compound", justify="right", no_wrap=True)
    if per_unit is not None:
        table.add_column(f"x {fig.amount(per_unit)} mg", justify="right", no_wrap=True)
    table.add_column("", min_width=4)
    heaviest = max(row.compound_mg for row in result.rows)
    marks = {"declared": " *", "range": " †"}
    for row in result.rows:
        form = row.form
        drawn: list[Any] = [form.id, form.name] if wide else [form.id]
        drawn += [f"{form.percent_elemental:.2f}{marks.get(form.kind, '  ')}", f"{fig.amount(row.compound_mg)} mg"]
        if row.units_needed is not None:
            drawn.append(f"{row.units_needed:.1f}")
        drawn.append(ProgressBar(total=heaviest, completed=row.compound_mg, complete_style="cyan",
                                 finished_style="cyan"))
        table.add_row(*drawn)
    console.print(table)
    notes = []
    if any(row.form.kind == "declared" for row in result.rows):
        notes.append("* content declared by the ingredient's maker ('mgcalc forms' gives the source)")
    for row in result.rows:
        if row.compound_mg_range:
            low, high = row.compound_mg_range
            notes.append(f"† {row.form.id}: {row.form.content} Mg by its monograph, so "
                         f"{fig.amount(low)}-{fig.amount(high)} mg; the figures use the midpoint")
    for note in [*notes, *(f"• {w}" for w in result.warnings)]:
        console.print(Text(note, style="yellow"))
    console.print(Text(DISCLAIMER, style="dim"))


# Terminal widths from which a table adds a column: ids come whole at 80 columns, and a column
# is added only where it fits without squeezing the others.
_FORMS_NAME_FROM = 110


_FORMS_NOTE_FROM = 180


_COMPARE_NAME_FROM = 120  # the name (wrapped where long) beside a bar of 10 columns or more


def _id_column(table: Any, header: str, forms: "list[Form] | tuple[Form, ...]") -> None:
    """The id column: never wrapped or cut, so that a row's id can be typed back in."""
    table.add_column(header, no_wrap=True, min_width=max(len(f.id) for f in forms))


def draw_lines(title: str, lines: list[str], warnings: tuple[str, ...] | list[str], word: str = "warning") -> None:
    """A short result: plain lines when piped; a panel on a terminal. Warnings, then the disclaimer."""
    console = _terminal_console()
    if console is None:
        echo("\n".join([*lines, *(f"{word}: {w}" for w in warnings), DISCLAIMER]))
        return
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    parts = [Text(line) for line in lines]
    parts += [Text(f"• {w}", style="yellow") for w in warnings]
    parts.append(Text(DISCLAIMER, style="dim"))
    console.print(Panel(Group(*parts), title=title, title_align="left", expand=False))


def check_lines(result: CheckResult) -> list[str]:
    lines = []
    form = result.resolution.form if result.resolution else None
    basis = result.basis
    per = f" per serving of {basis.described()}" if basis is not None and basis.several else \
        f" per {result.per}" if result.per else ""
    printed = []
    if result.declared_mg is not None:
        apart = result.consistent is False and result.expected_mg is not None
        declared = _apart(result.declared_mg, result.expected_mg or 0)[0] if apart else fig.amount(result.declared_mg)
        printed.append(f"{declared} mg magnesium")
    if result.compound_mg is not None:
        printed.append(f"{fig.amount(result.compound_mg)} mg {form.label if form else 'of a compound not named'}")
    elif result.forms:
        printed.append("as " + " / ".join(f.name for f in result.forms))
    lines.append(f"Label: {'; '.join(printed) or 'no amount'}{per}")
    if result.per_unit:
        unit = result.per_unit
        each = [f"{fig.amount(unit.declared_mg)} mg magnesium"] if unit.declared_mg is not None else []
        each += [f"{fig.amount(unit.compound_mg)} mg {form.name if form else 'compound'}"] \
            if unit.compound_mg is not None else []
        if each:
            lines.append(f"Per {unit.unit} ({unit.units:g} a serving): {'; '.join(each)}")
    if result.per_day is not None:
        day = result.per_day
        low = "" if day.mg_low is None or day.mg_low == day.mg_high else f"{fig.amount(day.mg_low)} to "
        limit = "no upper level held" if day.upper_level_mg is None else (
            f"{'OVER' if day.over_upper_level else 'within'} the {day.upper_level} of {day.upper_level_mg:g} mg/day")
        lines.append(f"Per day by the directions ({day.how}): {low}{fig.amount(day.mg_high)} mg magnesium; {limit}")
    elif result.directions_problem:
        lines.append(f"Per day: not worked out: {result.directions_problem}")
    if result.other_ingredients:
        lines.append("Other ingredients set aside: " + "; ".join(
            f"{name} {' '.join(figures)}".strip() for name, figures in result.other_ingredients))
    if result.consistent is None:
        if result.expected_mg is not None:
            lines.append(f"Magnesium the compound carries: {fig.amount(result.expected_mg)} mg")
        lines.append(f"Verdict: cannot be checked: {detail_of(result.reason or '')}")
    else:
        explained = "; ".join(f.label for f in result.explained_by) or "none in the table"
        verdict = "consistent" if result.consistent else "NOT CONSISTENT"
        if result.expected_mg is not None:
            expected, deviation = result.expected_mg, result.deviation_percent or 0
            if not result.consistent and result.declared_mg is not None:
                expected_text = _apart(result.declared_mg, expected)[1]
            else:
                expected_text = fig.amount(expected)
            lines.append(f"Expected: {expected_text} mg; deviation {fig.deviation(deviation, result.tolerance)} % "
                         f"(tolerance {result.tolerance:g} %)")
        lines.append(f"Verdict: {verdict}" + (f": {result.reason}" if result.reason else ""))
        if result.expected_mg is not None:
            lines.append(f"Forms that explain the declared figure: {explained}")
    if result.percent_dv_printed is not None or result.percent_dv_expected is not None:
        of = result.percent_of
        shown_dv = "not printed" if result.percent_dv_printed is None else f"{result.percent_dv_printed:g} %"
        expected_dv = "" if result.percent_dv_expected is None else f", expected {result.percent_dv_expected:g} %"
        lines.append(f"%{of}: {shown_dv}{expected_dv}")
    return lines


def product_count_lines(result: "ProductCount") -> list[str]:
    """How many units of a product deliver a target, and what the nearest count gives."""
    mmol, meq = to_mmol(result.target_mg), to_meq(result.target_mg)
    what = result.product.label if result.product is not None else f"{result.form.name if result.form else ''}"
    plural = result.product.plural if result.product is not None else "units"
    single = result.product.unit if result.product is not None else "unit"
    count, mg = result.whole_count, result.whole_count_mg
    one = single if count == 1 else plural
    units = single if fig.hundredths(result.units) == "1" else plural
    kind = "whole" if result.step == 1 else "measurable (0.1 mL)" if result.unit == "mL" else "whole or half"
    return [
        f"Magnesium wanted: {fig.amount(result.target_mg)} mg ({mmol:.2f} mmol, {meq:.2f} mEq)",
        f"Take {fig.hundredths(result.units)} {units} of {what}",
        f"= {fig.amount(result.target_mg)} mg / {result.basis}",
        f"Nearest {kind} count: {fig.hundredths(count)} {one} = {fig.amount(mg)} mg magnesium ({to_mmol(mg):.2f} mmol, "
        f"{to_meq(mg):.2f} mEq), {100 * mg / result.target_mg:.1f} % of the target",
    ]


def draw_product_counts(counted: "tuple[ProductCount, ...]") -> None:
    target = counted[0].target_mg
    title = (f"{fig.amount(target)} mg magnesium ({to_mmol(target):.2f} mmol, {to_meq(target):.2f} mEq) as each "
             "product (grade S: not read in the product's own label)")
    rows = []
    for c in counted:
        assert c.product is not None
        mg = c.whole_count_mg
        rows.append([c.product.name, c.product.country, c.product.plural, fig.hundredths(c.units),
                     fig.hundredths(c.whole_count), f"{fig.amount(mg)} mg ({100 * mg / target:.1f} %)",
                     c.product.grade])
    header = ["product", "country", "unit", "units", "nearest_count", "nearest_gives", "grade"]
    if _terminal_console() is None:
        echo(title)
    _listing(header, rows, title,
             headers=("product", "country", "unit", "units", "nearest count", "it gives", "grade"))
    for c in counted:
        for warning in c.warnings:
            echo(f"warning: {warning}")


def draw_products(rows: Any) -> None:
    _listing(["id", "name", "country", "unit", "strength", "mg_per_unit", "grade"],
             [[r.id, r.name, r.country, r.unit, r.strength_text(), fig.hundredths(r.magnesium_per_unit), r.grade]
              for r in rows],
             "magnesium products (sources and notes: --json; grade S: not read in the product's own label)",
             headers=("id", "name", "country", "unit", "strength as printed", "Mg mg/unit", "grade"))


def _apart(declared: float, expected: float) -> tuple[str, str]:
    """The declared and expected mg as printed beside NOT CONSISTENT: with the fewest decimals (one
    to six) at which they differ as the unrounded figures do, so that the figures never contradict
    the verdict (63.96 beside 64, not 64 beside 64). A figure that is whole at one decimal stays so."""
    direction = (expected > declared) - (expected < declared)
    decimals = 1
    for decimals in range(1, 7):
        a, b = (float(f"{v:.{decimals}f}") for v in (declared, expected))
        if (b > a) - (b < a) == direction:
            break

    def text(mg: float) -> str:
        plain = fig.amount(mg)
        return plain if decimals == 1 or float(plain.replace(",", "")) == mg else f"{mg:,.{decimals}f}"

    return text(declared), text(expected)




def draw_preparations(rows: Any) -> None:
    _listing(["id", "name", "country", "form_id", "strength"],
             [[r.id, r.name, r.country, r.form_id, r.strength.text] for r in rows],
             "magnesium preparations (notes and sources: --json)", drawn=(1, 2, 3, 4),
             headers=("id", "name", "country", "compound", "strength"))


def draw_reference(rows: list[Row]) -> None:
    _listing(["authority", "measure", "who", "mg_per_day", "source"],
             [[r.authority, r.measure, r.group, "not established" if r.mg is None else f"{r.mg:g}", r.source]
              for r in rows], "reference values", headers=("authority", "measure", "who", "mg/day", "source"))


def _listing(header: list[str], rows: list[list[str]], title: str, drawn: tuple[int, ...] | None = None,
             headers: tuple[str, ...] | None = None) -> None:
    """A table: tab-separated with a header line when piped; on a terminal a rich table of the
    ``drawn`` columns (all by default), headed ``headers`` (the piped header by default)."""
    console = _terminal_console()
    if console is None:  # one write: click flushes after every echo
        echo("\n".join("\t".join(cells) for cells in [header, *rows]))
        return
    from rich.table import Table

    columns = drawn if drawn is not None else tuple(range(len(header)))
    names = headers if headers is not None else header
    table = Table(*(names[c] for c in columns), title=title)
    for cells in rows:
        table.add_row(*(cells[c] for c in columns))
    console.print(table)


def draw_interactions(found: "tuple[Interaction, ...] | list[Interaction]") -> None:
    """Each drug's rule with its source: plain lines when piped, a panel on a terminal."""
    console = _terminal_console()
    if console is None:
        echo("\n".join([line for i in found for line in _interaction_block(i)] + [DISCLAIMER]))
        return
    from rich.console import Group
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.text import Text

    parts: list[Any] = []
    for i in found:
        head, *rest = _interaction_block(i)
        parts.append(Text(head, style=f"bold {_KIND_STYLES[i.kind]}"))
        parts += [Padding(Text(line.strip()), (0, 0, 0, 2)) for line in rest]
    parts.append(Text(DISCLAIMER, style="dim"))
    console.print(Panel(Group(*parts), title="mgcalc interactions", title_align="left", expand=False))


_KIND_STYLES = {"spacing": "yellow", "avoid": "red", "affects-magnesium-status": "cyan", NOT_LISTED: "dim"}
_KIND_WORDS = {"spacing": "take apart", "avoid": "avoid together", "affects-magnesium-status":
               "can change magnesium levels", NOT_LISTED: "not listed"}




def _timing(i: Interaction) -> str:
    """'take ciprofloxacin at least 2 hours before or at least 6 hours after the magnesium'.

    A spacing row whose source gives no hours: 'keep doxycycline and the magnesium apart; the source
    gives no interval'.
    """
    sides = [f"at least {fig.hours(h)} {word}" for h, word in [(i.hours_before, "before"), (i.hours_after, "after")]
             if h is not None]
    if not sides:
        return f"keep {i.drug} and the magnesium apart; the source gives no interval"
    return f"take {i.drug} {' or '.join(sides)} the magnesium"


def _graded(source: Source) -> str:
    """'grade: secondary (a secondary source, not the label)'."""
    return f"grade: {source.grade} ({GRADES[source.grade]})"


def _source_text(i: Interaction) -> str:
    return "; ".join(f"{s.title}, {s.section}, {s.date}; {_graded(s)}" for s in i.sources)


def _effect_words(i: Interaction) -> str:
    """'can change magnesium levels (lowers them)' for an affects-magnesium-status row."""
    return f"{_KIND_WORDS[i.kind]} ({i.effect} them)" if i.effect else _KIND_WORDS[i.kind]


def dose_notes(result: DoseResult) -> tuple[str, ...]:
    """What ``dose -q`` puts on stderr: the warnings, then a line per interaction asked for."""
    return (*result.warnings, *(f"interaction: {_interaction_line(i)}" for i in result.interactions))




def _interaction_line(i: Interaction) -> str:
    """One line for ``dose --with``: the drug, what to do, and the source with its date."""
    if i.row is None:
        return i.rule
    if i.kind == "spacing":
        what = _timing(i)
    elif i.kind == "avoid":
        what = "the source advises against taking it with magnesium antacids even spaced apart; ask the prescriber"
    else:
        what = f"{_effect_words(i)}; no spacing applies: ask the prescriber"
    return f"{i.drug}: {what} (source: {_source_text(i)})"


def _interaction_block(i: Interaction) -> list[str]:
    """Lines about one drug for ``mgcalc interactions``: heading, rule, source and date, other authorities."""
    typed = "" if i.drug is not None and i.query.casefold() == i.drug.casefold() else f" (you typed {i.query!r})"
    if i.row is None:
        return [f"{i.query}: {_KIND_WORDS[NOT_LISTED]}", f"  {i.rule}"]
    lines = [f"{i.drug}{typed}: {_effect_words(i)}"]
    if i.kind == "spacing":
        lines.append(f"  {_timing(i)}")
    lines.append(f"  rule: {i.rule}")
    if i.effect == "raises":
        lines.append("  This drug can change magnesium levels: it can raise them, and magnesium supplements add to "
                     "that, more so with weak kidneys. mgcalc gives no spacing for it. Ask the prescriber before "
                     "starting, stopping or changing magnesium.")
    elif i.kind == "affects-magnesium-status":
        lines.append("  This drug can change magnesium levels; mgcalc gives no spacing for it. Ask the prescriber "
                     "before starting, stopping or changing magnesium.")
    elif i.kind == "avoid":
        lines.append("  Spacing the doses does not help; ask the prescriber.")
    for s in i.sources:
        lines += [f"  source: {s.title}, {s.section}, {s.date}, {s.url}", f"  {_graded(s)}"]
    if i.grade == "secondary":
        lines.append("  mgcalc read this rule only in a secondary source, not in the drug's own label.")
    lines.append(f"  the source's wording: {i.row.wording_basis}")
    if i.row.wording_basis.startswith("antacid"):
        lines.append("  The source names antacids; a magnesium supplement carries the same magnesium, so mgcalc "
                     "applies the rule to it (mgcalc's reading, not the source's words).")
    lines += [f"  another source says: {o.rule} ({o.source.title}, {o.source.section}, {o.source.date}, "
              f"{o.source.url}; {_graded(o.source)})" for o in i.other_sources]
    return lines


def emit(as_json: bool, quiet: bool, data: Callable[[], object], bare: float, notes: tuple[str, ...],
          draw: Callable[[], None], word: str = "warning") -> None:
    """A result as JSON, as one bare number (its notes on stderr), or drawn for people."""
    if as_json:
        print_json(data())
    elif quiet:
        echo(fig.bare(bare))
        for note in notes:
            echo(f"mgcalc: {word}: {note}", err=True)
    else:
        draw()


def print_json(data: object) -> None:
    import json

    echo(json.dumps(data, indent=2, ensure_ascii=False))






def _terminal_console() -> "Console | None":
    """A rich console when stdout is a terminal; None for plain text."""
    if not might_be_terminal():
        return None
    from rich.console import Console

    console = Console(highlight=False)
    return console if console.is_terminal else None


def _rda_rows(result: DoseResult) -> list[tuple[str, float, float, float]]:
    """(who, lowest mg, highest mg, percent of the lowest) per RDA/AI that may apply.

    Without a settled value (no sex, or no age), the candidate rows are grouped by sex,
    e.g. "RDA female 19+ y" with 310-320 mg.
    """
    rda = result.intake
    total = result.elemental_mg + result.food_mg
    groups: dict[str, list[Row]] = {}
    for row in rda.options:
        if row.mg:
            groups.setdefault(row.sex, []).append(row)
    rows = []
    for members in groups.values():
        span = members[0]._replace(age_from=min(r.age_from for r in members),
                                   age_to=max(r.age_to for r in members))
        lo, hi = min(r.mg or 0 for r in members), max(r.mg or 0 for r in members)
        who = f"{rda.measure} {span.group}"
        rows.append((who or "RDA", lo, hi, 100 * total / lo))
    return rows






def _upper_label(result: DoseResult) -> str:
    """E.g. 'Upper level for supplements (US UL, 9+ y)'."""
    row = result.upper.row
    who = f"{result.authority.upper()} {row.measure}, {row.group}" if row else result.authority.upper()
    return f"Upper level for supplements ({who})"


def _upper_value(result: DoseResult) -> str:
    upper = result.upper
    if upper.mg is not None:
        return f"{upper.mg:g} mg/day"
    return "not established" if upper.row else "none held by mgcalc for this age"




def _dv_text(result: DoseResult) -> str | None:
    if result.percent_dv is None:
        return None
    return f"US label %DV (Daily Value {result.dv_mg:g} mg): {result.percent_dv:.0f} %"


def _component_text(c: Component) -> str:
    if c.product is not None:
        amount, product = c.product, c.product.product
        salt = "" if product.salt_mg is None else f" ({fig.amount(c.compound_mg)} mg {c.form.name})"
        return (f"{amount.text()}{salt} -> {fig.amount(c.elemental_mg)} mg magnesium "
                f"({to_mmol(c.elemental_mg):.2f} mmol, {to_meq(c.elemental_mg):.2f} mEq); {product.basis()}")
    if c.strength is None:
        return f"{fig.amount(c.compound_mg)} mg {c.form.label} -> {fig.amount(c.elemental_mg)} mg magnesium"
    return (
        f"{_measure(c.volume_ml, c.sachets)} of {_liquid_name(c.form, c.strength, c.preparation)} "
        f"({fig.amount(c.compound_mg)} mg) -> {fig.amount(c.elemental_mg)} mg magnesium "
        f"({fig.small(to_mmol(c.elemental_mg))} mmol, {fig.small(to_meq(c.elemental_mg))} mEq)"
    )


def _per_kg_text(result: DoseResult) -> str | None:
    if result.weight_kg is None or result.mg_per_kg is None or result.mmol_per_kg is None:
        return None
    return (f"Per kg of body weight ({result.weight_kg:g} kg): {fig.amount(result.mg_per_kg)} mg/kg "
            f"({fig.small(result.mmol_per_kg)} mmol/kg)")


def limit_lines(checks: "tuple[LimitCheck, ...] | list[LimitCheck]", needs: str = "") -> list[str]:
    """Each label limit: what it is, the figure and the verdict, the label's words, its exceptions
    (quoted, not judged) and its source with its grade."""
    lines = []
    for check in checks:
        limit = check.limit
        who = f" ({limit.who})" if limit.who else ""
        if limit.max is None:
            lines.append(f"Label {KIND_NAMES[limit.kind]}{who}: none given; the label says: {limit.quote}")
        else:
            top = limit.printed(limit.max)
            if limit.max_low is not None:
                top = f"{limit.printed(limit.max_low).split(' ')[0]}-{top}"
            if check.value is None:
                verdict = f"not judged here{needs}"
            else:
                verdict = f"this is {limit.printed(check.value)}: {'OVER' if check.over else 'within'}"
            lines.append(f"Label {KIND_NAMES[limit.kind]}{who}: at most {top}; {verdict}")
            lines.append(f"  the label: \"{limit.quote}\"")
        if limit.exceptions:
            lines.append(f"  the label's exceptions (quoted, not judged): \"{limit.exceptions}\"")
        lines.append(f"  source: {limit.source} (grade {limit.grade}: {LIMIT_GRADES[limit.grade]})")
    return lines


def _route_dose_lines(result: DoseResult) -> list[str]:
    """A dose that is not an oral supplement: the RDA and UL only as its route and use allow, and
    the limits its label states."""
    rules = result.comparisons
    lines = [_component_text(c) for c in result.components]
    if result.per_day > 1:
        lines.append(f"Taken {result.per_day} times a day; amounts are per day.")
    lines.append(f"Elemental magnesium: {fig.amount(result.elemental_mg)} mg/day ({fig.small(result.mmol)} mmol, "
                 f"{fig.small(result.meq)} mEq)")
    per_kg = _per_kg_text(result)
    if per_kg:
        lines.append(per_kg)
    lines.append(f"Route and use: {ROUTE_NAMES[rules.route]} ({rules.route}), {USE_NAMES[rules.use]}")
    if rules.upper == "none":
        lines.append("RDA and upper level: not compared; both are intakes by mouth and say nothing about "
                     "an injection")
    elif result.upper.mg is not None and result.percent_ul is not None:
        lines.append(f"{_upper_label(result)}: {result.upper.mg:g} mg/day, shown for what it is: the intake by mouth "
                     f"from supplements and medicines at which diarrhoea begins{_UL_FOR.get(rules.use, '')}; "
                     f"this dose is {fig.ul_share(result.percent_ul)} % of it; the product's own limit is its label's")
    else:
        lines.append(f"{_upper_label(result)}: {_upper_value(result)}")
    needs = " (needs the volume and duration: mgcalc infusion)" if rules.parenteral else ""
    lines += limit_lines(result.label_checks, needs)
    lines.append(f"References: {AUTHORITIES[result.authority]}")
    lines += [f"interaction: {_interaction_line(i)}" for i in result.interactions]
    return lines


_UL_FOR = {"laxative": " (the effect a laxative is taken for)", "antacid": " (an antacid's known side effect)"}




class DoseFacts(NamedTuple):
    """The dose screen's facts, worked out once from a DoseResult; the rich and the plain screens
    only lay them out."""

    per_day: int
    table: list[tuple[str, str, str, str, str]]  # per component: compound, form understood, formula, % Mg, Mg
    components: list[str]  # per component, as one line
    elemental: str
    mmol: str
    meq: str
    per_kg: str | None
    food_mg: float
    rda: list[tuple[str, float, float, float]]  # (who, lowest mg, highest mg, percent of the lowest)
    upper_kind: str  # "UL", or "upper level" when no row is held
    upper_mg: float | None
    upper_label: str
    upper_value: str
    percent_ul: float | None
    over_ul: bool
    dv: str | None
    references: str
    interactions: "list[Interaction]"
    warnings: list[tuple[str, bool]]  # (text, over a limit)


def dose_facts(result: DoseResult) -> DoseFacts:
    """What the dose screen shows, from ``result``."""
    table = []
    for c in result.components:
        measured = "" if c.strength is None else f"{_measure(c.volume_ml, c.sachets)} = "
        understood = c.form.name if c.strength is None else _liquid_name(c.form, c.strength, c.preparation)
        if c.product is not None:
            measured = f"{c.product.text().split(' of ')[0]} = "
            understood = f"{c.product.product.label}, {c.form.name}"
        table.append((f"{measured}{fig.amount(c.compound_mg)} mg", understood, c.form.formula,
                      f"{c.form.percent_elemental:.2f}", f"{fig.amount(c.elemental_mg)} mg"))
    upper = result.upper
    return DoseFacts(
        per_day=result.per_day, table=table, components=[_component_text(c) for c in result.components],
        elemental=fig.amount(result.elemental_mg), mmol=fig.small(result.mmol), meq=fig.small(result.meq),
        per_kg=_per_kg_text(result), food_mg=result.food_mg, rda=_rda_rows(result),
        upper_kind=upper.row.measure if upper.row else "upper level", upper_mg=upper.mg,
        upper_label=_upper_label(result), upper_value=_upper_value(result), percent_ul=result.percent_ul,
        over_ul=bool(result.over_ul), dv=_dv_text(result), references=f"References: {AUTHORITIES[result.authority]}",
        interactions=list(result.interactions), warnings=[(w, kind_of(w) is Kind.OVER) for w in result.warnings])


def draw_dose(result: DoseResult) -> None:
    if result.comparisons != ORAL_SUPPLEMENT:
        draw_lines("mgcalc dose", _route_dose_lines(result), result.warnings)
        return
    facts = dose_facts(result)
    console = _terminal_console()
    if console is None:
        echo("\n".join(plain_dose_lines(facts)))
        return
    from rich import box
    from rich.console import Group
    from rich.panel import Panel
    from rich.progress_bar import ProgressBar
    from rich.table import Table
    from rich.text import Text

    per = "per day" if facts.per_day == 1 else f"per day ({facts.per_day} times a day)"
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for column, justify in [("compound", "right"), ("form understood", "left"), ("formula", "left"),
                            ("% Mg", "right"), (f"Mg {per}", "right")]:
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for row in facts.table:
        table.add_row(*row)

    total = Text.assemble(
        ("Elemental magnesium: ", "bold"),
        (f"{facts.elemental} mg/day", "bold cyan"),
        f"  ({facts.mmol} mmol, {facts.meq} mEq)",
    )
    gauge = Table.grid(padding=(0, 1))
    for _ in range(3):
        gauge.add_column()
    food = f" incl. {fig.amount(facts.food_mg)} mg food" if facts.food_mg else ""
    for who, lo, hi, pct in facts.rda:
        gauge.add_row(f"{who} {fig.mg_range(lo, hi)}{food}",
                      ProgressBar(total=100, completed=min(pct, 100), width=30,
                                  complete_style="cyan", finished_style="cyan"),
                      fig.share(pct, lo, hi))
    if facts.upper_mg is not None and facts.percent_ul is not None:
        style = "red" if facts.over_ul else "yellow" if facts.percent_ul > 80 else "green"
        gauge.add_row(f"{facts.upper_kind} {facts.upper_mg:g} mg (supplements)",
                      ProgressBar(total=100, completed=min(facts.percent_ul, 100), width=30,
                                  complete_style=style, finished_style=style),
                      Text(f"{fig.ul_share(facts.percent_ul)} %", style=style))
    else:
        gauge.add_row(facts.upper_kind, Text(facts.upper_value, style="yellow"), "")
    parts: list[Any] = [table, total]
    if facts.per_kg:
        parts.append(Text(facts.per_kg))
    parts.append(gauge)
    if facts.dv:
        parts.append(Text(facts.dv))
    parts.append(Text(facts.references, style="dim"))
    parts += [Text(f"• {_interaction_line(i)}", style=_KIND_STYLES[i.kind]) for i in facts.interactions]
    for warning, over in facts.warnings:
        parts.append(Text(f"{'!' if over else '•'} {warning}", style="bold red" if over else "yellow"))
    parts.append(Text(DISCLAIMER, style="dim"))
    console.print(Panel(Group(*parts), title="mgcalc dose", title_align="left", expand=False))


def plain_dose_lines(facts: DoseFacts) -> list[str]:
    """The dose screen as plain lines (no terminal, or piped)."""
    lines = list(facts.components)
    if facts.per_day > 1:
        lines.append(f"Taken {facts.per_day} times a day; amounts are per day.")
    lines.append(f"Elemental magnesium: {facts.elemental} mg/day ({facts.mmol} mmol, {facts.meq} mEq)")
    if facts.per_kg:
        lines.append(facts.per_kg)
    food = f" (with {fig.amount(facts.food_mg)} mg from food)" if facts.food_mg else ""
    for who, lo, hi, pct in facts.rda:
        lines.append(f"{who}: {fig.mg_range(lo, hi)}/day; this is {fig.share(pct, lo, hi)} of it{food}")
    lines.append(f"{facts.upper_label}: {facts.upper_value}"
                 + (f"; this dose is {fig.ul_share(facts.percent_ul)} % of it"
                    if facts.percent_ul is not None else ""))
    if facts.dv:
        lines.append(facts.dv)
    lines.append(facts.references)
    lines += [f"interaction: {_interaction_line(i)}" for i in facts.interactions]
    lines += [f"warning: {w}" for w, _ in facts.warnings]
    lines.append(DISCLAIMER)
    return lines


def draw_forms(rows: tuple[Form, ...]) -> None:
    console = _terminal_console()
    if console is None:  # one write: click flushes after every echo
        lines = ["id\tname\tformula\tpercent_elemental\tkind"]
        lines += [f"{f.id}\t{f.name}\t{f.formula}\t{f.percent_elemental:.2f}\t{f.kind}" for f in rows]
        echo("\n".join(lines))
        return
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title="magnesium forms")
    _id_column(table, "id", rows)
    wide, wider = console.width >= _FORMS_NAME_FROM, console.width >= _FORMS_NOTE_FROM
    if wide:
        table.add_column("name")
    table.add_column("formula")
    table.add_column("% Mg", justify="right", no_wrap=True)
    table.add_column("kind")
    if wider:
        table.add_column("note")
    for f in rows:
        cells = [f.id, *([f.name] if wide else []), f.formula, f"{f.percent_elemental:.2f}", f.kind]
        table.add_row(*cells, *([f.note] if wider else []))
    console.print(table)


_SERUM_SHOWN = (
    ("mmol_per_l", "mmol/L", 2), ("meq_per_l", "mEq/L", 2), ("mg_per_dl", "mg/dL", 2), ("mg_per_l", "mg/L", 1),
)


def serum_lines(result: "SerumResult") -> list[str]:
    """A serum value in all four units, the reference interval in all four, and where the value lies."""
    from mgcalc.serum import LABS_NOTE, REFERENCE_HIGH_MMOL_PER_L, REFERENCE_LOW_MMOL_PER_L, REFERENCE_SOURCE

    figures = result.figures
    low, high = (result.converted(v) for v in (REFERENCE_LOW_MMOL_PER_L, REFERENCE_HIGH_MMOL_PER_L))
    return [
        f"Serum magnesium: {result.value:g} {result.unit}",
        " = ".join(f"{figures[key]:.{d}f} {unit}" for key, unit, d in _SERUM_SHOWN),
        "Reference interval: "
        + " = ".join(f"{low[key]:.{d}f}-{high[key]:.{d}f} {unit}" for key, unit, d in _SERUM_SHOWN),
        f"  source: {REFERENCE_SOURCE}",
        f"This value is {result.position} that interval.",
        LABS_NOTE,
    ]


def infusion_lines(result: "Infusion") -> list[str]:
    """An IV order as a pharmacist reads it: dose, concentration, rate, per kg, 24 hours, limits, verdict."""
    form = result.form
    salt = f"{fig.amount(result.salt_mg)} mg ({result.salt_mg / 1000:g} g) of {form.name} ({form.formula})"
    if result.drug_volume_ml is not None and result.reading.strength is not None:
        salt = (f"{fig.hundredths(result.drug_volume_ml)} mL of "
                f"{_liquid_name(form, result.reading.strength, result.preparation)} = {salt}")
    lines = [
        f"Order: {salt}",
        f"Magnesium: {fig.amount(result.elemental_mg)} mg = {fig.small(result.mmol)} mmol = "
        f"{fig.small(result.meq)} mEq",
    ]
    if result.diluent_ml is not None and result.drug_volume_ml is not None:
        lines.append(f"Infused in: {fig.hundredths(result.volume_ml)} mL "
                     f"({fig.hundredths(result.drug_volume_ml)} mL of the injection + "
                     f"{fig.hundredths(result.diluent_ml)} mL)")
    else:
        lines.append(f"Infused in: {fig.hundredths(result.volume_ml)} mL")
    lines.append(f"Concentration: {fig.small(result.percent_w_v)} % w/v = {fig.hundredths(result.mg_per_ml)} mg/mL "
                 f"of the salt = {fig.small(result.mmol_per_ml)} mmol/mL ({fig.small(result.meq_per_ml)} mEq/mL)")
    if result.minutes is not None and result.rate_mg_per_min is not None:
        lines.append(f"Over {result.minutes:g} min: {fig.hundredths(result.rate_mg_per_min)} mg of the salt a "
                     f"minute = {fig.small(result.rate_mmol_per_h or 0)} mmol/h = "
                     f"{fig.hundredths(result.rate_ml_per_h or 0)} mL/h")
    else:
        lines.append("Rate: not worked out; give --over, e.g. --over 30min")
    if result.weight_kg is not None:
        kg = result.weight_kg
        lines.append(f"Per kg ({kg:g} kg): {fig.amount(result.salt_mg / kg)} mg/kg of the salt, "
                     f"{fig.amount(result.elemental_mg / kg)} mg/kg magnesium, {fig.small(result.mmol / kg)} mmol/kg")
    how = ("as given by --total" if result.total_given
           else "this order once; --per-day N or --total for more" if result.per_day == 1
           else f"this order {result.per_day} times")
    lines.append(f"In 24 hours: {result.total_mg / 1000:g} g of the salt ({how})")
    lines += limit_lines(result.checks, " (give --over)")
    usual = result.usual
    if result.tenfold and usual is not None and usual.max is not None:
        lines.append(f"TENFOLD: {result.salt_mg / 1000:g} g is {result.salt_mg / usual.max:.0f} times the largest "
                     f"usual single dose the label names, {usual.printed(usual.max)}: check the units of the order "
                     f"(\"{usual.quote}\"; {usual.source})")
    passed = [f"{KIND_NAMES[c.limit.kind]} ({c.limit.printed(c.value or 0)}, above {c.limit.printed(c.limit.max or 0)})"
              for c in result.checks if c.over]
    if result.tenfold:
        passed.append("ten times the usual dose")
    if passed:
        lines.append(f"Verdict: OVER a limit: {'; '.join(passed)}")
    elif result.checks:
        lines.append("Verdict: within every limit the label states" +
                     ("" if all(c.over is not None for c in result.checks) else " that these figures can judge"))
    return lines



def audit_lines(report: "Report") -> list[str]:
    """An audit's report as plain lines: counts, reasons, forms, bases, each inconsistent record, errors."""
    formats = ", ".join(f"{name} {count}" for name, count in report.formats.most_common()) or "none"
    lines = [f"Read {report.path}: formats detected: {formats}",
             f"Records: {report.records} ({report.records_with_rows} with magnesium, {report.skipped} without, "
             f"{report.error_count} not readable); magnesium rows: {report.rows}",
             f"Consistent: {report.verdicts['consistent']}   NOT CONSISTENT: {report.verdicts['inconsistent']}   "
             f"cannot be checked: {report.verdicts['not checkable']}"]
    for title, counts in (("By reason", report.reasons), ("Skipped", report.skips), ("By form", report.by_form),
                          ("By basis", report.by_basis), ("By record kind", report.by_kind)):
        if counts:
            lines.append(f"{title}:")
            lines += [f"  {count:>6}  {name}" for name, count in counts.most_common()]
    if report.inconsistent:
        lines.append("Not consistent:")
    for row in report.inconsistent:
        figures = ", ".join(f"{name} {value:g}" for name, value in (
            ("declared mg", row.declared_mg), ("compound mg", row.compound_mg), ("expected mg", row.expected_mg),
            ("%DV printed", row.percent_dv_printed)) if value is not None)
        lines.append(f"  {row.kind} {row.id} {row.product or ''} ({row.brand or 'no brand'}): {figures}")
        lines.append(f"    {row.reason}")
        lines.append(f"    {row.link or row.where}")
    if report.cross_checks:
        lines.append("NDC strength against the label text of the same set id:")
    for c in report.cross_checks:
        lines.append(f"  {c['set_id']}: NDC {c['ndc']} {c['ndc_compound_mg']:g} mg, label {c['label_id']} "
                     f"{c['label_compound_mg']:g} mg: {'agree' if c['agree'] else 'DISAGREE'}")
    if report.error_count:
        lines.append(f"Not readable ({report.error_count}):")
        lines += [f"  {e.where}: {e.message}" for e in report.errors]
    return lines


def draw_audit(report: "Report") -> None:
    """An audit's report: plain lines when piped; on a terminal, the counts with bars, then the records."""
    console = _terminal_console()
    if console is None:
        echo("\n".join(audit_lines(report)))
        return
    from rich.table import Table
    from rich.text import Text

    rows = report.rows or 1
    table = Table(title=f"mgcalc audit {report.path}", show_header=True, header_style="bold")
    table.add_column("verdict")
    table.add_column("rows", justify="right")
    table.add_column("", min_width=30)
    for verdict, style in (("consistent", "green"), ("inconsistent", "bold red"), ("not checkable", "yellow")):
        count = report.verdicts[verdict]
        table.add_row(Text(verdict, style=style), str(count), Text("█" * round(30 * count / rows), style=style))
    console.print(table)
    if report.histogram:
        from mgcalc.audit import BIN_WIDTH, HIGH, LOW

        bars = Table(title=f"declared / expected, bins of {BIN_WIDTH:g} from <{LOW:g} to >={HIGH:g}")
        bars.add_column("form")
        bars.add_column("records", justify="right")
        bars.add_column(f"<{LOW:g} ... 1.0 ... >={HIGH:g}")
        for form, bins in sorted(report.histogram.items()):
            peak = max(bins) or 1
            shape = "".join(" ▁▂▃▄▅▆▇█"[round(8 * count / peak)] if count else "·" for count in bins)
            bars.add_row(form, str(sum(bins)), shape)
        console.print(bars)
    console.print("\n".join(audit_lines(report)[3:]), highlight=False, markup=False)
