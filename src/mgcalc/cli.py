"""The ``mgcalc`` command line: parses options, calls the library, hands results to ``render``.

This is the only module that imports typer. Output is drawn by ``mgcalc.render``, which imports
rich only inside the functions that draw, so a ``--json`` or ``-q`` call never loads it.
"""

import contextlib
import copy
import enum
import math
import os
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
import typer._click as click  # typer vendors click; its exceptions and context are needed here
from typer.core import TyperGroup

from mgcalc import __version__
from mgcalc.arguments import Segment, is_amount, segments, unknown_option, weight_unit
from mgcalc.check import DEFAULT_TOLERANCE, check, check_label
from mgcalc.dose import MAX_PER_DAY
from mgcalc.dose import compound as compute_compound
from mgcalc.dose import dose as compute_dose
from mgcalc.errors import ExitCode, MgcalcError
from mgcalc.forms import load_forms
from mgcalc.references import AUTHORITIES, Profile, load_intakes
from mgcalc.render import (
    check_lines,
    compound_lines,
    dose_notes,
    draw_compare,
    draw_dose,
    draw_forms,
    draw_interactions,
    draw_lines,
    draw_preparations,
    draw_product_counts,
    draw_products,
    draw_reference,
    emit,
    infusion_lines,
    might_be_terminal,
    print_json,
    product_count_lines,
    serum_lines,
)
from mgcalc.route import ROUTES
from mgcalc.units import to_meq, to_mmol

if TYPE_CHECKING:
    from rich.console import Console




class _Group(TyperGroup):
    """The one place errors become exit statuses: one line ``mgcalc: error: ...`` on stderr.

    A user error (MgcalcError) exits 1; a usage error (unknown option, missing argument) exits 2,
    also on one line, naming the command's --help.
    """

    def make_context(self, info_name: str | None, args: list[str], *rest: Any, **kwargs: Any) -> Any:
        try:  # the command line as typed: "--weight 20 kg" unquoted is one weight
            return super().make_context(info_name, weight_unit(list(args)), *rest, **kwargs)
        except click.exceptions.UsageError as exc:
            _usage_error(exc)

    def invoke(self, ctx: Any) -> Any:  # click's Context (vendored by newer typer)
        try:
            return super().invoke(ctx)
        except MgcalcError as exc:
            _one_line_error(str(exc))
            raise typer.Exit(ExitCode.ERROR) from None
        except click.exceptions.UsageError as exc:
            _usage_error(exc)
        except OSError as exc:  # writing the output failed: a full disk, a closed pipe
            _output_failed(exc)
            raise typer.Exit(ExitCode.ERROR) from None


def _output_failed(exc: OSError) -> None:
    """One line on stderr for an output that could not be written; stdout then goes nowhere, so
    that the interpreter's last flush at exit cannot fail a second time."""
    import errno

    if exc.errno == errno.EPIPE:
        message = "the output was closed before everything was written (broken pipe)"
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS, errno.EBADF):
        message = f"cannot write the output: {exc.strerror or exc}"
    else:
        message = f"input/output error: {exc.strerror or exc}"
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (AttributeError, OSError, ValueError):
        pass
    try:
        sys.stderr.write(f"mgcalc: error: {message}\n")
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):
        pass


def _one_line_error(message: str) -> None:
    typer.echo(f"mgcalc: error: {' '.join(message.split())}", err=True)


def _usage_error(exc: "click.exceptions.UsageError") -> NoReturn:
    """A usage error on one line, with where to find the right usage; exit 2. Help requests pass."""
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):
        raise exc
    command = exc.ctx.command_path if exc.ctx is not None else "mgcalc"
    _one_line_error(f"{exc.format_message()} (see '{command} --help')")
    raise typer.Exit(ExitCode.USAGE) from None


