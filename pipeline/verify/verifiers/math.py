"""`math`: the final answer compared with the reference by math-verify, each step under a time limit.

math-verify ignores units (`5 \\text{ m}` equals `5 \\text{ cm}`), so when the reference and the answer are both a
number with a unit, the units must agree too (`math:unit_mismatch`); a bare number against a reference with a unit,
or a unit against a bare reference, is left to math-verify, except that a bare number against a compound unit of
known unit symbols (`9.8 m/s^2`) is compared by number (version 8).

An answer that commits to two values (two different boxed values, or a stated answer after the boxed one that
differs from it) fails `math:multiple_answers`, even when the last one is right (version 3).

A reference in words (`Paris`, `Sinclair Lewis`, `\\text{Sunday}`, BBH's `costume counterpart oven`) is compared
word for word (version 5): math-verify reads a word as a product of one-letter symbols, which commute, so every
anagram (`silent` for `listen`, `Pairs` for `Paris`) and every word order passed, while a right answer in other
case failed."""

from __future__ import annotations

import contextlib
import logging
import math
import re
import unicodedata
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache, lru_cache
from typing import Any

from pipeline.verify.config import VerifyConfig
from pipeline.verify.extract import (
    CONCLUSION_WORDS,
    CORRECTION_WORDS,
    ambiguous_comma,
    answer_retracted,
    approximated,
    approximation,
    bounds_its_number,
    boxed_contents,
    cjk_numeral,
    comma_decimals,
    committed_values,
    english_numeral,
    final_answer,
    halfwidth,
    has_relation,
    joined_digit_groups,
    latex_decoration,
    list_of_values,
    long_scale,
    plain_emphasis,
    relation_bound,
    rounded_value,
    rounding,
    spoken_number,
    strip_math,
    struck_out,
    unicode_math,
    untagged,
    variables_on_number,
)
from pipeline.verify.registry import builtin
from pipeline.verify.result import CheckResult, TaskSpec
from pipeline.verify.timeouts import CheckTimeout, time_limit

# math-verify warns once that its own (signal-based) timeout is off: thinkmill applies its own.
logging.getLogger("math_verify").setLevel(logging.ERROR)


@lru_cache(maxsize=2)
def _configs(units: bool = True) -> list[Any]:
    """math-verify's extraction configs; `units=False`: without its unit stripping (see `variables_on_number`)."""
    from math_verify import ExprExtractionConfig, LatexExtractionConfig
    from math_verify.parser import NormalizationConfig

    if units:
        return [LatexExtractionConfig(), ExprExtractionConfig()]
    # math-verify's own defaults (`LatexExtractionConfig.normalization_config`), units off
    norm = NormalizationConfig(
        basic_latex=True, units=False, malformed_operators=True, nits=True, boxed="all", equations=False
    )
    return [LatexExtractionConfig(normalization_config=norm), ExprExtractionConfig()]


# a number in scientific notation: its `\times 10^{n}` or E-notation part (`3.0 \times 10^8 m/s`, `1.6e-19 C` are a
# number and its unit; `e-19` was read as the unit)
_TIMES_TEN = r"(?:[eE][-+]?\d+|\s*(?:\\times|\\cdot)\s*10\s*\^\s*(?:\{\s*[-+]?\d+\s*\}|[-+]?\d+))?"
# a number as the unit checks read it: digits with commas, decimals, scientific notation (`_TIMES_TEN`)
_NUMBER = r"\s*[-+]?\d[\d,]*(?:\.\d+)?" + _TIMES_TEN
_NUMBER_WITH_UNIT = re.compile(
    r"^" + _NUMBER + r"(?:\s|\\[,;:! ]|~)*"
    r"(?:\\(?:text|mathrm|mbox|operatorname|textrm)\s*\{\s*([^{}]*?)\s*\}(\s*\^\s*(?:\{\s*[-+]?\d+\s*\}|[-+]?\d+))?"
    r"|(?![eE][-+]?\d)([A-Za-z\u00b0\u00b5][A-Za-z/^\d\u00b0{}-]*))"
    r"\s*\.?\s*$"
)
_UNIT_ALIASES = {
    "meter": "m",
    "metre": "m",
    "centimeter": "cm",
    "centimetre": "cm",
    "millimeter": "mm",
    "millimetre": "mm",
    "kilometer": "km",
    "kilometre": "km",
    "gram": "g",
    "kilogram": "kg",
    "second": "s",
    "sec": "s",
    "minute": "min",
    "hour": "h",
    "hr": "h",
    "liter": "l",
    "litre": "l",
    "inch": "in",
    "foot": "ft",
    "feet": "ft",
    "mile": "mi",
    "degree": "\u00b0",
    "deg": "\u00b0",
    "dollar": "usd",
    "cent": "cent",
    "unit": "unit",
    # SI units' names as their symbols (math 21: `2500 \\text{ milliliters}` failed `2500 mL`)
    "milliliter": "mL", "millilitre": "mL", "centiliter": "cL", "centilitre": "cL", "kiloliter": "kL",
    "kilolitre": "kL", "milligram": "mg", "microgram": "\u00b5g", "millisecond": "ms", "microsecond": "\u00b5s",
    "nanosecond": "ns", "micrometer": "\u00b5m", "micrometre": "\u00b5m", "micron": "\u00b5m", "nanometer": "nm",
    "nanometre": "nm", "newton": "N", "kilonewton": "kN", "joule": "J", "kilojoule": "kJ", "megajoule": "MJ",
    "watt": "W", "kilowatt": "kW", "megawatt": "MW", "volt": "V", "millivolt": "mV", "kilovolt": "kV", "ampere": "A",
    "amp": "A", "milliampere": "mA", "milliamp": "mA", "ohm": "\u03a9", "kilohm": "k\u03a9", "hertz": "Hz",
    "kilohertz": "kHz", "megahertz": "MHz", "gigahertz": "GHz", "pascal": "Pa", "kilopascal": "kPa",
    "megapascal": "MPa", "coulomb": "C", "farad": "F", "microfarad": "\u00b5F", "kelvin": "K", "mole": "mol",
    "calorie": "cal", "kilocalorie": "kcal", "electronvolt": "eV",
}  # fmt: skip


def unit_of(s: str) -> str | None:
    """The unit of a `number unit` string (`5 cm`, `5\\,\\text{cm}`, `12 m/s`, `5 \\text{ cm}^2`, `3 \\times 10^8 m/s`),
    normalised, its exponent included (`cm^2`: math 9; math-verify strips `\\text{ cm}^3` as it strips `\\text{ cm}^2`,
    so `5 \\text{ cm}^3` passed for `5 \\text{ cm}^2`); else None. A compound unit written with its symbols apart is
    their product (`compound_unit`: `kJ mol^-1`)."""
    if unit_variables(s):
        return None
    if (compound := compound_unit(s)) is not None:  # `kJ mol^{-1}`, `J/(mol K)` (math 26)
        return compound
    m = _NUMBER_WITH_UNIT.match(s)
    if not m:
        return None
    unit = m.group(1) if m.group(1) is not None else m.group(3)
    unit = re.sub(r"[\s{}]+", "", unit + (m.group(2) or ""))
    if not unit:
        return None
    base, caret, exponent = unit.partition("^") if "/" not in unit else (unit, "", "")
    # a word, not a symbol: symbols keep their case (math 21: `mPa` was `MPa`, `meV` `MeV`, and `kPa` no SI unit)
    if len(base) > 2 and base.isalpha() and base not in _UNIT_SYMBOLS and _si_unit(base) is None:
        base = base.lower()
        if base.endswith("s") and len(base) > 3:  # plurals: meters, apples, inches
            base = base[:-2] if base.endswith("ches") else base[:-1]
    return _UNIT_ALIASES.get(base, base) + caret + exponent


_LEADING_NUMBER = re.compile(r"^" + _NUMBER)

# SI prefixes as powers of ten, and the units that take them (as `unit_of` writes them; longer symbols first)
_SI_PREFIX = {"": 0, "k": 3, "M": 6, "G": 9, "T": 12, "h": 2, "d": -1, "c": -2, "m": -3, "\u00b5": -6, "\u03bc": -6}
_SI_PREFIX |= {"u": -6, "n": -9, "p": -12}
_SI_BASES = ("mol", "cal", "eV", "Hz", "Pa", "Wb", "Wh", "\u03a9", "m", "g", "s", "A", "V", "W", "J", "N", "C", "F")
_SI_BASES += ("H", "T", "S", "L", "l")


def _si_unit(unit: str) -> tuple[str, int, int] | None:
    """(base unit, prefix's power of ten, exponent) of a simple SI unit (`kΩ` -> ("Ω", 3, 1), `cm^2` -> ("m", -2,
    2)); None for a compound unit (`m/s`) or another unit (`min`, `ft`, `°C`)."""
    symbol, caret, power = unit.partition("^")
    if "/" in unit or (caret and not re.fullmatch(r"-?\d", power)):
        return None
    for base in _SI_BASES:
        if symbol.endswith(base) and (prefix := symbol[: -len(base)]) in _SI_PREFIX:
            return base.lower() if base == "L" else base, _SI_PREFIX[prefix], int(power) if caret else 1  # L = l
    return None


def si_scale(unit: str, to: str) -> int | None:
    """The power of ten that turns a number in `unit` into one in `to` when the two are the same SI unit with other
    prefixes (`Ω` -> `kΩ`: -3; `m^2` -> `cm^2`: 4), else None (math 13, numeric 8: `\\boxed{5000 \\Omega}` failed `5
    k\\Omega` as `unit_mismatch`; other units are not converted). A compound unit is the same unit when it has the
    same symbols to the same powers, and its prefixes convert it (`_dimension`, math 26: `J/mol` -> `kJ mol^-1`: -3,
    `mol/L` -> `mM`: 3; `m/s` is no `m/s^2`, nor `km/h`)."""
    a, b = _dimension(unit), _dimension(to)
    if a is None or b is None or a[0] != b[0]:
        return None
    return a[1] - b[1]


# a compound unit (math 26): known unit symbols, each with an exponent, apart or joined by `\cdot`, `·`, `*`, and one
# `/` before the symbols it divides by, apart or in parentheses (`kJ/mol`, `kJ mol^{-1}`, `\mathrm{kJ\cdot mol^{-1}}`,
# `J/(mol K)`, `\text{kJ}\,\text{mol}^{-1}`; math 29: `J/mol K` is J/(mol K), as chemistry and physics texts write it)
_UNIT_TEXT = re.compile(r"\\(?:text|mathrm|mbox|textrm|operatorname)\s*\{((?:[^{}]|\{[^{}]*\})*)\}")
_UNIT_POWER = re.compile(r"\s*\^\s*(?:\{\s*\+?(-?\d+)\s*\}|\(\s*\+?(-?\d+)\s*\)|\+?(-?\d+))")
_UNIT_FACTOR = re.compile(r"([A-Za-z\u00b0\u00b5\u03bc\u03a9]+)(?:\^(-?\d+))?")
# molar concentration, `M` = mol/L, with the prefixes chemistry gives it (`mM`, `µM`, `nM`); `Mm` is a megametre
_MOLAR = re.compile(r"([m\u00b5\u03bcunp]?)M")


def _unit_text(unit: str) -> str:
    """A unit written as plain text: text commands unwrapped, a product's operators and LaTeX spaces as one space, an
    exponent as `^-1` (`\\text{ kJ}\\,\\text{mol}^{-1}` -> `kJ mol^-1`)."""
    text = _UNIT_TEXT.sub(r" \1 ", unit).replace("\\Omega", "\u03a9")
    text = re.sub(r"\\mu\s*", "\u00b5", text)
    text = re.sub(r"\\cdot|\\[,;:! ]|~|[\u00b7*]", " ", text)
    text = _UNIT_POWER.sub(lambda m: "^" + next(e for e in m.groups() if e is not None), text)
    text = re.sub(r"\s*([/()])\s*", r"\1", text)
    return " ".join(text.split()).rstrip(".")


def _unit_factors(text: str) -> list[tuple[str, int]] | None:
    """The (symbol, power) factors of a unit's plain text (`_unit_text`): `kJ/mol` -> [("kJ", 1), ("mol", -1)],
    `J/(mol K)` and `J/mol K` -> [("J", 1), ("mol", -1), ("K", -1)]; None for another text (`m/s/s`, words). The
    symbols after a slash are all divided by, as chemistry and physics texts write `J/mol K`, `W/m^2 K` (math 28 read
    `J/mol K` as no unit, so `\\boxed{8.314 \\text{ J/mol}}` passed for it)."""
    num, slash, den = text.partition("/")
    if den.startswith("(") and den.endswith(")"):
        den = den[1:-1]
    if "/" in den or any(c in num + den for c in "()") or (slash and not (num and den)):
        return None
    factors = []
    for part, sign in ((num, 1), (den, -1)):
        for token in part.split():
            if (m := _UNIT_FACTOR.fullmatch(token)) is None:
                return None
            factors.append((_UNIT_ALIASES.get(m.group(1), m.group(1)), sign * int(m.group(2) or 1)))
    return factors or None


def _dimension(unit: str) -> tuple[frozenset[tuple[str, int]], int] | None:
    """(the unit's symbols without their SI prefixes, each with its power; the power of ten of its prefixes) for a
    unit of known unit symbols (`kJ/mol` -> ({("J", 1), ("mol", -1)}, 3), `cm^2` -> ({("m", 2)}, -4), `M` (molar) ->
    ({("mol", 1), ("l", -1)}, 0)), else None. A symbol divided out stays, to the power 0: `mg/kg` is no `mmol/mol`."""
    factors = _unit_factors(_unit_text(unit))
    if factors is None:
        return None
    powers: dict[str, int] = {}
    scale = 0
    for symbol, power in factors:
        if (molar := _MOLAR.fullmatch(symbol)) is not None:
            parts = [("mol", _SI_PREFIX[molar.group(1)], 1), ("l", 0, -1)]
        elif (si := _si_unit(symbol)) is not None:
            parts = [si]
        elif symbol in _UNIT_SYMBOLS:
            parts = [(symbol, 0, 1)]
        else:
            return None
        for base, prefix, exponent in parts:
            powers[base] = powers.get(base, 0) + exponent * power
            scale += prefix * exponent * power
    return frozenset(powers.items()), scale


# what marks one-letter symbols written apart as a unit, not variables: a text command, an exponent, a slash, a dot
_MARKED_UNIT = re.compile(r"\\(?:text|mathrm|mbox|textrm|operatorname|cdot)\b|[\^/\u00b7*]")


def compound_unit(s: str) -> str | None:
    """The compound unit of a `number unit` string whose unit's symbols are written apart or grouped (`-285.8
    \\text{ kJ mol}^{-1}` -> `kJ mol^-1`, `8.314 J/(mol K)` -> `J mol^-1 K^-1`), as the product of its factors;
    None for any other string. math 25 read the symbols as one (`kjmol^-1`, `m s^{-2}` as `ms^-2`, a millisecond's)
    or found no unit (`J/(mol K)`, `\\mathrm{kJ\\cdot mol^{-1}}`)."""
    m = _LEADING_NUMBER.match(s)
    if m is None or not re.match(r"(?:\s|\\[,;:! ]|~|\\(?:text|mathrm|mbox|textrm|operatorname)\b)", s[m.end() :]):
        return None
    text = _unit_text(s[m.end() :])
    if (" " not in text and "(" not in text) or (factors := _unit_factors(text)) is None:
        return None  # one symbol or `m/s^2`: `unit_of` reads it
    if all(len(symbol) == 1 for symbol, _ in factors) and not _MARKED_UNIT.search(s[m.end() :]):
        return None  # `2 m g`: one-letter tokens written apart are variables (math 22; numeric 24 read a unit)
    unit = " ".join(symbol if power == 1 else f"{symbol}^{power}" for symbol, power in factors)
    return unit if _dimension(unit) is not None else None


def unit_variables(s: str) -> bool:
    """Whether a value ends in variables, not a unit (`extract.variables_on_number`: `5x`, `3 a b`, `3 a/b`), where a
    compound unit of known symbols after a slash is a unit (math 29: `4.18 J/g K`, `0.6 W/m K`; `g K` and `m K` were
    read as one-letter variables written apart)."""
    return variables_on_number(s) and ("/" not in s or compound_unit(s) is None)


# a unit the prompt asks the answer in: "how many centimeters", "in mL", "(in meters)", "into square centimeters";
# not one of a compound unit ("in km/h", "in meters per second")
_ASKED_UNIT = re.compile(
    r"\b(?i:how\s+many|in|into|to)\s+(?P<power>(?i:square|cubic)\s+)?(?P<unit>[A-Za-z\u00b5\u03bc\u03a9]+)"
    r"(?P<exp>\s*\^\s*\{?\s*[23]\s*\}?)?(?![\w/^])(?!\s+per\b)"
)


# a compound unit the prompt asks the answer in (math 26): "in kJ/mol", "to m/s", "in J mol^{-1} K^{-1}"; the words
# after it are cut off ("in m/s for the car")
_ASKED_COMPOUND = re.compile(
    r"\b(?i:in|into|to)\s+(?P<unit>[A-Za-z\u00b5\u03bc\u03a9][A-Za-z\u00b5\u03bc\u03a9\u00b7*/^{}()\d\s\\-]*)"
)


def _asked_compound_units(text: str) -> set[str]:
    """The compound units (`_ASKED_COMPOUND`, two or more symbols) the prompt's text asks the answer in."""
    units = set()
    for m in _ASKED_COMPOUND.finditer(text):
        words = m.group("unit").split()
        for end in range(len(words), 0, -1):
            unit = " ".join(words[:end])
            if (factors := _unit_factors(_unit_text(unit))) is not None and _dimension(unit) is not None:
                if len(factors) > 1:
                    units.add(unit)
                break
    return units


def asked_units(prompt: str) -> set[str]:
    """The SI units (as `unit_of` writes them) the prompt asks the answer in (`_ASKED_UNIT`): "How many centimeters
    is that?" -> {"cm"}, "What is the area in square meters?" -> {"m^2"}; and the compound units it asks for ("in
    kJ/mol" -> {"kJ/mol"}: `_asked_compound_units`, math 26)."""
    text = UNIT_WRAPPER.sub(r"\1", prompt).replace("\\Omega", "\u03a9").replace("\\mu", "\u00b5")
    text = re.sub(r"\$|\\[()]", "", text)
    units = set()
    for m in _ASKED_UNIT.finditer(text):
        power = {"square": "^2", "cubic": "^3"}.get((m.group("power") or "").strip().lower(), "")
        exponent = re.sub(r"[\s{}]", "", m.group("exp") or "")
        unit = unit_of(f"1 {m.group('unit')}{exponent}")
        if unit is not None and not power and _si_unit(unit) is not None:
            units.add(unit)
        elif unit is not None and power and "^" not in unit and _si_unit(unit) is not None:
            units.add(unit + power)
    return units | _asked_compound_units(text)


