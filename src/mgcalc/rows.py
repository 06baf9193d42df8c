"""A panel's rows: one ingredient a row, each with its own figures, found from the tokens.

A Supplement Facts or Drug Facts table prints one ingredient a row: its name, then its figures,
a bracket ("(as magnesium oxide 500 mg)") and a %DV. Pasted on one line, with its cells run
together or split over lines, it is the same rows, found by the names that start them; a
sentence that lists ions ("140 mEq sodium, 5 mEq potassium, 3 mEq magnesium") prints each figure
before its name. ``rows`` cuts the tokens of a section (``label.tokenize`` of each line, a line
break between) into such rows with a few named rules, so that a figure never leaves the row of
its ingredient:

- a row is complete once it has a name and a figure; what follows it at the top level (outside
  brackets) opens a new row, unless it continues this one: a bracket, a percentage, a cue that
  joins figures ("equivalent to", "as", "elemental", "per"), a dose unit ("capsules");
- a separator (a comma, a semicolon, "and", a line break) after a complete row ends it, unless a
  continuation follows;
- a figure first and its name after ("535 mg magnesium chloride", "3 mEq magnesium") is one row
  whose name follows the figure; a name after a figure starts a row of its own where a figure of
  its own follows it ("Simethicone 20 mg Magnesium hydroxide 200 mg");
- a line of words with no figure ("Antacid", "Amount Per Serving") is a row of text, and lends
  nothing.

Each row is then magnesium (it names magnesium, a magnesium compound, or counts mmol/mEq with no
other name) or another ingredient, kept with its name and figures so the output can say what was
set aside.
"""

from typing import NamedTuple

from mgcalc.label import CLOSING, OPENING, Token, TokenKind

#: Token kinds that name an ingredient the reader knows (magnesium, a form, another nutrient, a salt).
_NAMES = (TokenKind.MG, TokenKind.FORM, TokenKind.OTHER, TokenKind.SALT)
_FIGURES = (TokenKind.AMOUNT, TokenKind.BARE, TokenKind.RANGE)
#: Cue roles that join what follows to the figure before it ("400 mg equivalent to 240 mg magnesium").
_JOINING_CUES = frozenset({"link", "element", "source", "as-magnesium", "hydrate-of", "per", "filler"})
#: Cues that make a figure after them a second figure of the row ("equivalent to 11.8 mg Mg2+"); not
#: a filler ("USP 0.5 g Sodium Acetate": the next row's name follows).
_LINKING_CUES = _JOINING_CUES - {"filler", "per"}
#: Words after a figure that still belong to its row.
CONTINUING_WORDS = frozenset({
    "dv", "daily", "value", "values", "nrv", "ri", "vnr", "vrn", "rws", "ar", "nrv*", "in", "usp", "bp", "ph.eur",
    "eur", "elemental", "element", "total", "approx", "approx.", "approximately", "min", "min.", "from",
    "fl", "fl.", "oz", "oz.", "ml", "ml.", "fluid", "ounce", "ounces",  # "1.745g per fl oz"
})
EOL = Token(TokenKind.EOL, "\n", -1)


class Row(NamedTuple):
    """One ingredient's row (or a row of text), with its tokens as printed."""

    tokens: tuple[Token, ...]
    #: magnesium: a magnesium row; other: another ingredient's; text: no figure; figures: figures with no name.
    kind: str

    @property
    def name(self) -> str:
        """The row's words before its first figure (or after it, for a figure-first row)."""
        top = _top_level(list(self.tokens))
        first = next((i for i, t in enumerate(top) if t.kind in _NAMES), None)
        if first is not None:  # the known name and the words run on with it: "Calcium carbonate", "sodium"
            end = next((i for i in range(first, len(top))
                        if top[i].kind not in (TokenKind.WORD, *_NAMES, TokenKind.HYDRATE)), len(top))
            top = top[first:end]
        words = [t.text for t in top if t.kind in (TokenKind.WORD, *_NAMES, TokenKind.HYDRATE)]
        return " ".join(" ".join(words).split()).strip(" ,;:|.-")

    @property
    def figures(self) -> tuple[str, ...]:
        return tuple(t.text.strip() for t in self.tokens if t.kind in (*_FIGURES, TokenKind.PCT))