app = typer.Typer(
    cls=_Group,
    name="mgcalc",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Help and usage errors go through rich on a terminal, as results do; piped, they are plain
    # text, and the call does not pay for importing rich (bench/startup.py).
    rich_markup_mode="rich" if might_be_terminal() else None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Sex(enum.StrEnum):
    female = "female"
    male = "male"


Authority = enum.StrEnum("Authority", {code: code for code in AUTHORITIES})  # type: ignore[misc]
Route = enum.StrEnum("Route", {name: name for name in ROUTES})  # type: ignore[misc]
# batch.FORMATS, spelled out so that a call which is not a batch does not import batch
# (tests/test_startup.py checks the two agree).
Format = enum.StrEnum("Format", {"csv": "csv", "jsonl": "jsonl"})
# batch.INPUT_FORMATS, likewise.
InputFormat = enum.StrEnum("InputFormat", {"csv": "csv", "jsonl": "jsonl", "json": "json", "dsld": "dsld",
                                            "openfda": "openfda", "spl": "spl"})

# Options shared by several commands.
AgeOption = Annotated[
    float | None, typer.Option("--age", min=0, max=125, help="Age in years (decimals allowed, e.g. 0.5).")
]
SexOption = Annotated[Sex | None, typer.Option("--sex", help="Sex, for the RDA.")]
PregnantOption = Annotated[bool, typer.Option("--pregnant", help="Use the pregnancy RDA.")]
LactatingOption = Annotated[bool, typer.Option("--lactating", help="Use the lactation RDA.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object (see docs/json.md).")]
#: The listing commands' --json (forms, preparations, products).
RowsJsonOption = Annotated[bool, typer.Option("--json", help="Print a JSON list of the table's rows.")]


def _quiet(help_text: str) -> Any:
    """The --quiet (-q) option, every command's: one figure on stdout, which ``help_text`` names."""
    return typer.Option("--quiet", "-q", help=help_text)
AuthorityOption = Annotated[
    Authority,
    typer.Option("--authority", help="Whose reference values: us, eu, uk, au or ca (see 'mgcalc reference')."),
]
WeightOption = Annotated[
    str | None,
    typer.Option("--weight", metavar="KG", help="Body weight (20kg, 44lb; a bare number is kg), for amounts per kg."),
]


def _profile(age: float | None, sex: Sex | None, pregnant: bool, lactating: bool) -> Profile:
    return Profile(age=age, sex=sex.value if sex else None, pregnant=pregnant, lactating=lactating)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"mgcalc {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Elemental magnesium from supplement labels: compound weight in, magnesium out.

    Example: mgcalc dose 500mg citrate
    """


# Commands that take amounts let "-500mg" through as an argument, so that a negative amount gets
# mgcalc's one-line message instead of a usage error about an option "-5".
AMOUNTS = {"ignore_unknown_options": True}


def _segments(items: list[str] | None, positional: int = 1) -> list[Segment]:
    """The amounts and their form words (the form is every word up to the next amount).

    A word that looks like an option the command does not have (``-x``) is a usage error.
    """
    words = items or []
    option = unknown_option(words)
    if option is not None:
        raise click.exceptions.NoSuchOption(option, ctx=click.globals.get_current_context(silent=True))
    return segments(words, positional)


def _pairs(items: list[str] | None, shape: str, example: str) -> list[Segment]:
    """AMOUNT FORM [AMOUNT FORM ...]: every amount followed by its form's words."""
    found = _segments(items)
    for segment in found:
        if not segment.form:
            problem = "has no form after it" if is_amount(segment.amount) else "is not an amount"
            raise typer.BadParameter(f"{segment.amount!r} {problem}; give {shape}, amount first, e.g. {example}",
                                     param_hint=shape)
    if not found:
        raise typer.BadParameter(f"give {shape}, e.g. {example}", param_hint=shape)
    return found


@app.command("dose", context_settings=AMOUNTS)
def dose_command(
    items: Annotated[
        list[str],
        typer.Argument(
            metavar="AMOUNT FORM [AMOUNT FORM ...]",
            help="Compound weight and form, e.g. 500mg citrate; several pairs make a blend.",
            show_default=False,
        ),
    ],
    per_day: Annotated[
        int, typer.Option("--per-day", min=1, max=MAX_PER_DAY, help="Times a day the amounts are taken.")
    ] = 1,
    age: AgeOption = None,
    sex: SexOption = None,
    pregnant: PregnantOption = False,
    lactating: LactatingOption = False,
    food: Annotated[
        str | None,
        typer.Option(
            "--food", metavar="AMOUNT",
            help="Magnesium from food per day (mg, g, mmol or mEq; 0mg allowed); counts toward the RDA, not the UL.",
        ),
    ] = None,
    authority: AuthorityOption = Authority.us,  # type: ignore[attr-defined]
    fail_over_ul: Annotated[
        bool,
        typer.Option("--fail-over-ul", help="Exit with status 3 when the dose is over the upper level."),
    ] = False,
    weight: WeightOption = None,
    as_json: JsonOption = False,
    quiet: Annotated[bool, _quiet("Print only the elemental mg per day.")] = False,
    with_drugs: Annotated[
        list[str] | None,
        typer.Option("--with", metavar="DRUG",
                     help="A medicine also taken (repeatable): adds what mgcalc's interactions table says."),
    ] = None,
    route: Annotated[
        Route | None,
        typer.Option("--route", help="How a form typed bare is given: oral (default), iv or im; a preparation "
                     "carries its own."),
    ] = None,
) -> None:
    """Elemental magnesium in a dose, compared as its route and use require.

    An oral supplement is compared with the RDA and the supplemental upper level; a laxative or
    antacid with its label's maximum daily dose (the upper level shown for what it is); an
    injection with its label's parenteral limits.

    Example: mgcalc dose 500mg citrate --age 40 --sex female; mgcalc dose 30mL "milk of magnesia";
    a named product by its units: mgcalc dose 2 tablets Mag-Ox 400 (see 'mgcalc products')
    """
    from mgcalc.products import product_dose, read_product_amount

    counted = read_product_amount(items) if unknown_option(items) is None else None
    pairs = [] if counted is not None else _pairs(items, "AMOUNT FORM", "500mg citrate")
    _one_output(as_json, quiet)
    profile = _profile(age, sex, pregnant, lactating)
    options: dict[str, Any] = {"per_day": per_day, "profile": profile, "food": food, "authority": authority.value,
                               "weight": weight, "with_drugs": tuple(with_drugs or ()),
                               "route": route.value if route else None}
    result = (product_dose(counted, **options) if counted is not None
              else compute_dose(*(word for pair in pairs for word in pair), **options))
    emit(as_json, quiet, result.as_dict, result.elemental_mg, dose_notes(result), lambda: draw_dose(result))
    if fail_over_ul and result.exceeds_limit:
        raise typer.Exit(ExitCode.CHECK_FAILED)


@app.command("compound", context_settings=AMOUNTS)
def compound_command(
    items: Annotated[
        list[str],
        typer.Argument(
            metavar="TARGET FORM",
            help="Magnesium wanted (200mg, 0.2 g, 4 mmol, 8 mEq; per kg: 0.2mmol/kg with --weight) and the "
            "compound, liquid, preparation or named product (mgcalc products) to take it as.",
            show_default=False,
        ),
    ],
    weight: WeightOption = None,
    authority: Annotated[
        Authority,
        typer.Option("--authority", help="Whose product a preparation named bare is: us, eu, uk, au or ca."),
    ] = Authority.us,  # type: ignore[attr-defined]
    per_unit: Annotated[
        str | None,
        typer.Option("--per-unit", metavar="STRENGTH",
                     help="What one tablet or capsule holds: the salt's weight (400mg) or its magnesium "
                     "('4 mmol Mg', 20mEq): answers in units."),
    ] = None,
    as_json: JsonOption = False,
    quiet: Annotated[bool, _quiet("Print only the compound mg (the mL for a liquid, sachets for a sachet; "
                                  "units for a product or --per-unit).")] = False,
) -> None:
    """How much of a compound delivers a target amount of elemental magnesium.

    Example: mgcalc compound 4mmol glycerophosphate; for a liquid, the volume:
    mgcalc compound 10mmol "sulfate 50%"; for a product, how many: mgcalc compound 40mEq Mag-Ox 400;
    for tablets of a salt: mgcalc compound 40mEq oxide --per-unit 400mg
    """
    from mgcalc.products import count_for, count_per_unit, product_target

    named = product_target(items) if unknown_option(items) is None else None
    if named is not None or per_unit is not None:
        _one_output(as_json, quiet)
        if named is not None:
            if per_unit is not None:
                raise typer.BadParameter("a named product has its own strength; leave out --per-unit",
                                         param_hint="--per-unit")
            counted = count_for(named[0], named[1], " ".join(items[1:]), weight, authority.value)
        else:
            pairs = _pairs(items, "TARGET FORM", "40mEq oxide --per-unit 400mg")
            if len(pairs) != 1:
                raise typer.BadParameter("give one TARGET FORM, e.g. 40mEq oxide --per-unit 400mg",
                                         param_hint="TARGET FORM")
            counted = count_per_unit(pairs[0].amount, pairs[0].form, per_unit or "", weight, authority.value)
        emit(as_json, quiet, counted.as_dict, counted.units, counted.warnings,
             lambda: draw_lines("mgcalc compound", product_count_lines(counted), counted.warnings))
        return
    pairs = _pairs(items, "TARGET FORM", "4mmol glycerophosphate")
    if len(pairs) != 1:
        raise typer.BadParameter("give one TARGET FORM, e.g. 4mmol glycerophosphate", param_hint="TARGET FORM")
    _one_output(as_json, quiet)
    result = compute_compound(*pairs[0], weight=weight, authority=authority.value)
    bare = next(v for v in (result.volume_ml, result.sachets, result.compound_mg) if v is not None)
    emit(as_json, quiet, result.as_dict, bare, result.warnings,
          lambda: draw_lines("mgcalc compound", compound_lines(result), result.warnings))


@app.command("compare", context_settings=AMOUNTS)
def compare_command(
    items: Annotated[
        list[str],
        typer.Argument(
            metavar="TARGET",
            help="Magnesium wanted (300mg, 0.3 g, 12 mmol, 24 mEq), shown as every form.",
            show_default=False,
        ),
    ],
    family: Annotated[
        str | None,
        typer.Option("--family", metavar="NAME", help="Only one family's hydrates and salts, e.g. citrate."),
    ] = None,
    per_unit: Annotated[
        str | None,
        typer.Option("--per-unit", metavar="MASS",
                     help="Weight of one tablet or capsule, e.g. 500mg: adds how many of them each form takes."),
    ] = None,
    products: Annotated[
        list[str] | None,
        typer.Option("--product", metavar="NAME",
                     help="A named product (repeatable): how many of its units give the target, instead of forms."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """One amount of magnesium in every form: the compound weight of each, lightest first.

    Example: mgcalc compare 300mg --family citrate; products side by side:
    mgcalc compare 40mEq --product Mag-Ox 400 --product Slow-Mag
    """
    from mgcalc.compare import compare

    found = _segments(items)
    if family is not None and not products:
        from mgcalc.products import load_products

        if load_products().find(family):
            raise typer.BadParameter(f"{family!r} is a product, not a family: use --product {family!r}",
                                     param_hint="--family")
    if products:
        from mgcalc.products import counts_for

        if family is not None or per_unit is not None:
            raise typer.BadParameter("--product counts a product's own units; leave out --family and --per-unit",
                                     param_hint="--product")
        target = " ".join(items or [])
        counted = counts_for(target, products)
        if as_json:
            print_json({"schema_version": 1, "target_mg": counted[0].target_mg, "mmol": to_mmol(counted[0].target_mg),
                        "meq": to_meq(counted[0].target_mg), "products": [c.as_dict() for c in counted]})
        else:
            draw_product_counts(counted)
        return
    if len(found) != 1 or found[0].form:
        raise typer.BadParameter("give one TARGET, e.g. 300mg", param_hint="TARGET")
    result = compare(found[0].amount, family=family, per_unit=per_unit)
    if as_json:
        print_json(result.as_dict())
    else:
        draw_compare(result)


@app.command("check", context_settings=AMOUNTS)
def check_command(
    items: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[DECLARED COMPOUND_AMOUNT FORM]",
            help="Declared magnesium, compound weight and form, e.g. 64mg 535mg 'chloride hexahydrate'.",
            show_default=False,
        ),
    ] = None,
    label: Annotated[
        str | None,
        typer.Option("--label", metavar="TEXT",
                     help="Label text as printed (a line, or a whole panel over several lines)."),
    ] = None,
    label_file: Annotated[
        str | None,
        typer.Option("--label-file", metavar="FILE", help="Read the label text from FILE (- for standard input)."),
    ] = None,
    tolerance: Annotated[
        float,
        typer.Option("--tolerance", min=0, max=100, metavar="PERCENT",
                     help="Deviation allowed for label rounding, in percent of the expected figure."),
    ] = DEFAULT_TOLERANCE,
    age: AgeOption = None,
    authority: AuthorityOption = Authority.us,  # type: ignore[attr-defined]
    pregnant: PregnantOption = False,
    lactating: LactatingOption = False,
    as_json: JsonOption = False,
    quiet: Annotated[bool, _quiet("Print only the expected magnesium mg.")] = False,
) -> None:
    """Does a label add up? Exit status 0 consistent, 3 not, 4 read but cannot be checked (reason given).

    Example: mgcalc check --label "Magnesium Oxide 400mg (241.3mg elemental magnesium)";
    a named product's printed figures: mgcalc check Uro-Mag
    """
    _one_output(as_json, quiet)
    shape = "DECLARED COMPOUND_AMOUNT FORM"
    found = _segments(items, positional=2) if _product_check(items) is None else []
    if label is not None or label_file is not None:
        if found:
            raise typer.BadParameter(f"give either --label or {shape}", param_hint="--label")
        if label is not None and label_file is not None:
            raise typer.BadParameter("give --label or --label-file, not both", param_hint="--label")
        record = _record_label(label_file) if label is None and label_file not in (None, "-") else None
        text = label if label is not None else record or _read_label_file(label_file or "-")
        profile = Profile(age=age, sex="female" if pregnant or lactating else None, pregnant=pregnant,
                          lactating=lactating)
        result = check_label(text, tolerance, profile, authority.value)
    elif (named := _product_check(items)) is not None:
        result = check(named[0], named[1], named[2], tolerance)
    elif len(found) == 2 and not found[0].form and found[1].form:
        result = check(found[0].amount, found[1].amount, found[1].form, tolerance)
    else:
        raise typer.BadParameter("give DECLARED COMPOUND_AMOUNT FORM, e.g. 64mg 535mg 'chloride hexahydrate', "
                                 "or --label TEXT", param_hint="DECLARED COMPOUND_AMOUNT FORM")
    notes = result.issues if result.reason is None else (result.reason, *result.issues)
    if quiet and result.expected_mg is None:
        for note in notes:
            typer.echo(f"mgcalc: issue: {note}", err=True)
    else:
        emit(as_json, quiet, result.as_dict, result.expected_mg or 0.0, notes,
              lambda: draw_lines("mgcalc check", check_lines(result), result.issues, word="issue"), word="issue")
    if result.consistent is None:
        raise typer.Exit(ExitCode.CANNOT_CHECK)
    if not result.consistent:
        raise typer.Exit(ExitCode.CHECK_FAILED)


def _record_label(path: str | None) -> str | None:
    """The label text of a DSLD, openFDA or SPL record file (its kind and id said on stderr); None for text."""
    from mgcalc.datasets.rows import record_label

    found = record_label(path or "-")
    if found is None:
        return None
    text, record = found
    source = "printed section" if record.printed else f"{record.text_from} figures"
    typer.echo(f"mgcalc: read the {record.kind} record {record.id} ({source})", err=True)
    return text


def _product_check(items: list[str] | None) -> Any:
    """``check PRODUCT`` or ``check DECLARED COMPOUND_AMOUNT PRODUCT``: check()'s arguments, else None."""
    from mgcalc.products import check_reading

    return check_reading(items) if items and unknown_option(items) is None else None


def _read_label_file(path: str) -> str:
    """The text of a label file, or of standard input for '-'; an unreadable file is a user error.

    UTF-8, or UTF-16 / UTF-8 with a byte order mark (as Windows "Unicode" text is saved); other
    bytes are refused rather than guessed.
    """

    from mgcalc.label import LABEL_MAX_CHARS

    limit = 4 * LABEL_MAX_CHARS + 4
    try:
        if path == "-":
            if sys.stdin is None:
                raise MgcalcError("standard input is closed: pipe the label in, or give --label-file FILE")
            if sys.stdin.isatty():
                raise MgcalcError("--label-file - reads the label from standard input; pipe it in, "
                                  "e.g. mgcalc check --label-file - < label.txt")
            data = sys.stdin.buffer.read(limit) if hasattr(sys.stdin, "buffer") else sys.stdin.read(limit).encode()
        else:
            with open(path, "rb") as handle:
                data = handle.read(limit)
    except OSError as exc:
        raise MgcalcError(f"cannot read the label file {path!r}: {exc.strerror or exc}") from None
    from mgcalc.files import bom_of

    marked = bom_of(data)
    chosen = "utf-8" if marked is None else marked[1]
    data = data if marked is None else data[marked[0]:]
    try:
        return data.decode(chosen)
    except UnicodeDecodeError:
        raise MgcalcError(f"the label file {path!r} is not {chosen.upper()} text; save it as UTF-8") from None


@app.command("batch")
def batch_command(
    path: Annotated[
        str,
        typer.Argument(metavar="[FILE|-]", help="CSV, JSON Lines or JSON array file (a FIFO, /dev/stdin or <(...) "
                                                "too); - or nothing for standard input."),
    ] = "-",
    input_format: Annotated[
        InputFormat | None,
        typer.Option("--input-format",
                     help="csv, jsonl or json (an array), guessed from the file name (.jsonl, .json) when not given; "
                          "or dsld, openfda or spl: a label database FILE, DIR or ZIP (see mgcalc audit)."),
    ] = None,
    output_format: Annotated[Format, typer.Option("--format", help="Output: csv or jsonl.")] = Format.csv,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE",
                     help="Write here (a file: complete or not at all) instead of standard output."),
    ] = None,
    delimiter: Annotated[
        str | None,
        typer.Option("--delimiter", metavar="CHAR",
                     help="CSV field separator, e.g. ';' or tab; found from the header when not given."),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", metavar="NAME",
                     help="Input encoding without a byte order mark, e.g. cp1252 (default UTF-8)."),
    ] = None,
    age: AgeOption = None,
    sex: SexOption = None,
    pregnant: PregnantOption = False,
    lactating: LactatingOption = False,
    authority: AuthorityOption = Authority.us,  # type: ignore[attr-defined]
) -> None:
    """Many labels at once: one result row per input row, in order; bad rows become error rows.

    Columns: amount and form (required), per_day and declared_mg (optional); all others pass
    through. Exit status 0 when every row is ok, 1 when any row had an error.

    Example: mgcalc batch labels.csv --output results.csv
    """
    from mgcalc import batch, files

    if delimiter is not None:
        delimiter = {"tab": "\t", "\\t": "\t"}.get(delimiter.lower(), delimiter)
        if len(delimiter) != 1 or delimiter in "\"\r\n":
            raise typer.BadParameter("give one character, e.g. ';' or tab", param_hint="--delimiter")
    if encoding is not None:
        encoding = batch.check_encoding(encoding)
    if path == "-" and input_format is not None and input_format.value in ("dsld", "openfda", "spl"):
        raise typer.BadParameter(f"--input-format {input_format.value} reads a FILE, DIR or ZIP, not standard "
                                 "input", param_hint="FILE")
    if path == "-" and sys.stdin is not None and sys.stdin.isatty():
        raise typer.BadParameter("give a FILE, or pipe rows in: mgcalc batch labels.csv", param_hint="FILE")
    if output is not None and path != "-" and _same_file(path, output):
        raise typer.BadParameter("the output would overwrite the input", param_hint="--output")
    profile = _profile(age, sex, pregnant, lactating)
    dataset = input_format is not None and input_format.value in ("dsld", "openfda", "spl")
    try:
        with files.written(output) as target:  # checked before any input is read; no partial output file
            raw: Any
            if dataset:  # records written out as label rows (datasets/rows.py), read as JSON Lines
                from mgcalc.datasets.rows import label_rows

                raw, fmt = label_rows(path, input_format.value if input_format else None), "jsonl"
            else:
                fmt = files.guess_format(None if path == "-" else path, input_format.value if input_format else None)
                raw = files.open_input(path, encoding)
            try:
                with _progress(raw, "-" if dataset else path) as tick:
                    summary = batch.run(raw, target.file, input_format=fmt, output_format=output_format.value,
                                        profile=profile, authority=authority.value, progress=tick,
                                        encoding=encoding, delimiter=delimiter)
            finally:
                if path != "-":
                    raw.close()
    except files.Interrupted as stop:
        raise typer.Exit(ExitCode.SIGNAL + stop.signum) from None
    typer.echo(f"mgcalc: {summary.text()}", err=True)
    for reason, count in getattr(raw, "skipped", {}).items():
        typer.echo(f"mgcalc: {count} record(s) skipped: {reason}", err=True)
    if summary.exit_code:
        raise typer.Exit(summary.exit_code)