def off_asked_unit(unit: str | None, prompt: str) -> bool:
    """Whether `unit` is a unit the prompt asks for (`asked_units`) with another SI prefix: `3 m` for "How many
    centimeters is that?" echoes the given quantity (math 21, numeric 16: math 13 converted it and passed it for
    `300 cm`). Another prefix where the prompt asks for no unit is converted (`si_scale`)."""
    if unit is None:
        return False
    scales = {si_scale(unit, asked) for asked in asked_units(prompt)} - {None}
    return bool(scales) and 0 not in scales


# a number and the unit after it in a prompt ("width 2 cm", "90 minutes", `10 \text{ kg}`, "60 km/h", "9.8 m/s^2")
_PROMPT_QUANTITY = re.compile(
    r"(?<![\w.])\d+(?:[.,]\d+)?\s*([A-Za-z\u00b5\u03a9\u00b0]+(?:\s*\^\s*\{?\s*[23]\s*\}?)?)"
    r"(?:\s*/\s*([A-Za-z\u00b5\u03a9]+(?:\s*\^\s*\{?\s*[23]\s*\}?)?))?"
)
# a unit's name in the singular ("second", "meter"; "feet" is a plural)
_UNIT_WORDS = frozenset(k for k in _UNIT_ALIASES if len(k) > 2 and k.isalpha() and k != "feet")


def _known_unit(unit: str | None) -> bool:
    """Whether a unit (as `unit_of` writes it) is a unit of measure, not a count's noun (`apple`, `unit`, `way`)."""
    return (
        unit is not None
        and unit not in ("unit", "usd", "cent")
        and (_dimension(unit) is not None or unit in _UNIT_SYMBOLS or unit in _UNIT_ALIASES.values())
    )


def _asked_named_units(prompt: str) -> set[str]:
    """The units the prompt asks the answer in (`_ASKED_UNIT`, `_asked_compound_units`), of any kind ("How many
    hours", "in feet", "in cm": math 32), by a symbol of two letters or more or a unit's plural name: not "from 1 to
    N", "to second place"."""
    text = UNIT_WRAPPER.sub(r"\1", prompt).replace("\\Omega", "\u03a9").replace("\\mu", "\u00b5")
    text = re.sub(r"\$|\\[()]", "", text)
    units = _asked_compound_units(text)
    for m in _ASKED_UNIT.finditer(text):
        word = m.group("unit")
        if len(word) < 2 or word.lower() in _UNIT_WORDS:
            continue
        power = {"square": "^2", "cubic": "^3"}.get((m.group("power") or "").strip().lower(), "")
        exponent = re.sub(r"[\s{}]", "", m.group("exp") or "")
        unit = unit_of(f"1 {word}{exponent}")
        if unit is not None and _known_unit(unit):
            units.add(unit + power if "^" not in unit else unit)
    return units


def off_prompt_unit(unit: str | None, prompt: str) -> bool:
    """Whether an answer's unit, against a reference without one, is another than the prompt asks (`1.5 \\text{
    minutes}` for "How many hours ...?") or, where it asks none, not the prompt's for that kind of quantity (`5 \\text{
    mm}` or "5 meters" where the prompt gives lengths in cm only): math-verify strips the unit, so each passed for the
    bare reference (math 32). A unit the prompt uses, and one of another kind than the prompt's, pass. A compound
    unit the prompt uses gives its units too: "60 km/h" uses hours (math 33: math 32 read it as km, so `2 \\text{
    minutes}` passed for 2)."""
    asked_kinds = asked_measures(prompt)  # `2 \\text{ km}` for "How long does it take?", `25 cm^2` for a side (34)
    if asked_kinds and (measure := _measure(unit)) is not None and measure not in asked_kinds:
        return True
    if not _known_unit(unit):
        return False
    if asked := _asked_named_units(prompt):  # one of them, however written (`m s^{-1}` for "in m/s")
        return not any(unit == a or si_scale(str(unit), a) == 0 for a in asked)
    if any(unit == a or si_scale(str(unit), a) == 0 for a in asked_units(prompt)):
        return False  # the unit asked by its symbol ("What is its side in m?")
    text = UNIT_WRAPPER.sub(r" \1 ", re.sub(r"\$|\\[()]", " ", prompt))
    given = set()
    for m in _PROMPT_QUANTITY.finditer(text):
        compound = unit_of(f"1 {m.group(1)}/{m.group(2)}") if m.group(2) else None
        if compound is not None and _dimension(compound) is not None:  # `km/h`: a speed, and its km and h
            given |= {
                compound,
                *(f"{s}^{abs(p)}" if abs(p) > 1 else s for s, p in _unit_factors(_unit_text(compound)) or []),
            }
        elif (u := unit_of(f"1 {m.group(1)}")) is not None:
            given.add(u)
    kind = _kind(str(unit))
    if kind is None or any(unit == u or si_scale(str(unit), u) == 0 for u in given):
        return False
    if any(_kind(u) == kind for u in given):
        return True
    # math 34: the prompt gives the unit's symbol to another power only ("an area of 625 m^2", asked its side): the
    # prompt's prefix is the answer's (`25 cm` passed for 25 m)
    own = _prefix_of(str(unit))
    prefixes = {p[1] for u in given if (p := _prefix_of(u)) is not None and own is not None and p[0] == own[0]}
    return own is not None and bool(prefixes) and own[1] not in prefixes


def _prefix_of(unit: str) -> tuple[str, float] | None:
    """(the SI symbol, its prefix's power of ten) of a unit of one SI symbol to any power (`cm^2` -> ("m", -2), `km`
    -> ("m", 3)), else None."""
    dimension = _dimension(unit)
    if dimension is None or len(dimension[0]) != 1:
        return None
    ((symbol, power),) = dimension[0]
    return (symbol, dimension[1] / power) if power else None


# The kind of quantity a question asks (math 34, numeric 29): a time ("How long does it take?", "how much time"), a
# length ("How far", "What is the length / width / height / distance / perimeter / radius / side length"), an area, a
# volume, a speed, a mass; and the kind of a unit the prompt asks the answer in ("in m"). A unit of another kind fails
# against a bare reference, whatever units the prompt uses: math 33 passed `\boxed{2 \text{ km}}` for "A car travels
# 120 km at 60 km/h. How long does it take?" (km is the prompt's), `\boxed{25 \text{ cm}^2}` for "What is its side
# length?" and `\boxed{18 \text{ m}^2}` for a perimeter.
_TIME = frozenset({("s", 1)})
_LENGTH = frozenset({("m", 1)})
_AREA = frozenset({("m", 2)})
_VOLUME = frozenset({("m", 3)})
_SPEED = frozenset({("m", 1), ("s", -1)})
_MASS = frozenset({("g", 1)})
_FORCE = frozenset({("N", 1)})
# units of other systems and words, as the SI kind they measure (`_measure`)
_OTHER_SYMBOLS = {"ft": ("m", 1), "in": ("m", 1), "mi": ("m", 1), "yd": ("m", 1), "lb": ("g", 1), "oz": ("g", 1)}
_OTHER_SYMBOLS |= {"l": ("m", 3), "min": ("s", 1), "h": ("s", 1), "hr": ("s", 1)}
_MEASURE_WORDS = {"day": _TIME, "week": _TIME, "month": _TIME, "year": _TIME, "yr": _TIME, "yard": _LENGTH}
_MEASURE_WORDS |= {"mph": _SPEED, "gallon": _VOLUME, "acre": _AREA, "hectare": _AREA, "ha": _AREA}
# a question's words that name the quantity it asks; a noun with a number after it is given ("whose area is 625",
# "an area of 625 cm^2", "with speed 60")
_GIVEN_AFTER = r"(?!\s+(?:is|=|equals|was|measures|being)?\s*\$?\s*-?\d)(?!\s*\d)"
# ... and one after "a" or "an" with "of" before its number ("an area of 625", "a speed of 60"; not "the mass of 2
# moles")
_GIVEN_OF = re.compile(r"\b(?:a|an)\s+(?:[a-z]+\s+)?[a-z]+\s+of\s+\$?\s*-?\d", re.IGNORECASE)
_ASKED_QUANTITIES: tuple[tuple[re.Pattern[str], frozenset[frozenset[tuple[str, int]]] | None], ...] = tuple(
    (re.compile(rx, re.IGNORECASE), kinds)
    for rx, kinds in (
        # "How long does it take?", "How long will the trip last?", "How long did he run?"
        (
            r"\bhow\s+long\b(?=[^?.!]*\b(?:take|takes|took|taking|last|lasts|lasted|wait|spend|spent|run|ran|walk"
            r"|walked|drive|drove|fly|flew|swim|swam|travel|travell?ed|play|played|work|worked|sleep|slept|study"
            r"|studied|stay|stayed|ride|rode|jog|jogged|cycle|cycled|bike|biked|practice|practised|practiced)\b)",
            frozenset({_TIME}),
        ),
        (r"\bhow\s+long\s+(?:ago|until|before)\b|\bhow\s+soon\b", frozenset({_TIME})),
        # "How long is the side?": a length; "How long is the movie?" (a time or a length): no kind is asked
        (
            r"\bhow\s+long\s+(?:is|are|was|were|will|should|must|would)\s+(?:(?:the|each|its|every|one|a|an|this|that"
            r"|his|her|their)\s+)?(?:\w+\s+)?(?:sides?|edges?|ropes?|strings?|wires?|ribbons?|roads?|bridges?|lines?"
            r"|segments?|pieces?|fences?|boards?|poles?|ladders?|diagonals?|arcs?|chords?|tracks?|walls?|rooms?|pools?"
            r"|fields?|gardens?|hallways?|shadows?|legs?|hypotenuse|base|rectangle|plank|pipe|tube|cable|tunnel)\b",
            frozenset({_LENGTH}),
        ),
        (r"\bhow\s+long\b", None),
        (r"\bhow\s+(?:much|many)\s+(?:time|seconds|minutes|hours|days|weeks|months|years)\b", frozenset({_TIME})),
        (
            r"\b(?:the\s+)?(?:time|duration)\s+(?:it\s+(?:takes|took|will\s+take|would\s+take)|taken|needed"
            r"|required|elapsed)\b",
            frozenset({_TIME}),
        ),
        (r"\bhow\s+(?:far|tall|high|wide|deep|thick)\b", frozenset({_LENGTH})),
        (
            r"\b(?:length|width|breadth|height|distance|perimeter|radius|diameter|circumference|hypotenuse|depth"
            r"|wavelength)\b" + _GIVEN_AFTER,
            frozenset({_LENGTH}),
        ),
        (r"\b(?:surface\s+)?area\b" + _GIVEN_AFTER, frozenset({_AREA})),
        (r"\b(?:volume|capacity)\b" + _GIVEN_AFTER, frozenset({_VOLUME})),
        (r"\bhow\s+fast\b|\b(?:speed|velocity)\b" + _GIVEN_AFTER, frozenset({_SPEED})),
        (r"\bhow\s+heavy\b|\bweigh(?:s|ed)?\b(?!\s+\d)|\bweight\b" + _GIVEN_AFTER, frozenset({_MASS, _FORCE})),
        (r"\bmass\b" + _GIVEN_AFTER, frozenset({_MASS})),
    )
)
# a sentence that asks: it ends with "?", or opens with "Find", "Calculate", ... (in a prompt without a question)
_ASKING = re.compile(r"\s*(?:find|calculate|compute|determine|work\s+out|give|state|what|how)\b", re.IGNORECASE)


def _measure(unit: str | None) -> frozenset[tuple[str, int]] | None:
    """The SI kind of quantity a unit measures (`_kind`), other systems' units as the SI kind (`ft` a length, `lb` a
    mass, `L` a volume, `mph` a speed) and units of time in words (`days`); None for another unit."""
    if unit is None:
        return None
    if unit in _MEASURE_WORDS:
        return _MEASURE_WORDS[unit]
    dimension = _dimension(unit)
    if dimension is None:
        return None
    powers: dict[str, int] = {}
    for symbol, power in dimension[0]:
        base, times = _OTHER_SYMBOLS.get(symbol, (symbol, 1))
        powers[base] = powers.get(base, 0) + power * times
    return frozenset((symbol, power) for symbol, power in powers.items() if power)


def asked_measures(prompt: str) -> frozenset[frozenset[tuple[str, int]]]:
    """The kinds of quantity the prompt's questions ask (`_ASKED_QUANTITIES`, `_measure`), each question's words
    read from its start; empty where a question asks none or one of unknown kind ("How long is the movie?")."""
    return _asked_measures(prompt)


@lru_cache(maxsize=256)
def _asked_measures(prompt: str) -> frozenset[frozenset[tuple[str, int]]]:
    text = UNIT_WRAPPER.sub(r" \1 ", re.sub(r"\$|\\[()]", " ", prompt))
    sentences = [s for s in re.split(r"(?<=[.?!])\s+|\n+", text) if s.strip()]
    asking = [s for s in sentences if s.rstrip().endswith("?")] or [s for s in sentences if _ASKING.match(s)]
    kinds: set[frozenset[tuple[str, int]]] = set()
    for sentence in asking:
        sentence = _GIVEN_OF.sub(" ", sentence)
        for rx, asked in _ASKED_QUANTITIES:
            m = rx.search(sentence)
            if m is None:
                continue
            if asked is None and not any(
                (n := other.search(sentence)) is not None and n.start() == m.start() and k is not None
                for other, k in _ASKED_QUANTITIES
            ):
                return frozenset()  # "How long is the movie?": a time or a length
            if asked is not None:
                kinds |= asked
    for unit in asked_units(prompt) | _asked_named_units(prompt):
        if not re.fullmatch(r"[A-Z]", unit) and (measure := _measure(unit)) is not None:
            kinds.add(measure)
    return frozenset(kinds)


# units of time other than the second, of its kind (math 33: `min` against the prompt's `h`)
_TIME_UNITS = frozenset({"min", "h", "hr"})


def _kind(unit: str) -> frozenset[tuple[str, int]] | None:
    """The kind of quantity a unit measures: its `_dimension`'s symbols, a unit of time as the second (`min`, `h`:
    `km/h` is of the kind of `m/s`); None for a unit of unknown symbols."""
    if (dimension := _dimension(unit)) is None:
        return None
    powers: dict[str, int] = {}
    for symbol, power in dimension[0]:
        base = "s" if symbol in _TIME_UNITS else symbol
        powers[base] = powers.get(base, 0) + power
    return frozenset(powers.items())


# a percentage an answer ends with: `45\\%`, `45 %`, `45\\text{\\%}`, "45 percent"
_PERCENT_END = re.compile(r"\s*(?:\\?%|\\text\s*\{\s*\\?%\s*\}|\s(?i:per\s?cent))\s*\.?\s*$")
# a prompt that asks for a percentage: "What percent ...", "as a percentage", "the interest rate", "the % increase";
# not "20 percent" or "40%", a given quantity
_ASKS_PERCENT = re.compile(
    r"(?<![\d.])(?<![\d.]\s)\b(?i:percent(?:age)?s?|per\s?cent|rates?)\b|(?:^|[^\d.\s\\])\s*\\?%"
)


def percent_stem(text: str) -> str | None:
    """The number of a value that ends with a percentage (`45\\%` -> `45`, "The rate is 5%." -> "The rate is 5"), or
    None."""
    m = _PERCENT_END.search(text)
    return text[: m.start()] if m and re.search(r"\d\s*$", text[: m.start()]) else None


def fraction_percent(text: str) -> str | None:
    """The fraction of a value that is a fraction's percentage (`\\frac{1}{2}\\%` -> `\\frac{1}{2}`, `1/2\\%` -> `1/2`),
    else None (math 38: math-verify cannot parse `\\frac{1}{2}\\%` and reads `1/2\\%` as 1/(2%), 50)."""
    m = _PERCENT_END.search(text)
    return text[: m.start()] if m and _FRACTION_STEM.fullmatch(text[: m.start()]) else None


def _percent_value(stem: str) -> str:
    """The value of a percentage's number (`45` -> `0.45`, exactly; `3 \\times 10^2` -> `(3 \\times 10^2) \\cdot
    10^{-2}`)."""
    try:
        return format(Decimal(stem.strip().replace(",", "")).scaleb(-2), "f")
    except InvalidOperation:
        return f"({stem.strip()}) \\cdot 10^{{-2}}"


def asks_percent(prompt: str) -> bool:
    """Whether the prompt asks for a percentage (`_ASKS_PERCENT`). A percentage against a reference without one is
    its value (`50\\%` is 0.5), and for such a prompt its number too (`25\\%` for 25: "What percent of 80 is 20?");
    math 20 passed `\\boxed{45\\%}` for "what is the number?" (45), as math-verify equates `45\\%` with an integer,
    and failed `\\boxed{25\\%}` for 25.0 where it passed it for 25 (math 21, numeric 16)."""
    return _ASKS_PERCENT.search(prompt) is not None


# SI units written as one capital letter, with the names a prompt that uses them may give (math 10)
_CAPITAL_UNITS = {
    "N": "newtons?", "J": "joules?", "W": "watts?", "V": "volts?", "A": "amp(?:ere)?s?", "C": "coulombs?",
    "K": "kelvins?", "T": "teslas?", "F": "farads?", "H": "henr(?:y|ys|ies)", "S": "siemens",
}  # fmt: skip
_SPACE = r"(?:\s|\\[,;:! ]|~)+"
# a number and a bare unit symbol: one capital letter (`5 N`), an ohm (`100 \Omega`, `100 Ω`), or degrees (`20^\circ
# C`, `20°C`, `20 ^{\circ}\text{C}`)
_SYMBOL_UNIT = re.compile(
    r"^(" + _NUMBER + r")(?:" + _SPACE + r"(?P<capital>[A-Z])|\s*(?P<ohm>\\Omega|\u03a9)"
    r"|\s*(?:\^\s*\{?\s*\\circ\s*\}?|\u00b0|\\degree)\s*(?:\\(?:text|mathrm)\s*\{\s*)?(?P<scale>[CFK])?\s*\}?)\s*\.?\s*$"
)


# a number and a unit written with a LaTeX or Unicode symbol and an SI prefix (math 12): `5 k\Omega`,
# `5\,\mathrm{k\Omega}`, `5 \text{ k}\Omega`, `20 \mu F`, `20 \mu\text{F}`, `20 μF`, `5\,\Omega`. math-verify read
# `\Omega` and `\mu` as symbols and the prefix as a variable, so a bare `\boxed{5}` failed `5 k\Omega` and
# `\boxed{5 \Omega}` failed `5\,\Omega`.
_PREFIXED = re.compile(r"^(" + _NUMBER + r")(?=\s|\\[,;:! ]|~|\\(?:text|mathrm|mu|Omega)|[\u00b5\u03bc\u03a9])(.+)$")
_PREFIXED_UNIT = re.compile(r"(?:[kMGm]|\u00b5)?\u03a9|\u00b5(?:[A-Za-z]|\u03a9)")
# `\mu` outside a `\text{}` is a micro prefix only before these: `\mu g`, `\mu m`, `\mu s` and `\mu N` are also the
# friction coefficient times a quantity
_BARE_MU_UNITS = frozenset("FACHVWTJSL") | {"\u03a9"}


