"""Find the final answer in a response's answer text: `\\boxed{}` first, else a clearly stated final answer."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

_BOXED_RE = re.compile(r"\\(?:boxed|fbox)\s*\{")
# The same statements in the languages Hermes answers a prompt in (math 18; none was read, so such an answer without a
# box failed `no_answer`, and an English statement before it was the final answer): "La respuesta es 6", "A resposta
# é 6", "La risposta è 6", "Réponse : 6", "Die Antwort lautet 6", "Ответ: 6", "ответ равен 6", "答案是 6",
# "故答案为：6", "答案应为 6", "答：6" (opening its sentence: not "回答：" or "解答："), "答えは 6 です", "正解は B".
# Not "答案是否" (whether the answer ...) nor "答案是不是". Korean (numeric 27, exact 14, mcq 25): "정답은 6입니다",
# "정답: 6", "답: 6", "답은 6", "최종 답: 6" (not "대답은", "해답은": "답" opens its word).
FOREIGN_STATED = (
    r"(?<!\w)(?:(?:respuesta|resposta|risposta)(?:\s+(?:final|correcta|correta|corretta))?"
    r"|r[ée]ponse(?:\s+(?:finale|correcte))?|(?:endgültige\s+|richtige\s+)?antwort"
    r"|(?:окончательный\s+|правильный\s+|итоговый\s+)?ответ)"
    r"\s*(?:(?:es|é|è|est|ist|lautet|равен|будет)(?![\w-])|[:=\u2014\u2013])"
    r"|(?:最终|最終|最后|最後|正确|正確)?(?:的)?答案(?:应该|應該|应|應)?\s*(?:是|为|為|[:：=])(?!否|不是)"
    r"|(?<![^\s.!?:;*#。])答\s*[:：]|答え\s*(?:は|[:：=])|正解\s*(?:は|[:：])"
    r"|(?<![\uac00-\ud7a3])(?:최종\s*)?(?:정답|답)\s*(?:은|는|[:：=])"
)
# "The final answer is X", "Answer: X", "Final: X" (math 13); or X on the line after a heading of its own ("**Final
# Answer**", "### Answer"; math 13): "answer" that ends a line of prose is no heading. The English forms (`_STATED_EN`,
# `_HEADING_EN`) and those with the languages of `FOREIGN_STATED` (`_STATED_RE`, `_HEADING_RE`) are made by one
# function each from the same parts.
_EN_STATED = r"(?:final\s+answer|the\s+answer|answer|final(?=\s*:))\s*(?:is|:|=)"
_EN_FILLERS = r"still|indeed|clearly|definitely|simply|therefore|thus"
_EN_HEADINGS = r"final\s+answer|answer"


def _stated(statement: str, colon: str, fillers: str) -> re.Pattern[str]:
    return re.compile(rf"{statement}\s*{colon}?\s*(?:(?:{fillers})\s+(?=\S))?(?P<value>.+)", re.IGNORECASE)


def _heading(words: str, colon: str) -> re.Pattern[str]:
    return re.compile(
        rf"^[ \t]*(?:#{{1,6}}[ \t]*)?(?:\*\*)?(?:{words})(?:\*\*)?[ \t]*{colon}?[ \t]*(?:\*\*)?[ \t]*\n\s*"
        r"(?P<value>.+)",
        re.IGNORECASE | re.MULTILINE,
    )


_STATED_RE = _stated(rf"(?:{_EN_STATED}|{FOREIGN_STATED})", "[:：]", rf"{_EN_FILLERS}|donc|entonces|daher|somit")
_HEADING_RE = _heading(
    rf"{_EN_HEADINGS}|respuesta(?:\s+final)?|r[ée]ponse(?:\s+finale)?|(?:endgültige\s+)?antwort"
    r"|(?:окончательный\s+)?ответ|最终答案|最終答案|答案|答え|正解|(?:최종\s*)?(?:정답|답)",
    "[:：]",
)
# what a text that may hold a heading of its own holds (`_last_statement`: a plain substring test first)
_HEADING_HINTS = ("nswer", "espuesta", "éponse", "eponse", "ntwort", "твет", "答", "正解", "답")
# The English statements alone, as math 17 read them: a think block's conclusion (`think_conclusion`, which the lints
# compare with the answer) is read so, as before; "所以答案是四十二" is no value a verifier reads as 42.
_STATED_EN = _stated(_EN_STATED, ":", _EN_FILLERS)
_HEADING_EN = _heading(_EN_HEADINGS, ":")
_MATH_DELIMS = (("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("$", "$"))


def boxed_spans(text: str) -> list[tuple[int, int, str]]:
    """Every `\\boxed{...}` (balanced braces), in order: (start, end, contents stripped)."""
    out = []
    for m in _BOXED_RE.finditer(text):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            c = text[i]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            i += 1
        if depth == 0:
            out.append((m.start(), i, text[m.end() : i - 1].strip()))
    return out


def boxed_contents(text: str) -> list[str]:
    """Contents of every `\\boxed{...}` (balanced braces), in order."""
    return [c for _s, _e, c in boxed_spans(text)]


# Full-width forms as ASCII (`６` -> `6`, `Ｃ` -> `C`, `（`, `）`, `：`, `，` -> `(`, `)`, `:`, `,`) and the
# ideographic space as a space: Chinese and Japanese answers write them ("答案：（Ｃ）", `\boxed{６}`), and
# math-verify could not read `６` (math 18: `unparsable_answer`) nor mcq `Ｃ` (mcq 13: `no_answer`). One character
# for one: positions stay.
_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def halfwidth(text: str) -> str:
    """`text` with its full-width forms as ASCII (`_FULL_WIDTH`); ASCII text as is."""
    return text if text.isascii() else text.translate(_FULL_WIDTH)


# Colour and a sign in a text command only format a value (math 37, numeric 32): `\\boxed{{\\color{red}1}2}` is 12,
# `\\textcolor{red}{12}` is 12, `\\boxed{\\text{-}12}` is -12 (math read the colour's name and the text's sign as
# symbols and failed each right answer `mismatch`, numeric failed the first `multiple_answers`). A `{\\color{..} 1}`
# group that is a command's argument (`\\frac{\\color{red}1}{2}`) keeps its braces.
_COLOR_GROUP = re.compile(r"(?<![A-Za-z}\]^_])\{\s*\\color\s*\{[^{}]*\}\s*([^{}]*)\}")
_COLOR = re.compile(r"\\color\s*\{[^{}]*\}\s*")
_TEXTCOLOR = re.compile(r"\\textcolor\s*\{[^{}]*\}\s*\{([^{}]*)\}")
_TEXT_SIGN = re.compile(r"\\(?:text|textrm|mathrm)\s*\{\s*([-\u2212+])\s*\}\s*(?=[\d.])")


def latex_decoration(text: str) -> str:
    """`text` without the LaTeX that only colours a value (`_COLOR_GROUP`, `_TEXTCOLOR`, `_COLOR`) and with a sign in a
    text command as the sign (`_TEXT_SIGN`: `\\text{-}12` -> `-12`); any other text as is."""
    if "\\" not in text:
        return text
    if "color" in text:
        text = _COLOR.sub("", _COLOR_GROUP.sub(r"\1", _TEXTCOLOR.sub(r"\1", text)))
    return _TEXT_SIGN.sub(lambda m: "+" if m.group(1) == "+" else "-", text)


def ascii_digits(text: str) -> str:
    """`text` with every Unicode decimal digit as its ASCII digit (`٤٢`, `۴۲`, `४२`, `４２` -> `42`; math 31:
    math-verify read none of them, so the reference `٤٢` failed `unparsable_reference` and `\\boxed{४२}`
    `unparsable_answer`). One character for one: positions stay. A superscript (`²`) is no decimal digit."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in text)


# A number with a scale word after it is its scaled value (math 31, numeric 26: the word was dropped, so `\boxed{42万}`,
# "Ответ: 42 тысячи", "Die Antwort ist 42 Millionen." and "The answer is 42 thousand." passed for 42, and `\boxed{42万}`
# failed 420000): the words of English, of the languages of `FOREIGN_STATED`, Italian, Portuguese, Hindi, Arabic,
# Korean, the Chinese and Japanese characters (several multiply: "42 mil millones", "3千万"), and "dozen". "billion" is
# 10^9 (the German "Billionen", the Spanish "billones" 10^12); "42 thousandths" is 0.042. Not a word that goes on
# ("42 millionth", an ordinal; "Tausendstel"), nor one before "of" ("in 2020 millions of people"), nor 千 or 兆 as the
# SI prefix of a Chinese unit ("5千克" is 5 kg, "3兆赫" 3 MHz).
_SCALES: tuple[tuple[str, int], ...] = (
    (r"hundreds?|hunderte?|centaines?", 2),
    (r"thousands?|tausend|mille|mil|mila|тысяч[аиуе]?|тысячами|тыс\.?|हज़ार|हजार|ألف|آلاف|천", 3),
    (r"millions?|millionen|millón|millones|milhão|milhões|milione|milioni|миллион(?:а|ов|ы|ами)?|млн\.?|mio\.?"
     r"|مليون|ملايين", 6),
    (r"billions?|milliarde?n?|milliards?|bilhão|bilhões|miliardo|miliardi|миллиард(?:а|ов|ы|ами)?"
     r"|млрд\.?|mrd\.?|مليار|مليارات|अरब", 9),
    (r"trillions?|billionen|billón|billones|trilhão|trilhões|триллион(?:а|ов|ы|ами)?|трлн\.?", 12),
    # math 34, numeric 29: the long scale's words of their own ("Billiarde", "Trillionen", the Italian "bilioni", the
    # Portuguese "biliões", the Spanish "trillones", the Dutch "miljard", "biljoen"); "billion" and "trillion" in a
    # text of those languages: `long_scale`
    (r"billiarden?", 15),
    (r"trillionen|trillón|trillones", 18),
    (r"bilione|bilioni|bilião|biliões|biljoen(?:en)?", 12),
    (r"miljard(?:en)?", 9),
    (r"miljoen(?:en)?", 6),
    (r"lakhs?|lacs?|लाख", 5),
    (r"crores?|करोड़|करोड़", 7),
    (r"tenths", -1),
    (r"hundredths", -2),
    (r"thousandths", -3),
    (r"millionths", -6),
)  # fmt: skip
_SCALE_WORD = "|".join(f"(?:{w})" for w, _ in _SCALES)
_SCALE_CJK = {"百": 2, "千": 3, "万": 4, "萬": 4, "亿": 8, "億": 8, "兆": 12, "만": 4, "억": 8, "조": 12}
_SCALE_RE = re.compile(
    r"(?<![A-Za-z\d_.,])(?P<number>\d+(?:,\d{3})*(?:\.\d+)?|\d+,\d{1,2}(?!\d))"
    r"(?P<words>(?:(?:\s|\\[,;:! ]|~)*(?:\\(?:text|mathrm|textrm|mbox)\s*\{\s*(?:" + _SCALE_WORD + r")(?!\w)\s*\}"
    r"|(?:" + _SCALE_WORD + r")(?!\w)(?!\s+of\b)))+"
    r"|[百千万萬亿億兆만억조천]+(?![米克瓦焦帕伏卡赫])(?!字节|位元))",
    re.IGNORECASE,
)
_DOZEN = re.compile(r"(?<![A-Za-z\d_.,])(?P<number>\d+)\s+dozens?(?!\w)", re.IGNORECASE)


# "billion" and "trillion" on the long scale, in French, German, Spanish, Italian and Dutch (math 34, numeric 29: "42
# billions" in a French answer, "1 Billion" in a German one, was read as 42 * 10^9 and 10^9)
_LONG_SCALE = ((re.compile(r"billions?", re.IGNORECASE), 12), (re.compile(r"trillions?", re.IGNORECASE), 18))
# the words that tell a text's language: English, or one of the long scale's (`long_scale`)
_SHORT_SCALE_WORDS = "the is are was answer and of there total about approximately so which will it this that"
_LONG_SCALE_WORDS = (
    "la le les est sont réponse reponse et des du une il y environ donc soit vaut combien quel quelle quels"  # French
    " die der das ist sind antwort und ein eine es gibt beträgt etwa rund insgesamt wie viele viel"  # German
    " el los las respuesta son hay aproximadamente unos cuántos cuántas cuánto cuál"  # Spanish
    " il è risposta sono circa quindi quanti quante quanto"  # Italian
    " het antwoord zijn ongeveer een hoeveel"  # Dutch
)
_SHORT_SCALE_MARKS = frozenset(_SHORT_SCALE_WORDS.split())
_LONG_SCALE_MARKS = frozenset(_LONG_SCALE_WORDS.split())


def long_scale(text: str, prompt: str = "") -> bool:
    """Whether "billion" and "trillion" in `text` are the long scale's (10^12, 10^18): `text` is French, German,
    Spanish, Italian or Dutch rather than English by the words that tell (`_LONG_SCALE_MARKS`), or, where it holds
    none of them, `prompt` is."""
    for words in (text, prompt):
        tokens = re.findall(r"[^\W\d_]+", words.lower())
        long_words = sum(t in _LONG_SCALE_MARKS for t in tokens)
        short_words = sum(t in _SHORT_SCALE_MARKS for t in tokens)
        if long_words or short_words:
            return long_words > short_words
    return False


# Decimal commas (math 34, numeric 29), in an answer to a prompt in a language that writes them (those of
# `long_scale`: French, German, Spanish, Italian, Dutch): "3,5" is 3.5, "1.234,5" and "1 234,5" are 1234.5,
# "1.234.567" is 1234567 (math 33 and numeric 28 failed "Die Antwort ist 3,5." for 3.5). One comma before three digits
# ("1,234") is a thousands separator in English and a decimal comma in those languages: ambiguous there, it passes for
# neither reading (it passed for 1234).
_GROUPED_DECIMAL = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})+),(\d+)(?![\d,]|\.\d)")
_SPACED_DECIMAL = re.compile(r"(?<![\d.,])(\d{1,3}(?:(?:[ \u00a0\u202f]|\\[,;: ]|~)\d{3})+),(\d+)(?![\d,])")
_DOTTED_GROUPS = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3}){2,}(?![\d,]|\.\d)")
_COMMA_DECIMAL = re.compile(r"(?<![\d.,])(\d+)(?:,|\{,\})(\d+)(?![\d,]|\.\d|\{,\})")


def _ambiguous_comma(m: re.Match[str]) -> bool:
    return len(m.group(2)) == 3 and len(m.group(1)) <= 3 and not m.group(1).startswith("0")


def ambiguous_comma(value: str) -> bool:
    """Whether a value holds a number whose one comma may be a decimal comma or a thousands separator ("1,234")."""
    return any(_ambiguous_comma(m) for m in _COMMA_DECIMAL.finditer(value))


def comma_decimals(text: str) -> str:
    """`text` with its decimal commas as decimal points and its dotted or spaced thousands written together (`3,5` ->
    `3.5`, `1.234,5` -> `1234.5`, `1 234,5` -> `1234.5`, `1.234.567` -> `1234567`); an ambiguous "1,234" as is."""
    if "," not in text and "." not in text:
        return text
    text = _GROUPED_DECIMAL.sub(lambda m: m.group(1).replace(".", "") + "." + m.group(2), text)
    text = _SPACED_DECIMAL.sub(lambda m: re.sub(r"\D", "", m.group(1)) + "." + m.group(2), text)
    text = _DOTTED_GROUPS.sub(lambda m: m.group(0).replace(".", ""), text)
    return _COMMA_DECIMAL.sub(lambda m: m.group(0) if _ambiguous_comma(m) else f"{m.group(1)}.{m.group(2)}", text)


def list_of_values(reference: str) -> bool:
    """Whether a reference lists values (`1, 5`, `(1,5)`, `x = 1; y = 5`): its commas are no decimal commas."""
    return re.search(r"\d\s*,\s+-?\d|;|[(\[{]", reference) is not None


def _scale_of(words: str, long: bool = False) -> int:
    """The power of ten a run of scale words (`_SCALE_RE`'s `words`) multiplies by: their sum (`long`: "billion" is
    10^12, "trillion" 10^18)."""
    if words[0] in _SCALE_CJK:
        return sum(_SCALE_CJK[c] for c in words)
    total = 0
    for m in re.finditer(rf"(?:{_SCALE_WORD})(?!\w)", words, re.IGNORECASE):
        longs = [power for rx, power in _LONG_SCALE if long and rx.fullmatch(m.group(0))]
        total += longs[0] if longs else next(p for w, p in _SCALES if re.fullmatch(w, m.group(0), re.IGNORECASE))
    return total


def _scaled_number(m: re.Match[str], long: bool = False) -> str:
    number = m.group("number")
    number = number.replace(",", ".") if re.fullmatch(r"\d+,\d{1,2}", number) else number.replace(",", "")
    try:
        value = Decimal(number).scaleb(_scale_of(m.group("words").strip(), long) or 0)
    except InvalidOperation:
        return m.group(0)
    return format(value.normalize() if value == value.to_integral() else value, "f")


def scale_words(value: str, prompt: str = "") -> str:
    """`value` with a number and the scale words after it written as one number (`_SCALES`: `42万` -> `420000`,
    "42 thousand" -> `42000`, "1,5 Millionen" -> `1500000`, "3 dozen" -> `36`; "42 billions" in French is 42 * 10^12:
    `long_scale`, by `value`'s words or else `prompt`'s); any other value as is."""
    if not any(c.isdigit() for c in value) or not re.search(r"[^\W\d_]", value):
        return value
    value = _DOZEN.sub(lambda m: str(int(m.group("number")) * 12), value)
    long = "illion" in value.lower() and long_scale(value, prompt)
    return _SCALE_RE.sub(lambda m: _scaled_number(m, long), value)