DatasetFormat = enum.StrEnum("DatasetFormat", {"dsld": "dsld", "openfda": "openfda", "spl": "spl"})


@app.command("audit")
def audit_command(
    path: Annotated[str, typer.Argument(metavar="FILE|DIR|ZIP",
                                        help="DSLD or openFDA JSON (a record, an array, JSON Lines, an openFDA "
                                             "response), SPL XML, or a directory or .zip of such files.")],
    input_format: Annotated[
        DatasetFormat | None,
        typer.Option("--input-format", help="dsld, openfda or spl; found from each record's content when not given."),
    ] = None,
    svg: Annotated[
        str | None,
        typer.Option("--svg", metavar="FILE", help="Write a histogram of declared / expected magnesium per form "
                                                   "as an SVG picture."),
    ] = None,
    tolerance: Annotated[
        float,
        typer.Option("--tolerance", min=0, max=100, metavar="PERCENT",
                     help="Deviation allowed for label rounding, in percent of the expected figure."),
    ] = DEFAULT_TOLERANCE,
    authority: AuthorityOption = Authority.us,  # type: ignore[attr-defined]
    as_json: JsonOption = False,
) -> None:
    """Check every magnesium record of a label dataset (DSLD, openFDA label/NDC, DailyMed SPL), as check does.

    Reports counts by verdict and reason, by form and by basis, and every record that does not add
    up, with its id and a link to its page. Exit status 0 when every checkable record is consistent,
    3 when any is not, 1 when none is inconsistent but some input could not be read.

    Example: mgcalc audit examples/dsld_magnesium.json --svg audit.svg
    """
    from mgcalc.audit import audit, histogram_svg
    from mgcalc.render import draw_audit

    with _audit_progress() as tick:
        report = audit(path, input_format.value if input_format else None, tolerance, authority=authority.value,
                       each=tick)
    if svg is not None:
        try:
            with open(svg, "w", encoding="utf-8") as out:
                out.write(histogram_svg(report))
        except OSError as exc:
            raise MgcalcError(f"cannot write the picture {svg!r}: {exc.strerror or exc}") from None
    if as_json:  # written in pieces: a report of many inconsistent records is never one string
        from mgcalc.audit import write_json

        write_json(report, sys.stdout)
    else:
        draw_audit(report)
    if report.exit_status:
        raise typer.Exit(report.exit_status)