def _prefixed_unit(rest: str) -> str | None:
    """The unit a number's `rest` writes with a symbol and a prefix (`k\\Omega` -> `kΩ`, `\\mu\\text{F}` -> `µF`),
    or None."""
    bare_mu = re.search(r"\\mu(?![A-Za-z])", UNIT_WRAPPER.sub("", rest)) is not None
    text = UNIT_WRAPPER.sub(r"\1", rest)
    text = re.sub(r"\\[,;:! ]|~|\s|[{}]", "", text).replace("\\Omega", "\u03a9").replace("\\mu", "\u00b5")
    text = text.replace("\u03bc", "\u00b5").rstrip(".")
    if not _PREFIXED_UNIT.fullmatch(text):
        return None
    if bare_mu and text[1:] not in _BARE_MU_UNITS:
        return None
    return text


def symbol_unit(s: str, prompt: str) -> str:
    """A number with a bare unit symbol as a number with a `\\text{}` unit, which `unit_of` reads and math-verify
    strips (`5 N` -> `5 \\text{N}`, `20^\\circ C` -> `20 \\text{°C}`, `5 k\\Omega` -> `5 \\text{kΩ}`); any other string
    as is. A capital letter is a unit when the prompt uses it as one (after a number, or by the unit's name: "in
    newtons") or never names it (math 13: "What force is needed ...?"): a letter the prompt names otherwise is a
    variable (`5 N` for "Let N be ...", `3 T` for "Simplify $T + 2T$"), as math-verify reads it."""
    if (p := _PREFIXED.match(s)) is not None and (unit := _prefixed_unit(p.group(2))) is not None:
        return f"{p.group(1).strip()} \\text{{{unit}}}"
    m = _SYMBOL_UNIT.match(s)
    if m is None:
        return s
    if (letter := m.group("capital")) is not None:
        name = _CAPITAL_UNITS.get(letter)
        if name is None or not (
            re.search(rf"\d{_SPACE}{letter}\b", prompt)
            or re.search(rf"\b{name}\b", prompt, re.IGNORECASE)
            or not re.search(rf"(?<![A-Za-z\\]){letter}(?![A-Za-z])", prompt)  # never named (math 13)
        ):
            return s
        unit = letter
    else:
        unit = "\u03a9" if m.group("ohm") else "\u00b0" + (m.group("scale") or "")
    return f"{m.group(1).strip()} \\text{{{unit}}}"


# a variable an equation names before its sides (`x`, `L`, `d_1`, `\\ell`)
_CHAIN_VARIABLE = re.compile(r"\s*(?:[A-Za-z]|\\[A-Za-z]+)(?:_\{?\w+\}?)?\s*")


def unit_chain(value: str, ref_unit: str | None, prompt: str) -> tuple[str, bool] | None:
    """(the side to read, whether the sides are one quantity) of a value that writes one quantity in several units of
    one SI unit (`x = 5 cm = 50 mm`, `5 \\text{ cm} = 50 \\text{ mm}`), else None: the side in the reference's unit
    (`ref_unit`), else the first in one convertible to it; against a bare reference, the first side in a unit the
    prompt does not rule out (`off_asked_unit`, `off_prompt_unit`). math 37 and numeric 32 read the whole equation or
    its last side, so `x = 5 cm = 50 mm` failed `5 cm` and 5; sides that differ (`5 cm = 60 mm`) are two values."""
    text = strip_math(value).strip().rstrip(".").strip()
    if text.count("=") < 1 or re.search(r"[<>,;]|\\(?:approx|ne|neq|le|leq|ge|geq)\b", text):
        return None
    sides = [s.strip() for s in _EQUALS.split(text)]
    if sides and _CHAIN_VARIABLE.fullmatch(sides[0]):
        sides = sides[1:]  # `x = ...`
    if len(sides) < 2:
        return None
    quantities: list[tuple[str, str, float]] = []
    for side in sides:
        unit, m = unit_of(side), _LEADING_NUMBER.match(side)
        if unit is None or m is None:
            return None
        try:
            number = float(m.group(0).replace(",", "").strip())
        except ValueError:
            return None
        scale = 0 if not quantities or unit == quantities[0][1] else si_scale(unit, quantities[0][1])
        if scale is None:
            return None  # units that are no prefixes of one unit (`5 cm = 2 in`): left as they were
        quantities.append((side, unit, number * 10.0**scale))
    first = quantities[0][2]
    same = all(math.isclose(q[2], first, rel_tol=1e-9, abs_tol=1e-12) for q in quantities)
    if ref_unit is not None:
        chosen = next((q for q in quantities if q[1] == ref_unit), None) or next(
            (q for q in quantities if si_scale(q[1], ref_unit) is not None), quantities[0]
        )
    else:
        chosen = next(
            (q for q in quantities if not off_asked_unit(q[1], prompt) and not off_prompt_unit(q[1], prompt)),
            quantities[0],
        )
    return chosen[0], same


def number_of(s: str, unit: str | None) -> str:
    """The number of a `number unit` string whose unit is `unit` (`12 m/s` -> `12`), or is `unit` with another SI
    prefix (`5000 Ω` in `kΩ` -> `(5000) \\cdot 10^{-3}`: `si_scale`, math 13); any other string as is.
    Only a reference and an answer that state the same unit are compared by their numbers: math-verify reads a
    unit's letters as symbols, and `5 m/s` (5*m/s) failed `\\boxed{5 \\text{ m/s}}` (5); `5x` is no unit to strip
    against a bare `5`."""
    if unit is None or (own := unit_of(s)) is None:
        return s
    scale = 0 if own == unit else si_scale(own, unit)
    m = _LEADING_NUMBER.match(s)
    if scale is None or m is None:
        return s
    return scaled(m.group(0).strip(), scale)


# a unit written after a value that is no plain number (`4\\sqrt{2} \\text{ cm}`, `\\frac{10}{3}\\,\\mathrm{mm}^2`): its
# wrapper, with its exponent, at the end; and a bare symbol at the end (`4\\sqrt{2} cm`), read as a unit only beside
# a rounding that states it (`rounded_in_unit`: after an expression such letters are variables, math 22)
_TRAILING_UNIT = re.compile(
    r"(?:\s|\\[,;:! ]|~)*(\\(?:text|mathrm|mbox|operatorname|textrm)\s*\{(?:[^{}]|\{[^{}]*\})*\}"
    r"(?:\s*\^\s*(?:\{\s*[-+]?\d+\s*\}|[-+]?\d+))?)\s*\.?\s*$"
)
_TRAILING_SYMBOL = re.compile(r"\s+([A-Za-z\u00b5\u03a9]+(?:\^\{?-?\d\}?)?)\s*\.?\s*$")


def _value_and_unit(text: str, bare_symbol: bool = False) -> tuple[str, str | None]:
    """(a value, its unit as `unit_of` writes it) of a value that may end in a unit (`3.33 \\text{ cm}` -> (`3.33`,
    `cm`), `4\\sqrt{2} \\text{ cm}` -> (`4\\sqrt{2}`, `cm`)); (the text, None) where it states none. `bare_symbol`: a
    bare unit symbol after an expression (`4\\sqrt{2} cm`) is one too."""
    text = text.strip()
    if (unit := unit_of(text)) is not None and (m := _LEADING_NUMBER.match(text)) is not None:
        return m.group(0).strip(), unit
    m = _TRAILING_UNIT.search(text) or (_TRAILING_SYMBOL.search(text) if bare_symbol else None)
    if m is not None and text[: m.start()].strip() and (unit := unit_of(f"1 {m.group(1)}")) is not None:
        return text[: m.start()].strip(), unit
    return text, None


def rounded_in_unit(value: str) -> tuple[str, int, str, str] | None:
    """(the exact value, the power of ten that writes it in the unit, its rounding, the unit) of a final answer
    written as a value and its rounding with a unit on either side or both (`4\\sqrt{2} \\approx 5.66 \\text{ cm}`,
    `4\\sqrt{2} \\text{ cm} \\approx 5.66`, `0.333 \\text{ cm} \\approx 3.3 \\text{ mm}`: (`0.333`, 1, `3.3`, `mm`)), or
    None: a side without a unit takes the other's; two units must be the same SI unit, with any prefixes (`si_scale`),
    and the unit is the rounding's (math 27, numeric 22: math read `4\\sqrt{2} \\approx 5.66 \\text{ cm}` as no value
    and failed it, and `3.33 \\text{ cm} \\approx 3.3` as 3.3, passing it for `3.3 mm`). A value without a unit is
    `extract.rounded_value`'s."""
    sides = approximated(value)
    if sides is None:
        return None
    number, unit = _value_and_unit(sides[1])
    if rounding(number) is None:
        return None
    exact, exact_unit = _value_and_unit(sides[0].rsplit("=", 1)[-1], bare_symbol=unit is not None)
    scale = 0 if exact_unit is None or unit is None or exact_unit == unit else si_scale(exact_unit, unit)
    unit = unit or exact_unit
    if unit is None or scale is None or unit_of(f"1 \\text{{{unit}}}") != unit:
        return None  # no unit (`rounded_value`), or two units (`4\\sqrt{2} \\text{ ft} \\approx 5.66 \\text{ cm}`)
    return exact, scale, number, unit


def scaled(number: str, scale: int) -> str:
    """A value written times a power of ten (`0.333`, 1 -> `3.330`; `4\\sqrt{2}`, -1 -> `(4\\sqrt{2}) \\cdot
    10^{-1}`; `3 \\times 10^8`, -3 -> `(3 \\times 10^8) \\cdot 10^{-3}`)."""
    if not scale:
        return number
    try:  # a plain decimal scaled exactly (`0.0012` m^2 -> `12.0000` cm^2: math-verify kept 0.0012*10**4 a float)
        return format(Decimal(number.replace(",", "")).scaleb(scale), "f")
    except InvalidOperation:
        return f"({number}) \\cdot 10^{{{scale}}}"


# Unit symbols a compound unit is made of (`m/s^2`, `J/(mol K)`, `N m^2/kg^2`): a bare number against a reference
# that states one is compared by number (`compound_unit_number`)
_UNIT_SYMBOLS = frozenset(
    {"m", "s", "g", "kg", "mg", "A", "mA", "K", "mol", "mmol", "N", "kN", "J", "kJ", "MJ", "W", "kW", "MW", "Pa"}
    | {"kPa", "MPa", "GPa", "hPa", "C", "V", "mV", "kV", "F", "\u03a9", "k\u03a9", "ohm", "S", "Wb", "T", "H", "Hz"}
    | {"kHz", "MHz", "GHz", "L", "l", "mL", "ml", "eV", "keV", "MeV", "GeV", "atm", "bar", "mbar", "cal", "kcal"}
    | {"min", "h", "hr", "cm", "mm", "km", "nm", "um", "\u00b5m", "\u03bcm", "rad", "sr", "lb", "ft", "in", "mi"}
    | {"yd", "oz", "mph", "rpm", "dB", "\u00b0", "\u00b0C", "\u00b0F", "M", "mM", "Wh", "kWh", "mAh", "ms", "ns"}
)
UNIT_WRAPPER = re.compile(r"\\(?:text|mathrm|mbox|textrm|operatorname)\s*\{([^{}]*)\}")
_UNIT_EXPONENT = re.compile(r"\^\s*(?:\{\s*-?\d+\s*\}|-?\d+)")
_UNIT_CHARS = re.compile(r"[A-Za-z\u00b0\u00b5\u03bc\u03a9/^{}()\u00b7*\s-]+")
_BARE_NUMBER = re.compile(_NUMBER + r"\s*")
_FRACTION_STEM = re.compile(r"\s*-?\s*(?:\\[dt]?frac\{\d+\}\{\d+\}|\d+\s*/\s*\d+)\s*")


# a final answer given as a sentence of words around one piece of maths, a unit or nothing after it (math 30): "The
# diagonal is $4\\sqrt{2} \\approx 5.66$ cm"
_SENTENCE_MATH = re.compile(
    r"(?P<words>[^$\d\\]*[A-Za-z]{2,}[^$\d\\]*?)\$(?P<math>[^$]+)\$[ \t]*(?P<unit>[^$\d.!?]*?)\s*[.!]?\s*"
)


# a connective and a comma or a colon before a value or a variable's equation ("So, 12.", "Thus, x = 12.", "Hence: 12")
_LEADING_CONNECTIVE = re.compile(
    r"^\s*(?i:" + CONCLUSION_WORDS + r"|then)\s*[,:]\s*"
    r"(?=[-+(\d\\$]|[A-Za-z](?:_\{?\w+\}?)?\s*=)"
)
# words that make a sentence's value something else than the answer given: negated, bounded, hedged, conditional
_NOT_PLAIN = re.compile(
    r"\b(?:not|no|never|neither|nor|more|less|fewer|greater|smaller|larger|than|least|most|maybe|perhaps|probably"
    r"|possibly|likely|might|could|or|between|except|either|if|unless|whether|wrong|incorrect)\b|n't",
    re.IGNORECASE,
)


def sentence_math(value: str) -> str | None:
    """The maths of a final answer given as a sentence of words around one `$...$` piece with its unit, or none,
    after it ("The diagonal is $4\\sqrt{2} \\approx 5.66$ cm" -> `4\\sqrt{2} \\approx 5.66 \\text{cm}`), else None.
    math 29 read several numbers in the prose (`mismatch`), numeric 24 no number (`no_answer`): the right answer
    failed. A text after the maths that is no unit ("... $5$ apples in each box") leaves the sentence as it is."""
    m = _SENTENCE_MATH.fullmatch(value.strip())
    if m is None or _NOT_PLAIN.search(m.group("words")) is not None:
        return None  # "It is not $624$", "at least $5$ cm", "probably $42$": the sentence says more than the value
    unit, maths = m.group("unit").strip(), m.group("math").strip()
    if unit and unit_of(f"1 \\text{{{unit}}}") is None:
        return None
    return f"{maths} \\text{{ {unit}}}" if unit else maths


def compound_unit_number(reference: str) -> str | None:
    """The number of a reference that states a compound unit of known unit symbols with an operator between them
    (`9.8 m/s^2`, `8.314 J/(mol K)`, `1.5 m s^{-1}`, `9.8\\,\\mathrm{m/s^2}`), else None. A bare number is compared
    with it, as with `5 cm`; `3 a/b` and `3 x^2` are variables, and `5x` is no unit at all (`variables_on_number`)."""
    m = _LEADING_NUMBER.match(reference)
    if m is None or unit_variables(reference):
        return None
    rest = reference[m.end() :]
    if not re.match(r"(?:\s|\\[,;:! ]|~)", rest):
        return None  # the unit follows a space (`5x`, `5cm/s` are left as they are)
    unit = UNIT_WRAPPER.sub(r" \1 ", rest).replace("\\Omega", "\u03a9").replace("\\cdot", "\u00b7")
    unit = re.sub(r"\\[,;:! ]|~", " ", unit).strip().rstrip(".")
    if not any(op in unit for op in "/^\u00b7*") or not _UNIT_CHARS.fullmatch(_UNIT_EXPONENT.sub("", unit)):
        return None
    symbols = re.findall(r"[A-Za-z\u00b0\u00b5\u03bc\u03a9]+", unit)
    return m.group(0).strip() if symbols and all(x in _UNIT_SYMBOLS for x in symbols) else None


def _unit_symbol(unit: str | None) -> bool:
    """Whether a unit (as `unit_of` writes it) is a known unit symbol of two or more characters (`mL`, `kHz`, `MPa`,
    `cm^2`): a bare number against a reference stating it is compared by number (math 21; math-verify strips `cm`
    but reads `mL` as m*L, so `\\boxed{2500}` failed `2500 mL`). One letter is left as it was (`5 N`: `symbol_unit`)."""
    base = (unit or "").partition("^")[0]
    return len(base) > 1 and (base in _UNIT_SYMBOLS or _si_unit(base) is not None)


# a LaTeX command's name, or an environment's delimiter with its name (`\\begin{pmatrix}`, `\\begin{array}{cc}`): no
# words of the value (a pmatrix answer and a bmatrix one are the same matrix)
_LATEX_COMMAND = re.compile(r"\\(?:begin\s*\{array\}\s*\{[^{}]*\}|(?:begin|end)\s*\{[^{}]*\}|[A-Za-z]+)")
_LETTERS = re.compile(r"[^\W\d_]+")
_PLAIN_SPLIT = re.compile(r"[\W_]+")
# letter runs that are maths, not words: function names and constants written without a backslash; a reference
# with no other run of 3+ letters is left to math-verify (`x \sin x`, `ab`, `2 \text{ and } 3`)
_MATH_NAMES = frozenset(
    {"sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh", "coth", "arcsin", "arccos", "arctan", "log"}
    | {"ln", "lg", "exp", "sqrt", "pi", "min", "max", "gcd", "lcm", "det", "mod", "lim", "inf", "sup", "deg", "arg"}
    | {"dim", "ker", "abs", "floor", "ceil", "sgn", "and", "or"}
    # Greek letters written without their backslash
    | {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "kappa", "lambda", "rho", "sigma"}
    | {"tau", "phi", "chi", "psi", "omega"}
)


def _unquoted(s: str) -> str:
    return unicodedata.normalize("NFKC", s).replace("'", "").replace("\u2019", "")


def words_of(s: str) -> list[str]:
    """The words of a value, case-folded, in order: its letter runs outside LaTeX command names
    (`\\text{Arthur's Magazine}` -> `arthurs`, `magazine`)."""
    return [w.casefold() for w in _LETTERS.findall(_LATEX_COMMAND.sub(" ", _unquoted(s)))]


_SPLIT_NUMBERS = re.compile(r"(-?\d+(?:\.\d+)?)")
_CORRECTS = re.compile(CORRECTION_WORDS, re.IGNORECASE)


def several_in_prose(value: str, one_number: bool = False) -> bool:
    """Whether a value is a sentence (two words of 3+ letters that are no function names) that states two different
    numbers with words between them ("The train travels 120 km in 2 hours", "42 apples in 6 bags"): which one is the
    answer is unknown (math 13: math-verify read the last). The numbers of one expression (`\\frac{1}{2}` of the
    cake, `3 \\times 10^8`) have no words between them. `one_number`: the reference is one plain number, so a hedge
    between two different numbers with "or" is one too, in a sentence or not (`_or_hedge`)."""
    if _CORRECTS.search(value):
        return False  # one that corrects its value ("5. Wait, no, it's 6."): the last one counts
    if one_number and _or_hedge(value):
        return True
    if sum(len(w) >= 3 and w not in _MATH_NAMES for w in words_of(value)) < 2:
        return False  # not a sentence
    parts = _SPLIT_NUMBERS.split(_LATEX_COMMAND.sub(" ", _unquoted(value)))
    numbers, gaps = parts[1::2], parts[2:-1:2]
    return any(
        float(a) != float(b) and re.search(r"[^\W\d_]{2}", gap) is not None
        for a, b, gap in zip(numbers, numbers[1:], gaps, strict=False)
    )