def tokens_of(lines: list[str]) -> list[Token]:
    """The tokens of several lines, a line break token after each."""
    from mgcalc.label import tokenize

    out: list[Token] = []
    for line in lines:
        out += tokenize(line)
        out.append(EOL)
    return out


def rows(tokens: list[Token]) -> list[Row]:
    """Cut a section's tokens into rows (see the module's rules)."""
    out: list[Row] = []
    current: list[Token] = []
    depth = 0
    state = _State()

    def flush() -> None:
        nonlocal current, state
        kept = [t for t in current if t.kind != TokenKind.EOL]
        if kept:
            out.append(Row(tuple(kept), _kind(kept, state)))
        current, state = [], _State()

    for i, tok in enumerate(tokens):
        if depth == 0 and current and _opens_row(tokens, i, state):
            flush()
        current.append(tok)
        if tok.kind in OPENING:
            depth += 1
        elif tok.kind in CLOSING:
            depth = max(0, depth - 1)
        elif depth == 0:
            state.see(tok, tokens, i)
        elif tok.kind in _FIGURES:
            state.bracket_figure = True
    flush()
    return out


class _State:
    """What the row being read has seen so far."""

    def __init__(self) -> None:
        self.figure = False  # a figure at the top level
        self.bracket_figure = False
        self.name = False  # a name the reader knows
        self.words = False  # words before the first figure (an unknown ingredient's name)
        self.figure_first = False  # the name came after the figure
        self.separated = False  # a separator since the row became complete
        self.magnesium = False  # the row's first name is magnesium's (magnesium, a form, a salt)

    @property
    def complete(self) -> bool:
        return self.figure and (self.name or self.words)

    def see(self, tok: Token, tokens: list[Token], i: int) -> None:
        if _separator(tok):
            if self.complete or (self.figure and tok.kind == TokenKind.EOL):
                self.separated = True
            return
        self.separated = False
        if tok.kind in _FIGURES:
            self.figure = True
        elif tok.kind in _NAMES:
            self.figure_first = self.figure_first or (self.figure and not self.name)
            if not self.name:
                self.magnesium = _magnesium(tok)
            self.name = True
        elif tok.kind == TokenKind.WORD and tok.text.lower().strip(".*") not in CONTINUING_WORDS:
            if self.figure and not self.name and not self.words:
                self.figure_first = True  # "98 mEq chloride": a name mgcalc does not know, after its figure
            if not self.figure or self.figure_first:
                self.words = True


def _separator(tok: Token) -> bool:
    return tok.kind in (TokenKind.EOL, TokenKind.COMMA, TokenKind.SEMICOLON) or (
        tok.kind == TokenKind.CUE and tok.role in ("and", "plus"))


def _continues(tok: Token) -> bool:
    """Whether a token after a complete row still belongs to it."""
    if tok.kind in (*OPENING, TokenKind.PCT, TokenKind.BASIS, TokenKind.HYDRATE, TokenKind.WATER, TokenKind.COLON,
                    TokenKind.SEP, *CLOSING):
        return True
    if tok.kind == TokenKind.CUE:
        return tok.role in _JOINING_CUES
    return tok.kind == TokenKind.WORD and tok.text.lower().strip(".*") in CONTINUING_WORDS