@contextlib.contextmanager
def _audit_progress() -> Iterator[Callable[[Any], None] | None]:
    """A rich spinner counting records on stderr when stderr is a terminal; else nothing."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), "[progress.description]{task.description}", "{task.completed} rows",
                  TimeElapsedColumn(), transient=True, console=_stderr_console()) as bar:
        task = bar.add_task("mgcalc audit", total=None)
        yield lambda item: bar.advance(task)




def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


@contextlib.contextmanager
def _progress(raw: Any, path: str) -> Iterator[Callable[[], None] | None]:
    """A rich progress bar on stderr, for a file input when stderr is a terminal; else nothing."""
    import stat

    if path == "-" or not sys.stderr.isatty() or not stat.S_ISREG(os.fstat(raw.fileno()).st_mode):
        yield None  # a pipe, FIFO or device has no size and no position to show
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    size = os.fstat(raw.fileno()).st_size
    with Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(),
                  TimeRemainingColumn(), transient=True, console=_stderr_console()) as bar:
        task = bar.add_task("mgcalc batch", total=size)
        yield lambda: bar.update(task, completed=raw.tell())


def _stderr_console() -> "Console":
    from rich.console import Console

    return Console(stderr=True)


@app.command("forms")
def forms_command(
    query: Annotated[
        str | None, typer.Argument(help="Show only forms whose name, alias or formula contains this word.")
    ] = None,
    as_json: RowsJsonOption = False,
) -> None:
    """The forms table: every compound mgcalc knows, with its elemental magnesium percentage.

    Example: mgcalc forms citrate
    """
    _show_rows(load_forms(), query, as_json, "form", "forms", draw_forms)


@app.command("preparations")
def preparations_command(
    query: Annotated[
        str | None, typer.Argument(help="Show only preparations whose name or alias contains this word.")
    ] = None,
    as_json: RowsJsonOption = False,
) -> None:
    """The preparations table: liquids, injections and sachets by name, with strength, country and source.

    Example: mgcalc preparations sulfate
    """
    from mgcalc.preparations import load_preparations

    _show_rows(load_preparations(), query, as_json, "preparation", "preparations", draw_preparations)


def _show_rows(table: Any, query: str | None, as_json: bool, noun: str, command: str,
               draw: Callable[[Any], None]) -> None:
    """A table's rows (those matching ``query``, if given) as JSON or drawn; none is a user error."""
    rows = table.search(query) if query else tuple(table)
    if not rows:
        raise MgcalcError(f"no {noun} matches {query!r}; run 'mgcalc {command}' to list them all")
    if as_json:
        print_json([row.as_dict() for row in rows])
    else:
        draw(rows)