_OR = re.compile(r"\bor\b", re.IGNORECASE)
_SIDE_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?:\s*/\s*\d+)?")


def _or_hedge(value: str) -> bool:
    """Whether a value gives different numbers either side of "or", one number a side (math 43: "13... or maybe 12",
    "13... or 12" passed for 12, math-verify reading the last). One value written two ways is none ("1/2 or 0.5")."""
    values = set()
    for side in _OR.split(_LATEX_COMMAND.sub(" ", _unquoted(value))):
        found = _SIDE_NUMBER.findall(side)
        if len(found) == 1:
            with contextlib.suppress(ValueError, ZeroDivisionError):
                values.add(Fraction(re.sub(r"[\s,]", "", found[0])))
    return len(values) > 1


def _plain_number(text: str) -> bool:
    """Whether a text is one plain number: a decimal (with a power of ten) or a fraction."""
    return _BARE_NUMBER.fullmatch(text) is not None or _FRACTION_STEM.fullmatch(text) is not None


# a number in a sentence: an integer (`1,000`), a decimal, a fraction `a/b`, a percentage; not part of a word or an
# expression (`3x`, `v2`, `1/x`)
# (math 18: a Chinese or Japanese word may be written onto the number, "小明一共有6个苹果")
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
# Chinese and Japanese words and punctuation are no maths: math-verify reads them as spaces between the values (math
# 18: it read "6个。不对，是5个。" as 6, though the line corrects it to 5)
_CJK_RUN = re.compile(f"[{_CJK}\u3000-\u303f]+")
_PROSE_VALUE = re.compile(
    rf"(?<![^\W{_CJK}]|[.,/])-?\d+(?:,\d{{3}})*(?:\.\d+)?(?:\s*/\s*\d+(?:\.\d+)?)?(?:\s*\\?%)?(?![^\W{_CJK}]|/|[.,]\d)"
)
_MATHS_SIGN = re.compile(r"[=+*^\\{}\[\]()<>\u00d7\u00f7\u221a\u00b7|_~]|(?<![^\W\d_])-(?![^\W\d_])")
_FUNCTION_NAMES = _MATH_NAMES - {"and", "or"}


def prose_number(value: str, *, with_unit: bool = False) -> str | None:
    """The number of a final answer written as a sentence around one number ("He writes 624 pages a year.", "The ratio
    is 1/2."), with the word after it when `with_unit` and it is a unit (`5 cm`: a reference with a unit is compared
    by unit; "624 pages" against `624` by number), else None: no number or several, no sentence (a word of three letters
    or two of two), or maths beside the number (a sign, a LaTeX command, a variable on it: `3x`, a function: `sin 0`).
    math-verify read the words as symbols (`s*o*624*p*a*g*e*s`), so a right answer said in words failed `mismatch`."""
    text = UNIT_WRAPPER.sub(r" \1 ", value).replace("\\$", " ").replace("$", " ").replace("**", " ")
    found = list(_PROSE_VALUE.finditer(text))
    if len(found) != 1:
        return None
    m = found[0]
    before, after = text[: m.start()], text[m.end() :]
    if _MATHS_SIGN.search(before + " " + after) or variables_on_number(text[m.start() :].rstrip(" .!")):
        return None
    words = words_of(before + " " + after)
    previous = words_of(before)[-1:]
    prose = [w for w in words if len(w) >= 2 and w not in _MATH_NAMES]
    if not (len(prose) >= 2 or any(len(w) >= 3 for w in prose)) or (previous and previous[0] in _FUNCTION_NAMES):
        return None  # `5 M\Omega`, `x = 3` are values; "It is 72", "So 624 pages" sentences
    number = re.sub(r"(?<=\d),(?=\d{3})", "", m.group(0)).replace(" ", "")
    unit = re.match(r"\s*([^\W\d_][^.,;:!?]*)", after)  # the words up to a sentence mark, the unit first
    symbols = unit.group(1).split() if unit is not None else []
    if with_unit and (said := _unit_in_words(symbols)) is not None:
        return f"{number} {said}"
    for n in sorted({len(symbols), 1}, reverse=True) if with_unit and symbols else ():  # `J/mol K` ends it (math 29)
        if unit_of(f"{number} {' '.join(symbols[:n])}") is not None:
            return f"{number} {' '.join(symbols[:n])}"
    return number


# a unit said in words (math 34): "square meters", "sq ft", "cubic centimeters", "meters per second", "miles an hour"
_UNIT_PHRASE = re.compile(
    r"(?:(?P<power>square|sq\.?|cubic|cu\.?)\s+)?(?P<unit>[A-Za-z]+)(?:\s+(?:per|an?)\s+(?P<per>[A-Za-z]+))?",
    re.IGNORECASE,
)


def _unit_in_words(words: list[str]) -> str | None:
    """The unit of measure the words after a number say, as symbols (`["square", "meters"]` -> `m^2`, `["meters",
    "per", "second"]` -> `m/s`), where they say a power or a quotient of known units; else None. math 33 read the
    first word ("5 meters per second" as 5 m, "25 square meters" as 25 square)."""
    m = _UNIT_PHRASE.match(" ".join(words[:4]))
    if m is None or not (m.group("power") or m.group("per")):
        return None
    unit = unit_of(f"1 {m.group('unit')}")
    per = unit_of(f"1 {m.group('per')}") if m.group("per") else ""
    if unit is None or per is None or "^" in unit or "/" in unit:
        return None
    power = {"s": "^2", "c": "^3"}.get((m.group("power") or " ")[0].lower(), "")
    said = f"{unit}{power}" + (f"/{per}" if per else "")
    return said if _dimension(said) is not None else None


def in_words(reference: str) -> bool:
    """Whether a reference is (partly) words rather than maths: a run of 3+ letters that is no function name, and
    not a number with a unit (left to `unit_of` and `compound_unit_number`)."""
    if unit_of(reference) is not None or compound_unit_number(reference) is not None:
        return False
    return any(len(w) >= 3 and w not in _MATH_NAMES for w in words_of(reference))


# the empty set and the set of all reals, said in words or written otherwise than math-verify equates: "no solution",
# "No real solutions", "the empty set", `\\varnothing`, `\\{\\}`; "all real numbers", "all reals", `ℝ`
_EMPTY_SET = re.compile(
    r"(?:there\s+(?:is|are)\s+|it\s+has\s+)?no\s+(?:real\s+)?(?:solutions?|roots?|real\s+numbers?)(?:\s+exists?)?"
    r"|(?:the\s+)?empty\s+set|\\(?:emptyset|varnothing)|\u2205|\\\{\s*\\\}",
    re.IGNORECASE,
)
_ALL_REALS = re.compile(
    r"(?:the\s+set\s+of\s+)?(?:all|every)\s+real\s+(?:numbers?|values?)(?:\s+of\s+[a-z])?|all\s+reals"
    r"|(?:[a-z]\s*\\in\s*)?(?:\\mathbb\s*\{\s*R\s*\}|\u211d)",
    re.IGNORECASE,
)


def solution_set(value: str) -> str:
    """`\\emptyset` for a whole value that says there is no solution (`_EMPTY_SET`), `\\mathbb{R}` for one that says
    every real number is one (`_ALL_REALS`), any other value as is (math 33: math 32 compared the words as words, so
    `\\boxed{\\emptyset}` failed `\\text{no solution}` and `\\boxed{\\text{all real numbers}}` failed `\\mathbb{R}`)."""
    text = strip_math(UNIT_WRAPPER.sub(r"\1", value)).strip().rstrip(".").strip()
    if _EMPTY_SET.fullmatch(text):
        return "\\emptyset"
    return "\\mathbb{R}" if _ALL_REALS.fullmatch(text) else value


def _plain(s: str) -> str:
    """A value as text: LaTeX command names, braces and punctuation out, case-folded (`\\text{(C)}` -> `c`)."""
    return " ".join(_PLAIN_SPLIT.sub(" ", _LATEX_COMMAND.sub(" ", _unquoted(s))).casefold().split())


# a number in E-notation (`1e-05`, `6.02e23`, `2.5E+3`), not inside a word or a LaTeX command's name
_E_NUMBER = re.compile(r"(?<![\w.\\])(\d+(?:\.\d*)?|\.\d+)[eE]([+-]?)(\d+)(?![\w.])")


def _scientific(s: str) -> str:
    """E-notation as a power of ten (`1e-05` -> `1 \\times 10^{-5}`): math-verify reads the `e` as Euler's number,
    so `1e-05` was e - 5."""
    return _E_NUMBER.sub(
        lambda m: f"{m.group(1)} \\times 10^{{{'-' if m.group(2) == '-' else ''}{int(m.group(3))}}}", s
    )


def _wrap(s: str) -> str:
    s = _scientific(s)
    s = s.replace("\\$", "")  # an escaped dollar is a currency sign (`\\$18`), not math mode: math-verify fails on it
    return s if ("$" in s or "\\boxed" in s or "\\(" in s or "\\[" in s) else f"${s}$"


# a repeating decimal: `0.\\overline{3}`, `3.\\overline{3}`, `0.1\\overline{6}`, `.\\overline{36}`
_REPEATING = re.compile(r"(?<![\d.])(\d*)\.(\d*)\\overline\s*\{\s*(\d+)\s*\}")


def repeating_decimals(s: str) -> str:
    """`s` with every repeating decimal written as its exact fraction (`0.1\\overline{6}` -> `\\frac{15}{90}`):
    math-verify read the digits before the bar only, so `\\boxed{3.\\overline{3}}` passed for 3 and the right
    `0.\\overline{3}` failed 1/3 (math 24)."""

    def exact(m: re.Match[str]) -> str:
        whole, fixed, period = m.group(1) or "0", m.group(2), m.group(3)
        numerator = int(whole + fixed + period) - int(whole + fixed)
        return f"\\frac{{{numerator}}}{{{10 ** len(fixed) * (10 ** len(period) - 1)}}}"

    return _REPEATING.sub(exact, s)


@cache
def _warm() -> None:
    """Import math-verify and parse and compare once, untimed: the first check of a fresh process (a Ray worker, a
    plain `verify_items` call) paid that import and its LaTeX grammar's start inside its time limit, so on a loaded
    machine a right answer failed `timeout`, and the import cut short left the next reference `unparsable_reference`
    (the local runner preloads math-verify in its forkserver; Ray's verdicts differed from the local ones)."""
    from math_verify import parse, verify

    verify(parse("$1$"), parse("$1$"))


@lru_cache(maxsize=4096)
def _parse_cached(s: str) -> Any:
    from math_verify import parse

    s = repeating_decimals(s)  # math 24
    return parse(_wrap(s), extraction_config=_configs(units=not variables_on_number(s)), parsing_timeout=None)


# A reference given as an approximation: "approximately 3.14", "about 12", "~0.33", "\\approx 1.41", "≈ 1.41" (math 12;
# math 11 read the word as a variable, or `\\approx` as a relation, and failed every answer)
_APPROXIMATELY = re.compile(
    r"^\s*(?:approximately|approx\.?|about|around|roughly|circa|\\approx|\\sim|~|\u2248)\s*(?=[-+]?(?:\d|\.\d))",
    re.IGNORECASE,
)


def approximate_reference(reference: str) -> tuple[str, bool]:
    """The reference without a leading word or sign of approximation, and whether it had one."""
    m = _APPROXIMATELY.match(reference)
    return (reference[m.end() :], True) if m else (reference, False)


def _rounds_to(reference: str, parsed: Any) -> bool:
    """Whether an approximate reference's decimal (`3.14`, `12`) is the answer's value rounded to its decimal places
    (`3.1416`, `\\pi`; `12.4`); a reference that is no plain decimal, or an answer that is no number, rounds nothing."""
    approx = rounding(reference)
    return approx is not None and _real(parsed) is not None and _within(approx, parsed)