# A number's sign said in words (math 31, numeric 26): "negative 42", "minus 42", "负42", "マイナス42", "минус 42",
# "moins 42", "menos 42", "meno 42", "ऋण 42", "سالب 42" are -42 (math read "negative 42" as 42, and the others passed
# for 42 in both); as a minus sign they also keep a subtraction ("50 minus 8") what it was. Not a bound's word: "au
# moins 42" (at least), "al menos 42", "pelo menos 42", "plus ou moins 42".
_MINUS_WORD = re.compile(
    r"(?:(?<!\w)(?<!\bau\s)(?<!\bal\s)(?<!\blo\s)(?<!\bpas\s)(?<!\bou\s)(?<!\bo\s)(?<!\bno\s)(?<!\bni\s)(?<!\bpelo\s)"
    r"(?:negative|minus|moins|menos|meno|минус|ऋण|سالب)(?!\w)|负|負|マイナス|마이너스)(?:\s|\\[,;:! ]|~)*(?=\$?\s*\d)",
    re.IGNORECASE,
)


def minus_words(value: str) -> str:
    """`value` with a sign said in words as `-` (`_MINUS_WORD`: "negative 42" -> `-42`); any other value as is."""
    return _MINUS_WORD.sub("-", value) if re.search(r"[^\W\d_]", value) else value


def spoken_number(value: str, prompt: str = "") -> str:
    """A final answer's numbers as its words say them: in ASCII digits (`ascii_digits`), with their sign
    (`minus_words`) and their scale words (`scale_words`, in the language of `value` or else of `prompt`)."""
    return scale_words(minus_words(ascii_digits(value)), prompt)


# A whole final answer in Chinese (or Japanese) numerals, up to 9999, with one measure word at most: "六", "十二",
# "二十五", "一百零五", "两百", "六个" (math 19, numeric 14: math failed "所以答案是六。" `unparsable_answer`, numeric
# `no_answer`). Only a numeral written in the standard way is read ("六七个", six or seven; "十十"; "十分之一", a tenth;
# "一个质数", a prime, are none).
_CJK_NUMERAL = re.compile(
    r"\s*([零〇一二两兩三四五六七八九十百千]{1,12})\s*([个個只本人天岁歲次名位条條张張匹头頭辆輛块塊元米件种種]?)\s*[.\u3002]?\s*"
)


@lru_cache(maxsize=1)
def _cjk_integers() -> dict[str, int]:
    """Every integer from 0 to 9999 as written in Chinese numerals (`一百零五`: 105, `十二`: 12, `一百一十`: 110)."""
    digits = "零一二三四五六七八九"
    out = {"零": 0, "〇": 0}
    for n in range(1, 10000):
        parts: list[str] = []
        gap = False
        for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = n // unit_value % 10
            if not d:
                gap = bool(parts)
                continue
            if gap:
                parts.append("零")
                gap = False
            parts.append(("" if unit == "十" and d == 1 and not parts else digits[d]) + unit)
        out["".join(parts)] = n
    return out


def cjk_numeral(value: str) -> str:
    """`value` with a whole Chinese numeral written in digits (`六` -> `6`, `六个` -> `6个`, `两百` -> `200`); any
    other value as is."""
    m = _CJK_NUMERAL.fullmatch(value) if value and not value.isascii() else None
    if m is None:
        return value
    n = _cjk_integers().get(m.group(1).replace("两", "二").replace("兩", "二"))
    return value if n is None else f"{n}{m.group(2)}"