@app.command("products")
def products_command(
    query: Annotated[
        str | None, typer.Argument(help="Show only products whose name, alias or compound contains this word.")
    ] = None,
    as_json: RowsJsonOption = False,
) -> None:
    """The products table: named tablets, capsules, packets and liquids, with strength per unit and source.

    Example: mgcalc products neomag
    """
    from mgcalc.products import load_products

    _show_rows(load_products(), query, as_json, "product", "products", draw_products)


@app.command("reference")
def reference_command(
    authority: Annotated[
        Authority | None, typer.Option("--authority", help="Only this authority's rows (default: all).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of the rows.")] = False,
) -> None:
    """The reference values mgcalc uses: intakes and upper levels by age, sex and state, with sources.

    Example: mgcalc reference --authority eu
    """
    rows = [r for r in load_intakes() if authority is None or r.authority == authority.value]
    if as_json:
        print_json([
            {**r._asdict(), "age_to": None if math.isinf(r.age_to) else r.age_to} for r in rows
        ])
    else:
        draw_reference(rows)


@app.command("interactions")
def interactions_command(
    drugs: Annotated[
        list[str],
        typer.Argument(metavar="DRUG [DRUG ...]", help="Generic or brand names, e.g. ciprofloxacin Cipro.",
                       show_default=False),
    ],
    as_json: JsonOption = False,
) -> None:
    """Medicines and magnesium: how far apart to take them, or whether a drug changes magnesium levels.

    Every rule names its source (a drug label, an SmPC, the FDA or a secondary source), its date and
    its grade (label, label-copy, fda, maker-site, magnesium-smpc, secondary: how directly it was
    read). A drug that lowers or raises magnesium says which. A drug mgcalc's table does not list
    is 'not listed': that is not a statement that it is safe.

    Example: mgcalc interactions Cipro furosemide
    """
    from mgcalc.interactions import SCHEMA_VERSION, lookup_all

    found = lookup_all(tuple(drugs))
    if as_json:
        print_json({"schema_version": SCHEMA_VERSION, "interactions": [i.as_dict() for i in found]})
    else:
        draw_interactions(found)