# 4: an escaped dollar sign (`\\$18`) reads as a currency sign; 5: a reference in words is compared word for word,
# and E-notation (`1e-05`) is a power of ten; 6: a stated answer ends where its prose begins, and a value beside it in
# parentheses is a second value (`extract.stated_answer`, `extract.committed_values`); 7: letters written onto a number
# are variables (`4ab`: `extract.variables_on_number`), and a reference and an answer that state the same unit are
# compared by their numbers (`number_of`: `5 m/s`), different units fail at once; 8: a bare number against a compound
# unit of known unit symbols is compared by number (`compound_unit_number`: `9.8` for `9.8 m/s^2` failed), and
# one-letter tokens written apart are variables (`3 a b` was read as 3: `extract.variables_on_number`); 9: Unicode
# math is read as its LaTeX (`extract.unicode_math`: `2√3` was 2), a unit's exponent is part of the unit
# (`5 \text{ cm}^3` passed for `5 \text{ cm}^2`), scientific notation is a number before a unit, and small numbers are
# compared by their ratio (`_equal`: math-verify's rounding to 6 places made every two values under 5e-7 equal)
# 10: a reference of labelled parts (`a) 3, b) 5`) is compared part by part (`parts_of`), and one of several `$...$`
# pieces (`$3$ and $5$`) as one text: math-verify read only the last number of each, so `\boxed{5}` passed both; a
# bare unit symbol the prompt uses is a unit (`symbol_unit`: `\boxed{5}` failed for `5 N`)
# 11: another value offered as right or possible on the final answer's line is a second value
# (`extract.hedged_values`: `\boxed{5} (or possibly 6)`, "5, though 6 is also possible" passed for 5)
# 12: a unit symbol with an SI prefix (`_prefixed_unit`: `\\boxed{5}` failed `5 k\\Omega`), and a reference given as an
# approximation (`approximate_reference`: "approximately 3.14" failed every answer)
# 13: a final answer on the line after a heading of its own ("**Final Answer**\n42": none was found) or after
# "Final:" (read as prose) (`extract.stated_answer`), and one taken back after it was given (`extract.taken_back`); a
# capital unit symbol the prompt never names is a unit (`symbol_unit`: `\\boxed{12}` failed `12 N`); the same unit
# with another SI prefix is converted (`si_scale`); a sentence stating two numbers fails (`several_in_prose`)
# 14: a number taken back with the words naming what it counts ("Wait, that gives 14 apples in all.", "he has 13
# apples."), keeping the answer's unit (`extract.taken_back`)
# 15: another value hedged with "it could be 6" or "maybe 6" after the box (`extract.hedged_values`)
# 16: a final answer said in a sentence around one number is that number (`prose_number`: "He writes 624 pages a
# year." failed `mismatch`), and one that bounds or negates its number states none ("more than 624 pages", "It is not
# 624.": `extract.bounds_its_number`)
# 17: the last statement on a line counts ("The answer is 5. ... so the answer is 6." gave 5), and a later statement
# that judges the answer ("the answer is correct") gives none (`extract._last_statement`); a one-line answer without a
# box or statement is cut where its prose begins ("So $x = 6$, not $5$." was read whole and math-verify took 5:
# `extract.final_answer`); `$x = 6$` after a word that takes the answer back is read (`extract.taken_back`)
# 18: answers in the prompt's language: full-width forms are read as ASCII (`extract.halfwidth`: `\boxed{６}` failed
# `unparsable_answer`); a final answer stated in Chinese, Japanese, Spanish, French, German, Russian, ...
# ("故答案为：6", "La respuesta es 6", "Ответ: 6": `extract.FOREIGN_STATED`) is read, as are its corrections
# ("不对", "espera") and its prose ("6。", "6, porque ..."), a number written onto Chinese words
# ("小明一共有6个苹果": `_PROSE_VALUE`), and Chinese or Japanese text is no maths (`_CJK_RUN`); none was, so such an
# answer failed `no_answer`, or an earlier English statement ("The answer is 5. ... 答案是 6") passed for 5; an
# answer taken back or called wrong in another language ("等等，我算错了，应该是 6。", "Eso está mal.":
# `extract._FOREIGN_CHANGE`, `extract._RETRACTS`)
# 19: more of the prompt's language: a name taken back in it after a reference in words ("\\boxed{París}" then "Espera,
# en realidad es Lyon.": `extract._ASSERTED_NAME`) and another value hedged in it ("\\boxed{6}，但也可能是 7。",
# "\\boxed{6}, quizás 7.": `extract.hedged_values`); a final answer in Chinese numerals ("所以答案是六。" failed
# `unparsable_answer`: `extract.cjk_numeral`)
# 20: another value offered after "or" on the answer's line ("\\boxed{6}, or 7.", "\\boxed{6}，或者7。", ", o 7") and
# after a Chinese "maybe" ("或许是里昂。"), and "7可能也对" (`extract.hedged_values`); each passed for 6
# 21: a unit symbol keeps its case and an SI unit's name is its symbol (`unit_of`: `2 \\text{ mPa}` passed for `2 MPa`,
# `2500 \\text{ milliliters}` failed `2500 mL`); the unit a prompt asks for takes no other prefix (`off_asked_unit`:
# `3 \\text{ m}` passed "How many centimeters is that?" for `300 cm`); a percentage against a reference without one
# is its value, and its number where the prompt asks for one (`asks_percent`: `\\boxed{45\\%}` passed for 45); a
# fraction asked in lowest terms must be reduced (`reduced`: `\\boxed{\\frac{18}{24}}` passed "Simplify 18/24."); a
# bare number against a unit symbol is compared by number (`_unit_symbol`: `\\boxed{2500}` failed `2500 mL`)
# 22: two lower-case letters written apart that are no unit (`4 ab`), and letters apart after an expression (`x + 5 t`,
# `r^2 h`), are variables (`extract.variables_on_number`: math-verify stripped them as units, so `\\boxed{4}` passed
# for `4 ab` and `\\boxed{x + 5}` for `x + 5 t`); an answer in another form than the prompt asks fails (`wrong_form`:
# `\\boxed{0.75}` passed "Convert 0.75 to a fraction.", `\\boxed{45000}` "Write 45000 in scientific notation.");
# "as a common fraction" asks lowest terms, and radicals asked in simplest form are simplified (`reduced`:
# `\\boxed{\\frac{6}{8}}` and `\\boxed{\\sqrt{8}}` passed)
# 23: a value written with its rounding (`\\frac{10}{3} \\approx 3.3`: `extract.rounded_value`) passes a reference
# equal to either where the decimal rounds the value (math-verify read the value before `\\approx` only, so it failed
# 3.3 asked "to the nearest tenth" `mismatch`), and a decimal that does not is a second value (`\\boxed{3.3 \\approx
# 3.33}` passed for 3.3); a percentage asked by name is not met by its value (`_percent_as_value`: `\\boxed{0.75}`
# passed "What is 3/4 as a percent?" for `75\\%`); a decimal asked in radical form (`wrong_form`: `\\boxed{7.0710678}`
# passed "in simplest radical form" for `5\\sqrt{2}`)
# 24: a repeating decimal is its exact fraction (`repeating_decimals`: math-verify read `3.\\overline{3}` as 3, which
# passed for 3, and the right `0.\\overline{3}` failed 1/3)
# 25: an ordered pair or a point asked by name is not met by the equations of its values (`wrong_form`: `\\boxed{x=2,
# y=3}` passed "Give your answer as an ordered pair." and "Find the point of intersection ..." for `(2, 3)`)
# 26: a compound unit is the product of its symbols' powers, and its prefixes convert it (`compound_unit`,
# `si_scale`: `\\boxed{-285.8 \\text{ kJ mol}^{-1}}` and `-285800 \\text{ J/mol}` failed `-285.8 kJ/mol`
# `unit_mismatch`, `9.8 \\text{ m s}^{-2}` failed `9.8 m/s^2`, `1.2 \\times 10^{-5} \\text{ mol/L}` failed `1.2 \\times
# 10^{-5} M`; `8.314 \\text{ J/mol}` passed `8.314 J/(mol K)`, whose unit was not read); a compound unit the prompt asks
# for takes no other prefix (`asked_units`: "in kJ/mol")
# 27: a value and its rounding with a unit on either side or both (`rounded_in_unit`: `4\\sqrt{2} \\approx 5.66
# \\text{ cm}` failed `5.66 cm` `mismatch`, and `3.33 \\text{ cm} \\approx 3.3` passed for `3.3 mm`)
# 28: a reference that is an expression with its unit in a text command has that unit (`4\\sqrt{2} \\text{ cm}`:
# math-verify strips a wrapped unit, so `\\boxed{4\\sqrt{2} \\text{ mm}}` passed for it, and `\\boxed{500 \\text{ g}}`
# failed `\\frac{1}{2} \\text{ kg}`)
# 29: a compound unit written `A/B C` is A/(B C), as chemistry and physics texts write `J/mol K`, `W/m^2 K`
# (`_unit_factors`: `J/mol K` was no unit, so `\\boxed{8.314 \\text{ J/mol}}` passed for it and `8.314 \\text{ J
# mol}^{-1} \\text{K}^{-1}` failed; `unit_variables`: `J/g K`'s `g K` was read as variables)
# 30: an answer given as a sentence of words around one piece of maths and its unit is that maths with that unit
# (`sentence_math`: "The diagonal is $4\\sqrt{2} \\approx 5.66$ cm." failed `5.66 cm` `mismatch`)
# 31: a number with a scale word after it is its scaled value, in the reference and the answer
# (`extract.scale_words`: `\\boxed{42万}`, "42 thousand", "42 Millionen" passed for 42), and Unicode digits are
# ASCII digits (`extract.ascii_digits`: the reference `٤٢` failed `unparsable_reference`, `\\boxed{४२}`
# `unparsable_answer`); a sign said in words is a minus sign (`extract.minus_words`: "negative 42", "负42", "минус 42"
# passed for 42), and a bound or a negation in the prompt's language states no value, in any answer (`extract.
# bounds_its_number`: "答案是至少 42", "mindestens 42", "La réponse n'est pas 42." passed for 42); an answer taken back
# in Japanese, German, Arabic or Hindi ("いや、違います。正しくは43です。", "Hoppla, Fehler. Richtig ist 43.", "انتظر،
# لقد أخطأت", "रुको, मुझसे गलती हुई": `extract._FOREIGN_CHANGE`, `extract._ASSERTED`) and a Chinese one with a measure
# word ("应该是43个。") is read: the first value passed
# 32: an interval or an inequality is met only by an interval or an inequality (`_equal_as_asked`: math-verify equates
# `(-3, 2)` with `\\{-3, 2\\}`, so the roots `\\boxed{-3, 2}` passed "Solve $x^2 + x - 6 < 0$."), `(-3, 2)` being an
# interval where the prompt asks for one (`interval_prompt`); `-3 < x < 2` meets `(-3, 2)`
# 32: values named by their variables are compared by name, and against a tuple in the order the prompt lists the
# variables, else alphabetically (`_by_name`: `\\boxed{(3, 2)}` passed for `x = 2, y = 3`); a set for an ordered pair
# fails (`wrong_form`); an expression in another form than the prompt asks fails (`expression_form`: `\\boxed{x^2-5x+6}`
# passed "Factor $x^2-5x+6$.", `\\boxed{(x^2)^3}` "Simplify $(x^2)^3$.", `\\boxed{1024}` "Write $4^5$ as a power of 2.")
# 32 also: against a bare reference, a unit the prompt does not ask or use for the quantity fails (`off_prompt_unit`:
# `\\boxed{1.5 \\text{ minutes}}` passed "How many hours ...?", `\\boxed{5 \\text{ m}}` a length given in cm); and the
# statements read in `pipeline.verify.extract` since mcq 25: Japanese hedges ("答えは42、または43です。"),
# answers in Korean ("정답은 42입니다."), a value set against another ("Die Antwort ist 42, nicht 43.")
# 33: a vector in angle brackets is the column vector it is (`angle_vectors`: math-verify read `\\langle 1, 2
# \\rangle` as 2, so it passed for 2), and a column vector and a tuple are one vector where the prompt asks for a vector
# (`_as_vectors`: `\\boxed{(1, 2)}` failed `\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}`); where the prompt asks for an
# antiderivative, its constant named otherwise (`_constant_renamed`: `\\boxed{x^2 + K}` failed `x^2 + C`); where it asks
# to simplify, a power of a product the reference has not (`_power_of_product`: `\\boxed{(a^2b)^3}` passed `a^6 b^3`)
# 33 also: like terms left where the prompt asks to simplify (`expression_form`: `\\boxed{x + x}` passed `2x`); a
# compound unit the prompt uses gives its units, and units of time are one kind (`off_prompt_unit`, `_kind`:
# `\\boxed{2 \\text{ minutes}}` passed "... at 60 km/h. How long does it take?" for 2)
# 33 also: an expression answer's wrapped unit against a reference of a number and its unit (`\\boxed{\\frac{7}{2}
# \\text{ kg}}` passed for `3.5 cm`, as math-verify strips the unit)
# 33 also: a final answer that is one English number word (`extract.english_numeral`: "The answer is seven." failed)
# 33 also: the empty set and all reals in words or symbols (`solution_set`: `\\boxed{\\emptyset}` failed `\\text{no
# solution}`, `\\boxed{\\text{all real numbers}}` failed `\\mathbb{R}`)
# 34: the kind of quantity the question asks (`asked_measures`: `\\boxed{2 \\text{ km}}` passed "... at 60 km/h. How
# long does it take?" for 2, `25 \\text{ cm}^2` a side length), a unit said in words (`_unit_in_words`: "5 meters per
# second" was 5 m), and the prefix of a unit the prompt gives to another power (`_prefix_of`: `25 cm` for the side of
# "625 m^2")
# 34 also: "billion" and "trillion" on the long scale in a French, German, Spanish, Italian or Dutch text
# (`extract.long_scale`: "La réponse est 42 billions." passed for 42 * 10^9)
# 34 also: a line that corrects its value is the value it corrects to (`extract.line_value`: "答えは43です。いや、42
# です。" failed both 43 and 42), and Japanese corrections are read (`extract._ASSERTED`)
# 34 also: the rounding the prompt asks (`asked_rounding`, `rounded_as_asked`: `\\boxed{3.14}` failed "to two decimal
# places" for 3.14159, `\\boxed{1357.4}` passed "to the nearest whole number" for 1357.4)
# 34 also: decimal commas in an answer to a French, German, Spanish, Italian or Dutch prompt (`extract.comma_decimals`:
# "Die Antwort ist 3,5." failed 3.5), and "1,234" there fails `ambiguous_number` (it passed for 1234)
# 35: a GSM8K-style last line (`extract.gsm8k_final`: "... 72 clips.\n#### 72" failed `no_answer`), its value committed
# to beside a box or a stated answer before it (`\\boxed{70}` then "#### 72" passed for 70)
# 37 also: a box corrected with no word that takes it back ("\\boxed{12}. Hmm, thirteen.", "Should be 13.", "Not 12 but
# 13.", "\\boxed{12} (thirteen, actually)": `extract.box_corrected`), a struck-out or negated value (`\\cancel{12}`,
# `\\neg 12`: `extract.struck_out`) and an equation after prose ("So 6 + 6 = 13.": `contradicting_equation`) passed
# 38: a value restated after the answer with no word that takes it back ("\\boxed{12} Hmm... thirteen.", "The
# answer is 12. The total should be 13.", "The answer is 12. Should be 13.": `extract.box_corrected`, now after a stated
# answer too) passed for 12
# 38 also: a reference listing values without brackets (`3, 4`) is met in its order where the prompt asks for one
# (`asks_order`, `_in_order`: `\\boxed{(4, 3)}` passed "Find the coordinates of the point $P$." for `3, 4`)
# 38 also: right answers that failed: a fraction's percentage against a percentage (`fraction_percent`:
# `\\boxed{\\frac{1}{2}\\%}` failed `0.5%`), one quantity in two units of one SI unit (`unit_chain`: `x = 5 cm = 50
# mm` failed `5 cm`; `5 cm = 60 mm` is two values), and an equation or a value after a connective and a comma ("So, 6
# + 6 = 12.", "So, 12.": `equation_after_prose`, `_LEADING_CONNECTIVE`; math-verify read a set of `So` and the value)
# 41: another value offered in a sentence of its own after the answer, with a hesitation or a hedge ("\\boxed{12}\n\n
# Or 13.", "The answer is 12. 13, maybe.", "13?") or a bare number on the answer's line ("The answer is 12. 13."),
# passed (`extract.offered_after`), and a final answer that doubts its number or calls it wrong ("12 is not the
# answer.", "I doubt it's 12."; `extract.bounds_its_number`) passed for it; and a value hedged on a line after the
# answer's ("\\boxed{12}\n\n13 is also possible.": `extract.later_hedges`; only the answer's own line was read)
# passed, and another number on a line of its own after it ("\\boxed{12}\n\n**13**", "Total = 13.":
# `extract._RESTATED_LINE`) passed
# 42: a statement its own sentence doubts or denies before its words ("I don't think the answer is 12.", "I wouldn't
# say the answer is 12.", "It is not true that the answer is 12.", "I'm not sure the answer is 12.") passed: such a
# statement states nothing (`extract.doubted_statement`), and a number after those words is doubted
# (`extract._DOUBT`, read by `bounds_its_number`), also in the prompt's languages ("No creo que la respuesta sea
# 12.", "Ich glaube nicht, dass die Antwort 12 ist.", "我不认为答案是12。": `extract._FOREIGN_DOUBT`); 42 also: a
# one-line answer whose number stands under a condition that does not hold or in a question ("The answer would be 12
# if he had not eaten one.", "It would have been 12.", "Is the answer 12?": `extract._COUNTERFACTUAL`) passed for it,
# and a value taken back in more words ("The answer is 12. Just kidding, 13.", "Strike that: 13.", "I misspoke, 13.",
# "Whoops, 13.": `extract._CHANGE_WORDS`) passed
# 43: a value in bold, italics, inline code or inline maths ("**13**", "*13*", "`13`", "\\(13\\)") reads as the bare
# value (`extract.plain_emphasis`): "The answer is **12**.\n\nActually, it is **13**.", "The answer is \\(12\\). Hmm,
# \\(13\\).", "I don't think the answer is **12**." passed for 12, and "The answer is *12*." failed 12
@builtin("math", version="43")
def verify_math(answer: str, task: TaskSpec, cfg: VerifyConfig) -> CheckResult:
    if task.answer is None or not str(task.answer).strip():
        return CheckResult.fail("no_reference")
    _warm()  # math-verify's import, untimed
    answer = halfwidth(answer)  # math 18: `\boxed{６}` (full-width) failed `unparsable_answer`
    answer = plain_emphasis(answer)  # math 43: "**13**", "*13*", "\\(13\\)" read as 13 is
    answer = latex_decoration(answer)  # math 37: `\boxed{{\color{red}1}2}`, `\boxed{\text{-}12}` failed `mismatch`
    answer = spoken_number(answer, task.prompt)  # math 31: `\\boxed{٤٢}` failed, "42万", "42 thousand" were 42
    commas = long_scale(answer, task.prompt) and not list_of_values(comma_decimals(str(task.answer)))
    if commas and (first := final_answer(answer)) is not None and ambiguous_comma(first):
        return CheckResult.fail("ambiguous_number")  # "1,234" in German: 1.234 or 1234 (math 34)
    answer = comma_decimals(answer) if commas else answer  # "3,5" in German, French, ... (math 34)
    pred = final_answer(answer)
    if pred is None:
        return CheckResult.fail("no_answer")
    pred = cjk_numeral(pred)  # math 19: "所以答案是六。" failed `unparsable_answer`
    if not in_words(str(task.answer)):  # a reference "seven" is met by its words, as before
        pred = english_numeral(pred)  # math 33: "The answer is seven." failed `mismatch`
    pred = sentence_math(pred) or pred  # "The diagonal is $4\\sqrt{2} \\approx 5.66$ cm" (math 30)
    if answer_retracted(answer):
        return CheckResult.fail("retracted")  # math 14: "\\boxed{12} Wait, that's wrong."
    pred = solution_set(pred)  # "no solution", `\\varnothing` are `\\emptyset`; "all real numbers" `\\mathbb{R}` (33)
    pred = angle_vectors(joined_digit_groups(unicode_math(pred)))  # `\\langle 1, 2 \\rangle` was 2 (math 33)
    limit = cfg.math_timeout_s
    reference = spoken_number(halfwidth(str(task.answer)), task.prompt)
    reference = comma_decimals(reference) if long_scale(reference, task.prompt) else reference  # "3,5" (math 34)
    reference = joined_digit_groups(unicode_math(strip_math(reference)))
    reference = solution_set(angle_vectors(reference))
    reference, approximate = approximate_reference(reference)  # "approximately 3.14": by rounding (math 12)
    if (whole := _one_text(reference)) != reference:  # `$3$ and $5$`: the answer is read the same way
        reference, pred = whole, _one_text(pred)
    reference, pred = symbol_unit(reference, task.prompt), symbol_unit(pred, task.prompt)  # `5 N`, `20^\circ C`
    if (ref_parts := parts_of(reference)) is not None:
        return _by_parts(ref_parts, pred, answer, task, cfg)
    ref_unit = unit_of(reference)
    if not in_words(reference):  # "So, 12.", "Thus, x = 12.": math-verify read a set of `So` and the value (math 38)
        pred = _LEADING_CONNECTIVE.sub("", pred, count=1)
    chain_text = None  # `x = 5 cm = 50 mm`: one quantity in two units, read in the reference's (math 38)
    if not in_words(reference) and (chain := unit_chain(pred, ref_unit, task.prompt)) is not None:
        if not chain[1]:
            return CheckResult.fail("multiple_answers")  # `x = 5 cm = 60 mm`
        chain_text, pred = pred, chain[0]
    if in_words(reference):
        if words_of(pred) != words_of(reference):
            return CheckResult.fail("mismatch")
        text = _plain(pred)
        if text == _plain(reference):  # the same text (math-verify's symbols are case-sensitive)
            if any(_plain(v) != text for v in committed_values(answer, stated_after=False)):
                return CheckResult.fail("multiple_answers")
            return CheckResult.ok()
    elif struck_out(pred) and not struck_out(reference):  # `\\cancel{12}`, `\\neg 12` (math 37: `\\neg 12` passed)
        return CheckResult.fail("no_answer")
    elif bounds_its_number(pred) or (relation_bound(pred) and not _relation_asked(reference, task.prompt)):
        # "at least 42", "答案是至少 42", "mindestens 42" (math 31: a sentence's only, before); `\\boxed{> 12}`,
        # `\\boxed{x \\not= 3}` against a reference that is no relation nor interval (math 37)
        return CheckResult.fail("no_answer")
    # "The train travels 120 km in 2 hours": math-verify reads the last number (math 13); `\\boxed{6 + 6 = 13}`,
    # `\\boxed{x = 13 = 12}`: an equation of two values (math 37)
    elif several_in_prose(pred, _plain_number(reference)) or contradicting_equation(pred, limit):
        return CheckResult.fail("multiple_answers")
    elif (number := prose_number(pred, with_unit=ref_unit is not None)) is not None:  # math 16
        if bounds_its_number(pred):  # "more than 624 pages", "It is not 624."
            return CheckResult.fail("no_answer")
        if ref_unit is None and off_prompt_unit(unit_of(prose_number(pred, with_unit=True) or ""), task.prompt):
            return CheckResult.fail("unit_mismatch")  # "The length is 5 mm." for a length in cm (math 32)
        pred = number
    elif (equation := equation_after_prose(pred)) is not None:
        # "So, 6 + 6 = 12.": math-verify read the set of `So` and the equation (math 38); not "It is not true that ..."
        pred = pred if _NOT_PLAIN.search(strip_math(pred)[: -len(equation)]) else equation
    as_written = pred  # before a wrapped unit is converted away (below): the value the answer commits to
    expression_reference = ref_unit is None and (expression := _value_and_unit(reference))[1] is not None
    if expression_reference:
        reference, ref_unit = expression  # `4\\sqrt{2} \\text{ cm}`: its value and its unit (math 28)
    if ref_unit is not None and unit_of(pred) is None and rounded_in_unit(pred) is None:
        value, own = _value_and_unit(pred)
        if own is not None:  # math-verify strips a wrapped unit: `4\\sqrt{2} \\text{ mm}` passed for cm (math 28),
            scale = 0 if own == ref_unit else si_scale(own, ref_unit)  # `\\frac{7}{2} \\text{ mm}` for `3.5 cm` (33)
            if scale is None or off_asked_unit(own, task.prompt):
                return CheckResult.fail("unit_mismatch")
            pred = scaled(value, scale)
            if not expression_reference:
                reference = number_of(reference, ref_unit)
    stated = pred  # the answer as it is written (`75\\%`), for the form the prompt asks (`wrong_form`)
    preds = [pred]  # the answer as math-verify reads it, or the values of a percentage:
    # math 37: a fraction's percentage too (`3/4\\%`, `\\frac{3}{4}\\%`: math-verify read it as 3/4 and passed it for 75
    # where the prompt asks a percent)
    # math 38: `\\frac{3}{4}\\%` is one (`fraction_percent`: `percent_stem` read none); against a percentage reference
    # its value (math-verify cannot parse it, and read `1/2\\%` as 50: `\\boxed{\\frac{1}{2}\\%}` failed `0.5\\%`)
    stem = (percent_stem(pred) or fraction_percent(pred)) if "%" not in reference else None
    if stem is not None and _plain_number(stem):
        preds = [_percent_value(stem)] + ([stem.strip()] if asks_percent(task.prompt) else [])
    elif "%" in reference and (stem := fraction_percent(pred)) is not None:
        preds = [_percent_value(stem)]
    written, rounded = pred, rounded_value(pred)  # `\\frac{10}{3} \\approx 3.3`: the value or its rounding (math 23)
    in_unit = rounded_in_unit(pred)  # `4\\sqrt{2} \\approx 5.66 \\text{ cm}`: and their unit (math 27)
    rounded = None if in_unit is not None else rounded
    pred_unit = in_unit[3] if in_unit is not None else unit_of(pred)
    if off_asked_unit(pred_unit, task.prompt):  # `3 m` for "How many centimeters is that?" (math 21)
        return CheckResult.fail("unit_mismatch")
    if ref_unit is None and off_prompt_unit(pred_unit, task.prompt):  # `1.5 \\text{ minutes}` for "How many hours?"
        return CheckResult.fail("unit_mismatch")
    if ref_unit and pred_unit and ref_unit != pred_unit:
        if si_scale(pred_unit, ref_unit) is None:  # `5000 Ω` for `5 kΩ` is converted (math 13)
            return CheckResult.fail("unit_mismatch")
        pred_unit = ref_unit
    unit = ref_unit if ref_unit == pred_unit else None  # both state it: their numbers are compared
    gold_text = number_of(reference, unit)
    if pred_unit is None and _BARE_NUMBER.fullmatch(pred) and (number := compound_unit_number(reference)) is not None:
        gold_text = number  # a bare number against `9.8 m/s^2`: by number, as against `5 cm`
    elif pred_unit is None and _BARE_NUMBER.fullmatch(pred) and _unit_symbol(ref_unit):
        gold_text = number_of(reference, ref_unit)  # against `2500 mL`, `5 kHz`: math-verify read m*L (math 21)
    if (ref_stem := fraction_percent(gold_text)) is not None:
        gold_text = _percent_value(ref_stem)  # `\\frac{1}{2}\\%`, which math-verify cannot parse (math 38)
    try:
        with time_limit(limit):
            gold = _parse_cached(gold_text)
        if not gold:
            return CheckResult.fail("unparsable_reference")
        if in_unit is not None:  # the exact value in the rounding's unit, which must round it; both in the reference's
            exact_text, scale, decimal, own = in_unit
            to = si_scale(own, unit) if unit is not None and own != unit else 0
            with time_limit(limit):
                exact = _parse_cached(scaled(exact_text, scale))
            preds = [scaled(exact_text, scale + (to or 0))]
            if exact and _real(exact) is not None:
                if not _within(rounding(decimal), exact):
                    return CheckResult.fail("multiple_answers")  # `4\\sqrt{2} \\approx 5.67 \\text{ cm}`
                preds.append(scaled(decimal, to or 0))
        if rounded is not None:  # math-verify reads the value before `\\approx`; the decimal must round it
            with time_limit(limit):
                exact = _parse_cached(number_of(rounded[0].rsplit("=", 1)[-1], unit))
            if exact and _real(exact) is not None:
                if not _within(rounding(rounded[1]), exact):
                    return CheckResult.fail("multiple_answers")  # `\\boxed{3.3 \\approx 3.33}`
                preds.append(rounded[1])
        for pred in preds:
            with time_limit(limit):
                parsed = _parse_cached(_CJK_RUN.sub(" ", number_of(pred, unit)))
            if not parsed:
                return CheckResult.fail("unparsable_answer")
            with time_limit(limit):
                ok = _equal_as_asked(gold, parsed, task.prompt)
            if ok:
                break
        if not ok and approximate:
            ok = _rounds_to(number_of(reference, ref_unit), parsed)
        if (asked := asked_rounding(task.prompt)) is not None and (gold_value := _real(gold)) is not None:
            # the rounding the prompt asks, of the reference's value (math 34): `3.14` for pi "to two decimal places"
            by_rounding = rounded_as_asked(number_of(stated, unit), gold_value, asked)
            ok = ok if by_rounding is None else by_rounding
    except CheckTimeout:
        return CheckResult.fail("timeout")
    except Exception:  # math-verify/sympy raise many types on odd input; a crash is not a pass
        return CheckResult.fail("error")
    if not ok:
        return CheckResult.fail("mismatch")
    value = written if rounded or in_unit else chain_text or as_written
    if _commits_elsewhere(answer, value, parsed, limit, unit, task.prompt) or not _within(
        approximation(answer), parsed
    ):
        return CheckResult.fail("multiple_answers")
    if wrong_form(stated, reference, task.prompt):  # `0.75` for "Convert 0.75 to a fraction." (math 22)
        return CheckResult.fail("wrong_form")
    if _percent_as_value(stated, reference, parsed, task.prompt, limit):  # `0.75` for "3/4 as a percent?" (math 23)
        return CheckResult.fail("wrong_form")
    try:
        with time_limit(limit):
            other_form = expression_form(gold, parsed, task.prompt)  # `x^2-5x+6` for "Factor $x^2-5x+6$." (math 32)
    except CheckTimeout:
        return CheckResult.fail("timeout")
    except Exception:  # sympy cannot take the expression apart: its form is not judged
        other_form = False
    if other_form:
        return CheckResult.fail("wrong_form")
    if _ASKS_REDUCED.search(task.prompt) and not reduced(pred) and reduced(reference):  # math 21
        return CheckResult.fail("not_reduced")
    return CheckResult.ok()