# A whole final answer that is one English number word, zero to twenty, a tens word with its unit ("twenty-one"),
# "one hundred" or "a dozen" (math 33, numeric 28: "The answer is seven." failed `mismatch`, as Chinese numerals were
# read but no English words). Only the whole value is read: "seven days and eight nights", "seventh", "a few" are none.
_EN_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"]
_EN_UNITS += ["twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80}
_EN_TENS["ninety"] = 90
_EN_NUMERAL = re.compile(
    rf"(?P<tens>{'|'.join(_EN_TENS)})[-\s](?P<unit>{'|'.join(_EN_UNITS[1:10])})|(?P<word>[a-z]+)"
    r"|(?:a|one)\s+(?P<scale>hundred|dozen)",
    re.IGNORECASE,
)


def english_numeral(value: str) -> str:
    """`value` written in digits where it is one whole English number word (`_EN_NUMERAL`: "seven" -> `7`, "Seven."
    -> `7`, "twenty-one" -> `21`, "a dozen" -> `12`); any other value as is."""
    text = re.sub(r"^\*\*|\*\*$", "", value.strip().rstrip(".").strip()).strip()
    # math 37, numeric 32: a sign said in words before the number word ("negative twelve", "minus twelve": math failed
    # them `mismatch`, numeric `no_answer`)
    if (signed := re.match(r"(?:negative|minus)\s+(?=[a-z])", text, re.IGNORECASE)) is not None:
        number = english_numeral(text[signed.end() :])
        return f"-{number}" if number != text[signed.end() :] else value
    m = _EN_NUMERAL.fullmatch(text) if text.isascii() else None
    if m is None:
        return value
    if m.group("scale"):
        return "100" if m.group("scale").lower() == "hundred" else "12"
    if m.group("tens"):
        return str(_EN_TENS[m.group("tens").lower()] + _EN_UNITS.index(m.group("unit").lower()))
    word = m.group("word").lower()
    if word in _EN_UNITS:
        return str(_EN_UNITS.index(word))
    return str(_EN_TENS[word]) if word in _EN_TENS else value


def strip_math(s: str) -> str:
    s = s.strip().rstrip(".").strip()
    s = re.sub(r"^\*\*|\*\*$", "", s).strip()
    for a, b in _MATH_DELIMS:
        if s.startswith(a) and s.endswith(b) and len(s) >= len(a) + len(b):
            inner = s[len(a) : len(s) - len(b)]
            if a in inner or b in inner:  # `$3$ and $5$`: two pieces of math, not one wrapped whole
                return s
            return inner.strip().rstrip(".").strip()
    return s


# Math written in Unicode, as its LaTeX (`unicode_math`): math-verify drops characters it cannot read, so the reference
# `2√3` was 2 and `10²³` was 10 (`\boxed{2}` and `\boxed{10}` passed), and `x² + 1` failed `\boxed{x^2+1}`.
_VULGAR_FRACTIONS = {
    "\u00bd": (1, 2), "\u2153": (1, 3), "\u2154": (2, 3), "\u00bc": (1, 4), "\u00be": (3, 4), "\u2155": (1, 5),
    "\u2156": (2, 5), "\u2157": (3, 5), "\u2158": (4, 5), "\u2159": (1, 6), "\u215a": (5, 6), "\u2150": (1, 7),
    "\u215b": (1, 8), "\u215c": (3, 8), "\u215d": (5, 8), "\u215e": (7, 8), "\u2151": (1, 9), "\u2152": (1, 10),
}  # fmt: skip
_VULGAR = re.compile("[" + "".join(_VULGAR_FRACTIONS) + "]")
_SUPERSCRIPT_RUN = re.compile("[\u207a\u207b]?[\u2070\u00b9\u00b2\u00b3\u2074-\u2079]+")
_SUPERSCRIPT_DIGITS = str.maketrans(
    "\u207a\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079", "+-0123456789"
)
_ROOT = re.compile(r"([\u221a\u221b\u221c])\s*(?:\(([^()]*)\)|\{([^{}]*)\}|(\d+(?:\.\d+)?|[A-Za-z]))")
_ROOT_INDEX = {"\u221a": "", "\u221b": "[3]", "\u221c": "[4]"}
_SYMBOLS = {
    "\u2212": "-", "\u221e": "\\infty ", "\u00d7": "\\times ", "\u22c5": "\\cdot ", "\u00b7": "\\cdot ",
    "\u00f7": "\\div ", "\u2264": "\\le ", "\u2265": "\\ge ", "\u2260": "\\ne ", "\u00b1": "\\pm ", "\u03c0": "\\pi ",
}  # fmt: skip
_SYMBOL = re.compile("[" + "".join(_SYMBOLS) + "]")
# scientific notation with a letter x for the times sign (`6.02 x 10^23`)
_X_TIMES_TEN = re.compile(r"(?<=\d)\s*[xX]\s*(?=10\s*\^)")


# digits grouped in threes with a (thin) space between: `1\\,000\\,000`, `1 000 000`, `1\u202f000` (SI style)
_DIGIT_GROUPS = re.compile(r"(?<![\d.,])\d{1,3}(?:(?:\\,|\\ |~|[ \u2009\u202f\u00a0])\d{3})+(?![\d.]\d|\d)")
_GROUP_GAP = re.compile(r"\\,|\\ |~|[ \u2009\u202f\u00a0]")


def joined_digit_groups(s: str) -> str:
    """`s` with digit groups written apart joined (`1\\,000\\,000` -> `1000000`): math-verify read `1\\,000\\,000` as
    1 * 000 * 000 and the numeric verifier as three numbers (math 9, numeric 6)."""
    return _DIGIT_GROUPS.sub(lambda m: _GROUP_GAP.sub("", m.group(0)), s) if any(c.isdigit() for c in s) else s


def _root(m: re.Match[str]) -> str:
    radicand = next(g for g in m.groups()[1:] if g is not None)
    return f"\\sqrt{_ROOT_INDEX[m.group(1)]}{{{radicand}}}"


def unicode_math(s: str) -> str:
    """Unicode math as LaTeX: `√2` -> `\\sqrt{2}`, `∛(x+1)` -> `\\sqrt[3]{x+1}`, `x²` / `s⁻¹` -> `x^{2}` / `s^{-1}`,
    `½` -> `\\frac{1}{2}` (`3½` -> `3\\frac{1}{2}`, a mixed number), `−` -> `-`, `∞`, `×`, `·`, `≤`, `≥`, `≠`, `±`,
    `π` -> their commands, and `6.02 x 10^23` -> `6.02 \\times 10^23`. Text without them is returned as is."""
    if s.isascii():
        return _X_TIMES_TEN.sub(r" \\times ", s) if ("x" in s or "X" in s) else s
    s = _SUPERSCRIPT_RUN.sub(lambda m: "^{" + m.group(0).translate(_SUPERSCRIPT_DIGITS) + "}", s)
    s = _VULGAR.sub(lambda m: "\\frac{{{}}}{{{}}}".format(*_VULGAR_FRACTIONS[m.group(0)]), s)
    s = _ROOT.sub(_root, s)
    s = _SYMBOL.sub(lambda m: _SYMBOLS[m.group(0)], s)
    return _X_TIMES_TEN.sub(r" \\times ", s)


# Letters written onto a number (`4ab`, `2c`, `\frac{3}{2}c`) are variables, unless they are a unit no algebra writes
# so; a letter after a space (`5 m`, `2 h`) stays a unit (several written apart are variables, below). math-verify
# strips a trailing "unit" from a list that holds `ab`, `bc`, `c`, `d`, `h`, `m`, `s`, `t`, ...: the reference `4ab`
# was read as 4, so `\boxed{4}` passed (and `\boxed{2c}` for 2); the numeric verifier read `5x` as 5.
_LETTERS_ON_NUMBER = re.compile(r"(?:\d|\})([A-Za-z]{1,2})\s*\.?\s*\$?\s*$")
_UNITS_ON_NUMBER = frozenset(
    {"cm", "mm", "km", "kg", "mg", "ml", "mL", "ft", "lb", "oz", "hr", "yd", "cc", "mi"}
    | {"st", "nd", "rd", "th", "am", "pm"}  # ordinals (`5th`) and times (`5pm`)
)


# A bound or a negation written just before a final answer's number: the number is no value the answer states ("more
# than 624 pages", "at least 5", "not 624", "up to 3", "can't be 7"). Not after a number ("3 over 4", "12, not 13").
_BOUNDED_NUMBER = re.compile(
    r"(?<![\d.])(?<![\d.]\s)\b(?:(?:no\s+)?(?:more|less|fewer|greater|smaller|larger|bigger|higher|lower|other|rather)"
    r"\s+than|at\s+(?:least|most)|up\s+to|under|over|below|above|beyond|exceeding|not|never|no|(?:isn|aren|wasn|weren|"
    r"doesn|don|didn|can|couldn|wouldn|shouldn|mustn)'?t|cannot)\b(?:\s+(?:be|write|have|get|equal|exactly|quite|even|just))*"
    r"\s+\$?\\?\$?\s*-?\d",
    re.IGNORECASE,
)


# The same in the prompt's language (math 31, numeric 26: "答案不是 42", "答えは少なくとも42です", "Ответ: не менее 42",
# "Die Antwort ist mindestens 42.", "La réponse n'est pas 42.", "La respuesta es al menos 42.", "الجواب ليس 42" passed
# for 42), before the number, and after it: "42 以上", "42个以下", "42ではありません", "उत्तर 42 नहीं है", and "42 or more"
# ("42 oder mehr", "42 и более", ...), in English too.
_FOREIGN_BOUND = (
    r"(?:(?<!\w)(?:не(?:\s+(?:менее|более|больше|меньше))?|более|менее|больше|меньше|свыше|как\s+(?:минимум|максимум)"
    r"|минимум|максимум|по\s+(?:крайней|меньшей)\s+мере|mindestens|h[öo]chstens|wenigstens|nicht|keine?n?|mehr\s+als"
    r"|weniger\s+als|gr[öo][ßs]er\s+als|kleiner\s+als|bis\s+zu|au\s+(?:moins|plus)|pas|jamais|plus\s+(?:de|que)"
    r"|moins\s+(?:de|que)|sup[ée]rieure?\s+[àa]|inf[ée]rieure?\s+[àa]|jusqu['\u2019][àa]|al\s+menos|por\s+lo\s+menos"
    r"|como\s+(?:m[íi]nimo|m[áa]ximo)|a\s+lo\s+sumo|m[áa]s\s+de|menos\s+de|mayor\s+que|menor\s+que|no(?:\s+es)?|nunca"
    r"|almeno|non(?:\s+[èe])?|pi[ùu]\s+di|meno\s+di|pelo\s+menos|n[ãa]o(?:\s+[ée])?|mais\s+de|no\s+m[íi]nimo"
    r"|no\s+m[áa]ximo|ليس|ليست|لا|غير|على\s+الأقل|على\s+الأكثر|أكثر\s+من|أقل\s+من|कम\s+से\s+कम|अधिक\s+से\s+अधिक"
    r"|ज़्यादा\s+से\s+ज़्यादा)(?!\w)"
    r"|不是|不等于|不等於|不会是|不會是|不可能是|至少|至多|最多|最少|不少于|不少於|不多于|不多於|不超过|不超過|不低于|不低於"
    r"|超过|超過|大于|大於|小于|小於|多于|多於|少于|少於|低于|低於|高于|高於|不到|少なくとも|最低でも|最大でも|多くとも|せいぜい"
    r"|(?<![\uac00-\ud7a3])(?:적어도|최소한|최소|최대|많아야))"
    r"\s*\$?\s*[-\u2212]?\d"
    r"|\d\s*\$?\s*[个個只本人天岁歲次名位条條张張件种種元米]?\s*"
    r"(?:以上|以下|以内|以內|未満|未满|多(?=[个個人只名位条條件次天]|[\s.。!]|$)|では(?:ない|ありません)|じゃ(?:ない|ありません)"
    # Korean: "42가 아니라", "42이 아닙니다" (not 42), "42 이상" / "이하" / "미만" / "초과" (at least, at most, under,
    # over)
    r"|(?:이|가)?\s*아(?:니|닙|닌|님)|(?:이상|이하|미만|초과)(?![\uac00-\ud7a3])|(?:이상|이하|미만|초과)(?=[이입])"
    r"|(?<!\w)(?:नहीं|से\s+(?:अधिक|ज़्यादा|ज्यादा|कम|ऊपर)|على\s+الأقل|على\s+الأكثر|أو\s+(?:أكثر|أقل)"
    r"|(?:и|или)\s+(?:более|больше|менее|меньше)|(?:or|and|oder|und|ou|et|o|y)\s+(?:more|less|fewer|greater|higher"
    r"|lower|above|below|over|under|up|mehr|weniger|plus|moins|m[áa]s|menos))(?!\w))"
)
_FOREIGN_BOUNDED = re.compile(_FOREIGN_BOUND, re.IGNORECASE)


# Words that doubt or deny what follows them in their sentence ("I don't think", "I doubt", "I wouldn't say", "It is
# not true that", "I'm not sure"): a number after them (`_DOUBTED_NUMBER`) or a statement (`doubted_statement`) is
# no answer
_DOUBT = (
    r"(?:I\s+(?:don['\u2019]?t|do\s+not|didn['\u2019]?t|did\s+not)\s+(?:think|believe|suppose|reckon|feel)|I\s+doubt"
    r"|I(?:['\u2019]m|\s+am)\s+not\s+(?:sure|convinced|certain)"
    r"|I\s+(?:wouldn['\u2019]?t|would\s+not|can['\u2019]?t|cannot|can\s+not|couldn['\u2019]?t|could\s+not)\s+say"
    r"|(?:it|this)\s*(?:['\u2019]s|\s+is)\s+(?:not\s+true|false|doubtful)|unlikely)"
)
# the same in the languages of `FOREIGN_STATED` ("No creo que la respuesta sea 12.", "Je ne pense pas que la réponse
# soit 12.", "Ich glaube nicht, dass die Antwort 12 ist.", "Не думаю, что ответ 12.", "我不认为答案是12。": each passed)
_FOREIGN_DOUBT = (
    r"(?:(?<!\w)(?:no\s+(?:creo|pienso|estoy\s+segur[oa])|dudo|je\s+ne\s+(?:pense|crois|suis)\s+pas|je\s+doute"
    r"|ich\s+(?:glaube|denke)\s+nicht|ich\s+bezweifle|ich\s+bin\s+(?:mir\s+)?nicht\s+sicher|не\s+думаю|не\s+уверен[аы]?"
    r"|сомневаюсь)(?!\w)|(?:我)?不(?:认为|認為|觉得|覺得|确定|確定|相信)|我?(?:怀疑|懷疑))"
)
_FOREIGN_DOUBTED = re.compile(_FOREIGN_DOUBT + r"[^.!?\u3002\n]*?\d", re.IGNORECASE)


# math 41, numeric 36: a final answer that doubts its number or calls it wrong ("12 is not the answer.", "12 is
# incorrect.", "12 would be wrong.", "I don't think it's 12.", "I doubt it's 12.", "It's unlikely to be 12."): read as
# that number, each passed for 12
_DOUBTED_NUMBER = re.compile(
    r"\d\$?(?:\s+(?!(?:is|would|seems|looks|must)\b)[a-z]+){0,2}\s+(?:is|would\s+be|seems|looks|must\s+be"
    r"|(?:is|would\s+be)\s+definitely)\s+(?:not\s+(?:the\s+)?"
    r"(?:(?:right|correct|final|true)\s+)?(?:answer|result|solution|right|correct|it)|incorrect|wrong|false|impossible"
    r"|unlikely|ruled\s+out)\b"
    rf"|\b{_DOUBT}"
    r"\s+(?:that\s+|to\s+be\s+)?(?:(?:it'?s|it\s+is|(?:the\s+)?(?:final\s+)?answer\s+is|the\s+answer'?s)\s+)?"
    r"\$?\\?\$?\s*-?\d",
    re.IGNORECASE,
)


def bounds_its_number(value: str) -> bool:
    """Whether a final answer bounds or negates its number instead of stating it ("He writes more than 624 pages.",
    "It is not 624.", "at least 5", "至少 42", "mindestens 42", "42 以上": `_FOREIGN_BOUND`): read as that number, such
    an answer passed; so in a text command (`\\text{at least } 42`: numeric 25 passed it)."""
    value = _TEXT_IN_BOX.sub(r"\1", value.replace("\u2019", "'"))
    if _BOUNDED_NUMBER.search(value) is not None or _FOREIGN_BOUNDED.search(value) is not None:
        return True
    # (a value of one number: "The answer is 12. 13 is wrong." states 12)
    if len(re.findall(r"\d+(?:[.,]\d+)*", value)) != 1:
        return False
    return any(rx.search(value) is not None for rx in (_DOUBTED_NUMBER, _FOREIGN_DOUBTED, _COUNTERFACTUAL))


# math 42, numeric 37: a number under a condition that does not hold or as a question ("The answer would be 12 if he
# had not eaten one.", "It would have been 12.", "Is the answer 12?"): a final answer of one short line was read as
# that number and passed for it ("So the answer would be 12." states it)
_COUNTERFACTUAL = re.compile(
    r"\bwould\s+have\s+been\b|\bwould\s+be\b[^.!?\n]*?\b(?:if|unless|had|were|assuming|provided)\b"
    r"|^\s*(?:is|could|can|would|should|might|does|do|was|will)\b[^?\n]*\?\s*$",
    re.IGNORECASE,
)


# A relation written before a final answer's number (math 37, numeric 32): `> 12`, `\geq 12`, `x \neq 3`, `x \not= 3`,
# `≤ 5` bound or exclude the number, which is no value the answer states; math-verify read `\boxed{> 12}` and
# `\boxed{x \not= 3}` as the number and passed them (`= 12`, `\approx 12` state it).
_RELATION_SIGN = (
    r"(?:<|>|\\[gl]eq?(?:slant)?(?![A-Za-z])|\\[gl]t(?![A-Za-z])|\\neq?(?![A-Za-z])|\\not\s*=|[\u2264\u2265\u2260])"
)
_RELATION_BOUND = re.compile(
    r"^\s*\$?\s*(?:[A-Za-z](?:_\{?\w+\}?)?\s*)?" + _RELATION_SIGN + r"\s*\$?\s*[-\u2212]?\s*\d"
)
_RELATION = re.compile(_RELATION_SIGN)


def relation_bound(value: str) -> bool:
    """Whether a final answer is a relation that bounds or excludes its number (`_RELATION_BOUND`: `> 12`,
    `x \\neq 3`)."""
    return _RELATION_BOUND.search(value) is not None


# A value struck out or negated in a final answer (math 37, numeric 32): `\cancel{12}`, `\bcancel{12}`, `\xcancel{12}`,
# `\sout{12}`, `\st{12}`, `\cancelto{0}{12}`, `\neg 12`, `\lnot 12`, `¬12` state no value; numeric read the value under
# the stroke and passed each for 12, math-verify `\neg 12`.
_STRUCK_OUT = re.compile(r"\\(?:[bx]?cancel(?:to)?|sout|st)\s*\{|\\(?:neg|lnot)(?![A-Za-z])|\u00ac")


def struck_out(value: str) -> bool:
    """Whether a final answer strikes out or negates its value (`_STRUCK_OUT`: `\\cancel{12}`, `\\neg 12`)."""
    return _STRUCK_OUT.search(value) is not None


def has_relation(value: str) -> bool:
    """Whether a value holds a relation other than `=` (`x > 3`, `x \\neq 3`): an inequality is met by one."""
    return _RELATION.search(value) is not None


# A value that ends in two or more one-letter tokens written apart (`3 a b`, `2 m g`, `m g h`): a product of
# variables, never a unit; math-verify stripped them all as units (`3 a b` read as 3, `m g h` as m).
_SPACED_LETTERS = re.compile(r"(?<![A-Za-z\\])[A-Za-z](?:\s+[A-Za-z](?![A-Za-z])){1,}\s*\.?\s*\$?\s*$")


# A value that ends in one or two lower-case letters after a space (`4 ab`, `x + 5 t`, `r^2 h`): variables when the
# two letters are no unit's abbreviation (`4 ab`; `5 cm`, `2 ft` are units), or when what stands before them is an
# expression, not a number (`x + 5 t`, `2a + 4 ab`, `r^2 h`, `12\sqrt{2} h`; `5 m`, `3 \times 10^8 m`, `\frac{1}{2} h`
# and `2 kg m` keep their unit). math-verify stripped them as units (`4 ab` read as 4, `x + 5 t` as x + 5).
_SPACED_TAIL = re.compile(r"^(?P<before>.*?\S)\s+(?P<letters>[a-z]{1,2})\s*\.?\s*\$?\s*$", re.DOTALL)
_PLAIN_NUMBER = re.compile(
    r"\s*\$?\s*[-+]?(?:\\[dt]?frac\s*\{\s*\d+\s*\}\s*\{\s*\d+\s*\}|\d[\d,]*(?:\.\d+)?(?:\s*/\s*\d+)?"
    r"(?:[eE][-+]?\d+|\s*(?:\\times|\\cdot)\s*10\s*\^\s*(?:\{\s*[-+]?\d+\s*\}|[-+]?\d+))?)"
)
_TWO_LETTER_UNITS = _UNITS_ON_NUMBER | {
    "gm", "dm", "lt", "mt", "ms", "ns", "nm", "um", "in", "sq", "cl", "dl", "kl", "ha", "yr", "hp", "pt", "qt", "ly",
    "au", "rs", "wk", "mo", "kb", "mb", "gb", "cu", "mn", "pc", "kt", "ev",
}  # fmt: skip
# what makes the value before such letters an expression: a sign, a LaTeX command (not a space or a unit's
# wrapper), a power of a variable (`r^2`; `m/s^2` after a number is a compound unit)
_EXPRESSION_SIGN = re.compile(r"[-+=<>]|\\(?![,;:! ]|(?:text|mathrm|cdot)(?![A-Za-z]))")


# A number and one-letter tokens with a slash (`3 a/b`, `3a/b`, `2 x/y`): variables where a lower-case one is no unit's
# symbol (`5 m/s`, `2 g/m`, `4 N/C`, `J/g K` keep their unit). numeric 22 read `a/b` as a unit and `3 a/b` as 3.
_SLASHED_LETTERS = re.compile(
    r"\d\s*(?P<letters>[A-Za-z](?![A-Za-z])(?:\s*/\s*[A-Za-z](?![A-Za-z])|\s+[A-Za-z](?![A-Za-z]))+)\s*\.?\s*\$?\s*$"
)
_UNIT_LETTERS = frozenset("msghl")


def variables_on_number(s: str) -> bool:
    """Whether a value ends in letters that are variables, not a unit: written onto a number (`4ab`, `x + 2c`),
    one-letter tokens written apart (`3 a b`, `2 m g`) or with a slash that are no unit's (`3 a/b`), two letters apart
    that are no unit (`4 ab`), or letters apart after an expression (`x + 5 t`, `r^2 h`: `_SPACED_TAIL`)."""
    m = _LETTERS_ON_NUMBER.search(s)
    if (m is not None and m.group(1) not in _UNITS_ON_NUMBER) or _SPACED_LETTERS.search(s) is not None:
        return True
    letters = m.group("letters") if (m := _SLASHED_LETTERS.search(s)) is not None else ""
    if "/" in letters and any(c.islower() and c not in _UNIT_LETTERS for c in letters):
        return True  # `3 a/b`, `2 x/y` (numeric 23)
    tail = _SPACED_TAIL.match(s.rsplit("=", 1)[-1])  # `d = 20 m`: the value after the last `=`
    if tail is None:
        return False
    before = tail.group("before")
    number = _PLAIN_NUMBER.match(before)
    rest = before[number.end() :] if number else before
    if number and not rest.strip(" $"):  # a number and its unit, or two letters that are no unit's (`4 ab`)
        return len(tail.group("letters")) == 2 and tail.group("letters") not in _TWO_LETTER_UNITS
    return _EXPRESSION_SIGN.search(rest) is not None or (not number and "^" in rest)  # `x + 5 t`, `r^2 h`


# Where the prose after a stated value begins: a sentence end right after the value ("7. (Not 3, ...)", "$x=3$. The
# other root ..."), a parenthesis that holds words ("100 (or 10^2)", "(the other root, $x=-2$, is rejected)"; not
# `(1, 2)` or `\sin x (1 + \cos x)`), a comma before a connective ("12, which is 3 times 4", "5 cm, not 50 mm") or a
# connective ("42 because ..."). math-verify reads a whole line and takes a number from its prose: "The answer is 100
# (or 10^2)." passed for 10. Not "or" ("2, or 3" is a hedge the verifiers fail) nor "of", "and" (names: "Queen of
# Hearts", "Romeo and Juliet"). A one-line answer without a statement is cut the same way (`final_answer`).
# words a full stop abbreviates: no sentence ends after them ("St. Louis", "Dr. Seuss", "Apple Inc. in 1976")
_ABBREVIATED = (
    "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Sr", "Jr", "Mt", "Ft", "Gen", "Col", "Capt", "Lt", "Sgt", "Gov", "Sen",
    "Rep", "Rev", "Hon", "Pres", "Vol", "vs", "etc", "Inc", "Ltd", "Co", "Corp", "Bros", "Ave", "Blvd",
    "Rd", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "approx", "al", "Fig",
    "Eq", "cf", "ca",
)  # fmt: skip
_NOT_ABBREVIATED = "".join(rf"(?<!\b{w}\.)" for w in _ABBREVIATED)  # read at a full stop only (each is a lookbehind)
# "No." abbreviates "number" only before one ("No. 5"): "The answer is No. It is raining." is No (exact 22: it failed)
_NOT_ABBREVIATED += r"(?!(?<=\bNo\.)[ \t]+\d)(?!(?<=\bNos\.)[ \t]+\d)"
_PROSE_STARTS = re.compile(
    r"(?<=[\d}$)\]])\.(?=\s)"
    # exact 21: a full stop after a word of two letters or more, before a capital or a digit, ends the value's sentence
    # ("The answer is Paris. It is the capital." read "Paris. It is the capital." and failed); not after an initial
    # ("J. R. R. Tolkien"), an abbreviation (`_ABBREVIATED`) or a word of inner full stops ("D.C.", "e.g.")
    rf"|\.(?=[ \t]+[A-Z0-9])(?<=[^\W\d_]{{2}}\.){_NOT_ABBREVIATED}"
    r"|\.(?=[ \t]+[A-Z0-9])(?<=\w\*\*\.)"  # after a bold value ("**Paris**. It is ...")
    r"|\.(?=[ \t]+[A-Z0-9])(?<=[^\W\d_][*_]\.)"  # or one in emphasis ("*Paris*. It is ...", "_Paris_. It ...")
    # math 43, numeric 38, exact 24: an ellipsis before a correction or a hesitation ("13... no wait, it is 12.",
    # "Lyon... wait, Paris."; numeric failed 12 `multiple_answers`, exact Paris `mismatch`); not a repeating decimal
    r"|(?:\.{2,}|\u2026)(?=[ \t]+(?i:no|nope|wait|actually|hmm+|hm+|oh|sorry|scratch|correction|I\s+mean)\b)"
    r"|\s\((?=[^()]*?(?<![\\A-Za-z])[A-Za-z]{2,})"
    r"|,\s+(?=(?:which|since|because|so|not|as|that|where|when|giving|meaning|hence|thus|therefore)\b|i\.e\.)"
    r"|\s(?=(?:because|since|which|as|given|where|when)\b)"
    # a spaced dash before words (math 17): "6 \u2014 not 5.", "12 \u2013 the total"; not "Michelson\u2013Morley"
    r"|(?:\s[\u2014\u2013]|[\u2014\u2013]\s)\s*(?=[A-Za-z]{2,}\b)"
    # math 18: a Chinese or Japanese sentence end ("6。不对，..."), a Japanese copula ("6 です"), and a connective of
    # another language after a comma ("6, porque ...", "6, parce que ...", "6, weil ...", "6，因为 ...")
    r"|。|\s*(?=(?:です|である|となります|になります)(?:[。.!]|\s*$))"
    # a Korean copula written onto the value ("6입니다.", "6이다.", "C예요."; "이다" and "야" after no Hangul: "사이다")
    r"|\s*(?=(?:입니다|이에요|예요)(?:[。.!]|\s*$))|(?<![\uac00-\ud7a3])\s*(?=(?:이다|이야|야)(?:[。.!]|\s*$))"
    r"|,\s+(?=(?:porque|ya\s+que|es\s+decir|parce\s+que|puisque|c'est-à-dire|weil|denn|так\s+как|потому\s+что"
    r"|поскольку|то\s+есть)(?!\w))|[,，]\s*(?=因为|因為|由于|由於|即)"
    # numeric 27, exact 14: another value negated after the value, as ", not 13" in English ("42, nicht 43", "42 und
    # nicht 43", "42, pas 43", "42 et non 43", "42, no 43", "42 y no 43", "42, а не 43", "42, не 43", "42，不是43",
    # "42，而非43", "42で、43ではありません", "42であり、43ではない")
    r"|,\s+(?=(?:nicht|pas|no|не|а\s+не)(?!\w))|,?\s+(?=(?:und\s+nicht|et\s+(?:non|pas)|y\s+no|а\s+не)(?!\w))"
    r"|[,，]\s*(?=(?:而)?不是|而非|并非|並非)|(?:であり|で)?[、,]\s*(?=[^、,。\n]*?(?:では|じゃ)(?:な|あり))"
)


# Words that correct an answer just given ("5. Wait, no, it's 6.", "12 (actually 13)"; mcq: "B - no, C")
# (the words that change an answer, shared with `_TAKEN_BACK`; a correction also says "no", "sorry", "I mean")
# (not the noun: "Sorry for the wait. She had 7 at first." read 7 as a correction of the box, math 37)
_CHANGE_WORDS = r"actually|(?<!the\s)(?<!\ba\s)wait|(?:wh)?oops|correction|on\s+second\s+thought"
# math 37, numeric 32: more words that correct the value just given ("\\boxed{12}. I mean 13.", "Make that 13.", "Or
# rather 13.", "Scratch that, 13.", "Typo: 13.", "Err, 13.", "My mistake, it is 13.", "Not quite, 13." each passed for
# 12). Not "sorry" nor a bare "rather": they are an apology and a degree as often ("Sorry for the wait. She had 7 at
# first.", "That's rather a lot."), and the quantity stated after them was read as a correction; "Sorry, 13." and
# "Rather, 13." are one (`_CORRECTS_THE_BOX`)
# These take a value back only in their own sentence (`_WEAK_TAKE_BACK`, `taken_back`).
_WEAK_CHANGE_WORDS = (
    r"I\s+mean[t]?|make\s+that|or\s+rather|scratch\s+that|typo|my\s+(?:mistake|bad)|err|erm|not\s+quite"
    r"|let\s+me\s+(?:fix|correct)(?:\s+(?:that|this|it))?"
    # (math 42: "Just kidding, 13.", "Strike that: 13.", "I misspoke, 13.", "Whoops, 13." passed for 12)
    r"|just\s+kidding|I\s+was\s+kidding|strike\s+that|I\s+misspoke"
)
_CHANGE_WORDS += "|" + _WEAK_CHANGE_WORDS
# the same in the languages of `FOREIGN_STATED` (math 18): "espera", "en realidad", "attendez", "en fait", "warte",
# "eigentlich", "подождите", "на самом деле", "等等" (opening its clause: "香蕉等等" is "bananas etc."), "不对", "其实",
# "待って"; "nein", "non", "нет" with a comma after them ("решений нет." says there is none)
_FOREIGN_CHANGE = (
    r"(?<!\w)(?:espera|en\s+realidad|attends|attendez|en\s+fait|warte|eigentlich|подожди(?:те)?|на\s+самом\s+деле)"
    r"(?!\w)|(?<![^\s,.!?;:。，、*])(?:等等|等一下)|不对(?!称)|不對(?!稱)|其实|其實|实际上|實際上|更正|待って|実は|訂正"
    # math 31: Japanese "いや、違います" (no, that's wrong), German "Hoppla", Arabic "انتظر" (wait), Hindi "रुको" (wait)
    r"|(?<![^\s,.!?;:。，、*])(?:いや|いいえ)(?=[、,。\s])|違います|違いました|(?<!\w)(?:hoppla|انتظر|انتظري|रुको|रुकिए)(?!\w)"
    # Korean (numeric 27, exact 14, mcq 25): "잠깐" (wait), "사실은" (actually), "정정" (correction)
    r"|(?<![\uac00-\ud7a3])(?:잠깐만?|잠시만|사실은|정정)(?![\uac00-\ud7a3])"
)
_FOREIGN_CORRECTION = _FOREIGN_CHANGE + r"|(?<!\w)(?:perd[oó]n|(?:nein|non|нет|لا|아니요?)(?=\s*[,\u060c]))(?!\w)"
# "I made an error" in those languages (math 18): "me equivoqué", "je me suis trompé", "ich habe mich verrechnet",
# "я ошибся", "我算错了", "我犯了一个错误"
_FOREIGN_ERROR = (
    r"(?<!\w)(?:me\s+equivoqu[ée]|comet[ií]\s+un\s+error|je\s+me\s+suis\s+tromp[ée]+|j['\u2019]ai\s+fait\s+une\s+erreur"
    r"|ich\s+habe\s+mich\s+(?:verrechnet|geirrt)|ich\s+habe\s+einen\s+fehler\s+gemacht|я\s+ошиб(?:ся|лась))(?!\w)"
    r"|我(?:算|做|弄|看)?(?:错|錯)了|我犯了(?:一个|一個)?(?:错误|錯誤)"
    # math 31: "Fehler." opening its clause (not "Der Fehler liegt ..."), "لقد أخطأت" (I erred), "मुझसे गलती हुई" (I made
    # a mistake), "間違えました"
    r"|(?<!\w\s)(?<!\w)fehler(?=\s*[.!:,])|(?<!\w)(?:أخطأت|أخطأنا)(?!\w)|(?:गलती|ग़लती)\s+(?:हुई|हो\s+गई|की)"
    r"|間違え(?:まし)?た"
)
CORRECTION_WORDS = rf"(?:\b(?:{_CHANGE_WORDS}|no|sorry|I\s+mean|make\s+that)\b|{_FOREIGN_CORRECTION})"
_CORRECTED = re.compile(CORRECTION_WORDS, re.IGNORECASE)
# A value given beside the stated one in parentheses: "12 (approximately 13)", "100 (or 10^2)", "Paris (or maybe
# London)". It is cut off the stated value with the prose, and `committed_values` holds it: another value fails
# `multiple_answers`, the same one ("100 (or 10^2)") passes.
_ALTERNATIVE = re.compile(
    r"\s\(\s*(?:(?P<approx>approximately|approx\.?|about|roughly|around|nearly|almost|~|≈|\\approx)|"
    r"(?:or(?:\s+(?:maybe|possibly|perhaps))?|maybe|possibly|perhaps)\b)\s*(?P<value>[^()]+?)"
    # (math 39: the value before a condition, "(or 13 if he found another)", which passed for 12)
    r"(?:\s+(?:if|when|unless|depending)\b[^()]*)?\s*\)",
    re.IGNORECASE,
)
_DECIMAL = re.compile(r"-?\d+(?:\.(\d+))?")
# Another value offered beside the final one, on its line, as right or possible: "5, though 6 is also possible", "5 (but
# 6 could also be correct)", "5, but it could also be 6" (`hedged_values`). Calling it right or possible is what makes
# it a hedge: "5, not 6" and "6 would be the count with the endpoint" name another value and commit to 5.
HEDGE_RIGHT = (
    r"(?:plausible|possible|correct|right|valid|acceptable|defensible|reasonable|true|likely|viable|the\s+answer"
    r"|an?\s+(?:plausible|possible|valid|reasonable|correct|good|strong)\s+(?:answer|option|choice|candidate))\b"
)
_HEDGE_VALUE = r"(?P<value>\$[^$]+\$|\\\(.+?\\\)|[^\s,;:()]+)"
_VALUE_ENDS = r"(?=\s*(?:[,;:!?)]|\.(?!\d)|$))"
# a value offered with "it could be" or "maybe": maths, a number, or a name of up to four words ("Fin whale"); not a
# word ("it could be wrong", "maybe larger")
# (a name's words never hold a condition: "or Paris if you prefer" offers Paris; exact 20)
_OFFERED_VALUE = (
    r"(?P<value>\$[^$]+\$|\\\(.+?\\\)|-?\d[^\s,;:()]*|(?-i:[A-Z])[^\s,;:()]*"
    r"(?:\s+(?!(?:if|when|unless)\b)[^\s,;:()]+){0,3}?)"
)
# characters no name is made of: the words that judge ("对的", "正确", "错误") or describe ("法国的首都", "不是")
_CJK_NO_NAME = r"[的了吗嗎呢吧不没沒也都就还還很对對错錯正确確误誤因由]"
# The same hedges in the languages of `FOREIGN_STATED` (math 19, numeric 14, exact 12, mcq 14; none was read, so
# "\boxed{6}, pero también podría ser 7." and "答案是C，但B也可能正确。" passed for the first value). "Also right":
# "7 también podría ser correcta", "7 est aussi possible", "7 ist auch richtig", "7 тоже может быть правильным"
_FOREIGN_BE = r"(?:es|est|ist|ser[ií]a|serait|w[äa]re|podr[ií]a|pourrait|k[öo]nnte|ser|être|sein|может|быть|является)"
_FOREIGN_ALSO = r"(?:tambi[ée]n|aussi|[ée]galement|auch|тоже|также)"
_FOREIGN_RIGHT = (
    r"(?:correct[ao]s?|correctes?|posibles?|possibles?|v[áa]lid[ao]s?|valides?|plausibles?|richtig|korrekt|m[öo]glich"
    r"|правильн\w*|верн\w*|верен|возмож\w*|допустим\w*)(?!\w)"
)
FOREIGN_ALSO_RIGHT = rf"(?:\s+{_FOREIGN_BE})*\s+{_FOREIGN_ALSO}(?:\s+{_FOREIGN_BE})*\s+{_FOREIGN_RIGHT}"
# "7也可能正确", "7也对", "7也有可能", "7也是正确的", and "7可能也对" (not "7也可能是错的": the words end the clause);
# numeric 27, exact 14, mcq 25 (and math): the Japanese ones, "7も正しい(可能性がある)", "7も正解かもしれません",
# "7の可能性もある", "7である可能性もある", "7かもしれない" (not "7も正しくない", "7も惑星です", "7かもしれませんが")
_JA_MAYBE = r"(?:である|です|だ)?かもしれ(?:ない|ません)"
_JA_POSSIBLE = r"可能性(?:が|も)(?:ある|あります|高い|考えられ(?:る|ます))"
_JA_ALSO_RIGHT = (
    r"\s*(?:も\s*(?:正しい|正解|妥当|あり得る|ありうる|考えられる|可能)(?:の|で)?\s*"
    rf"(?:{_JA_MAYBE}|(?:である|です|だ)?{_JA_POSSIBLE}|でしょう|です|だ|である)?"
    rf"|(?:である|の)可能性も(?:ある|あります|あり得る|考えられ(?:る|ます))|{_JA_MAYBE})(?:ね|よ)?"
)
# and the Korean ones: "7일 수도 있습니다", "7일지도 모릅니다", "7일 가능성도 있다", "7도 정답입니다", "7도 맞을 수
# 있다" (not "7도 정답이 아닙니다", "7도 행성이지만 ...": the words end the clause)
_KO_ALSO_RIGHT = (
    r"\s*(?:(?:이|일)(?:\s*수도\s*있|지도\s*모르|지도\s*모릅|\s*가능성(?:도|이)\s*있)[\uac00-\ud7a3]*"
    r"|도\s*(?:정답|맞|옳|가능)[\uac00-\ud7a3]*(?:\s+수\s+있[\uac00-\ud7a3]*)?)"
)
CJK_ALSO_RIGHT = (
    r"(?:\s*(?:(?:有)?可能\s*)?(?:也|亦)\s*(?:(?:有)?可能\s*(?:是)?\s*(?:正确|正確|对|對|合理)?"
    r"|(?:是)?\s*(?:正确|正確|对|對|合理|可以|可行|成立))(?:的)?|"
    + _JA_ALSO_RIGHT
    + "|"
    + _KO_ALSO_RIGHT
    + r")(?=\s*(?:[.,;!?)。、]|$))"
)
# "it could be 7" / "could also be 7": "(pero) podría ser 7", "ça pourrait être 7", "es könnte (auch) 7 sein", "(но)
# может быть (и) 7", "也可能是7", "或许是7"
FOREIGN_COULD_BE = (
    r"(?:(?<!\w)(?:(?:tambi[ée]n\s+)?podr[ií]a\s+(?:tambi[ée]n\s+)?ser|(?:ça|cela|ce)\s+pourrait\s+(?:aussi\s+)?être"
    r"|pourrait\s+(?:aussi|[ée]galement)\s+être|(?:es|das)\s+k[öo]nnte(?:\s+auch)?|k[öo]nnte\s+auch"
    r"|(?:это\s+)?(?:также\s+|тоже\s+)?может\s+быть(?:\s+и)?)(?!\w)|(?:也|亦)?(?:有)?可能是|也许是|也許是|或许是|或許是)\s*"
)
# "maybe 7": "quizás 7", "tal vez 7", "peut-être 7", "vielleicht 7", "возможно, 7", "也许 7", after a clause's start,
# "but" or "or" ("pero", "mais", "aber", "но", "o", "ou", "oder", "или", "但", "或")
FOREIGN_MAYBE = (
    r"(?:^|(?<=[,;(.!?。])\s*|(?<!\w)(?:pero|mais|aber|но|o|ou|oder|или)\s+|但是?|不过|不過|或者?)"
    r"(?:(?<!\w)(?:quiz[áa]s?|tal\s+vez|posiblemente|peut[-\s]être|possiblement|vielleicht|m[öo]glicherweise"
    r"|eventuell|возможно|наверное|может\s+быть)(?!\w)\s*,?|也许|也許|或许|或許)\s*"
    r"(?:(?:es|c['\u2019]est|ist\s+es|es\s+ist|это|是)\s*)?"
)
# their value: as `_OFFERED_VALUE`, a name in any of their scripts, not ending at a Chinese stop; and where it ends
_CAPITAL = r"(?-i:[A-Z\u00c0-\u00d6\u00d8-\u00de\u0410-\u042f\u0401])"
# (not a pronoun written with a capital: "Возможно, Вы ожидали ...", "Quizás Usted ...")
_CAPITAL_PRONOUN = (
    r"(?!(?-i:Вы|Вам|Вас|Ваш\w*|Я|Мы|Он|Она|Они|Это|Usted\w*|Uds?|Yo|Él|Ella|Sie|Ihnen|Ihr\w*|Du|Dir|Dich|Dein\w*|Ich"
    r"|Wir|Er|Es|Das|Vous|Je|Il|Elle|Nous|Ils|Elles|On)(?!\w))"
)
_OFFERED_FOREIGN = (
    r"(?P<value>\$[^$]+\$|\\\(.+?\\\)|-?\d[^\s,;:()。、\u3040-\u309f\uac00-\ud7a3]*|"
    + _CAPITAL_PRONOUN
    + _CAPITAL
    + r"[^\s,;:()。、\u3040-\u309f\uac00-\ud7a3]*(?:\s+[^\s,;:()。、\u3040-\u309f\uac00-\ud7a3]+){0,3}?)(?:\s+sein)?"
)
# (a Japanese or Korean copula may end it: "または43です。", "또는 43입니다.", not part of the value)
_JA_COPULA = r"(?:です|である|だ|입니다|이다|이에요|예요)"
_FOREIGN_ENDS = rf"(?=\s*{_JA_COPULA}?\s*(?:[,;:!?)。、]|\.(?!\d)|$))"
# a value that "also" forms offer (any value, as "could also be" takes one), Chinese and Japanese names among them:
# a run that holds no character of a word that judges, describes or points ("这个答案也正确" offers no value)
_CJK_VALUE = r"(?:(?!" + _CJK_NO_NAME + r"|[这這那它他她答结結选選])[\u3005\u30a0-\u30ff\u3400-\u9fff]){1,12}?"
# "or" ("或者", "或"; not "或者说", "in other words") and "maybe" ("可能是", "或许是", "也许") before a value
# (and the Japanese "または", "もしくは", "あるいは", words of their own after any character: "42または43"; the Korean
# "또는", "혹은")
_CJK_OR = (
    r"(?:(?:^|(?<=[\s,;，；、]))(?:或者|或(?![者许許])|또는|혹은)|または|もしくは|あるいは)(?![说說])\s*(?:是\s*)?"
)
_CJK_MAYBE = r"(?:(?:也|亦)?(?:有)?可能是|也许是?|也許是?|或许是?|或許是?)\s*"
_ALSO_VALUE = r"(?P<value>\$[^$]+\$|\\\(.+?\\\)|-?\d[\d.,/]*|[A-Za-z][\w'-]*?|" + _CJK_VALUE + r")"
# how unlikely a second answer kept in play is ("a remote possibility", "a slim chance"), and what keeps it so after its
# value or option ("13 is a long shot.", "D is a remote possibility."; math, numeric, exact and mcq read them)
REMOTE = r"(?:remote|distant|slight|slim|small|outside|faint)"
# (mcq 34: "D is an outside possibility.", "D is a dark horse."; each passed for C)
REMOTE_ONE = r"(?:long\s+shot|dark\s+horse|" + REMOTE + r"\s+(?:possibility|chance))"
KEPT_AS_REMOTE = r"\s+(?:is|seems|remains)\s+(?:still\s+)?(?:an?\s+)?" + REMOTE_ONE
# "D remains possible.", "13 is still possible." (each passed): read after an option or a number only ("Travel is still
# possible." after \boxed{Paris} is no second answer)
STILL_POSSIBLE = r"\s+(?:remains|is\s+still)\s+possible"
# what gives a value offered after "or" or "but" to other readings, sources or cases: "under the other reading", "in
# some interpretations", "for others", "according to some sources", or a condition ("if we count ...")
_OTHER_READING = (
    r"(?:readings?|interpretations?|definitions?|conventions?|senses?|sources?|textbooks?|books?|views?|cases?"
    r"|scenarios?|assumptions?|contexts?|meanings?|versions?|references?|authors?|people|purposes?)"
)
_FOR_OTHERS = (
    r"\s+(?:(?:in|for|under|by|per|according\s+to|with|using)\s+(?:others|(?:some|many|certain|most|other|(?:an?|the)\s+"
    r"(?:other|older|newer|alternative|alternate|different|broader|narrower|stricter|looser|old|new|second))"
    r"(?:\s+[A-Za-z-]+)?\s+" + _OTHER_READING + r")|(?:if|when|unless|depending)\b[^,;:!?.\n]*)"
)
_HEDGED_VALUE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"(?:^|(?<=[\s,;(]))" + _HEDGE_VALUE + r"\s+(?:is|are|seems|looks|(?:would|could|might|may)\s+be)\s+"
        r"(?:also|equally)\s+" + HEDGE_RIGHT,
        r"(?:^|(?<=[\s,;(]))"
        + _HEDGE_VALUE
        + r"\s+(?:could|might|may|would)\s+(?:also\s+|equally\s+)?be\s+"
        + HEDGE_RIGHT,
        r"\b(?:could|might|may)\s+(?:also|equally)\s+be\s+(?:(?:the|an?)\s+)?" + _HEDGE_VALUE,
        # math 41, numeric 36, exact 22: "\\boxed{12}; 13 also works.", "(13 also works)", "13 works too.", "I'd also
        # accept 13.", "A second solution is 13.", "Though 13 is defensible." (each passed for 12)
        r"(?:^|(?<=[\s,;(]))" + _HEDGE_VALUE + r"\s+(?:also|equally|too)\s+(?:works|fits|satisfies|holds|qualifies)\b",
        r"(?:^|(?<=[\s,;(]))" + _HEDGE_VALUE + r"\s+(?:works|fits|is\s+fine|is\s+acceptable)\s+(?:too|as\s+well)\b",
        r"\bI(?:'d|\u2019d|\s+would|\s+could|\s+can)\s+(?:also\s+)?accept\s+" + _OFFERED_VALUE + _VALUE_ENDS,
        r"\b(?:a\s+second|another|an\s+alternative|an\s+alternate|the\s+other)\s+(?:possible\s+|valid\s+|correct\s+)?"
        r"(?:solution|answer|value|result)\s+(?:is|would\s+be|could\s+be|might\s+be)\s+" + _OFFERED_VALUE + _VALUE_ENDS,
        r"(?:^|(?<=[\s,;(]))(?:though|although|but)\s+"
        + _OFFERED_VALUE
        + r"\s+(?:is|seems|would\s+be)\s+(?:also\s+)?"
        + HEDGE_RIGHT
        + _VALUE_ENDS,
        # math 15, numeric 10, exact 9: "\boxed{5}, but it could be 6.", "\boxed{5}, maybe 6.", "Maybe it's 6." (the
        # value ends its clause: "it could be argued that ...", "maybe a bit more" offer none)
        r"\b(?:it|that|the\s+answer)\s+(?:could|might|may)\s+(?:well\s+)?be\s+" + _OFFERED_VALUE + _VALUE_ENDS,
        r"(?:^|(?<=[,;(.!?])\s*|\bbut\s+|\bor\s+)(?:maybe|perhaps|possibly)\s+(?:it'?s\s+|it\s+is\s+)?"
        + _OFFERED_VALUE
        + _VALUE_ENDS,
        # math 19, numeric 14, exact 12, mcq 14: the same in the languages of `FOREIGN_STATED`
        r"(?:^|(?<=[\s,;(]))" + _HEDGE_VALUE + FOREIGN_ALSO_RIGHT,
        # (a Japanese sentence or clause opens after "。" or "、", or after "ただし", "でも", "しかし")
        r"(?:^|(?<=[\s,;(。、]))(?:但是|但|不过|不過|而|或者|或|(?:ただし|でも|しかし)[、,]?\s*)?"
        + _ALSO_VALUE
        + CJK_ALSO_RIGHT,
        r"(?:(?:也|亦)(?:有)?可能是|(?<!\w)(?:tambi[ée]n\s+podr[ií]a\s+ser|pourrait\s+(?:aussi|[ée]galement)\s+être)(?!\w))\s*"
        + _ALSO_VALUE
        + _FOREIGN_ENDS,
        FOREIGN_COULD_BE + _OFFERED_FOREIGN + _FOREIGN_ENDS,
        FOREIGN_MAYBE + _OFFERED_FOREIGN + _FOREIGN_ENDS,
        # math 20, numeric 15, exact 13: a value offered after "or" ("\boxed{5}, or 6.", "\boxed{5}，或者6。", ", o 6",
        # ", ou 6", ", oder 6", ", или 6"; not "或者说", "in other words") and a Chinese or Japanese name after "maybe"
        # or "or" that ends its sentence ("\boxed{巴黎}，或许是里昂。", "答案是巴黎，或者里昂。"; "这可能是最大值",
        # "this may be the maximum", describes the answer)
        r"(?:^|(?<=[,;，；\u2014\u2013]))\s*(?:or|o|ou|oder|или)\s+(?!I\b)" + _OFFERED_VALUE + _VALUE_ENDS,
        # math 39, numeric 34, exact 20: another value for other readings, sources or cases ("\boxed{12}, or 13 under
        # the other reading.", "\boxed{12}, but 13 in some interpretations.", "\boxed{12}, or 13 if we count the one
        # he ate."; each passed for 12)
        r"(?:^|(?<=[,;，；]))\s*(?:or|but)\s+(?!I\b)" + _OFFERED_VALUE + _FOR_OTHERS + _VALUE_ENDS,
        # ("13 is a long shot.", "13 is a remote possibility."; each passed for 12)
        r"(?:^|(?<=[\s,;(]))" + _HEDGE_VALUE + KEPT_AS_REMOTE + _VALUE_ENDS,
        # math 40, numeric 35, exact 21: a number kept possible ("13 is still possible."; it passed for 12)
        r"(?:^|(?<=[\s,;(]))(?P<value>-?\d[\d.,/]*)" + STILL_POSSIBLE + _VALUE_ENDS,
        _CJK_OR + _OFFERED_FOREIGN + _FOREIGN_ENDS,
        rf"(?:{_CJK_OR}|(?<![这這那它]){_CJK_MAYBE})(?P<value>{_CJK_VALUE})(?=\s*{_JA_COPULA}?\s*(?:[。！!]|$))",
    )
]
# words such a pattern may catch that are no values ("This is also correct for negative x")
_NO_VALUE = {"it", "this", "that", "which", "what", "both", "either", "each", "one", "answer", "result", "value"}
_NO_VALUE |= {"solution", "so", "and", "but", "though", "although", "here", "there", "they", "these", "those"}
_NO_VALUE |= {"the", "a", "an"}
# the same in the languages of `FOREIGN_STATED` ("Esto también es correcto", "Das ist auch richtig")
_NO_VALUE |= {"esto", "eso", "esta", "este", "ello", "cela", "ça", "ceci", "das", "dies", "es", "это", "оно", "что"}
_NO_VALUE |= {"cual", "cuál", "que", "qui", "lequel", "laquelle", "welches", "welcher", "was", "которое", "который"}
_NO_VALUE |= {"которая", "lo", "ce", "le", "la"}
_NO_VALUE |= {"respuesta", "réponse", "antwort", "ответ", "resultado", "résultat", "ergebnis", "результат"}