def _opens_row(tokens: list[Token], i: int, state: _State) -> bool:
    tok = tokens[i]
    if _separator(tok):
        # a line of words alone (a heading, a purpose) ends at its line break
        return False
    if not state.figure:
        if tok.kind in _FIGURES and _colon_then_named_figure(tokens, i):
            return True  # "Composition of ... tablet: 618.43 mg magnesium citrate, 10 mg ...": a list follows
        if tokens[i - 1].kind == TokenKind.EOL and tok.kind in _NAMES and not state.name and state.words:
            return True  # "Antacid" on its own line, then "Magnesium hydroxide ..."
        if tokens[i - 1].kind == TokenKind.EOL and tok.kind in _NAMES and state.name:
            return not _after_joining_cue(tokens, i)
        return False
    if not state.complete:
        if state.separated and tok.kind in _NAMES:
            return True
        return False
    if _continues(tok) and not (state.separated and tok.kind in (TokenKind.SEP, TokenKind.COLON)):
        return False
    if tok.kind in _FIGURES:
        if _after_joining_cue(tokens, i):
            return False  # "117 mg of magnesium from 900 mg of ... bisglycinate"
        return state.figure_first or state.separated
    if tok.kind in _NAMES:
        if _after_joining_cue(tokens, i) or (tokens[i - 1].kind in _FIGURES
                                             and _after_joining_cue(tokens, i - 1, _LINKING_CUES)):
            return False  # "equivalent to 11.8 mg Mg2+": the joined figure's own name
        if state.separated:
            return True
        if state.name and not state.figure_first:
            # "Magnesium Malate - 60 mg Magnesium": a name of the same kind after the figure, with no figure
            # of its own, names that figure; "Zinc 15 mg Magnesium oxide 250 mg" starts a row
            return _own_figure_follows(tokens, i) or _magnesium(tok) != state.magnesium
        if state.figure_first:
            return True
        return _own_figure_follows(tokens, i)  # "Simethicone 20 mg Magnesium hydroxide 200 mg"
    if tok.kind == TokenKind.WORD and state.figure_first and not state.separated and not state.name:
        return False  # "98 mEq chloride": the name after its figure
    return True


def _magnesium(tok: Token) -> bool:
    return tok.kind in (TokenKind.MG, TokenKind.SALT) or (tok.kind == TokenKind.FORM and tok.form is not None
                                          and tok.form.form.kind != "excipient")


def _colon_then_named_figure(tokens: list[Token], i: int) -> bool:
    """A figure after a colon with its own name right after it: the colon ends a heading."""
    return tokens[i - 1].kind == TokenKind.COLON and i + 1 < len(tokens) and tokens[i + 1].kind in _NAMES


def _after_joining_cue(tokens: list[Token], i: int, cues: frozenset[str] = _JOINING_CUES) -> bool:
    j = i - 1
    while j >= 0 and tokens[j].kind == TokenKind.EOL:
        j -= 1
    return j >= 0 and tokens[j].kind == TokenKind.CUE and tokens[j].role in cues


def _own_figure_follows(tokens: list[Token], i: int) -> bool:
    """Whether the name at ``i`` is followed by a figure of its own before any separator."""
    for tok in tokens[i + 1:]:
        if tok.kind in _FIGURES:
            return True
        if _separator(tok) or tok.kind in (*OPENING, TokenKind.PCT):
            return False
    return False


def _kind(tokens: list[Token], state: _State) -> str:
    names = [t for t in tokens if t.kind in _NAMES]
    if any(t.kind in (TokenKind.MG, TokenKind.SALT)
           or (t.kind == TokenKind.FORM and t.form is not None and t.form.form.kind != "excipient")
           for t in names):
        first = names[0]
        if first.kind == TokenKind.OTHER and not any(t.kind in (TokenKind.MG, TokenKind.FORM, TokenKind.SALT)
                                                     for t in _top_level(tokens)):
            return "other"  # Calcium 500 mg (as calcium carbonate, with magnesium ...): calcium's row
        return "magnesium"
    if names:
        return "other"
    has_figure = any(t.kind in _FIGURES for t in tokens)
    if not has_figure:
        return "text"
    if any(t.kind == TokenKind.AMOUNT and t.measure == "magnesium" for t in tokens) and not state.figure_first:
        return "magnesium"  # "MAGNAPHATE 97.2mg (4mmol)", "4 mmol": mmol and mEq count magnesium
    if state.words:
        return "other"  # an ingredient mgcalc does not know by name: "Simethicone 20 mg", "28 mEq lactate"
    return "figures"


def _top_level(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    depth = 0
    for t in tokens:
        if t.kind in OPENING:
            depth += 1
        elif t.kind in CLOSING:
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(t)
    return out