@app.command("infusion", context_settings=AMOUNTS)
def infusion_command(
    items: Annotated[
        list[str],
        typer.Argument(
            metavar="AMOUNT FORM",
            help="The dose and what it is: 4g 'magnesium sulfate', 16mmol sulfate, "
            "8mL 'magnesium sulfate 50% injection'.",
            show_default=False,
        ),
    ],
    into: Annotated[
        str | None,
        typer.Option("--in", metavar="VOLUME", help="The volume it is diluted in, e.g. 100mL (at most 5 L)."),
    ] = None,
    over: Annotated[
        str | None,
        typer.Option("--over", metavar="DURATION", help="How long it runs, e.g. 30min or 2h (at most 24 h)."),
    ] = None,
    weight: WeightOption = None,
    per_day: Annotated[
        int, typer.Option("--per-day", min=1, max=24, help="Orders like this one in 24 hours, for the 24-hour total.")
    ] = 1,
    total: Annotated[
        str | None,
        typer.Option("--total", metavar="AMOUNT", help="The salt given in 24 hours in all, e.g. 20g."),
    ] = None,
    authority: Annotated[
        Authority,
        typer.Option("--authority", help="Whose label limits for a salt named bare: us or uk."),
    ] = Authority.us,  # type: ignore[attr-defined]
    as_json: JsonOption = False,
) -> None:
    """An IV order checked against its label: dose, concentration, rate and 24-hour total.

    Gives the salt and the magnesium (mg, mmol, mEq), the concentration, the rate, per kg with
    --weight, and each limit the label or SmPC states with its source. Exit status 0 within every
    limit, 3 when any is passed (or the order is ten times the label's usual dose).

    Example: mgcalc infusion 4g "magnesium sulfate" --in 100mL --over 30min
    """
    from mgcalc.infusion import infusion

    pairs = _pairs(items, "AMOUNT FORM", "4g 'magnesium sulfate'")
    if len(pairs) != 1:
        raise typer.BadParameter("give one AMOUNT FORM, e.g. 4g 'magnesium sulfate'", param_hint="AMOUNT FORM")
    result = infusion(*pairs[0], into=into, over=over, weight=weight, per_day=per_day, total=total,
                      authority=authority.value)
    if as_json:
        print_json(result.as_dict())
    else:
        draw_lines("mgcalc infusion", infusion_lines(result), result.notes)
    if result.over:
        raise typer.Exit(ExitCode.CHECK_FAILED)