_TEXT_IN_BOX = re.compile(r"\\(?:text|textrm|mathrm)\s*\{([^{}]*)\}")


def hedged_values(line: str | None) -> list[str]:
    """The other values a final answer's line offers as right or possible (`_HEDGED_VALUE`), and a value given beside
    it in parentheses with "or", "maybe", "possibly" or "perhaps" (`_ALTERNATIVE`; an approximation is none), in
    order. The verifiers fail a line that offers another value than its answer as `multiple_answers`."""
    if not line:
        return []
    found: list[tuple[int, str]] = []
    for rx in _HEDGED_VALUE:
        for m in rx.finditer(line):
            value = strip_math(m.group("value").rstrip(".,;:!?"))
            if value and value.lower() not in _NO_VALUE:
                found.append((m.start(), value))
    for m in _ALTERNATIVE.finditer(line):
        if not m.group("approx"):
            found.append((m.start(), strip_math(m.group("value"))))
    return [v for _pos, v in sorted(found)]


# A statement that judges the answer rather than giving one ("I am confident the answer is correct.", "the answer is
# as computed above"): after a statement of a value, it is no later value (math 17: it was read as the final answer)
_JUDGES_ANSWER = re.compile(
    r"\s*(?:\*\*)?\s*(?:(?:very|quite|most|definitely|clearly|probably|likely|indeed|also)\s+)?(?:not\s+)?"
    r"(?:correct|incorrect|reasonable|plausible|consistent|valid|verified|confirmed|accurate|unchanged|the\s+same"
    r"|as\s+(?:computed|calculated|found|shown|stated|given|derived|expected|above|before)|(?:shown|given|stated)\s+"
    r"(?:above|below)|above|below)\b"
    # math 18: "la respuesta es correcta", "die Antwort ist richtig", "答案是正确的"
    r"|\s*(?:\*\*)?\s*(?:(?:no\s+|pas\s+|nicht\s+|не\s*)?(?:correct[ao]?|correcte|incorrect[ao]?|incorrecte|richtig"
    r"|falsch|верн\w*|верен|неверн\w*|правильн\w*|неправильн\w*)(?!\w)"
    r"|不?(?:正确|正確|对的|對的|合理|一致|无误|無誤|错误|錯誤|错的|錯的|不对|不對))",
    re.IGNORECASE,
)


