"""Every number as users read it: millions of euros (plain, fixed, signed, with their unit), percents,
ordinals, euros, counts, and the no-break spaces that keep a figure on one line.

One style everywhere (the renderers call these functions rather than format a number themselves): a decimal
point, thousands separated by a narrow no-break space (« 1 109.1 », never split across lines), one minus sign
(« − », U+2212, never the hyphen), percents written as the model writes them, glued to the number (« 2.5% »,
« −5.3% »), and never « −0.0 ».
"""

from __future__ import annotations


MILLION = 1_000_000.0
THOUSANDS = "\u202f"  # narrow no-break space: « 1 109.1 » stays on one line
MINUS = "\u2212"      # the minus sign, not the hyphen


def group_thousands(text: str) -> str:
    """A formatted number (« -1234.5 ») as users read it: a narrow no-break space every three digits of its
    integer part, the minus sign (« −1 234.5 »); « −0 », « −0.0 » are « 0 », « 0.0 »."""
    negative = text.startswith(("-", MINUS))
    digits = text.lstrip("-" + MINUS)
    whole, _, decimals = digits.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    zero = not digits.replace(".", "").strip("0")
    return (MINUS if negative and not zero else "") + THOUSANDS.join(groups) + (f".{decimals}" if decimals else "")


def integer(value: float) -> str:
    """« 1 234 567 »: a whole number (rounded), grouped."""
    return group_thousands(f"{value:.0f}")


def decimal(value: float, decimals: int) -> str:
    """« 1 234.57 »: a number with a fixed number of decimals, grouped."""
    return group_thousands(f"{value:.{decimals}f}")


def format_meur(value_eur: float) -> str:
    """Millions of euros as the model writes them, the one way every text of fichex writes them: « 675.8 »,
    « 1 109.1 », « 207 » (a trailing « .0 » dropped), « −4.5 », « 0 » (never « −0 »)."""
    text = f"{value_eur / MILLION:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return group_thousands(text)


MEUR_UNIT = "M€"


def meur(value_eur: float) -> str:
    """« 675.8 M€ », the unit after a no-break space."""
    return f"{format_meur(value_eur)}\u00a0{MEUR_UNIT}"


def rounds_to_zero(value_eur: float) -> bool:
    """Whether the value shows as « 0 » million."""
    return format_meur(abs(value_eur)) == "0"


def signed_meur(value_eur: float) -> str:
    """« +12.3 », « −4.5 », and « 0 » (never « −0 ») for what rounds to zero."""
    text = format_meur(value_eur)
    return ("+" + text) if value_eur > 0 and not rounds_to_zero(value_eur) else text


def signed_meur_label(value_eur: float) -> str:
    """« +12.3 M€ », « 0 M€ »: signed_meur with its unit."""
    return f"{signed_meur(value_eur)}\u00a0{MEUR_UNIT}"


def balance_label(balance_eur: float) -> str:
    """« Solde : +468.8 M€ »."""
    return f"Solde : {signed_meur_label(balance_eur)}"


def format_pct(value: float, decimals: int) -> str:
    """A percentage with a fixed number of decimals, as the model writes it: « 2.5% », « 0.12% », « −5.3% »."""
    return f"{decimal(value, decimals)}%"


def signed_pct(value: float, decimals: int = 1) -> str:
    """« +7.8% », « −5.3% », « 0.0% » (a change)."""
    text = format_pct(value, decimals)
    return f"+{text}" if text[0].isdigit() and text.strip("0.%") else text


def growth_text(value: float | None) -> str:
    """« (−4.5%) »: a growth rate in brackets, after a no-break space (never « −0.0% »); empty for None."""
    if value is None:
        return ""
    return f"\u00a0({signed_pct(value)})"


def format_eur(value: float) -> str:
    """« 1 234 567 € » (rounded to the euro)."""
    return integer(value) + "\u00a0€"


def count_of(n: int, word: str) -> str:
    """« 1 234 lignes », « 1 ligne »: a count with its noun, plural from two."""
    return f"{group_thousands(str(n))} {word}{'s' if n > 1 else ''}"






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


def meur_text(value_eur: float, signed: bool = True) -> str:
    """What a workbook cell in millions shows (« +1 234.5 M€ »; the sign room kept when `signed`), to size its
    column."""
    return f"{'+' if signed else ''}{decimal(abs(value_eur) / MILLION, 1)} {MEUR_UNIT}"


def percent_of(part: float, whole: float) -> str:
    """`part` as a percent of `whole`, one decimal (« 12.3% »; « 0.0% » when `whole` is 0)."""
    return format_pct(100 * part / whole, 1) if whole else format_pct(0, 1)