@app.command("serum", context_settings=AMOUNTS)
def serum_command(
    items: Annotated[
        list[str],
        typer.Argument(metavar="VALUE UNIT", show_default=False,
                       help="A serum magnesium result and its unit: mg/dL, mg/L, mmol/L or mEq/L."),
    ],
    as_json: JsonOption = False,
) -> None:
    """Serum magnesium in mg/dL, mg/L, mmol/L and mEq/L, beside a published reference interval.

    The conversions use 1 mmol Mg2+ = 24.305 mg = 2 mEq. Laboratories set their own intervals.

    Example: mgcalc serum 1.7 mg/dL
    """
    from mgcalc.serum import serum

    option = unknown_option(items)
    if option is not None:
        raise click.exceptions.NoSuchOption(option, ctx=click.globals.get_current_context(silent=True))
    result = serum(" ".join(items))
    if as_json:
        print_json(result.as_dict())
    else:
        draw_lines("mgcalc serum", serum_lines(result), ())


def _one_output(as_json: bool, quiet: bool) -> None:
    if as_json and quiet:
        raise typer.BadParameter("choose --json or --quiet, not both", param_hint="--json")


def app_for(args: list[str]) -> typer.Typer:
    """The app to run for these arguments: when the first one names a command, only that command.

    typer builds a click command, inspecting its signature and making every option, for each
    registered command on every call, though a call runs one; building only the one named
    saves most of that (bench/startup.py). Anything else (help, --version, a mistyped name,
    shell completion) gets the whole app.
    """
    named = [info for info in app.registered_commands if args and info.name == args[0]]
    if not named:
        return app
    called = copy.copy(app)
    called.registered_commands = named
    return called


def main() -> NoReturn:
    """Console-script entry point (see mgcalc.__main__)."""
    app_for(sys.argv[1:])(prog_name="mgcalc")
    sys.exit(ExitCode.OK)  # pragma: no cover - app() always exits