def _statements(text: str, pattern: re.Pattern[str]) -> list[re.Match[str]]:
    """Every match of `pattern` in `text`, a statement inside another's value included: its value runs to the end of
    its line, so "The answer is 5. Let me double check: 2*3 = 6, so the answer is 6." held one statement, of 5 (math
    17: the second statement on a line was never seen)."""
    found: list[re.Match[str]] = []
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        found.append(m)
        pos = m.start("value")  # past the statement's own words: the next one starts in its value or after it
    return found


# A GSM8K-style final line ("#### 72"), as models fine-tuned on GSM8K end their answer (math 35, numeric 30, exact 16:
# it failed `no_answer`): read only as the answer's last non-empty line, and only where what follows the marks is a
# value (`_gsm8k_value`), so a Markdown heading ("#### Step 1", "#### 1. Setup") is never an answer
_GSM8K_FINAL = re.compile(r"^[ \t]*####(?!#)[ \t]*(?P<value>[^\n]*\S)[^\S\n]*(?=\s*\Z)", re.MULTILINE)
# what a value's LaTeX is masked as (a command, a text command with its words), and the first word after a value: a
# run of letters, or any letter of a script without spaces ("第72步"); `π` is a value's
_LATEX_WORDS = re.compile(r"\\(?:text|textrm|mathrm|mbox|operatorname)\s*\{[^{}]*\}|\\[A-Za-z]+")
_A_WORD = re.compile(r"[^\W\d_]{2,}|(?![A-Za-zπ])[^\W\d_]")


def _gsm8k_value(line: str) -> bool:
    """Whether a `####` line gives a value: what stands before its first word holds a digit or a LaTeX command (`72`,
    `$72$`, `\\frac{3}{4}`, `x = 5`, `-5`), and words after it, if any, hedge or correct it ("72 (or maybe 70)", "70.
    Wait, no, it's 72."), as on any stated line; a title ("1. Setup", "Step 1") is none."""
    masked = _LATEX_WORDS.sub(lambda m: "\\" * len(m.group(0)), line)
    word = _A_WORD.search(masked)
    head = masked[: word.start()] if word else masked
    if not re.search(r"[\d\\]", head):
        return False
    if word is None:
        return True
    prose = line[word.start() :]
    return bool(hedged_values(line) or _CORRECTED.search(prose) or _take_back_word(prose) or _RETRACTS.search(prose))


def gsm8k_final(text: str) -> re.Match[str] | None:
    """The GSM8K-style `#### <value>` line that ends `text` (`_GSM8K_FINAL`), or None."""
    if "####" not in text:
        return None
    stripped = text.rstrip()
    start = stripped.rfind("\n") + 1
    m = _GSM8K_FINAL.match(text, start)
    return m if m is not None and _gsm8k_value(m.group("value")) else None


@lru_cache(maxsize=64)  # a verdict reads the same answer's statement several times (each scan is ~20 us a KB)
def _last_statement(text: str, pattern: re.Pattern[str]) -> re.Match[str] | None:
    """The last match of `pattern` in `text` (`_statements`), or of a heading of its own for the default pattern; of
    several, the last that gives a value rather than judging it (`_JUDGES_ANSWER`). A statement its own sentence doubts
    ("I don't think the answer is 12."; `doubted_statement`) is none (math 42)."""
    matches = _statements(text, pattern)
    if pattern is _STATED_RE and any(h in text for h in _HEADING_HINTS):
        matches += _HEADING_RE.finditer(text)
    if pattern is _STATED_RE and (gsm8k := gsm8k_final(text)) is not None:
        matches.append(gsm8k)  # "#### 72" ends the answer: the last statement (math 35)
    elif pattern is _STATED_EN and "nswer" in text:
        matches += _HEADING_EN.finditer(text)
    matches = [m for m in matches if not doubted_statement(text, m.start())]
    if not matches:
        return None
    matches.sort(key=lambda m: m.start())
    return next((m for m in reversed(matches) if not _JUDGES_ANSWER.match(m.group("value"))), matches[-1])


# A statement its own sentence doubts or denies before it ("I don't think the answer is 12.", "I doubt the final answer
# is 12.", "I wouldn't say the answer is 12.", "It is not true that the answer is 12."): it states no answer (each
# passed for 12)
_DOUBTS_STATEMENT = re.compile(
    rf"\b{_DOUBT}\s+(?:that\s+)?(?:(?:the|my|our)\s+)?$"
    rf"|{_FOREIGN_DOUBT}[\s,\uff0c\u3001]*(?:(?:que|dass|ob|что)\s+)?(?:(?:la|le|el|die)\s+)?$",
    re.IGNORECASE,
)


def doubted_statement(text: str, start: int) -> bool:
    """Whether the sentence of a statement starting at `start` doubts or denies it before its words
    (`_DOUBTS_STATEMENT`)."""
    head = text[max(0, start - 80) : start]
    head = re.split(r"[.!?\n]\s", head)[-1]
    return _DOUBTS_STATEMENT.search(head) is not None


def stated_line(text: str, pattern: re.Pattern[str] = _STATED_RE) -> str | None:
    """The rest of the line of the last 'final answer is X' / 'Answer: X' / 'Final: X' statement, or of the line after
    a heading of its own ("**Final Answer**"), from X (`pattern`: another statement pattern with a `value` group, such
    as mcq's, which also reads "The answer must be X")."""
    m = _last_statement(text, pattern)
    if m is None:
        return None
    value = m.group("value").strip()
    return value.splitlines()[0] if value else ""


def stated_answer(text: str) -> str | None:
    """The last 'final answer is X' / 'Answer: X' statement's X: to the end of its line, or to where prose begins
    (`_PROSE_STARTS`)."""
    return line_value(stated_line(text))


# the Spanish "no" before the other value a value is set against ("42, no 43", "42 y no 43"): it corrects nothing
_NEGATED_OTHER = re.compile(r"\A\s*(?:y\s+)?no\s+(?=\$?-?\d|(?-i:[A-ZÁÉÍÓÚÑ]))", re.IGNORECASE)


def line_value(line: str | None) -> str | None:
    """The value a statement's line (`stated_line`) gives: to where prose begins, unless the prose corrects it."""
    if not line:
        return None
    value, *rest = _PROSE_STARTS.split(line, maxsplit=1)
    prose = _NEGATED_OTHER.sub("", rest[0], count=1) if rest else ""
    if prose and (_CORRECTED.search(prose) or _take_back_word(prose)):
        # "5. Wait, no, it's 6.": not 5; the value it corrects to, else the line as a whole, as before
        # math 34, numeric 29: the value after the correction ("答えは43です。いや、42です。" failed both 43 and 42, and
        # numeric failed "5. Wait, no, it's 6." `multiple_answers`)
        corrected = taken_back(rest[0])
        value = cjk_numeral(corrected) if corrected is not None else line
    return strip_math(value) or None


# a value written with its rounding after one sign of approximation: `\\frac{10}{3} \\approx 3.3`, `10/3 ≈ 3.3`
_ROUNDED_TO = re.compile(r"\\approx(?![A-Za-z])|\u2248")


def rounded_value(value: str) -> tuple[str, str] | None:
    """(the value, its rounding) of a final answer written as a value, one sign of approximation and a plain decimal
    (`\\frac{10}{3} \\approx 3.3`: (`\\frac{10}{3}`, `3.3`)), or None (`3.3`, `a \\approx b \\approx c`, `x \\approx
    \\pi`). The verifiers read either as the answer where the decimal rounds the value at its own places (`rounding`;
    math 23, numeric 18), and the decimal as a second value where it does not (`\\boxed{3.3 \\approx 3.33}`)."""
    parts = approximated(value)
    if parts is None or rounding(parts[1]) is None:
        return None
    return parts


def approximated(value: str) -> tuple[str, str] | None:
    """(what stands before, what stands after) one sign of approximation in a value (`4\\sqrt{2} \\text{ cm} \\approx
    5.66 \\text{ cm}`), or None (no sign, two signs, a side empty). `rounded_value` reads a plain decimal after it;
    `math.rounded_in_unit` a decimal and its unit on either side (math 27, numeric 22)."""
    parts = _ROUNDED_TO.split(value)
    if len(parts) != 2 or not parts[0].strip() or not strip_math(parts[1]).strip():
        return None
    return parts[0].strip(), strip_math(parts[1]).strip()


def _stated_alternative(text: str) -> list[str]:
    """[the stated value, the value beside it in parentheses] when the last statement gives one, else []. A decimal
    given as an approximation ("1/3 (approximately 0.333)", "\\pi (~3.14)") is no second value: `approximation`."""
    line = stated_line(text)
    m = _ALTERNATIVE.search(line) if line else None
    value = stated_answer(text)
    if m is None or not value or _approximate(m) is not None:
        return []
    return [value, strip_math(m.group("value"))]


def rounding(text: str) -> tuple[float, float] | None:
    """(the decimal, its rounding half-width) of a text that is one plain decimal (`0.333`: (0.333, 0.0005); `12`:
    (12, 0.5)), or None: the values within it round to it at its own decimal places."""
    d = _DECIMAL.fullmatch(text.strip().replace(",", ""))
    if d is None:
        return None
    return float(d.group(0)), 0.5 * 10.0 ** -len(d.group(1) or "") * (1 + 1e-9)


def _approximate(m: re.Match[str]) -> tuple[float, float] | None:
    """(the decimal, its rounding half-width) of an `_ALTERNATIVE` given as an approximation, or None."""
    return rounding(strip_math(m.group("value"))) if m.group("approx") else None


def approximation(text: str) -> tuple[float, float] | None:
    """(the decimal, its rounding half-width) that the final statement gives beside its value as an approximation
    ("1/3 (approximately 0.333)": (0.333, 0.0005)), or None. The verifiers check the value is within it: "12
    (approximately 13)" is a second value, "\\sqrt{2} (about 1.414)" is the same one written out."""
    spans = boxed_spans(text)
    line = stated_line(text[spans[-1][1] :] if spans else text)  # the statement after the last boxed value
    m = _ALTERNATIVE.search(line) if line else None
    return _approximate(m) if m is not None else None


# an answer given inside `<answer>` tags, as DeepSeek-R1-Zero-style prompts ask
_ANSWER_TAG = re.compile(r"<answer>\s*(.*?)\s*</answer>", re.DOTALL | re.IGNORECASE)


# math 43, numeric 38, exact 24: a short value in emphasis or inline maths inside a line ("**13**", "*13*", "`13`",
# "\\(13\\)"). The rules that read a value taken back, offered or doubted after the answer read a bare value (or
# `$13$`), so "The answer is **12**.\n\nActually, it is **13**." and "The answer is \\(12\\). Hmm, \\(13\\)." passed
# for 12, and "The answer is *12*." failed 12
_EMPHASIS = re.compile(
    r"(?<![\w*\\^])\*\*(?=[^\s*])(?P<bold>[^*\n]{1,60}?)(?<=[^\s*^])\*\*(?![\w*])"
    r"|(?<![\w*\\^])\*(?=[^\s*])(?P<italic>[^*\n${}\\]{1,60}?)(?<=[^\s*^])\*(?![\w*])"
    r"|(?<![\w`])`(?P<code>[^`\n]{1,60})`(?![\w`])"
)
_INLINE_PARENS = re.compile(r"\\\((?P<maths>[^\n]{1,80}?)\\\)")


