"""Every number as users read it: millions of euros (plain, fixed, signed, with their unit), percents,
ordinals, euros, counts, and the no-break spaces that keep a figure on one line.
"""

from __future__ import annotations


MILLION = 1_000_000.0


def group_thousands(text: str) -> str:
    """Insert a space every three digits of the integer part of a formatted number."""
    sign = "-" if text.startswith("-") else ""
    digits = text.lstrip("-")
    whole, _, decimals = digits.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + " ".join(groups) + (f".{decimals}" if decimals else "")


def format_meur(value_eur: float) -> str:
    """Millions of euros as the model writes them: « 675.8 », « 1 109.1 », « 207 »."""
    text = f"{value_eur / MILLION:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    if text == "-0":
        text = "0"
    return group_thousands(text)


def format_meur_fixed(value_eur: float) -> str:
    """Millions of euros with one decimal always shown (« 207.0 »), for tables and labels."""
    return group_thousands(f"{value_eur / MILLION:.1f}")


def meur_label(value_eur: float) -> str:
    """« 675.8 M€ », for chart and drawing labels."""
    return f"{format_meur(value_eur)} M€"


def balance_label(balance_eur: float) -> str:
    """« Solde : +468.8 M€ »."""
    sign = "+" if balance_eur > 0 else ""
    return f"Solde : {sign}{meur_label(balance_eur)}"


def format_pct(value: float, decimals: int) -> str:
    """A percentage with a fixed number of decimals: « 2.5% », « 0.12% »."""
    return f"{value:.{decimals}f}%"


def growth_text(value: float | None) -> str:
    """« (−4.5 %) »: a growth rate in brackets, with a true minus sign and no-break space (never
    « -0.0 »); empty for None."""
    if value is None:
        return ""
    text = f"{value:+.1f} %".replace("-0.0 %", "0.0 %").replace("+0.0 %", "0.0 %")
    # No line break inside « (-4.5 %) »: a true minus sign and a non-breaking space.
    return f" ({text.replace('-', chr(0x2212)).replace(' ', chr(0xA0))})"


def format_eur(value: float) -> str:
    """« 1 234 567 € » (rounded to the euro, spaces between thousands)."""
    return group_thousands(f"{value:.0f}") + " €"


def count_of(n: int, word: str) -> str:
    """« 1 234 lignes », « 1 ligne »: a count with its noun, plural from two."""
    return f"{group_thousands(str(n))} {word}{'s' if n > 1 else ''}"


def drawing_meur(value_eur: float) -> str:
    """« 3 278.0 M€ », « 0.0 M€ » (never « -0.0 »)."""
    text = format_meur_fixed(value_eur)
    return f"{'0.0' if text == '-0.0' else text} M€"


def drawing_balance(balance_eur: float) -> str:
    """« Solde : +468.8 M€ »."""
    text = drawing_meur(balance_eur)
    return f"Solde : {'+' if balance_eur > 0 and text != '0.0 M€' else ''}{text}"


def ordinal(rank: int) -> str:
    """« 1er », « 91e »."""
    return f"{rank}{'er' if rank == 1 else 'e'}"


_BREAKLESS = (("« ", "«\u00a0"), (" »", "\u00a0»"), (" M€", "\u00a0M€"), (" :", "\u00a0:"), (" ;", "\u00a0;"))


def no_break(sentence: str) -> str:
    """No line break inside « 35 075.1 M€ », inside guillemets, before a colon or a share in brackets:
    no-break spaces there."""
    import re

    sentence = re.sub(r"(?<=\d) (?=\d{3}(?!\d))", "\u00a0", sentence)
    sentence = re.sub(r" \((?=\d)", "\u00a0(", sentence)  # « Italie (25.0%) » on one line
    for plain, breakless in _BREAKLESS:
        sentence = sentence.replace(plain, breakless)
    return sentence


# The deck's and the workbook's own ways of writing an amount, kept as they are (each gives the text it gave
# when it lived in its renderer; the one number style is a later step).
MEUR_UNIT = "M€"


def meur(value_eur: float) -> str:
    """« 12.3 M€ »: millions of euros, one decimal, as the deck writes a value."""
    return f"{format_meur_fixed(value_eur)} {MEUR_UNIT}"


def rounds_to_zero(value_eur: float) -> bool:
    """Whether the value shows as « 0.0 » million."""
    return format_meur_fixed(abs(value_eur)) == "0.0"


def signed_meur(value_eur: float) -> str:
    """« +12.3 », « -4.5 », and « 0.0 » (never « -0.0 ») for what rounds to zero."""
    if rounds_to_zero(value_eur):
        return "0.0"
    text = format_meur_fixed(value_eur)
    return ("+" + text) if value_eur > 0 else text


def signed_meur_label(value_eur: float) -> str:
    """« +12.3 M€ », « 0.0 M€ »: signed_meur with its unit (a Territoire d'industrie's comparison table)."""
    return f"{signed_meur(value_eur)} {MEUR_UNIT}"


def meur_text(value_eur: float, signed: bool = True) -> str:
    """What a workbook cell in millions shows (« +1 234.5 M€ »; the sign room kept when `signed`), to size its
    column."""
    return f"{'+' if signed else ''}{format_meur_fixed(abs(value_eur))} {MEUR_UNIT}"


def percent_of(part: float, whole: float) -> str:
    """`part` as a percent of `whole`, one decimal (« 12.3% »; « 0.0% » when `whole` is 0)."""
    return format_pct(100 * part / whole, 1) if whole else format_pct(0, 1)