# a prompt that asks for a fraction: "as a fraction", "as a common fraction", "to an improper fraction", "in fraction
# form"; a mixed number: "as a mixed number"; scientific notation; a decimal: "as a decimal", "in decimal form", "to
# two decimal places", "to the nearest tenth"
_ASKS_FRACTION = re.compile(
    r"\b(?i:(?:as|in|into|to)\s+(?:an?\s+)?(?:(?:common|improper|proper|simple|reduced)\s+)?(?:fraction|mixed\s+number)"
    r"|common\s+fraction|fraction(?:al)?\s+form)\b"
)
_ASKS_MIXED = re.compile(r"\b(?i:mixed\s+(?:number|numeral|fraction))")
_ASKS_SCIENTIFIC = re.compile(r"\b(?i:scientific\s+notation)\b")
_ASKS_PI = re.compile(r"\b(?i:in\s+terms\s+of)\s*\$?\s*(?:\\pi(?![A-Za-z])|\u03c0|(?i:pi)\b)")
_PI = re.compile(r"\\pi(?![A-Za-z])|\u03c0")
_ASKS_RADICAL = re.compile(r"\b(?i:radical\s+form|rationali[sz]e)")
_ROOT = re.compile(r"\\sqrt(?![A-Za-z])|[\u221a\u221b\u221c]")
_ASKS_DECIMAL = re.compile(
    r"\b(?i:(?:as|in|into|to)\s+(?:an?\s+)?decimal(?:\s+(?:number|form))?(?!\s+places?)|decimal\s+form|decimal\s+places?"
    r"|nearest\s+(?:tenth|hundredth|thousandth|ten[- ]thousandth)s?)\b"
)
# a decimal written as one (`0.75`, `.5`, `0.\overline{3}`), a fraction (`\frac{3}{4}`, `3/4`), a mixed number
# (`1\frac{3}{4}`, `1 \frac{3}{4}`, `1 3/4`), and a number in scientific notation with its mantissa
_DECIMAL = re.compile(r"(?<![\w.])\d*\.(?:\d|\\overline)")
_FRACTION = re.compile(r"\\[dt]?frac(?![A-Za-z])|(?<![\d.])\d+\s*/\s*\d+(?![\d.])")
_MIXED = re.compile(r"(?<![\d.])\d+\s*(?:\\[dt]?frac(?![A-Za-z])|\s\d+\s*/\s*\d+)")
_SCIENTIFIC_FORM = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:\\times|\\cdot)\s*10\s*\^|(?<![\w.])(\d+(?:\.\d+)?)[eE][-+]?\d"
)


def _percent_as_value(value: str, reference: str, parsed: Any, prompt: str, limit: float) -> bool:
    """Whether an answer without a percent sign meets a percentage reference by its value, not its number, where the
    prompt asks for a percentage (`asks_percent_form`): math-verify equates `75\\%` with 0.75 and 75, so math 22
    passed `\\boxed{0.75}` and `\\boxed{\\frac{3}{4}}` (the question's own number) for "What is 3/4 as a percent?"."""
    stem = percent_stem(reference)
    if (
        percent_stem(value) is not None
        or stem is None
        or not _BARE_NUMBER.fullmatch(stem)
        or not asks_percent_form(prompt)
    ):
        return False
    try:
        with time_limit(limit):
            number = _parse_cached(stem)
            return bool(number) and not _equal(number, parsed)
    except Exception:  # no number to compare: the value's verdict stands
        return False


def _in_scientific_form(value: str) -> bool:
    """Whether a value is a number in scientific notation with a mantissa in [1, 10) (`4.5 \\times 10^4`, `4.5e4`)."""
    m = _SCIENTIFIC_FORM.search(value)
    return m is not None and 1 <= float(m.group(1) or m.group(2)) < 10


# a prompt that asks for the answer as a percentage in words ("What is 3/4 as a percent?", "What percent of 80 is
# 20?", "What percentage of ..."; not a given "40 percent", not "the interest rate"), and no decimal or fraction
_ASKS_PERCENT_FORM = re.compile(r"(?<![\d.])(?<![\d.]\s)\b(?i:percent(?:age)?|per\s?cent)\b")


def asks_percent_form(prompt: str) -> bool:
    """Whether the prompt asks for a percentage by name and for no decimal or fraction (math 23, numeric 18): a
    percentage reference's value (`0.75`, `\\frac{3}{4}` for `75\\%`) is then in another form than it asks, its
    number (`75`) is not."""
    return bool(
        _ASKS_PERCENT_FORM.search(prompt) and not _ASKS_DECIMAL.search(prompt) and not _ASKS_FRACTION.search(prompt)
    )


def wrong_form(value: str, reference: str, prompt: str) -> bool:
    """Whether an answer equal to the reference is in another form than the prompt asks for (math 22; math 21
    compared values only): a decimal or a percentage, and no fraction, where the prompt asks for a fraction (or for
    lowest terms, of a fractional reference: "Simplify 18/24."), an improper fraction where it asks for a mixed
    number, a number not in scientific notation (`45000`, `45 \\times 10^3`) where it asks for that, a decimal
    without pi where it asks for the answer "in terms of pi" (`12.566371` for `4\\pi`), one without a root where it asks
    for radical form or to rationalize (`7.0710678` for `5\\sqrt{2}`: math 23), and a fraction
    or a percentage and no decimal where it asks for a decimal. A reference not in the asked form asks for nothing."""
    percent = percent_stem(value) is not None and "%" not in reference
    decimal, fraction = _DECIMAL.search(value) is not None, _FRACTION.search(value) is not None
    ref_fraction = _FRACTION.search(reference) is not None and not _DECIMAL.search(reference)
    asks_fraction = _ASKS_FRACTION.search(prompt) or (_ASKS_REDUCED.search(prompt) and ref_fraction)
    if asks_fraction and ref_fraction and (decimal or percent) and not fraction:
        return True
    if _ASKS_MIXED.search(prompt) and _MIXED.search(reference) and not _MIXED.search(value):
        return True  # `\\frac{7}{4}` or `1.75` for "as a mixed number" (`1\\frac{3}{4}`)
    if _ASKS_SCIENTIFIC.search(prompt) and _in_scientific_form(reference) and not _in_scientific_form(value):
        return True
    if _ASKS_PI.search(prompt) and _PI.search(reference) and not _PI.search(value):
        return True  # `12.566371` for "in terms of $\\pi$" (`4\\pi`)
    if _ASKS_RADICAL.search(prompt) and _ROOT.search(reference) and not _ROOT.search(value):
        return True  # `7.0710678` for "in simplest radical form" (`5\\sqrt{2}`; math 23)
    if _ASKS_PAIR.search(prompt) and _TUPLE.fullmatch(reference) and "=" in value and not _TUPLE.search(value):
        return True  # `x=2, y=3` for "as an ordered pair", "the point of intersection" (`(2, 3)`; math 25)
    if _ASKS_PAIR.search(prompt) and _TUPLE.fullmatch(reference) and _BRACED.fullmatch(value):
        return True  # `\\{2, 3\\}`, a set, for "as an ordered pair" (`(2, 3)`; math 32)
    return bool(_ASKS_DECIMAL.search(prompt) and _DECIMAL.search(reference) and (fraction or percent) and not decimal)


# a prompt that asks for an ordered pair or a point by name ("as an ordered pair", "an ordered triple", "Find the point
# of intersection", "the coordinates of the vertex"), and a tuple of values (`(2, 3)`, `\left(2, 3\right)`)
_ASKS_PAIR = re.compile(
    r"\b(?i:ordered\s+(?:pair|triple)s?|(?:as|in\s+the\s+form\s+of)\s+an?\s+point|point\s+of\s+intersection"
    r"|intersection\s+point|coordinates\s+of)\b"
)
_TUPLE = re.compile(r"\s*(?:\\left\s*)?\(\s*[^(),]+(?:,\s*[^(),]+)+(?:\\right\s*)?\)\s*")
_BRACED = re.compile(r"\s*(?:\\left\s*)?\\\{\s*[^{},]+(?:,\s*[^{},]+)+(?:\\right\s*)?\\\}\s*")


# a prompt that asks for fractions in lowest terms: "in lowest terms", "in simplest form", "Simplify 18/24.",
# "fully reduced", "as a common fraction" (math 22: MATH's convention, whose references are reduced); and radicals
# simplified: "in simplest radical form", "Rationalize the denominator" (math 22)
_ASKS_REDUCED = re.compile(
    r"\b(?i:lowest\s+terms|simplest\s+(?:radical\s+)?(?:form|terms)|(?:fully|completely)\s+(?:simplified|reduced)"
    r"|simplify|reduced\s+(?:form|fraction)|common\s+fraction|rationali[sz]e)\b"
)
# a fraction of two integers: `\frac{18}{24}`, `\dfrac{6}{8}`, `\frac68`, `18/24`
_INTEGER_FRACTION = re.compile(
    r"\\[dt]?frac\s*(?:\{\s*(\d+)\s*\}|(\d))\s*(?:\{\s*(\d+)\s*\}|(\d))|(?<![\d.])(\d+)\s*/\s*(\d+)(?![\d.])"
)


# a root of an integer: `\sqrt{8}`, `\sqrt8`, `\sqrt[3]{16}`; a root in a denominator (`\frac{1}{\sqrt{2}}`,
# `1/\sqrt{2}`); a fraction of an integer times a root and an integer (`\frac{10\sqrt{3}}{6}`)
_ROOT_FRACTION = re.compile(
    r"\\[dt]?frac\s*\{\s*(\d+)\s*\\sqrt\s*(?:\[\s*\d+\s*\])?\s*(?:\{[^{}]*\}|\d)\s*\}\s*\{\s*(\d+)\s*\}"
)
_INTEGER_ROOT = re.compile(r"\\sqrt\s*(?:\[\s*(\d+)\s*\])?\s*(?:\{\s*(\d+)\s*\}|(\d))")
_ROOT_BELOW = re.compile(r"\\[dt]?frac\s*\{(?:[^{}]|\{[^{}]*\})*\}\s*\{[^{}]*\\sqrt|/\s*\\sqrt")


def _power_factor(n: int, k: int) -> bool:
    """Whether an integer has a factor d**k > 1 (`8` = 2**2 * 2 under a square root): its root is not simplified."""
    if n > 10**12 or k < 2:
        return False  # too large to factor here; no root
    d = 2
    while d**k <= n:
        if n % d**k == 0:
            return True
        d += 1
    return False


def reduced(value: str) -> bool:
    """Whether every fraction of two integers in a value (after its last `=`) is in lowest terms, and every root of an
    integer is simplified (math 22: no square factor under a square root, `\\sqrt{8}`, no cube under a cube root, no
    root in a denominator, `\\frac{1}{\\sqrt{2}}`). A prompt that asks for lowest terms or simplest form needs the
    answer's reduced (math 21: `\\boxed{\\frac{18}{24}}` passed "Simplify 18/24." for 3/4, as math-verify compares
    values); a reference that is not is no such task."""
    value = value.rsplit("=", 1)[-1]
    for m in _INTEGER_FRACTION.finditer(value):
        numerator, denominator = (m.group(1) or m.group(2) or m.group(5)), (m.group(3) or m.group(4) or m.group(6))
        if math.gcd(int(numerator), int(denominator)) > 1:
            return False
    if any(math.gcd(int(m.group(1)), int(m.group(2))) > 1 for m in _ROOT_FRACTION.finditer(value)):
        return False
    if any(_power_factor(int(m.group(2) or m.group(3)), int(m.group(1) or 2)) for m in _INTEGER_ROOT.finditer(value)):
        return False
    return _ROOT_BELOW.search(value) is None