def plain_emphasis(text: str) -> str:
    """`text` with each short span (up to 60 characters on one line) in bold, italics or inline code written without
    its marks, and inline maths `\\(...\\)` written `$...$`: the value reads as it does unmarked. A mark glued to a word
    or a number stays (`2*3*4`, `2**3`), and so do stars in maths (`$x^*$ and $y^*$`, `$x^{*}$ and $y^{*}$`: an
    optimum or a conjugate; an italic span holds no `$`, brace or backslash)."""
    if "*" in text or "`" in text:
        text = _EMPHASIS.sub(lambda m: m.group("bold") or m.group("italic") or m.group("code"), text)
    if "\\(" in text:
        text = _INLINE_PARENS.sub(lambda m: "$" + m.group("maths").strip() + "$", text)
    return text


def untagged(text: str) -> str:
    """`text` with each `<answer>...</answer>` block written as the boxed value it gives (`<answer>42</answer>` ->
    `\\boxed{42}`; a block that boxes its value, or holds a sentence, is its text): the verifiers then read an answer
    in tags as a boxed one, and a response that gives two values (`<answer>42</answer>` then "Answer: 43") commits to
    two (math 9, numeric 6, exact 5, mcq 5: the tags were read as part of the value, so every right answer given so
    failed). Full-width forms are read as ASCII (`halfwidth`)."""
    text = halfwidth(text)
    if "<answer>" not in text.lower():
        return text

    def boxed(m: re.Match[str]) -> str:
        inner = m.group(1)
        if boxed_spans(inner):
            return inner
        value = final_answer(inner) if inner else None
        return f"\\boxed{{{value}}}" if value and "\n" not in inner.strip() else inner

    return _ANSWER_TAG.sub(boxed, text)


def final_answer(text: str, *, short_line_chars: int = 60) -> str | None:
    """The final answer: the last boxed value (an `<answer>` block is one: `untagged`), else a stated answer, else the
    whole text if it is one short line."""
    text = untagged(text)
    boxed = boxed_contents(text)
    if boxed:
        return boxed[-1]
    stated = stated_answer(text)
    if stated:
        return stated
    stripped = text.strip()
    if stripped and "\n" not in stripped and len(stripped) <= short_line_chars:
        # to where its prose begins, as a stated value (math 17: "So $x = 6$, not $5$." was read whole, and
        # math-verify took its last number)
        return line_value(stripped)
    return None


# A box written onto more of its number or into an expression (math 37, numeric 32): `\boxed{1}2`, `\boxed{12}0`,
# `\boxed{12}.5`, `$\boxed{12}$,000`, `\boxed{12}^2`, `\boxed{12} \times 2`: the box alone was read, and 1 passed
# for `\boxed{1}2`. The box and what continues it are a second value (`\boxed{12}.` ends a sentence, `\boxed{12}^\circ`
# and `\boxed{12}\%` state a unit).
_BOX_CONTINUED = re.compile(
    r"(?:\$?,\d{3}(?!\d)|\d|\.\d)[\d.,]*"
    r"|\s*(?:\^|\\times(?![A-Za-z])|\\cdot(?![A-Za-z])|\*)\s*(?:\{\s*-?\d[\d.]*\s*\}|-?\d[\d.]*)"
)


def committed_values(text: str, *, stated_after: bool = True) -> list[str]:
    """Every value the answer text commits to as its final answer, in order: each boxed value, then (with
    `stated_after`) a stated answer ("the answer is X", "Answer: X") written after the last boxed value, when it
    holds a digit or a LaTeX command (prose such as "Answer: see above" is not a value), cut where its prose begins.
    `final_answer` reads one of them; a verifier fails the answer as `multiple_answers` when they are not all the
    same value: a hedge
    (`\\boxed{1/2} or \\boxed{3/4}`) or an answer changed after it was boxed ("\\boxed{7} ... actually the answer
    is 8") is not a clean training target, whichever value comes last."""
    text = untagged(text)
    spans = boxed_spans(text)
    values = [c for _s, _e, c in spans if c]
    values += [f"{c}{m.group(0).replace('$', '')}" for _s, e, c in spans if c and (m := _BOX_CONTINUED.match(text, e))]
    tail = text[spans[-1][1] :] if spans else ""
    # another value offered inside a box as text (`\\boxed{5 \\text{ (or 6)}}`: math-verify drops the text), or on
    # the box's line ("\\boxed{5} (or possibly 6)", "\\boxed{5}, though 6 is also possible")
    for c in values[:]:
        if "\\text" in c or "\\mathrm" in c:
            values += hedged_values(" " + _TEXT_IN_BOX.sub(r"\1", c))
    if spans:
        values += hedged_values(tail.split("\n", 1)[0])
        if values:  # and on the lines after it ("\\boxed{12}\n\n13 is also possible.": math 41)
            values += later_hedges(_lines_after(tail), values[0])
        if values and re.search(r"[\d\\]", values[0]):  # "\\boxed{12}. Should be 13." (math 37)
            values += box_corrected(tail, _unit_of(values[0]))
        if values:  # "\\boxed{Paris}. Hmm, Lyon.", "\\boxed{12}\n\nOr 13." (math 41)
            values += offered_after(tail, values[0])
        # exact 22: a name stated as the answer after a boxed name ("\\boxed{Paris}\n\nTherefore, the answer is Lyon."
        # passed for Paris): a name of up to four words, not a description ("the answer is the capital of France")
        if values and not stated_after and not _is_number(values[0]):
            later = stated_answer(tail)
            name = _CLAUSE_END.split(later, maxsplit=1)[0].strip().rstrip(".!") if later else ""
            if re.fullmatch(r"(?-i:[A-Z\u00c0-\u00de])[\w'\u2019.-]*(?:\s+[\w'\u2019.-]+){0,3}", name):
                values.append(name)
    if tail and stated_after:
        later = stated_answer(tail)
        if later and later.startswith(spans[-1][2]):  # the boxed value restated ("\\boxed{1, 2} ... is 1, 2.")
            later = None
        later = cjk_numeral(strip_math(_CLAUSE_END.split(later, maxsplit=1)[0])) if later else None
        if later and re.search(r"[\d\\]", later):
            values.append(later)
        values += _stated_alternative(tail)[1:]
    elif tail and (gsm8k := gsm8k_final(tail)) is not None:  # "#### 72" after the box commits to its value (math 35)
        later = line_value(gsm8k.group("value"))
        if later and not later.startswith(spans[-1][2]):
            values.append(cjk_numeral(strip_math(_CLAUSE_END.split(later, maxsplit=1)[0])))
    elif not spans:  # the stated answer is the final one: a value beside it ("12 (approximately 13)") or offered
        if (gsm8k := gsm8k_final(text)) is not None and (earlier := stated_answer(text[: gsm8k.start()])):
            # math 35: a value stated before a closing "#### 72" is committed to as well ("The answer is 70." ...)
            earlier = cjk_numeral(strip_math(_CLAUSE_END.split(earlier, maxsplit=1)[0]))
            if re.search(r"[\d\\]", earlier) and (last := stated_answer(text)):
                values += [earlier, last]
        values += _stated_alternative(text)
        line = stated_line(text)
        if line is None and "\n" not in text.strip():
            line = text.strip()  # a one-line answer is its own answer's line ("12 (or 13)." passed for 12: math 39)
        stated = stated_answer(text)
        # what follows the stated value: its prose on its line, then the lines after (math 41)
        after = _after_statement(text, with_line=True, letter=False) if stated is not None else ""
        hedged = [v for v in hedged_values(line) if v not in values]
        if stated is not None:  # and on the lines after it (math 41)
            hedged += later_hedges(_lines_after(after), stated)
        if hedged and not values and (given := stated or line_value(line)):
            values.append(given)
        values += hedged
        # a stated answer corrected with no word that takes it back, as a box is ("The answer is 12. Should be 13.",
        # "The answer is 12. Hmm... thirteen."; math 38, numeric 33, exact 19: each passed for 12)
        if stated is not None and re.search(r"[\d\\]", stated):
            corrected = box_corrected(_after_statement(text, with_line=True), _unit_of(stated))
            values += ([] if values or not corrected else [stated]) + corrected
        # another value offered after it in a sentence of its own ("The answer is Paris. Hmm, Lyon.": math 41)
        if stated is not None and (offered := offered_after(after, stated)):
            values += ([] if values else [stated]) + offered
    # after the last box, or after the last stated answer's line (found only if the text could take a value back)
    back = taken_back(
        tail if spans else _after_statement(text) if _may_take_back(text) else "", _unit_of(values[0]) if values else ""
    )
    if back is not None:
        back = cjk_numeral(back)  # "等等，其实是七。" (math 19)
        if not values and (stated := stated_answer(text)):
            values.append(stated)
        # a name taken back is a second value of a text answer only (`\\boxed{6}` then "Actually, it is Done." is none),
        # a number one of a value only (`\\boxed{Paris}` then "Wait, there are 3 such cities." is none)
        if values and (back[0].isdigit() or back[0] == "-") == bool(re.search(r"[\d\\]", values[0])):
            values.append(back)
    return values


# Words that take back a value already given ("Wait, I made an error", "Actually, ...", "6 is wrong", "Oops"), and a
# number then asserted as the answer at the end of a sentence: "so x = 7.", "the correct value is 7.", "should be 7",
# "it's 7" (not the result of a check: "2(6) + 2 = 14."; the last one counts, so a check that ends on the answer's
# own value is no change).
# math 37, numeric 32: "No, it is 14.", "Hmm, no, it should be 14.", "Non, c'est 14.", "Nein, es ist 14." (a "no" that
# opens its clause, a comma or a dash after it: "No other value works." takes nothing back)
_NO_AS_CHANGE = r"(?<!\w)(?:no|nope|non|nein|нет)(?=\s*[,\u2014\u2013])"
_TAKEN_BACK = re.compile(
    rf"\b(?:{_CHANGE_WORDS}|I\s+made\s+an?\s+(?:error|mistake)|(?:is|was)\s+(?:wrong|incorrect))\b"
    # math 18: "等等，我算错了", "Espera, me equivoqué", "Подождите"
    rf"|{_FOREIGN_CHANGE}|{_FOREIGN_ERROR}|{_NO_AS_CHANGE}",
    re.IGNORECASE,
)
# the number, then up to three words naming what it counts ("13 apples in all"; math 14: math 13 read only a number that
# ended its sentence, so "Wait, that gives 14 apples in all." changed nothing), not words that go on computing or
# judging ("12 times more", "7 is wrong")
_NOUN_AFTER = (
    r"(?:\s+(?!(?:times|plus|minus|more|less|fewer|than|of|and|or|divided|multiplied|over|by|from|to|not|is|are|was|"
    r"were|would|could|should|can|cannot|will|does|did|if|but)\b)[a-z]+){0,3}"
)
# math 17: "is actually 6", and a number that ends its sentence or is set against another ("it's $6$, not $5$.")
_ASSERTED_NUMBER = (
    r"(?:\s+(?:actually|really|in\s+fact))?"
    r"\s*\$?\s*(?P<value>-?\d+(?:\.\d+)?(?:\s*/\s*\d+)?)\s*\$?(?P<noun>" + _NOUN_AFTER + r")(?:\s+instead)?"
    # math 31: a measure word ("43个"), a copula ("43です", "43 है") before a sentence's end, "।" ends a Hindi one
    r"(?:[个個只本人天岁歲次名位条條张張件种種元米])?(?:\s*(?:です|だ|है))?"
    r"(?=[.!;]?\s*$|[.!;]\s|,?\s+not\s|。|।)"  # math 18: "。" ends a Chinese or Japanese sentence
)
# math 37, numeric 32: or one English number word, with its sign ("Actually, it's thirteen.", "No, thirteen.", "I mean
# negative twelve.": `english_numeral`; each passed for 12)
_EN_WORD = (
    r"(?:(?:negative|minus)\s+)?(?:(?:" + "|".join(_EN_TENS) + r")(?:[-\s](?:" + "|".join(_EN_UNITS[1:10]) + r"))?"
    r"|" + "|".join(reversed(_EN_UNITS)) + r")(?![\w-])"
)
_ASSERTED_NUMBER_OR_WORD = _ASSERTED_NUMBER.replace(
    r"(?P<value>-?\d+(?:\.\d+)?(?:\s*/\s*\d+)?)", r"(?P<value>-?\d+(?:\.\d+)?(?:\s*/\s*\d+)?|" + _EN_WORD + ")"
)
assert _ASSERTED_NUMBER_OR_WORD != _ASSERTED_NUMBER
_ASSERTED = re.compile(
    # "x = 7", "$x = 7$" (math 17: not after a `$`), not "2(6) + 2 = 14"
    r"(?:(?:^|(?<=[\s,:;($]))(?:[A-Za-z]|\\[A-Za-z]+)(?:_\{?\w+\}?)?\s*="
    r"|\b(?:answer|value|result|it|this)\s+(?:is|should\s+be|must\s+be)|\b(?:should|must)\s+be|\bit'?s"
    # math 17: a number right after the word that corrects ("Correction: 6.", "Wait, 6.", "Oops, I mean 6.")
    r"|\b(?:correction|wait|actually|(?:wh)?oops|I\s+mean|make\s+that)\s*[:,\u2014\u2013-]?"
    # math 37: the same after the other words of `_CHANGE_WORDS` ("Sorry, 6.", "Or rather 6.", "Typo: 6.", "Err, 6.")
    r"|\b(?:I\s+meant|or\s+rather)\s*[:,\u2014\u2013-]?|\b(?:sorry|rather|scratch\s+that|typo|my\s+(?:mistake|bad)"
    r"|err|erm|not\s+quite|let\s+me\s+(?:fix|correct)(?:\s+(?:that|this|it))?|just\s+kidding|I\s+was\s+kidding"
    r"|strike\s+that|I\s+misspoke|no)\s*[:,\u2014\u2013-]"
    # math 34: the same in Chinese and Japanese ("不对，6。", "いや、42です。", "いいえ、42です。", "待って、42です。",
    # "実は42です。", "いや、違う。42です。", "間違えました。42です。")
    r"|(?<![^\s,.!?;:\u3002\uff0c\u3001*])(?:不对|不對|等等|いや|いいえ|待って)[\u3001\uff0c,:\uff1a]\s*(?:是|为|為)?"
    r"|実は\s*|(?:違う|違います|違いました|間違え(?:まし)?た)[\u3002\u3001,]\s*"
    # math 18: "应该是 6", "其实是 6", "en realidad es 6", "devrait être 6", "должно быть 6" (a bare "es" / "ist" only
    # after the word that corrects: "verifiquemos: la mitad es 3." names another quantity)
    r"|(?:应该|應該|应|應)(?:是|为|為)|(?:其实|其實|实际上|實際上)是|(?<!\w)(?:deber[ií]a\s+ser|devrait\s+être"
    r"|doit\s+être|должно\s+быть|(?:en\s+realidad|en\s+fait|eigentlich|на\s+самом\s+деле)\s*,?"
    r"(?:\s*(?:es|est|c['\u2019]est|ist|это))?"
    # math 37: "c'est (plutôt) 14", "es ist 14", "es sind 14" after the word that corrects ("Non, c'est 14.")
    r"|c['\u2019]est(?:\s+plut[ôo]t)?|es\s+(?:ist|sind))(?!\w)"
    # math 31: "正しくは 6です", "答えは 6", "richtig ist 6", "die (richtige) Antwort ist 6", "(الجواب الصحيح) هو 6",
    # "إنه 6", "(सही) उत्तर 6 है"
    r"|正しくは|正解は|答えは|(?<!\w)(?:richtig\s+ist|(?:richtige\s+)?(?:antwort|ergebnis)\s+(?:ist|lautet)|هو|هي|إنه|إنها"
    r"|انه|उत्तर)(?!\w))" + _ASSERTED_NUMBER_OR_WORD,
    re.IGNORECASE | re.MULTILINE,
)
# math 37, numeric 32, exact 18: a value that corrects the box just given, with no word of `_TAKEN_BACK` before it: a
# sentence opening with "Hmm," or "(That / It / This) should be (read, say)" ("\\boxed{12}. Hmm, thirteen.",
# "\\boxed{12}. Should be 13.", "\\boxed{12}. That should read 13."), a value set against another ("Not 12 but 13."),
# and one in parentheses with "actually" ("\\boxed{12} (thirteen, actually).", "(actually thirteen)"): each passed for
# 12. Read in the text after the last box only (`committed_values`); "Should be 12 as computed." alone states 12.
# math 38, numeric 33, exact 19: "Hmm" before an ellipsis ("\\boxed{12} Hmm... thirteen."), "should be" after the
# answer named as a quantity ("The total should be 13.", "The correct answer should be 13.") and "must be"
# (each passed for 12); read after a stated answer too ("The answer is 12. Should be 13.": `committed_values`). Not
# another quantity ("The remainder should be 1.") nor a check ("Check: 13 - 1 = 12.")
_NUMBER_OR_WORD = r"(?:-?\d+(?:\.\d+)?(?:\s*/\s*\d+)?|" + _EN_WORD + ")"
_THE_ANSWER_NAMED = r"the\s+(?:(?:final|correct|right|actual|real|true)\s+)?(?:answer|result|total|value|sum)"
_CORRECTS_THE_BOX = re.compile(
    r"(?:(?:^|(?<=[.!?;]))\s*(?:hmm+\s*(?:[,:\u2014\u2013-]|\.{2,}|\u2026)"
    r"|(?:sorry|rather)\s*[,:\u2014\u2013-](?:\s*it(?:\s+is|['\u2019]s))?"
    r"|(?:(?:that|it|this|" + _THE_ANSWER_NAMED + r")\s+)?(?:should|must)\s+(?:be|read|say)\s*:?)"
    r"|(?:^|(?<=[.!?;,]))\s*not\s+\$?"
    + _NUMBER_OR_WORD
    + r"\$?\s*,?\s+but(?:\s+rather)?)"
    + _ASSERTED_NUMBER_OR_WORD
    + r"|^\s*\(\s*(?:actually\s+(?P<pvalue>"
    + _NUMBER_OR_WORD
    + r")"
    r"|(?P<pvalue2>" + _NUMBER_OR_WORD + r")\s*,?\s*actually)\s*\)",
    re.IGNORECASE | re.MULTILINE,
)


def box_corrected(tail: str, unit: str = "") -> list[str]:
    """The values that correct the last box in `tail`, the text after it, with no word of `_TAKEN_BACK`
    (`_CORRECTS_THE_BOX`: "Hmm, thirteen.", "Should be 13.", "Not 12 but 13.", "(thirteen, actually)"), as numbers."""
    out = []
    for m in _CORRECTS_THE_BOX.finditer(tail):
        if m.group("value") is not None:
            out.append(_with_unit(m, unit))
        else:
            word = m.group("pvalue") or m.group("pvalue2")
            out.append((english_numeral(word) if re.search("[a-z]", word, re.IGNORECASE) else word).replace(" ", ""))
    return out


# math 41, numeric 36, exact 22: another value offered in a sentence of its own after the answer, with a hesitation
# before it or a hedge after it ("The answer is Paris. Hmm, Lyon.", "\\boxed{12}\n\nOr 13.", "Alternatively, 13.",
# "Then again, 13.", "On second thought, 13.", "Or is it 13?", "Unless it's 13.", "The answer is 12. 13, maybe.",
# "Lyon?", "13, I think."), or a bare number on the answer's own line ("The answer is 12. 13."): each passed. A
# sentence that says more than the value ("Hmm, Lyon is also big.") offers none, nor a bare line of its own (a heading:
# "**Explanation**"), nor an affirmation ("Hmm, right.", "Well, OK.").
_PAUSE = r"(?:\s*(?:[,:\u2014\u2013-]|\.{2,}|\u2026))?\s*"
_SOFT_HESITATION = r"(?:hmm+|hm+|well|um+|uh+|erm?|oh|ah)" + _PAUSE
_HESITATION = (
    r"(?:"
    + _SOFT_HESITATION
    + r")*(?:(?:or(?:\s+(?:maybe|perhaps|possibly|else|rather|is\s+it))?|also|maybe|perhaps|possibly"
    r"|probably|alternatively|otherwise|then\s+again|on\s+second\s+thought|unless\s+it(?:'s|\s+is))" + _PAUSE + r")+"
)
_TRAILING_HEDGE = (
    r"(?:\s*,?\s*(?:maybe|perhaps|possibly|probably|I\s+(?:think|guess|suppose|believe))\s*[.!?\u2026]*|\s*\?+)"
)
# a name: capitalised words and the small words of names ("Gulf of Mexico", "Leonardo da Vinci"), or yes / no
_OFFERED_NAME = (
    r"(?P<name>(?-i:[A-Z\u00c0-\u00d6\u00d8-\u00de][\w'\u2019.-]*)(?:\s+(?:(?-i:[A-Z\u00c0-\u00d6\u00d8-\u00de]"
    r"[\w'\u2019.-]*)|of|de|du|des|la|le|les|the|and|von|van|der|da|del|di)){0,4}|yes|no|true|false)"
)
# (a unit, "13 m/s", "13%", or words naming what it counts, "13 apples"; not "13 is wrong")
_BARE_NUMBER = (
    r"(?P<number>\$?-?\d[\d,]*(?:\.\d+)?(?:\s*/\s*\d+)?\$?|" + _EN_WORD + r")"
    r"(?:\s*(?:%|[A-Za-z\u00b5\u03bc\u03a9\u00b0]+/[A-Za-z]+(?:\^\d)?))?"
)
_OFFERED_NUMBER = _BARE_NUMBER + _NOUN_AFTER
_OFFERED_ALONE = [
    re.compile(
        rf"(?:\*\*)?{_HESITATION}(?:\*\*)?\s*(?:{_OFFERED_NAME}|{_OFFERED_NUMBER})(?:\*\*)?\s*[.!?\u2026]*", re.I
    ),
    # after "Hmm," or "Well," only a number alone (or with its unit) or a name: "Hmm, 9 eggs remain." recaps
    re.compile(
        rf"(?:\*\*)?(?:{_SOFT_HESITATION})+(?:\*\*)?\s*(?:{_OFFERED_NAME}|{_BARE_NUMBER})(?:\*\*)?\s*[.!?\u2026]*",
        re.I,
    ),
    re.compile(rf"(?:\*\*)?(?:{_OFFERED_NAME}|{_OFFERED_NUMBER})(?:\*\*)?{_TRAILING_HEDGE}", re.I),
]
# (bare, a number with no words after it: "The answer is 12 apples. 5 red." breaks the answer down; not a name: "The
# answer is Au. Gold." names it again)
_BARE_OFFERED = re.compile(rf"(?:\*\*)?{_BARE_NUMBER}(?:\*\*)?\s*[.!]?", re.I)
# (a line of its own after the answer's that is a number alone, bold or after "Total:", or the text's last line:
# "\\boxed{12}\n\n**13**", "Total = 13.", "In total: 13 apples.", "\\boxed{12}\n\n13"; each passed for 12; not "= 8",
# the end of a check written down the lines: "Check:\n5 + 3\n= 8")
_RESTATED_LINE = re.compile(
    r"(?P<marked>(?:in\s+total|total|result|sum)\s*(?:\*\*)?\s*[:=]\s*|\*\*)?(?:\*\*)?"
    + _BARE_NUMBER
    + r"(?:\s+[a-z]+)?(?:\*\*)?\s*[.!]?",
    re.I,
)
# words such a sentence opens with that offer no value ("Hmm, right.", "Any questions?", "Thanks.")
_NOT_OFFERED = {"ok", "okay", "right", "yeah", "yep", "sure", "correct", "exactly", "indeed", "good", "great", "fine"}
_NOT_OFFERED |= {"nice", "interesting", "done", "agreed", "perfect", "cool", "alright", "thanks", "wow", "cheers"}
_NOT_OFFERED |= {"enjoy", "qed", "why", "what", "how", "who", "when", "where", "which", "really", "seriously", "see"}
_NOT_OFFERED |= {"questions", "thoughts", "anyone", "note", "source", "sources", "references", "hope", "hello", "hi"}
_NOT_OFFERED |= {"i", "it", "this", "that", "there", "here", "so", "then", "the", "a", "an", "and", "but", "not"}
_NOT_OFFERED |= {"surprised", "confused", "curious", "interested", "ready", "easy", "simple", "obviously", "clearly"}
_YES_NO = {"yes", "no", "true", "false"}
_YES_NO_LINE = re.compile(r"(?P<bold>\*\*)?(?P<word>yes|no|true|false)(?:\*\*)?\s*[.!]?", re.IGNORECASE)
# (not after an ellipsis, an initial or an abbreviation: "Hmm... Lyon.", "J. R. R. Tolkien", "St. Louis")
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\.\.)(?<!\b[A-Z]\.)" + _NOT_ABBREVIATED + r"\s+")


def offered_after(after: str, value: str) -> list[str]:
    """The values `after`, the text after a final answer `value`, offers in a sentence of its own with a hesitation or
    a hedge (`_OFFERED_ALONE`), or a bare number after a sentence end on the answer's own line (`_BARE_OFFERED`): names
    for a text answer, numbers for a number (a yes / no only for a yes / no answer)."""
    number = _is_number(value)
    yes_no = normalise_word(_TEXT_IN_BOX.sub(r"\1", value)) in _YES_NO
    out = []
    lines = after.split("\n")
    last = max((k for k, line in enumerate(lines) if line.strip()), default=-1)
    for k, line in enumerate(lines):
        # a line of its own that restates a number (`_RESTATED_LINE`; a plain one only as the text's last line)
        if number and k and (m := _RESTATED_LINE.fullmatch(line.strip())) and (m.group("marked") or k == last):
            out.append(m.group("number").strip("$").replace(",", ""))
            continue
        # (a yes / no after a yes / no answer, so: "\\boxed{Yes}\n\n**No**", "The answer is yes.\n\nNo.")
        if yes_no and k and (m := _YES_NO_LINE.fullmatch(line.strip())) and (m.group("bold") or k == last):
            out.append(m.group("word"))
            continue
        for j, sentence in enumerate(_SENTENCE_END.split(line)):
            # a bare number only after a sentence end on the answer's own line (its first piece ends the answer's
            # sentence: "The answer is 12. 13." gives ". " then "13.")
            if len(sentence) > 80:  # an offered value is a short sentence
                continue
            patterns = [*_OFFERED_ALONE, *([_BARE_OFFERED] if k == 0 and j > 0 else [])]
            m = next((m for rx in patterns if (m := rx.fullmatch(sentence.strip().lstrip(".!?) "))) is not None), None)
            if m is None:
                continue
            found = m.groupdict()
            if number and found.get("number"):
                out.append(english_numeral(found["number"].strip("$").replace(",", "")))
            elif not number and (name := found.get("name")):
                first = normalise_word(name.split()[0])
                if (first in _YES_NO and not yes_no) or first in _NOT_OFFERED:
                    continue
                out.append(name.rstrip("."))
    return out


# the words every pattern of `_HEDGED_VALUE` in a Latin script holds (English, and the "maybe" / "or" / "but" of
# `FOREIGN_MAYBE` written without accents; a line with any other character is read in full): a quick test first
_MAY_HEDGE = re.compile(
    r"\b(?:also|equally|too|could|might|may|maybe|perhaps|possibly|or|but|though|although|accept|another|second"
    r"|alternative|alternate|other|works|fits|shot|remote|distant|slight|slim|small|outside|faint|dark|remains|still"
    r"|well|vielleicht|oder|eventuell|aber|ou|mais|peut|pourrait|possiblement|o|pero|tal|podria|posiblemente)\b"
    r"|[^\x00-\x7f]",
    re.IGNORECASE,
)
_SUPPOSES = re.compile(r"\b(?:if|unless|were|had\s+been|suppose|supposing|assuming)\b", re.IGNORECASE)


def later_hedges(lines: str, value: str) -> list[str]:
    """The values `hedged_values` finds on the lines after a final answer's line (`lines`), of the answer's kind:
    numbers for a number, names for a name ("\\boxed{12}\n\n13 is also possible." passed for 12 until math 41)."""
    number = _is_number(value)
    out = []
    for line in lines.split("\n"):
        # (not a sentence that supposes: "6 could also be correct if the endpoint counted, but it does not.")
        for sentence in _SENTENCE_END.split(line) if _MAY_HEDGE.search(line) else []:
            if _SUPPOSES.search(sentence) or not _MAY_HEDGE.search(sentence):
                continue
            for v in hedged_values(sentence):
                if bool(re.search(r"[\d\\]", v)) != number or normalise_word(v.split()[0]) in _NOT_OFFERED:
                    continue
                if number or not v[:1].islower():  # a name, not a word ("It could also be argued that ...")
                    out.append(v)
    return out


def normalise_word(s: str) -> str:
    return s.strip().strip("*.!?,\"'`").casefold()


def _is_number(value: str) -> bool:
    """Whether a final answer's value is a number or maths (a digit or a LaTeX command), not a name: `\\text{Paris}`
    is a name."""
    return bool(re.search(r"[\d\\]", _TEXT_IN_BOX.sub(r"\1", value)))


def _lines_after(text: str) -> str:
    """The lines of `text` after its first (the rest of a final answer's line)."""
    return text.split("\n", 1)[1] if "\n" in text else ""


# a quantity named so ("the total is 7."): read unless the words taking the value back open a check ("Wait, let me
# check: ... the area is 35."), which names other quantities
# A result or a count stated so (math 14): "that gives / makes 14", "that's 13", "there are 13", "he has 13", "it
# comes to 13"; read like a quantity
_ASSERTED_QUANTITY = re.compile(
    r"(?:\bthe(?:\s+\w+){1,3}\s+is|\b(?:that|this|which|it|so)\s+(?:gives|makes|equals|means)|\bthat'?s|\bthat\s+is"
    r"|\bthere\s+(?:are|is|were|would\s+be)"
    # (math 41: a person named, "Wait, Tom has 13 apples."; it passed for 12)
    r"|\b(?:he|she|they|we|I|you|(?-i:[A-Z][a-z]+))\s+(?:has|have|had|gets?|got|will\s+have|would\s+have"
    r"|ends?\s+up\s+with|(?:is|are)\s+left\s+with)|\bcomes?\s+to)" + _ASSERTED_NUMBER,
    re.IGNORECASE | re.MULTILINE,
)
_A_CHECK = re.compile(
    r"[\s,:;!\u2014\u2013-]*(?:let\s+me\s+|let'?s\s+|I'?ll\s+|I\s+will\s+)?(?:double[-\s]?)?(?:re-?)?(?:check|verify|confirm)"
    # math 18: "等等，让我验证一下", "Espera, verifiquemos", "Attendez, vérifions", "Подождите, проверим"
    r"|[\s,:;!\u2014\u2013-]*(?:让我|讓我|我们|我們|再)?(?:来|來)?(?:验证|驗證|检查|檢查|核对|核對)"
    r"|[\s,:;!\u2014\u2013-]*(?:verifi|comprob|v[ée]rifi|überprüf|prüf|провер)",
    re.IGNORECASE,
)
# the words that assert a name in the languages of `FOREIGN_STATED` (`_ASSERTED_NAME`): "the answer is", "it's",
# "actually it is", "should be"
_FOREIGN_NAME_SAID = (
    r"(?<!\w)(?:(?:la\s+)?respuesta\s+(?:correcta\s+|real\s+)?es|(?:la\s+)?r[ée]ponse\s+(?:correcte\s+)?est"
    r"|(?:die\s+)?(?:richtige\s+)?antwort\s+(?:ist|lautet)|(?:правильный\s+)?ответ\s*(?:[:\u2014\u2013]|-(?!\w))"
    r"|en\s+realidad\s*,?(?:\s*es)?|en\s+fait\s*,?(?:\s*(?:c['\u2019]est|est))?|c['\u2019]est"
    r"|eigentlich\s*,?(?:\s*ist(?:\s+es|\s+das)?)?|es\s+ist|на\s+самом\s+деле\s*,?(?:\s*это)?|это"
    r"|deber[ií]a\s+ser|devrait\s+être|должно\s+быть)(?!\w)"
)
_CJK_NAME_SAID = (
    r"(?:(?:其实|其實|实际上|實際上|应该|應該|应|應)(?:是|为|為)|(?:正确|正確)?(?:的)?答案(?:应该|應該|应|應)?\s*(?:是|为|為|[:：])"
    r"|(?:実は|実際は|答えは|正解は))[、,]?\s*"
)
# a name asserted so: "it's Lyon.", "the answer is Fin whale.", "it should be New York." (up to four words, the first
# capitalised: "it is the largest city too" asserts no other answer)
_ASSERTED_NAME = re.compile(
    r"(?:(?:\bthe\s+(?:correct\s+|right\s+|real\s+)?answer\s+is|\bit'?s|\bit\s+is|\b(?:it\s+)?should\s+be"
    # exact 22: what the question asks named ("Actually, the capital is Lyon.", "Wait, the capital of France is Lyon.")
    r"|\bthe\s+(?!answer\b)(?-i:[a-z]+)(?:\s+of\s+(?-i:[A-Z])[\w'-]*)?\s+is)\s+"
    r"(?P<value>(?-i:[A-Z])[\w'-]*(?:\s+[\w'-]+){0,3}|yes|no|true|false)"
    # exact 10: a yes / no answer taken back in lower case ("Wait, the answer is no.", "Hmm, actually no.")
    r"|\b(?:actually|correction|oops)\s*[:,\u2014-]?\s*(?P<word>yes|no|true|false)"
    # exact 24: a name alone after the word that takes the answer back ("Wait, actually Lyon.", "Correction: Lyon.", "I
    # mean Lyon."), capitalised words that end the sentence ("Answer: Paris\n\nWait, actually Lyon." passed for Paris)
    r"|\b(?:actually|correction|oops|I\s+mean)\s*[:,\u2014-]?\s*"
    r"(?P<bare>(?-i:[A-Z\u00c0-\u00d6\u00d8-\u00de])[\w'-]*(?:\s+(?-i:[A-Z\u00c0-\u00d6\u00d8-\u00de])[\w'-]*){0,3})"
    # exact 12: the same in the languages of `FOREIGN_STATED`, a capital of any of their scripts first ("en realidad es
    # Lyon", "la respuesta correcta es Lyon", "en fait c'est Lyon", "eigentlich ist es Lyon", "на самом деле это Лион",
    # "ответ: Лион"), and a Chinese or Japanese name that ends its sentence ("其实是里昂。", "应该是里昂。",
    # "答案是里昂。", "実はリヨンです。"), without the words that judge or describe ("其实是对的", "其实是法国的首都")
    r"|" + _FOREIGN_NAME_SAID + r"\s*(?P<foreign>(?-i:[A-Z\u00c0-\u00d6\u00d8-\u00de\u0410-\u042f\u0401])[\w'-]*"
    r"(?:\s+[\w'-]+){0,3})"
    # exact 13: a yes / no in those languages, in any case ("Espera, la respuesta es no.", "en realidad no", "en fait,
    # non", "eigentlich nein", "на самом деле (ответ) нет"; exact 12 read a capitalised name only)
    r"|(?:" + _FOREIGN_NAME_SAID + r"|(?<!\w)ответ)\s*,?\s*(?P<fword>s[ií]|no|oui|non|ja|nein|да|нет)(?!\w)"
    r"|" + _CJK_NAME_SAID + r"(?![\u3005\u30a0-\u30ff\u3400-\u9fff]*" + _CJK_NO_NAME + r")"
    r"(?P<cjk>[\u3005\u30a0-\u30ff\u3400-\u9fff]{1,12})(?:です|だ|である)?)"
    r"(?=[.!;]?\s*$|[.!;]\s|[\u3002\uff01!])",
    re.IGNORECASE | re.MULTILINE,
)