# a part's label in a value of several parts: `a)`, `(b)`, `1)`, `(ii)`, `Part (a):`, after a space, a comma, a
# semicolon or at the start (`f(1)` and `[0, 1)` hold no label: a letter before, or no series from the first)
_PART_LABEL = re.compile(r"(?:^|(?<=[\s,;]))(?:part\s*)?\(?([a-h]|[1-9]|i{1,3}|iv|vi{0,3}|ix)\)\s*:?\s*", re.IGNORECASE)
_PART_SERIES = (tuple("abcdefgh"), tuple("123456789"), ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"))


def parts_of(text: str) -> list[tuple[str, str]] | None:
    """A value of labelled parts (`a) 3, b) 5`, `(1) 3; (2) 5`, `(i) x = 2; (ii) 7`) as (label, value) pairs in order;
    None: fewer than two labels, labels that are not a series from its start (a, b, ...; 1, 2, ...; i, ii, ...), text
    before the first label, or an empty part."""
    marks = list(_PART_LABEL.finditer(text))
    if len(marks) < 2 or text[: marks[0].start()].strip():
        return None
    labels = tuple(m.group(1).lower() for m in marks)
    if not any(labels == series[: len(labels)] for series in _PART_SERIES):
        return None
    ends = [m.start() for m in marks[1:]] + [len(text)]
    values = [text[m.end() : e].strip().strip(",;").strip() for m, e in zip(marks, ends, strict=True)]
    return list(zip(labels, values, strict=True)) if all(values) else None


def _by_parts(
    ref_parts: list[tuple[str, str]], pred: str, answer: str, task: TaskSpec, cfg: VerifyConfig
) -> CheckResult:
    """A reference of labelled parts against the final answer: the same labels in the same order, each part's value
    equal to the reference's (compared as a whole answer would be). An answer that boxes each part on its own
    (`(a) \\boxed{3} (b) \\boxed{5}`) gives its parts as its boxed values, one per part, in order."""
    values: list[str] | None = None
    if (pred_parts := parts_of(pred)) is not None:
        if [k for k, _ in pred_parts] == [k for k, _ in ref_parts]:
            values = [v for _, v in pred_parts]
    elif len(boxed := boxed_contents(untagged(answer))) == len(ref_parts) and all(parts_of(b) is None for b in boxed):
        values = boxed
    if values is None:
        return CheckResult.fail("mismatch")
    for (_, ref), value in zip(ref_parts, values, strict=True):
        got = verify_math(f"\\boxed{{{value}}}", replace(task, answer=ref), cfg)
        if not got.passed:
            return got
    return CheckResult.ok()


_MATH_DOLLAR = re.compile(r"(?<!\\)\$+")


def _one_text(s: str) -> str:
    """A value of several `$...$` pieces (`$3$ and $5$`) as one text (`3 and 5`): math-verify reads one piece."""
    return _MATH_DOLLAR.sub("", s) if len(_MATH_DOLLAR.findall(s)) >= 4 else s


# The rounding a prompt asks (math 34, numeric 29): "to two decimal places", "to 3 d.p.", "to the nearest tenth /
# hundredth / whole number / cent / hundred", "to 2 significant figures". math 33 compared the rounded answer with the
# reference, so `\\boxed{3.14}` failed "... to two decimal places" for `\\pi` or 3.14159, and `\\boxed{1357.4}`
# passed "... to the nearest whole number" for an unrounded reference 1357.4.
_PLACE_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_NEAREST = {"tenth": 1, "hundredth": 2, "thousandth": 3, "ten-thousandth": 4, "ten thousandth": 4, "whole number": 0}
_NEAREST |= {"integer": 0, "unit": 0, "cent": 2, "penny": 2, "dollar": 0, "ten": -1, "hundred": -2, "thousand": -3}
_ASKS_PLACES = re.compile(
    r"\b(?P<places>\d|one|two|three|four|five|six)\s+(?:decimal\s+(?:places?|digits?)|d\.\s?p\.?(?!\w))"
    r"|\bnearest\s+(?P<nearest>ten[- ]thousandth|tenth|hundredth|thousandth|whole\s+number|integer|unit|cent|penny"
    r"|dollar|ten|hundred|thousand)s?\b"
    r"|\b(?P<figures>\d|one|two|three|four|five|six)\s+(?:significant\s+(?:figures?|digits?)|s\.\s?f\.?(?!\w))",
    re.IGNORECASE,
)
_PLAIN_DECIMAL = re.compile(r"\s*(?:\\?\$\s*)?(?P<number>-?\d+(?:\.(\d+))?)\s*")  # `3.14`, `\\$12.35`


def asked_rounding(prompt: str) -> tuple[str, int] | None:
    """("places", n) for a prompt that asks its answer rounded to n decimal places (negative: to tens, hundreds),
    ("figures", n) for n significant figures, or None (none asked, or two different ones)."""
    asked = set()
    for m in _ASKS_PLACES.finditer(prompt):
        if m.group("places"):
            word = m.group("places").lower()
            asked.add(("places", int(word) if word.isdigit() else _PLACE_WORDS[word]))
        elif m.group("nearest"):
            asked.add(("places", _NEAREST[re.sub(r"\s+", " ", m.group("nearest").lower())]))
        else:
            word = m.group("figures").lower()
            asked.add(("figures", int(word) if word.isdigit() else _PLACE_WORDS[word]))
    return asked.pop() if len(asked) == 1 else None


def rounded_as_asked(number: str, reference: float, asked: tuple[str, int]) -> bool | None:
    """Whether a plain decimal (`3.14`) is `reference` rounded as the prompt asks (`asked_rounding`): no more decimal
    places than asked (a multiple of 10 or 100 for "the nearest ten / hundred") and within half a unit of the last
    asked place of the reference (3.14 and 3.140 for pi to two places; 3.1, 3.142 and 3.15 are not); None where
    `number` is no plain decimal or the reference 0 for significant figures."""
    m = _PLAIN_DECIMAL.fullmatch(number)
    if m is None:
        return None
    kind, n = asked
    if kind == "figures":
        if reference == 0:
            return None
        n = n - 1 - math.floor(math.log10(abs(reference)))
    value = Decimal(m.group("number"))
    digits = len(m.group(2) or "")
    if digits > max(n, 0) or (n < 0 and value % Decimal(10) ** -n != 0):
        return False
    return abs(float(value) - reference) <= 0.5 * 10.0**-n * (1 + 1e-9) + 1e-12


def _real(parsed: Any) -> float | None:
    """The value of a parsed answer that is a real number (`1.6 \\times 10^{-19}`, `\\sqrt{2}`), else None (a set, an
    equation, a complex number, an expression with symbols)."""
    try:
        expr = parsed[0]
        if not getattr(expr, "is_number", False):
            return None
        value = complex(expr.evalf())
    except Exception:  # not a number sympy can evaluate
        return None
    return value.real if value.imag == 0 else None


# math 37, numeric 32: an equation whose sides are numbers that differ states two values (`\\boxed{12 = 13}` and
# `\\boxed{6 + 6 = 13}` passed for 13, `\\boxed{x = 13 = 12}` for 12: the value after the last `=` was read); a side
# with a letter is no number (`x = 12`), and a plain decimal may round the other side (`\\frac{1}{3} = 0.333`)
_EQUALS = re.compile(r"(?<![<>!:=\\])=(?!=)")
_NOT_A_NUMBER_SIDE = re.compile(r"[A-Za-z]")
_ARITHMETIC_COMMANDS = re.compile(r"\\(?:[dt]?frac|cdot|times|div|left|right|sqrt)(?![A-Za-z])")
# words of prose before an equation's first side, when that side is then arithmetic on numbers ("So 6 + 6 = 13.",
# "Thus 2 \\times 6 = 13.": the side read as prose was skipped and 13 passed; math 37, numeric 32)
_PROSE_BEFORE_SIDE = re.compile(r"^(?:[A-Za-z']{2,}[,:]?\s+)+(?=[-(\d\\])")
_ARITHMETIC = re.compile(r"\d\s*(?:[-+*/^\u00d7\u00f7\u00b7]|\\(?:cdot|times|div)(?![A-Za-z]))\s*[-(\d\\]|\\[dt]?frac")


def equation_after_prose(value: str) -> str | None:
    """The equation of a value that is words of prose before a first side of arithmetic on numbers ("So, 6 + 6 =
    12." -> `6 + 6 = 12.`, `_PROSE_BEFORE_SIDE`), else None. math 37 read it whole, and math-verify read "So, 6 + 6 =
    12" as the set of `So` and the equation, so the right answer failed (math 38)."""
    text = strip_math(value)
    if (prose := _PROSE_BEFORE_SIDE.match(text)) is None:
        return None
    first = _EQUALS.split(text[prose.end() :])[0]
    if "=" in text and _ARITHMETIC.search(first) and not _NOT_A_NUMBER_SIDE.search(_ARITHMETIC_COMMANDS.sub("", first)):
        return text[prose.end() :]
    return None


def contradicting_equation(value: str, limit: float) -> bool:
    """Whether `value` is an equation two of whose sides are numbers that differ (`_EQUALS`): `12 = 13`, `6 + 6 = 13`,
    `x = 13 = 12`. A list (a comma or a semicolon), a relation, a side with a letter or one math-verify cannot
    evaluate is left alone; a side that is a plain decimal may round another (`rounding`). Words of prose before a
    first side of arithmetic are cut off it ("So 6 + 6 = 13.": `_PROSE_BEFORE_SIDE`)."""
    text = strip_math(value)
    text = equation_after_prose(text) or text  # "So 6 + 6 = 13.", "So, 6 + 6 = 13." (math 37)
    if "=" not in text or re.search(
        r"[,;<>\u2264\u2265\u2260\u2248]|\\(?:text|q?quad|approx|ne|neq|le|leq|ge|geq)\b", text
    ):
        return False
    sides = [side.strip() for side in _EQUALS.split(text)]
    if len(sides) < 2 or not all(sides):
        return False
    values: list[tuple[float, float]] = []
    for side in sides:
        if not re.search(r"\d", side) or _NOT_A_NUMBER_SIDE.search(_ARITHMETIC_COMMANDS.sub("", side)):
            continue
        try:
            number = real_value(side, limit)
        except CheckTimeout:
            return False
        if number is not None:
            values.append((number, (rounding(side) or (0.0, 0.0))[1]))
    return any(
        abs(a - b) > max(half_a, half_b, 1e-9 * max(abs(a), abs(b), 1.0))
        for i, (a, half_a) in enumerate(values)
        for b, half_b in values[i + 1 :]
    )


def real_value(text: str, limit: float) -> float | None:
    """The real number math-verify reads in a value written exactly (`\\sqrt{32}`, `4\\sqrt{2}`, `4\\pi`), or None (an
    expression with symbols, `\\sqrt{x}`; a set; what it cannot parse). Raises CheckTimeout past `limit` seconds.
    `numeric` evaluates so the value a final answer writes beside its rounding (`\\sqrt{32} \\approx 5.7`: numeric
    20), as `math` does."""
    try:
        with time_limit(limit):
            parsed = _parse_cached(joined_digit_groups(unicode_math(text)))
    except CheckTimeout:
        raise
    except Exception:  # math-verify/sympy raise many types on odd input: no value
        return None
    return _real(parsed) if parsed else None


def _equal(gold: Any, parsed: Any, relations: bool = False) -> bool:
    """math-verify's verdict; and two real numbers it calls equal that lie within 1e-6 of each other must agree to a
    relative 1e-5 (math 9): math-verify rounds numbers to 6 decimal places before comparing, so every two values under
    5e-7 were equal (`1.6 \\times 10^{-18}` passed for the elementary charge `1.6 \\times 10^{-19}`). Values further
    apart that it calls equal (a percentage: `12\\%` and `12`) keep its verdict. `relations`: an inequality answer is
    compared as its set (`-3 < x < 2` as `(-3, 2)`)."""
    from math_verify import verify

    if not verify(gold, parsed, allow_set_relation_comp=relations, timeout_seconds=None):
        return False
    a, b = _real(gold), _real(parsed)
    if a is None or b is None or abs(a - b) >= 1e-6:
        return True
    return math.isclose(a, b, rel_tol=1e-5)


# a prompt that asks for an interval: an inequality sign, "interval notation", "inequality", "domain"; one that names
# a pair, a point or a system, or its variables in a tuple (`(x, y)`), asks for a tuple (math 32)
_ASKS_INTERVAL = re.compile(
    r"<|>|\\(?:le|leq|ge|geq|lt|gt|leqslant|geqslant)(?![A-Za-z])|[\u2264\u2265]"
    r"|\b(?i:intervals?|inequalit(?:y|ies)|domain)\b"
)
_NAMES_TUPLE = re.compile(
    r"\b(?i:points?|coordinates?|systems?|ordered|pairs?|triples?|vectors?)\b|\(\s*[A-Za-z]\s*(?:,\s*[A-Za-z]\s*)+\)"
)


def _relation_asked(reference: str, prompt: str) -> bool:
    """Whether a relation may be the answer (math 37): the reference is one (`x > 3`, `x \\neq 3`) or an interval or
    several values (`(-\\infty, 2]`), or the prompt asks for an interval (`interval_prompt`)."""
    return has_relation(reference) or "," in reference or "\\infty" in reference or interval_prompt(prompt)


def interval_prompt(prompt: str) -> bool:
    """Whether the prompt asks for an interval and names no pair, point or system (`_ASKS_INTERVAL`,
    `_NAMES_TUPLE`): a reference `(-3, 2)` is then an open interval, not an ordered pair (math 32)."""
    text = re.sub(r"\\left|\\right|\$", "", prompt)
    return _ASKS_INTERVAL.search(text) is not None and _NAMES_TUPLE.search(text) is None


def _is_interval(expr: Any, prompt: str) -> bool:
    """Whether a parsed reference is an interval or an inequality: an inequality (`-3 < x < 2`, `x \\le 2`), a union,
    an interval closed at an end or unbounded, or an open one (`(-3, 2)`, also an ordered pair) where the prompt asks
    for an interval (`interval_prompt`)."""
    from sympy import Interval, Union
    from sympy.core.relational import Equality, Relational
    from sympy.logic.boolalg import And, Or

    if isinstance(expr, Relational):
        return not isinstance(expr, Equality)
    if isinstance(expr, (And, Or)):
        return all(isinstance(a, Relational) and not isinstance(a, Equality) for a in expr.args)
    if isinstance(expr, Union):
        return True
    if isinstance(expr, Interval):
        bounded = bool(expr.start.is_finite and expr.end.is_finite)
        return not (expr.left_open and expr.right_open and bounded) or interval_prompt(prompt)
    return False


def _points(expr: Any) -> bool:
    """Whether a parsed value is two or more values listed or in a tuple (`-3, 2`, `\\{-3, 2\\}`, `x = -3, x = 2`,
    `x = -3 \\text{ or } x = 2`), not intervals or inequalities."""
    from sympy import FiniteSet, Set, Tuple
    from sympy.core.relational import Equality, Relational

    if not isinstance(expr, (FiniteSet, Tuple)) or len(expr) < 2:
        return False
    return not any(isinstance(a, Set) or (isinstance(a, Relational) and not isinstance(a, Equality)) for a in expr.args)


def _named(expr: Any) -> dict[str, Any] | None:
    """{variable: value} of values given by two or more distinct variables' names (`x = 2, y = 3`, `x = 2 \\text{
    and } y = 3`, `(x, y) = (2, 3)`), else None (`x = -3, x = 2` are one variable's values)."""
    from sympy import FiniteSet, Symbol, Tuple
    from sympy.core.relational import Equality

    if isinstance(expr, Equality) and isinstance(expr.lhs, Tuple) and all(isinstance(v, Symbol) for v in expr.lhs):
        values = _listed(expr.rhs)
        pairs = list(zip(expr.lhs, values, strict=True)) if values and len(values) == len(expr.lhs) else []
    elif isinstance(expr, FiniteSet):
        args = getattr(expr, "_unsorted_args", expr.args)
        if not all(isinstance(a, Equality) and isinstance(a.lhs, Symbol) for a in args):
            return None
        pairs = [(a.lhs, a.rhs) for a in args]
    else:
        return None
    named = {re.sub(r"[{}\s]", "", str(v)): value for v, value in pairs}
    return named if len(pairs) >= 2 and len(named) == len(pairs) else None


def _listed(expr: Any, lists: bool = True) -> list[Any] | None:
    """The values of a tuple or a list, in the order written (`(2, 3)`, read as an open interval too; `2, 3`;
    `\\{3, 2\\}`), else None. `lists=False`: a tuple's only (a reference `2, 3` may list roots, in any order)."""
    from sympy import FiniteSet, Interval, Set, Tuple
    from sympy.core.relational import Relational

    if isinstance(expr, Tuple):
        values = list(expr.args)
    elif isinstance(expr, Interval) and expr.left_open and expr.right_open:
        values = [expr.start, expr.end]
    elif isinstance(expr, FiniteSet) and lists:
        values = list(getattr(expr, "_unsorted_args", expr.args))
    else:
        return None
    return values if not any(isinstance(v, (Set, Relational)) for v in values) else None


# the variables a prompt lists in order: a tuple of them (`(x, y)`, `$(a,b,c)$`), or after "for" ("Solve for x, y and
# z"); a variable a letter, with a subscript (`a_1`, `a_{1}`)
_VARIABLE = r"[A-Za-z](?:_\{?\w+\}?)?"
_VARIABLE_LISTS = (
    re.compile(rf"\(\s*({_VARIABLE}(?:\s*,\s*{_VARIABLE})+)\s*\)"),
    re.compile(rf"\b(?i:for)\s+({_VARIABLE}(?:\s*(?:,\s*(?i:and\s+)?|\s+(?i:and)\s+){_VARIABLE})+)\b"),
)


def _variable_order(names: set[str], prompt: str) -> list[str]:
    """The variables in the order the prompt lists them (`_VARIABLE_LISTS`), else alphabetically (`a_2` before
    `a_10`), as a tuple of a system's solutions is written."""
    text = re.sub(r"\\left|\\right|\$", "", prompt)
    for pattern in _VARIABLE_LISTS:
        for m in pattern.finditer(text):
            order = [re.sub(r"[{}\s]", "", v) for v in re.split(r"\s*,\s*(?i:and\s+)?|\s+(?i:and)\s+", m.group(1))]
            if len(order) == len(names) and set(order) == names:
                return order
    return sorted(names, key=lambda v: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", v)])


def _by_name(gold: Any, parsed: Any, prompt: str) -> bool | None:
    """Values given by their variables' names compared by name, and against a tuple or a list in the order the prompt
    gives the variables, else alphabetically (`_variable_order`), each as `_equal` compares values; None where neither
    side names its variables (math 32: math-verify sorts the values, or pairs them in the order written, so `\\boxed{(3,
    2)}` passed for `x = 2, y = 3`, and `\\boxed{y = 2, x = 3}` for `(2, 3)` where the right `\\boxed{y = 3, x = 2}`
    failed)."""
    gold_names, names = _named(gold[0]), _named(parsed[0])
    if gold_names is not None and names is not None:
        return gold_names.keys() == names.keys() and all(_equal([v], [names[k]]) for k, v in gold_names.items())
    if gold_names is not None and (values := _listed(parsed[0])) is not None:
        named, listed, gold_first = gold_names, values, True
    elif names is not None and (values := _listed(gold[0], lists=False)) is not None:
        named, listed, gold_first = names, values, False
    else:
        return None
    if len(listed) != len(named):
        return False
    pairs = zip((named[v] for v in _variable_order(set(named), prompt)), listed, strict=True)
    return all(_equal([a], [b]) if gold_first else _equal([b], [a]) for a, b in pairs)


# a prompt that asks for values in an order (math 38): an ordered pair or triple, values "respectively" or "in that
# order", a system of equations' solution, anywhere in the prompt (`_ASKS_ORDER`); one point's coordinates (the point
# of intersection, a named point `P`, the vertex, the midpoint, the centre; not "the x-coordinates of the points"), a
# tuple of variables (`(a, b)`) or the variables "for" which to solve ("for x and y") in a sentence that asks
# (`_ASKS_POINT`, `_asking`: read anywhere, "The vertex of the parabola ... is $V$. Find the roots ..." failed
# `\boxed{3, 1}` for the roots `1, 3`)
_ASKS_ORDER = re.compile(
    r"\b(?i:ordered\s+(?:pairs?|triples?|tuples?|lists?)|respectively"
    r"|in\s+(?:(?:that|this|the\s+(?:same|given|following))\s+)?order(?!\s+to\b)"
    r"|system\s+of\s+(?:\w+\s+)?equations|(?:solve\s+(?:the\s+)?|the\s+following\s+|this\s+)system"
    r"|(?:the|a)\s+system(?=\s*:?\s*(?:[A-Za-z]\w*\s*[-+=]|\d)))\b"  # "the system x + y = 7, ..." ($ dropped)
)
_ASKS_POINT = re.compile(
    r"\b(?i:(?<![xyz]-)(?<![xyz]\s)coordinates\s+of"
    r"(?!(?:\s+\w+){0,3}?\s+(?:points|vertices|intersections|foci|corners|ends|endpoints|roots|zeros|solutions)\b)"
    r"|(?:the\s+|a\s+)?point\s+of\s+intersection|intersection\s+point|(?:the|a)\s+point\s+(?-i:[A-Z])\b"
    r"|the\s+(?:vertex|midpoint|cent(?:er|re)))\b"
)
# a sentence that asks: a question, or an instruction to find, give or solve
_ASKS = re.compile(
    r"\?|\b(?i:find|determine|compute|calculate|evaluate|give|state|write|list|solve|express|enter|report|provide"
    r"|answer|identify|locate|what|which|where)\b"
)
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z(\\\d])|\n+")


def _asking(text: str) -> str:
    """The sentences of `text` that ask (`_ASKS`), else the whole text."""
    asking = [s for s in _SENTENCE_END.split(text) if _ASKS.search(s)]
    return " ".join(asking) if asking else text


def asks_order(prompt: str) -> bool:
    """Whether the prompt asks for its values in an order (`_ASKS_ORDER`; `_ASKS_POINT`, a tuple of variables or the
    variables to solve for, `_VARIABLE_LISTS`, in a sentence that asks)."""
    text = re.sub(r"\\left|\\right|\$", "", prompt)
    asked = _asking(text)
    return (
        _ASKS_ORDER.search(text) is not None
        or _ASKS_POINT.search(asked) is not None
        or any(p.search(asked) for p in _VARIABLE_LISTS)
    )


def _in_order(gold: Any, parsed: Any, prompt: str) -> bool | None:
    """A reference listing values without brackets (`3, 4`, a set to math-verify) compared with the answer's values
    in the order written, where the prompt asks for them in an order (`asks_order`), else None (math 38: math-verify
    sorts a list's values, so `\\boxed{(4, 3)}` and `\\boxed{4, 3}` passed "Find the coordinates of the point $P$."
    for `3, 4`). A reference in braces (`\\{3, 4\\}`) is a set, met in any order, as the roots of an equation are."""
    from sympy import FiniteSet

    if not isinstance(gold[0], FiniteSet) or len(gold) < 2 or "\\{" in str(gold[1]) or not asks_order(prompt):
        return None
    ours, theirs = _listed(gold[0]), _listed(parsed[0])
    if ours is None or theirs is None or len(ours) < 2:
        return None
    return len(ours) == len(theirs) and all(_equal([a], [b]) for a, b in zip(ours, theirs, strict=True))


# a vector in angle brackets (`\\langle 1, 2 \\rangle`, `\\left\\langle ... \\right\\rangle`, `⟨1, 2⟩`) of two or more
# entries, none of them another angle bracket
_ANGLE_VECTOR = re.compile(
    r"(?:\\left\s*)?(?:\\langle(?![A-Za-z])|\u27e8|\u2329)((?:(?!\\langle|\\rangle|[\u27e8\u27e9\u2329\u232a]).)*,"
    r"(?:(?!\\langle|\\rangle|[\u27e8\u27e9\u2329\u232a]).)*?)(?:\\right\s*)?(?:\\rangle(?![A-Za-z])|\u27e9|\u232a)",
    re.DOTALL,
)


def _top_level_split(text: str) -> list[str]:
    """`text` cut at its commas outside braces, parentheses and brackets (`\\frac{1}{2}, (3, 4)` -> two pieces)."""
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += 1 if ch in "{([" else -1 if ch in "})]" else 0
        if ch == "," and depth == 0:
            pieces.append(text[start:i])
            start = i + 1
    return [*pieces, text[start:]]


def angle_vectors(s: str) -> str:
    """A vector in angle brackets written as the column vector it is (`\\langle 1, 2 \\rangle` -> `\\begin{pmatrix} 1
    \\\\ 2 \\end{pmatrix}`): math-verify read it as its last number, so `\\boxed{\\langle 1, 2 \\rangle}` passed for 2
    and `\\langle 1, 3, 3 \\rangle` for `\\langle 1, 2, 3 \\rangle` (math 33)."""

    def column(m: re.Match[str]) -> str:
        entries = [e.strip() for e in _top_level_split(m.group(1))]
        if any(not e for e in entries):
            return m.group(0)
        return "\\begin{pmatrix} " + " \\\\ ".join(entries) + " \\end{pmatrix}"

    return _ANGLE_VECTOR.sub(column, s)


# a prompt that asks for a vector: the word, or a column vector written in it (`\\begin{pmatrix} 1 \\\\ 0
# \\end{pmatrix}`, rows of one entry)
_ASKS_VECTOR = re.compile(r"\b(?i:vectors?)\b")
_COLUMN_IN_PROMPT = re.compile(r"\\begin\{([pbBvV]?matrix)\}((?:(?!\\end\{).)*?)\\end\{\1\}", re.DOTALL)


def vector_prompt(prompt: str) -> bool:
    """Whether the prompt asks for a vector (`_ASKS_VECTOR`) or writes a column vector (math 33)."""
    if _ASKS_VECTOR.search(prompt):
        return True
    return any("\\\\" in m.group(2) and "&" not in m.group(2) for m in _COLUMN_IN_PROMPT.finditer(prompt))


def _entries(expr: Any) -> tuple[list[Any], bool] | None:
    """(the entries of a vector, whether it is a column vector) for a column vector (a matrix of one column, two or
    more rows) or a tuple (`(1, 2)`, read as an open interval too), else None."""
    from sympy import MatrixBase

    if isinstance(expr, MatrixBase):
        return (list(expr), True) if expr.shape[1] == 1 and expr.shape[0] >= 2 else None
    values = _listed(expr, lists=False)
    return (values, False) if values is not None and len(values) >= 2 else None


def _as_vectors(gold: Any, parsed: Any, prompt: str) -> bool | None:
    """A column vector and a tuple compared entry by entry where the prompt asks for a vector (`vector_prompt`), else
    None (math 33: math-verify compares no matrix with a tuple, so `\\boxed{(1, 2)}` failed `\\begin{pmatrix} 1 \\\\ 2
    \\end{pmatrix}` for "Find the vector ...")."""
    a, b = _entries(gold[0]), _entries(parsed[0])
    if a is None or b is None or a[1] == b[1] or not vector_prompt(prompt):
        return None
    return len(a[0]) == len(b[0]) and all(_equal([x], [y]) for x, y in zip(a[0], b[0], strict=True))


# a prompt that asks for an antiderivative: "indefinite integral", "antiderivative", "primitive", or an integral sign
# without limits (`\\int 2x\\,dx`; not `\\int_0^1`, `\\int\\limits_0^1`); a constant of integration's name as
# math-verify reads it (`C`, `K`, `C_1`: it reads letters in lower case)
_ASKS_ANTIDERIVATIVE = re.compile(
    r"\b(?i:indefinite\s+integrals?|anti-?derivatives?|primitives?)\b"
    r"|\\i+nt(?![A-Za-z])(?!\s*(?:\\(?:no)?limits(?![A-Za-z])\s*)?[_^])"
)
_CONSTANT_NAME = re.compile(r"[ck](?:_\w+)?")


def _constant_renamed(gold: Any, parsed: Any, prompt: str) -> bool:
    """Whether the answer is the reference with its constant of integration named otherwise (`x^2 + K`, `x^2 + C_1`
    for `x^2 + C`), where the prompt asks for an antiderivative (`_ASKS_ANTIDERIVATIVE`): one constant of the reference
    (`_CONSTANT_NAME`) missing from the answer, one such constant of the answer missing from the reference, and nothing
    else changed (math 33: math-verify compares the names, so every right answer naming it otherwise failed)."""
    from sympy import Basic

    a, b = gold[0], parsed[0]
    if not (isinstance(a, Basic) and isinstance(b, Basic)) or not _ASKS_ANTIDERIVATIVE.search(prompt):
        return False
    ours, theirs = a.free_symbols - b.free_symbols, b.free_symbols - a.free_symbols
    if len(ours) != 1 or len(theirs) != 1:
        return False
    (c,), (k,) = ours, theirs
    if not (_CONSTANT_NAME.fullmatch(str(c)) and _CONSTANT_NAME.fullmatch(str(k))):
        return False
    return _equal([a.subs(c, k)], [b])


def _equal_as_asked(gold: Any, parsed: Any, prompt: str) -> bool:
    """`_equal`, where an interval or an inequality is met only by an interval or an inequality (math 32): math-verify
    equates the open interval `(-3, 2)` with the set of its end points, so `\\boxed{-3, 2}` and `\\boxed{x = -3
    \\text{ or } x = 2}` (the roots, not the solution set) passed "Solve $x^2 + x - 6 < 0$." for `(-3, 2)` and for `-3 <
    x < 2`; and the inequality `-3 < x < 2` failed `(-3, 2)`, which it compares with no set."""
    from sympy import Set

    if _is_interval(gold[0], prompt):
        if _points(parsed[0]):
            return False
        if isinstance(gold[0], Set) and _is_interval(parsed[0], ""):
            return _equal(gold, parsed, relations=True)  # `-3 < x < 2` for `(-3, 2)`
    elif (named := _by_name(gold, parsed, prompt)) is not None:
        return named
    elif (ordered := _in_order(gold, parsed, prompt)) is not None:
        return ordered  # `(4, 3)` for `3, 4` where the prompt asks for the coordinates of a point (math 38)
    elif (vectors := _as_vectors(gold, parsed, prompt)) is not None:
        return vectors  # `(1, 2)` for the column vector `\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}` (math 33)
    return _equal(gold, parsed) or _constant_renamed(gold, parsed, prompt)  # `x^2 + K` for `x^2 + C` (math 33)


# a prompt that asks for an expression's form (math 32): to factor it ("Factor ...", "Factor completely:", "in factored
# form"; not "a factor of", "common factor"), to expand it ("Expand ...", "Multiply out"), to simplify it ("Simplify",
# "in simplest form"), or to write it as a power ("as a power of 2", "as a single power")
_SENTENCE_START = r"(?:^|(?<=[.!?:;])\s+|\n\s*)"
_ASKS_FACTORED = re.compile(
    _SENTENCE_START + r"(?i:(?:completely\s+|fully\s+)?factor(?:i[sz]e)?)\b(?!\s+of\b)|\b(?i:factored\s+form)\b"
)
_ASKS_EXPANDED = re.compile(_SENTENCE_START + r"(?i:expand|multiply\s+out)\b|\b(?i:expanded\s+form)\b")
_ASKS_SIMPLIFIED = re.compile(r"\b(?i:simplify|simplest\s+(?:form|terms)|(?:fully|completely)\s+simplified)\b")
_ASKS_POWER = re.compile(r"\b(?i:as\s+(?:a\s+)?(?:single\s+)?power(?:\s+of\s+(\d+)\b)?)")


def _rhs(expr: Any) -> Any:
    """The value of an equation written as the answer (`x^2-5x+6 = (x-2)(x-3)` -> `(x-2)(x-3)`), as math-verify
    reads it; any other value as it is."""
    from sympy.core.relational import Equality

    while isinstance(expr, Equality):
        expr = expr.rhs
    return expr


def _factor_count(expr: Any) -> int:
    """The non-constant factors of a product as written, with their powers (`x(x-1)(x+1)`: 3, `(x+1)^2`: 2, `2(x-3)`:
    1, `x^2-5x+6`: 1)."""
    from sympy import Mul, Pow

    if not expr.free_symbols:
        return 0
    if isinstance(expr, Mul):
        return sum(_factor_count(a) for a in expr.args)
    if isinstance(expr, Pow) and expr.exp.is_Integer and 0 < expr.exp <= 64:
        return int(expr.exp) * _factor_count(expr.base)
    return 1


def _expanded(expr: Any) -> bool:
    """Whether an expression as written holds no product of a sum (`2(x+3)`, `(x-2)(x-3)`) and no power of one
    (`(x+1)^2`); a sum over a denominator is no product (`\\frac{x+1}{2}`)."""
    from sympy import Add, Mul, Pow

    for e in _preorder(expr):
        if isinstance(e, Mul):
            numerator = [a for a in e.args if not (isinstance(a, Pow) and a.exp.is_negative)]
            if len(numerator) > 1 and any(isinstance(a, Add) and a.free_symbols for a in numerator):
                return False
        if isinstance(e, Pow) and isinstance(e.base, Add) and e.base.free_symbols and e.exp.is_Integer and e.exp > 1:
            return False
    return True


def _preorder(expr: Any) -> list[Any]:
    from sympy import preorder_traversal

    return list(preorder_traversal(expr))


def _like_terms(expr: Any) -> bool:
    """Whether a sum in an expression as written has two terms of one variable part (`x + 2 + 2x`, `4x + x`)."""
    from sympy import Add

    for e in _preorder(expr):
        if isinstance(e, Add):
            parts = [a.doit().as_coeff_Mul()[1] if a.free_symbols else 1 for a in e.args]
            if len(set(parts)) < len(parts):
                return True
    return False


def _unsimplified(expr: Any) -> bool:
    """Whether an expression as written leaves work a simplification does: like terms apart (`x + 2 + 2x`), a product
    of a sum among terms (`2(x+3) + 2x`), a power of a power (`(x^2)^3`), one base twice in a product (`x^2 \\cdot
    x^3`), or a common factor of a fraction (`\\frac{x^2-1}{x-1}`)."""
    from sympy import Add, Mul, Pow, fraction, gcd

    if _like_terms(expr):
        return True
    for e in _preorder(expr):
        if isinstance(e, Add) and not all(_expanded(a) for a in e.args):
            return True  # `2(x+3) + 2x`: a product of a sum among terms
        if isinstance(e, Pow) and isinstance(e.base, Pow) and e.exp.is_Integer and e.base.exp.is_Integer:
            return True
        if isinstance(e, Mul):
            bases = [
                a.base if isinstance(a, Pow) and a.exp.is_Integer else a
                for a in e.args
                if a.free_symbols and not (isinstance(a, Pow) and not a.exp.is_Integer)
            ]
            if len(set(bases)) < len(bases):
                return True
    numerator, denominator = fraction(expr)
    return bool(denominator.free_symbols) and bool(gcd(numerator, denominator).free_symbols)


def _power_of_product(expr: Any) -> bool:
    """Whether an expression as written holds a power of a product to a whole exponent above 1 (`(a^2 b)^3`, `(2x)^2`,
    `(-x)^2`; not `\\sqrt{a^2 b}`)."""
    from sympy import Mul, Pow

    return any(
        isinstance(e, Pow) and isinstance(e.base, Mul) and e.base.free_symbols and e.exp.is_Integer and e.exp > 1
        for e in _preorder(expr)
    )


def expression_form(gold: Any, parsed: Any, prompt: str) -> bool:
    """Whether an answer equal to the reference is in another form than the prompt asks for an expression (math 32;
    math 31 compared values, so the prompt's own expression passed): fewer factors than the reference where it asks
    to factor (`x^2-5x+6`, `x(x^2-1)` for "Factor completely: $x^3 - x$."); a product or a power of a sum, or like
    terms apart, where it asks to expand (`(x-2)(x-3)`, `2x^2 - 4x + x - 2`); like terms, a product of a sum among
    terms, powers of powers, a base twice or a common factor left where it asks to simplify and the reference is
    simpler (`count_ops`: `(x^2)^3` for `x^6`, `\\frac{x^2-1}{x-1}` for `x+1`), or a power of a product or like
    terms there where the reference has none (`(a^2 b)^3` for `a^6 b^3`, `x + x` for `2x`: math 33); no power, or
    another base, where it asks for a power (`1024` for "as a single power", `4^5` for "Write $4^5$ as a power of
    2." and `2^{10}`). A reference not in the asked form asks for nothing, nor one without a variable but a power
    (`2^{10}`)."""
    from sympy import Pow, count_ops

    ref, value = _rhs(gold[0]), _rhs(parsed[0])
    if (m := _ASKS_POWER.search(prompt)) is not None and isinstance(ref, Pow):
        if m.group(1) is None and not isinstance(value, Pow):
            return True  # "as a single power": any base (`4^5` is one)
        if (
            m.group(1) is not None
            and int(m.group(1)) == ref.base
            and not (isinstance(value, Pow) and value.base == ref.base)
        ):
            return True
    if not getattr(ref, "free_symbols", None) or not getattr(value, "free_symbols", None):
        return False
    if _ASKS_FACTORED.search(prompt) and _factor_count(ref) >= 2 and _factor_count(value) < _factor_count(ref):
        return True
    expand = _ASKS_EXPANDED.search(prompt) and _expanded(ref) and not _like_terms(ref)
    if expand and (not _expanded(value) or _like_terms(value)):  # `(x-2)(x-3)`, `2x^2 - 4x + x - 2`
        return True
    simplify = _ASKS_SIMPLIFIED.search(prompt) and not _unsimplified(ref)
    if simplify and _power_of_product(value) and not _power_of_product(ref):
        return True  # `(a^2 b)^3` for `a^6 b^3`, which `count_ops` counts alike (math 33)
    if simplify and _like_terms(value):
        return True  # `x + x` for `2x`, which `count_ops` counts alike (math 33)
    return bool(
        _ASKS_SIMPLIFIED.search(prompt)
        and count_ops(value) > count_ops(ref)
        and not _unsimplified(ref)
        and _unsimplified(value)
    )


def _within(approx: tuple[float, float] | None, parsed: Any) -> bool:
    """Whether the decimal given beside the answer as an approximation ("(approximately 0.333)") rounds the answer's
    value; True when there is none or the value is not a number (an equation, a set)."""
    if approx is None or (value := _real(parsed)) is None:
        return True  # not a real number: nothing to compare
    return abs(value - approx[0]) <= approx[1]


def _commits_elsewhere(
    answer: str, pred: str, parsed: Any, limit: float, unit: str | None = None, prompt: str = ""
) -> bool:
    """Whether the answer also commits to another value than `pred` (`extract.committed_values`): another boxed
    value, or a stated answer after the last boxed one, that math-verify does not equal to it. A value it cannot
    parse is not counted (a boxed remark is not an answer). `unit`: the unit the reference and `pred` both state (a
    value stating it too is compared by its number, as `pred` was; a bare unit symbol is read as `pred`'s was, with
    `prompt`: `symbol_unit`)."""

    for value in committed_values(answer):
        value = angle_vectors(symbol_unit(joined_digit_groups(unicode_math(cjk_numeral(value))), prompt))
        value = solution_set(value)  # `\\boxed{\\text{no solution}}` is the `\\emptyset` it was read as (math 33)
        if value == pred:
            continue
        try:
            with time_limit(limit):
                other = _parse_cached(number_of(strip_math(value), unit))
            if not other:
                continue
            with time_limit(limit):
                same = _equal(parsed, other) or bool(_as_vectors(parsed, [other[0]], prompt))  # `(1, 2)` and its column
        except CheckTimeout:
            return True  # cannot show the two are one value: not a clean answer
        except Exception:
            continue
        if not same:
            return True
    return False