_TAKE_BACK_HINTS = ("wait", "actually", "oops", "second thought", "correction", "made a", "wrong", "incorrect")
_TAKE_BACK_HINTS += (
    "espera",
    "realidad",
    "attend",
    "en fait",
    "warte",
    "eigentlich",
    "подожд",
    "самом деле",
    "等",
    "不对",
)
_TAKE_BACK_HINTS += (
    "不對",
    "其实",
    "其實",
    "实际",
    "實際",
    "更正",
    "待って",
    "実は",
    "訂正",
    "equivoqu",
    "comet",
    "tromp",
)
_TAKE_BACK_HINTS += ("erreur", "verrechnet", "geirrt", "fehler", "ошиб", "错", "錯")
_TAKE_BACK_HINTS += ("いや", "いいえ", "違い", "間違", "hoppla", "انتظر", "أخطأ", "रुक", "गलती", "ग़लती")  # math 31
_TAKE_BACK_HINTS += ("잠깐", "잠시만", "사실은", "정정")
_TAKE_BACK_HINTS += ("no,", "no\u2014", "no \u2014", "nope", "non,", "nein,", "нет,")  # math 37: `_NO_AS_CHANGE`
_TAKE_BACK_HINTS += ("i mean", "make that", "or rather", "scratch", "typo", "my mistake", "my bad", "err", "erm")
_TAKE_BACK_HINTS += ("not quite", "let me fix", "let me correct")  # math 37: `_CHANGE_WORDS`
_TAKE_BACK_HINTS += ("kidding", "strike that", "misspoke")  # math 42


# An answer called wrong after it was given ("Wait, that's wrong.", "12 is wrong.", "I made an error somewhere.", "that
# doesn't seem right"), and words that take the doubt back ("no, it is right", "never mind")
_RETRACTS = re.compile(
    r"\b(?:that|this|it|(?:my|the|this|that)\s+(?:final\s+)?(?:answer|result|value))\s*(?:is|was|['\u2019]s|seems|looks)\s+"
    r"(?:(?:definitely|clearly|actually|probably)\s+)?(?:wrong|incorrect|not\s+(?:right|correct))\b"
    r"|\b(?:that|this|it)\s+(?:doesn['\u2019]?t|does\s+not|can['\u2019]?t|cannot)\s+(?:seem\s+|possibly\s+)?(?:to\s+)?(?:be\s+)?"
    r"(?:right|correct)\b|\bI\s+made\s+an?\s+(?:error|mistake)\b|\bI\s+need\s+to\s+redo\b"
    # math 18: "这是错的", "答案是错误的", "Eso está mal", "C'est faux", "Das ist falsch", "Это неверно", "我算错了"
    r"|(?:这|這|那|它|答案|结果|結果)(?:个|個)?(?:答案)?\s*(?:是|也)?\s*(?:错|錯)(?:的|了|误的|誤的)"
    r"|(?<!\w)(?:(?:eso|esto|la\s+respuesta)\s+(?:est[aá]\s+mal|es\s+incorrect[ao]|no\s+es\s+correct[ao])"
    r"|c['\u2019]est\s+(?:faux|incorrect)|ce\s+n['\u2019]est\s+pas\s+(?:correct|juste|bon)"
    r"|(?:das|dies|es)\s+ist\s+(?:falsch|nicht\s+richtig|nicht\s+korrekt)"
    r"|(?:это|ответ)\s+(?:неверн\w*|неправильн\w*|не\s+верн\w*|ошибочн\w*))(?!\w)|" + _FOREIGN_ERROR,
    re.IGNORECASE,
)
_CALLED_WRONG = r"(?:(?:definitely|clearly|actually|probably)\s+)?(?:wrong|incorrect|not\s+(?:right|correct))\b"
_REAFFIRMED = re.compile(
    r"\b(?:no|nope)\b\s*[,.!:;]|\b(?:is|['\u2019]s|was)\s+(?:actually\s+|indeed\s+)?(?:right|correct|fine)\b"
    r"|\bnever\s*mind\b|\bI\s+was\s+right\b"
    r"|没错|沒錯|是对的|是對的|是正确的|是正確的|(?<!\w)(?:es\s+correct[ao]|est\s+correct|ist\s+richtig|верно)(?!\w)",
    re.IGNORECASE,
)


_RETRACT_HINTS = ("wrong", "incorrect", "right", "correct", "error", "mistake", "redo", "mal", "faux", "falsch")
_RETRACT_HINTS += ("невер", "неправ", "ошиб", "错", "錯", "equivoqu", "tromp", "verrechnet", "geirrt", "fehler")


def answer_retracted(text: str, others: re.Pattern[str] | None = None) -> bool:
    """Whether the response calls its final answer wrong after giving it and gives no other (math 14, numeric 9,
    exact 8, mcq 10: "\\boxed{12} Wait, that's wrong." passed for 12): after the last box, or the line of the last
    stated answer, a sentence that is no question says "that / this / it / the answer is wrong (incorrect, not right)",
    "<the value> is wrong", "that doesn't seem right" or "I made an error", with no other value named before it and
    nothing after it that takes the doubt back ("no, it is right") or gives a value (then `committed_values` compares
    it). `others`: what names another answer (mcq: another option as a subject, "D is ..."); a sentence naming one
    before the words calling something wrong is about it ("D is a gas giant, so it is wrong."). A verifier fails such
    an answer `retracted`."""
    text = untagged(text)
    spans = boxed_spans(text)
    if spans:
        tail, value = text[spans[-1][1] :], spans[-1][2].strip()
    else:
        tail, value = _after_statement(text, with_line=True), stated_answer(text) or ""
    low = tail.lower()
    if not any(w in low for w in _RETRACT_HINTS):
        return False  # a plain substring test first: most answers end with their value
    own = re.escape(value) if value and len(value) <= 40 and value in tail else None
    pattern = _RETRACTS
    if spans:  # math 37: the box itself called wrong ("\\boxed{12} is incorrect.", "\\boxed{12} is wrong; 13." passed)
        pattern = re.compile(rf"^\s*(?:is|was)\s+{_CALLED_WRONG}|{_RETRACTS.pattern}", re.IGNORECASE)
    if own is not None:
        called_wrong = rf"(?<![\w.]){own}\s+(?:is|was)\s+(?:wrong|incorrect|not\s+(?:right|correct))\b"
        pattern = re.compile(f"{called_wrong}|{pattern.pattern}", re.IGNORECASE)
    for m in pattern.finditer(tail):
        end = min((i for c in ".!?\n" if (i := tail.find(c, m.end())) != -1), default=len(tail))
        if tail[end : end + 1] == "?":
            continue  # "Wait, is that wrong?"
        before = tail[: m.start()]
        if re.search(r"\d", before.replace(value, "") if value else before):
            return False  # "A common mistake is 14; that is wrong." is about 14
        if others is not None:
            at = len(text) - len(tail) + m.start()  # the tail ends the text
            opens = max(text.rfind(c, 0, at) for c in ".!?\n") + 1
            if others.search(text, opens, at):
                continue  # mcq 34: "The answer is C. D is a gas giant, so it is wrong." is about D
        rest = tail[m.end() :]
        gives_value = bool(boxed_spans(rest)) or stated_answer(rest) is not None
        gives_value = gives_value or any(rx.search(rest) for rx in (_ASSERTED, _ASSERTED_QUANTITY, _ASSERTED_NAME))
        return not (_REAFFIRMED.search(rest) or gives_value)
    return False


def after_take_back(text: str) -> str | None:
    """The text after the first word in `text` that takes a value back (`_TAKEN_BACK`: "wait", "actually", "oops",
    ...), or None when there is none or it opens a check ("Wait, let me check: ...")."""
    m = _take_back_word(text)
    if m is None or _A_CHECK.match(text, m.end()):
        return None
    return text[m.end() :]


def _may_take_back(text: str) -> bool:
    """Whether `text` holds a word of `_TAKEN_BACK` at all: plain substring tests, ~20x faster than its scan."""
    low = text.lower()
    return any(w in low for w in _TAKE_BACK_HINTS)


def _take_back_word(text: str) -> re.Match[str] | None:
    """The first word in `text` that takes a value back (`_TAKEN_BACK`), behind `_may_take_back`'s pre-test."""
    return _TAKEN_BACK.search(text) if text and _may_take_back(text) else None


def taken_back(after: str, unit: str = "") -> str | None:
    """The number a response asserts after taking back the answer it gave (`after`: the text after that answer),
    or None: "\\boxed{6} Wait, I made an error: 3 + 4 = 7, so x = 7." gives 7 (math 13, numeric 8, exact 7: math 12
    read the box and passed the trace for 6). Only after a word that takes the value back ("wait", "actually", "I made
    an error", "is wrong", ...), and only a number that ends its sentence after `=`, "is" or "be", or a name (up to four
    words, the first capitalised) after "it's", "the answer is", "should be" ("\\boxed{Paris} Wait, actually it's
    Lyon." gives Lyon): a check that restates the value ("Wait, let me verify: 2 \\cdot 3 = 6.") gives the same
    value, and a note ("A common mistake is to add and get 7.") none. A number may be followed by up to three words
    naming what it counts ("that gives 14 apples in all."; math 14); when the first is `unit`, the unit the answer's
    value states, the number keeps it ("\\boxed{12 \\text{ cm}}" then "Actually, it's 12 cm." gives `12 cm`)."""
    m = _take_back_word(after)
    found: list[tuple[int, str]] = []
    # math 37: the words that may also start other sentences ("No, we do not count the 3 eaten ones; she had 7 at
    # first.", "My mistake earlier was ...", "Make that the final answer; ...": `_WEAK_TAKE_BACK`) take back only with
    # a value in their own sentence; the value a later sentence states was read as a correction, and such right
    # answers failed. The first other word reads on to the end, as before.
    while m is not None and _WEAK_TAKE_BACK.fullmatch(m.group(0)):
        end = _SENTENCE_STOP.search(after, m.end())
        stop = end.end() if end else len(after)
        found += _asserted_after(after, m, stop, unit)
        m = _TAKEN_BACK.search(after, stop)
    if m is not None:
        found += _asserted_after(after, m, len(after), unit)
    return max(found)[1] if found else None


# the words of `_CHANGE_WORDS` (math 37) and "no" that take a value back only in their own sentence (`taken_back`)
_WEAK_TAKE_BACK = re.compile(_WEAK_CHANGE_WORDS + r"|no|nope|non|nein|нет", re.IGNORECASE)
_SENTENCE_STOP = re.compile(r"[.!?;](?=\s|$)|\n|\u3002")


def _asserted_after(after: str, m: re.Match[str], stop: int, unit: str) -> list[tuple[int, str]]:
    """The numbers and names `after` asserts from the take-back word `m` to `stop`, with their offsets."""
    kinds = [_ASSERTED] if _A_CHECK.match(after, m.end()) else [_ASSERTED, _ASSERTED_QUANTITY]
    numbers = [(f.start(), _with_unit(f, unit)) for rx in kinds for f in rx.finditer(after, m.start(), stop)]
    # a possessive before a common noun describes the answer ("Actually, it is France's capital."; exact 8)
    names = [
        (
            f.start(),
            f.group("value")
            or f.group("word")
            or f.group("bare")
            or f.group("foreign")
            or f.group("fword")
            or f.group("cjk"),
        )
        for f in _ASSERTED_NAME.finditer(after, m.start(), stop)
        if not _describes(f)
    ]
    return numbers + names


def _describes(m: re.Match[str]) -> bool:
    """Whether an asserted name (`_ASSERTED_NAME`) is a description: a possessive before a common noun."""
    return re.search(r"['\u2019]s\s+[a-z]", m.group("value") or "") is not None


def _with_unit(m: re.Match[str], unit: str) -> str:
    """An asserted number (`_ASSERTED_NUMBER`), with `unit` when that is the first word after it."""
    value = m.group("value")
    value = (english_numeral(value) if re.search("[a-z]", value, re.IGNORECASE) else value).replace(" ", "")
    return f"{value} {unit}" if unit and m.group("noun").split()[:1] == [unit] else value


# the unit a value states after its number: `12 \\text{ cm}` -> cm, `5 km` -> km
_VALUE_UNIT = re.compile(r"\s*-?[\d.,/\s]+?\s*(?P<unit>[^\W\d_]+)\s*$")


def _unit_of(value: str) -> str:
    m = _VALUE_UNIT.match(_TEXT_IN_BOX.sub(r"\1", strip_math(value)))
    return m.group("unit") if m else ""


def think_conclusion(think: str, *, after_chars: int = 300) -> str | None:
    """The value a think block concludes with: the content of its last `\\boxed{}`, or the value of its last stated
    answer ("So the answer is 14." gives 14); None when it has neither, or when more than `after_chars` characters or
    a word that takes a value back ("Wait, 5 + 7 = 12, not 14.") follow it: the reasoning went on after it."""
    spans = boxed_spans(think)
    m = _last_statement(think, _STATED_EN)  # English statements only, as before (math 18 reads other languages)
    if spans and (m is None or spans[-1][0] > m.start()):
        _start, end, value = spans[-1]
        after = think[end:]
    elif m is not None:
        line = m.group("value")
        first, *rest = re.split(r"(?<=[.!?])\s+", line, maxsplit=1)
        value = line_value(first) or ""
        after = (rest[0] if rest else "") + think[m.end() :]
    else:
        return None
    if not value.strip() or len(after.strip()) > after_chars or _take_back_word(after) is not None:
        return None
    return value.strip()


# the words that open a conclusion ("So", "Thus", "In total"); math reads them before a value too
CONCLUSION_WORDS = r"so|thus|therefore|hence|finally|in\s+total|in\s+all|altogether|overall"


# A think block's last sentence that concludes a number in words of its own (lints 9): "so Tom has 14 apples.", "So the
# total is 14.", "Thus, the number of apples is 14.", "In total, there are 14 apples." A variable's value ("So x = 14.")
# is no conclusion: the answer may ask for another one.
_CONCLUDES = re.compile(
    r"(?:^|,\s*|\band\s+)(?:" + CONCLUSION_WORDS + r")\b[,:]?\s*"
    r"(?=(?P<claim>\S.*)$)",
    re.IGNORECASE | re.DOTALL,
)
_CLAIM = re.compile(
    r"(?:(?:the(?:\s+[\w'-]+){1,4}|(?:final\s+)?(?:answer|result|total))\s+(?:is|should\s+be|must\s+be|equals|comes\s+to)"
    r"|there\s+(?:are|is|were|will\s+be)"
    r"|(?:(?-i:[A-Z])[a-z]+|he|she|they|we|I|you)\s+(?:has|have|had|gets|got|ends\s+up\s+with|will\s+have)"
    r"|(?:that|this|it)\s+(?:gives|makes|equals)|it'?s|that'?s)?"
    r"\s*\$?\s*(?P<value>-?\d+(?:\.\d+)?(?:\s*/\s*\d+)?)\s*\$?(?P<noun>(?:\s+[a-z]+){0,3})\s*[.!]?\s*",
    re.IGNORECASE,
)


def think_concluded_number(think: str) -> str | None:
    """The number a think block's last sentence concludes in words of its own ("so Tom has 14 apples." gives "14
    apples", "So the total is 14." gives "14"), with the words after it, or None: the sentence must open with, or
    follow a comma or "and" with, "so", "thus", "therefore", "hence", "finally", "in total", ... and state a count, a
    total, a result or an answer that ends it."""
    last = re.split(r"(?<=[.!?])\s+|\n+", think.strip())[-1]
    for m in reversed(list(_CONCLUDES.finditer(last))):  # the sentence's last conclusion: "so the difference is 12."
        claim = _CLAIM.fullmatch(m.group("claim"))
        if claim is not None:
            return f"{claim.group('value').replace(' ', '')}{claim.group('noun')}"
    return None


# a stated answer that is one capital letter and a full stop ("The answer is C. Wait, ..."): prose follows it
# (`_PROSE_STARTS` reads no sentence end after a letter: "D. C.", "C. elegans")
_LETTER_STATED = re.compile(r"\s*\(?[A-Z]\)?(?=\.\s)")


def _after_statement(text: str, *, with_line: bool = False, letter: bool = True) -> str:
    """The text after the line of the last stated answer ("The answer is 6.\\n\\nActually, x = 7."), or "";
    `with_line`: from where the prose after its value begins on that line ("The answer is 72. Wait, that's wrong."
    holds ". Wait, that's wrong."; math 36, numeric 31, mcq 28: `answer_retracted` read the lines after it only)."""
    m = _last_statement(text, _STATED_RE)
    if m is None:
        return ""
    if with_line:
        line = m.group("value").split("\n", 1)[0]
        # mcq 34: "C. Wait, it is wrong." (it passed for C); `letter=False` where a value may open with an initial
        # ("J. R. R. Tolkien. He wrote it.": `offered_after`)
        if letter and (stated := _LETTER_STATED.match(line)) is not None:
            return text[m.start("value") + stated.end() :]
        prose = _PROSE_STARTS.search(line) or re.search(r",\s+(?=but\b)|;\s", line)  # "72, but that's wrong."
        if prose is not None:
            return text[m.start("value") + prose.start() :]
    return text[m.end() :]


# where a stated value's prose begins: "42, which is 6 times 7", "42 because ...", "3/4 (as above)"
_CLAUSE_END = re.compile(
    r",\s|;|\s\(|\s(?:because|since|which|as|so|from|where|when|if|for|that|with|by|in|of)\b", re.IGNORECASE
)
