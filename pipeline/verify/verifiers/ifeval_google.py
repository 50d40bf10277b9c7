"""The 25 instruction types of Google's IFEval (arXiv 2311.07911), under IFEval's own ids and parameter names.

Written from the published checker (google-research/instruction_following_eval, Apache-2.0) rule by rule; no PyPI
package ships that checker cleanly (lm-eval's copy needs the whole harness and downloads nltk data at import;
if-verifiable is a one-maintainer beta that pulls nltk, emoji, syllapy and datasets). Two checks used nltk there
and use a plain tokenizer here (docs/verifiers.md says so): `length_constraints:number_sentences` (nltk's punkt;
here IFEval's own rule-based `split_into_sentences`, pieces without a letter or digit not counted) and
`change_case:capital_word_frequency` (nltk's word_tokenize; here words split on whitespace and punctuation,
hyphenated words kept whole).

Strict mode checks the response as is; loose mode (IFEval's `test_instruction_following_loose`) passes when any of
8 variants passes: the response, without its first line, without its last line, without both, and each of those
with every `*` removed.
"""

from __future__ import annotations

import collections
import functools
import itertools
import json
import os
import re
import unicodedata
from collections.abc import Callable
from typing import Any

RELATIONS = ("less than", "at least")
LANGUAGE_CODES = (
    "en",
    "es",
    "pt",
    "ar",
    "hi",
    "fr",
    "ru",
    "de",
    "ja",
    "it",
    "bn",
    "uk",
    "th",
    "ur",
    "ta",
    "te",
    "bg",
    "ko",
    "pl",
    "he",
    "fa",
    "vi",
    "ne",
    "sw",
    "kn",
    "mr",
    "gu",
    "pa",
    "ml",
    "fi",
)
CONSTRAINED_RESPONSES = ("My answer is yes.", "My answer is no.", "My answer is maybe.")


class IfevalArgsError(ValueError):
    """A parameter of an IFEval instruction is missing or has the wrong type; the message names it."""


def _int(kw: dict[str, Any], key: str) -> int:
    """An integer parameter; a whole number written as a float (`300.0`, as pandas writes a column that holds nulls:
    IFEval's Hub rows null every unused parameter) is that number (ifeval 15: such a task was `bad_args`)."""
    v = kw.get(key)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if not isinstance(v, int) or isinstance(v, bool):
        raise IfevalArgsError(f"{key} must be an integer, got {v!r}")
    return v


def _str(kw: dict[str, Any], key: str) -> str:
    v = kw.get(key)
    if not isinstance(v, str) or not v.strip():
        raise IfevalArgsError(f"{key} must be a non-empty string, got {v!r}")
    return v.strip()


def _words_list(kw: dict[str, Any], key: str) -> list[str]:
    v = kw.get(key)
    if not isinstance(v, list) or not v or not all(isinstance(w, str) and w for w in v):
        raise IfevalArgsError(f"{key} must be a non-empty list of strings, got {v!r}")
    return v


# the scripts written without spaces between words: Han (CJK ideographs, with 々 〆 〇), hiragana and katakana
CJK = "\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
# ... and Thai, Lao, Myanmar and Khmer (their words are runs of letters, not counted letter by letter)
NO_SPACE = CJK + "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"


def _class_ranges(chars: list[str]) -> str:
    """The characters (in order) as a regex class's ranges: `a-c` for a, b, c."""
    runs: list[list[str]] = []
    for ch in chars:
        if runs and ord(ch) == ord(runs[-1][1]) + 1:
            runs[-1][1] = ch
        else:
            runs.append([ch, ch])
    return "".join(a if a == b else f"{a}-{b}" for a, b in runs)


# (marks are in planes 0, 1 and 14 only: the others hold ideographs or nothing, and reading all of them is slow)
_ALL_MARKS = [
    ch for c in (*range(0x20000), *range(0xE0000, 0xE1000)) if unicodedata.category(ch := chr(c)).startswith("M")
]
# the combining marks (vowel signs, viramas, accents written apart: Unicode's M categories), which are no `\w`: the
# vowel signs of Devanagari, Bengali, Tamil, Thai, ... split "किताब" into words at each one
MARKS = _class_ranges(_ALL_MARKS)
# a letter, digit or `_` of a script written with spaces between words, or a mark on one
SPACED = rf"(?:[^\W{NO_SPACE}]|[{_class_ranges([m for m in _ALL_MARKS if not re.match(f'[{NO_SPACE}]', m)])}])"

# A keyword matched where it starts a word, and for `_WORD_END` ends one; only where it begins or ends with a letter,
# digit or `_` of a script written with spaces between words (or a mark on one), so `C++` is still found before a
# space or a `.`, and a keyword's Chinese, Japanese or Thai side (`NO_SPACE`) anywhere. A change of script is an edge
# too: "用Python编程" holds `Python`. A Korean keyword's end is no edge before more Hangul (`HANGUL`).
_WORD_START = rf"(?:(?<!{SPACED})(?={SPACED})|(?!{SPACED}))"
# Hangul (syllables and jamo): Korean is written with spaces, but its particles and endings are written onto the word
# ("서울은", "서울에서" use 서울), so a keyword's Hangul end may be followed by more Hangul (ifeval 14), not its start
HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff"
_NOT_HANGUL_SPACED = rf"(?![{HANGUL}]){SPACED}"
_WORD_END = rf"(?:(?<=[{HANGUL}])(?!{_NOT_HANGUL_SPACED})|(?<={SPACED})(?!{SPACED})|(?<!{SPACED}))"


# an apostrophe as typed or as typeset: "don’t" is the keyword "don't"
_APOSTROPHES = "'’‘ʼ"


# Characters that show as nothing (a zero-width space, non-joiner and joiner, a word joiner, the invisible operators, a
# soft hyphen, a byte order mark, the Mongolian vowel separator) and the fullwidth forms of ASCII (`ｂａｄ`): a
# keyword is searched in a text as it shows, without the first and with the others as ASCII (ifeval 19: "b\u200bad"
# and "ｂａｄ" passed a forbidden "bad" though the page shows it; such a row teaches hiding a word)
SHOWS_AS = {
    **dict.fromkeys(map(ord, "\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")),
    **{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)},
}


def as_shown(text: str) -> str:
    """The text as it shows (`SHOWS_AS`), for keyword searches: keywords and texts both read so, so a Persian keyword
    with its zero-width non-joiner (می‌خواهم) is found in a text written with or without it."""
    return text.translate(SHOWS_AS)


def keyword_text(keyword: str) -> str:
    """A keyword's text as a pattern matching it as written, whatever space the answer puts between its words (a line
    break, two spaces, a no-break space) and whichever apostrophe it writes (`'` or `’`): a forbidden "social media"
    split by a line break, or "don't" written "don’t", went unseen, and the answer passed (ifeval 15). The keyword is
    read as it shows (`as_shown`), as the text is (`keyword_haystack`)."""
    out = []
    for piece in re.split(r"(\s+)", as_shown(keyword)):
        if piece.isspace():
            out.append(r"\s+")
        elif piece:
            out.append("".join(f"[{_APOSTROPHES}]" if ch in _APOSTROPHES else re.escape(ch) for ch in piece))
    return "".join(out)


# markdown's underscore emphasis: `_good_`, `__good__`, `___good___` (a run of one to three `_` after no letter, digit
# or `_`, closed by the same run before none), on one line
_UNDERSCORE_EMPHASIS = re.compile(r"(?<!\w)(_{1,3})(?=[^\s_])([^\n]*?[^\s_])\1(?!\w)")


def keyword_haystack(text: str) -> str:
    """The text keywords are searched in: the text as it shows (`as_shown`: without zero-width characters, fullwidth
    letters as ASCII; ifeval 19), markdown's underscore emphasis delimiters made spaces. `_` is a word character, so
    the keyword "good" in "It was _good_." started no word: a forbidden word in underscore emphasis passed
    `keywords:forbidden_words`, and "_data_" was no "data" (ifeval 17). An identifier's `_` (`my_good_var`) is part of
    it. Positions of a match are positions in this text, not in the one given."""
    return _UNDERSCORE_EMPHASIS.sub(lambda m: f"{' ' * len(m[1])}{m[2]}{' ' * len(m[1])}", as_shown(text))


def _as_word(keyword: str, *, whole: bool = True) -> str:
    r"""The keyword's text as a pattern. IFEval searches a keyword as a regex, so `C++` (a possessive `C+`) was found in
    "I like C" and `e.g.` in "eagle"; a backslash before a character that is no letter, digit or `_` stands for that
    character (ingest escapes open-instruct's keywords so: `C\+\+`)."""
    text = re.sub(r"\\(\W)", r"\1", keyword)
    return _WORD_START + keyword_text(text) + (_WORD_END if whole else "")


@functools.lru_cache(maxsize=8192)
def _as_word_rx(keyword: str, whole: bool = True) -> re.Pattern[str]:
    """`_as_word` compiled once per keyword, ignoring case (its word-edge classes take ~10 ms to compile; see
    `ifeval._word_rx`)."""
    return re.compile(_as_word(keyword, whole=whole), re.IGNORECASE)


def _compare(n: int, kw: dict[str, Any], key: str, rel_key: str = "relation") -> bool:
    threshold = _int(kw, key)
    rel = kw.get(rel_key)
    if rel not in RELATIONS:
        raise IfevalArgsError(f"{rel_key} must be one of {list(RELATIONS)}, got {rel!r}")
    return n < threshold if rel == "less than" else n >= threshold


# the script a language is written in, where langdetect names that language for text without it: its Korean profile
# holds Hanja, so it called 15% of short Chinese texts Korean ("請問您需要什麼幫助？..." at 0.99999)
_SCRIPT_OF = {"ko": f"[{HANGUL}]", "ja": "[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]"}


def detect_language(text: str) -> str | None:
    """langdetect's language (IFEval's), not Korean for a text without Hangul nor Japanese for one without kana: then
    the most likely of the other languages (ifeval 15: a Chinese answer passed "respond in Korean")."""
    import langdetect
    from langdetect import detector_factory

    langdetect.DetectorFactory.seed = 0  # langdetect is random otherwise: the same text, another verdict
    try:
        got = str(langdetect.detect(text))
        if got in _SCRIPT_OF and not re.search(_SCRIPT_OF[got], text):
            detector_factory.init_factory()  # langdetect's profiles, loaded once
            detector = detector_factory._factory.create()
            detector.append(text)
            unwritten = {lang for lang, script in _SCRIPT_OF.items() if not re.search(script, text)}
            detector.set_prior_map({lang: 1.0 for lang in detector.langlist if lang not in unwritten})
            got = str(detector.detect())
        return got
    except langdetect.LangDetectException:
        return None  # IFEval counts an undetectable text as following the instruction


def language_guesses(text: str) -> list[tuple[str, float]]:
    """langdetect's languages for the text with their probabilities (those over 0.1, the likeliest first; none where
    it finds no feature), Korean and Japanese left out as in `detect_language`."""
    import langdetect
    from langdetect import detector_factory

    langdetect.DetectorFactory.seed = 0
    unwritten = {lang for lang, script in _SCRIPT_OF.items() if not re.search(script, text)}
    try:
        guesses = langdetect.detect_langs(text)
        if guesses and str(guesses[0].lang) in unwritten:
            detector_factory.init_factory()
            detector = detector_factory._factory.create()
            detector.append(text)
            detector.set_prior_map({lang: 1.0 for lang in detector.langlist if lang not in unwritten})
            guesses = detector.get_probabilities()
    except langdetect.LangDetectException:
        return []
    return [(str(g.lang), g.prob) for g in guesses if str(g.lang) not in unwritten]


# IFEval's sentence splitter (rule-based; abbreviations, acronyms, decimals and ellipses do not end a sentence).
_ALPHA = "([A-Za-z])"
_PREFIXES = "(Mr|St|Mrs|Ms|Dr)[.]"
_SUFFIXES = "(Inc|Ltd|Jr|Sr|Co)"
_STARTERS = (
    r"(Mr|Mrs|Ms|Dr|Prof|Capt|Cpt|Lt|He\s|She\s|It\s|They\s|Their\s|Our\s|We\s|But\s|However\s|That\s|This\s|"
    r"Wherever)"
)
_ACRONYMS = "([A-Z][.][A-Z][.](?:[A-Z][.])?)"
_WEBSITES = "[.](com|net|org|io|gov|edu|me)"


# a numbered list's marker at a line's start (`1. `, after spaces and markdown's `>`, `*`, `_`): no sentence's end
LIST_MARKER = re.compile(r"^([ \t>*_]*\d+)\.(?=[ \t])", re.MULTILINE)


def split_into_sentences(text: str) -> list[str]:
    """IFEval's splitter, a numbered list's markers ending no sentence: "1. Preheat the oven.\n2. Mix." was four
    sentences, "1." and "2." among them (ifeval 17)."""
    t = " " + LIST_MARKER.sub("\\1<prd>", text) + "  "
    t = t.replace("\n", " ")
    t = re.sub(_PREFIXES, "\\1<prd>", t)
    t = re.sub(_WEBSITES, "<prd>\\1", t)
    t = re.sub("([0-9])[.]([0-9])", "\\1<prd>\\2", t)
    t = re.sub(r"\.{2,}", lambda m: "<prd>" * len(m.group(0)) + "<stop>", t)
    t = t.replace("Ph.D.", "Ph<prd>D<prd>")
    t = re.sub(r"\s" + _ALPHA + "[.] ", " \\1<prd> ", t)
    t = re.sub(_ACRONYMS + " " + _STARTERS, "\\1<stop> \\2", t)
    t = re.sub(_ALPHA + "[.]" + _ALPHA + "[.]" + _ALPHA + "[.]", "\\1<prd>\\2<prd>\\3<prd>", t)
    t = re.sub(_ALPHA + "[.]" + _ALPHA + "[.]", "\\1<prd>\\2<prd>", t)
    t = re.sub(" " + _SUFFIXES + "[.] " + _STARTERS, " \\1<stop> \\2", t)
    t = re.sub(" " + _SUFFIXES + "[.]", " \\1<prd>", t)
    t = re.sub(" " + _ALPHA + "[.]", " \\1<prd>", t)
    t = t.replace(".”", "”.").replace('."', '".').replace('!"', '"!').replace('?"', '"?')
    t = t.replace(".", ".<stop>").replace("?", "?<stop>").replace("!", "!<stop>").replace("<prd>", ".")
    # Chinese and Japanese full stops, the danda of Hindi, Bengali, ... (`।`, `॥`), the Arabic question mark and the
    # Urdu full stop (IFEval's punkt: none)
    t = re.sub("([。！？।॥؟۔]+)", "\\1<stop>", t)
    out = [s.strip() for s in t.split("<stop>")]
    if out and not out[-1]:
        out = out[:-1]
    return out


def count_sentences(text: str) -> int:
    """Sentences for `length_constraints:number_sentences`: IFEval counts with nltk's punkt, which keeps a run of
    terminators (`Wow!!`, `Really?!`) with its sentence; `split_into_sentences` cuts after each one, so pieces
    without a letter or digit are not counted."""
    return sum(1 for s in split_into_sentences(text) if re.search(r"\w", s))


# a run of letters, digits or `_` with the marks on them (a Chinese or Japanese character is a word of its own)
WORD_RUN = rf"[^\W{CJK}](?:[^\W{CJK}]|[{MARKS}])*"


def count_words(text: str) -> int:
    r"""IFEval's `\w+` words, each Chinese or Japanese character a word of its own (as word processors count them):
    IFEval counts a whole run of such text, written without spaces, as one word. A combining mark (a vowel sign, a
    nukta) is part of its word: `\w` stops at one, so "मैंने आज सुबह किताब पढ़ी" was 9 words, not 5."""
    return len(re.findall(rf"(?=\w)[{CJK}]|{WORD_RUN}", text))


# a markdown thematic break (`---`, `* * *`, `___`): a line of 3 or more of one of these, spaces between
_THEMATIC_BREAK = re.compile(r"^[ \t]*(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$", re.MULTILINE)


def without_thematic_breaks(text: str) -> str:
    """The text with its thematic-break lines emptied: IFEval counts `---` and `* * *` as bullets."""
    return _THEMATIC_BREAK.sub("", text)


# a fence's opening or closing line: three or more backticks or tildes, indented or not (a list item's fence is)
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
# an inline code span on one line: `*args*`, ``a `b` c``
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)[^\n]*?[^`\n](?<!`)\1(?!`)")


# a fence's info string naming prose, not code: its lines are the answer's text (a letter, a poem put in a fence)
_PROSE_FENCE = re.compile(r"(?:markdown|md|text|txt|plain|plaintext)?", re.IGNORECASE)


def without_code(
    text: str,
    *,
    prose_fences: bool = False,
    span: str | None = "code",
    code_line: Callable[[str], str] | None = None,
) -> str:
    """The text with its code emptied: the lines of fenced blocks (``` or ~~~, closed by the same character at least
    as long, or by the end) and inline code spans. Markdown reads no emphasis and no list there, and IFEval counts
    them: "x = a*b*c + d*e*f" in a fence made two highlights, a YAML list in one bullets (ifeval 15). With
    `prose_fences`, a fence with no language or a prose one (```markdown, ```text) keeps its lines: what an answer
    puts in such a fence may be the text asked for, a <<title>> and all. An inline code span becomes `span` (a word,
    so "*use `x`*" stays emphasis; a space where the words are read for their language; None: kept as written). With
    `code_line`, a line of code becomes what it returns for it, not an empty line."""
    out: list[str] = []
    fence: str | None = None
    keep = False
    for line in text.split("\n"):
        m = _FENCE.match(line)
        if fence is None:
            # a backtick fence's info string holds no backtick: "```x```" is inline code
            if m and not (m.group(1)[0] == "`" and "`" in line[m.end() :]):
                fence = m.group(1)
                info = line[m.end() :].split()
                keep = prose_fences and _PROSE_FENCE.fullmatch(info[0] if info else "") is not None
                out.append("")
            else:
                out.append(line if span is None else _CODE_SPAN.sub(span, line))
        else:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end() :].strip():
                fence = None
                out.append("")
            else:
                out.append(line if keep else code_line(line) if code_line else "")
    return "\n".join(out)


# where a comment starts on a line of code: `#`, `//`, `/*`, `<!--`, SQL's and Lua's `-- `
_COMMENT = re.compile(r"#|//|/\*|<!--|--\s")


def strings_and_comments(line: str) -> str:
    """A line of code with only its string literals and its comment kept, the rest spaces: where code holds text for a
    person to fill in (`API_KEY = "[your api key]"`, `# replace [REGION]`), not a list or an index."""
    out: list[str] = []
    quote: str | None = None
    i = 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\":
                out.append(line[i : i + 2])
                i += 2
                continue
            out.append(" " if ch == quote else ch)
            quote = None if ch == quote else quote
        elif ch in "\"'`":
            quote = ch
            out.append(" ")
        elif _COMMENT.match(line, i):
            out.append(line[i:])
            break
        else:
            out.append(" ")
        i += 1
    return "".join(out)


# a line that opens with markdown emphasis, `*Hope this helps!*` or `*Note:* ...`: no bullet
_EMPHASIS_LINE = re.compile(r"^[ \t]*\*(?=[^\s*])[^*\n]*(?<=[^\s*])\*(?!\*).*$", re.MULTILINE)


def _bullets(text: str, kw: dict[str, Any]) -> bool:
    """IFEval's lines starting with `*` or `-`, less thematic breaks (`---`, `* * *`), lines opening with emphasis
    (`*Hope this helps!*`) and a `-` before a digit, a `-` or a `>` (`-5 degrees`, `--verbose`, `-> then`, a
    signature's `-- Ben`; ifeval 16), which IFEval counts as bullets; a `*` or `-` without a space after it still
    starts one before a word, as in IFEval's own examples (`-I am still under development.`)."""
    return _count_bullets(text) == _int(kw, "num_bullets")


def _count_bullets(text: str) -> int:
    t = _EMPHASIS_LINE.sub("", without_thematic_breaks(without_code(text)))
    return len(re.findall(r"^\s*\*[^\*].*$", t, re.MULTILINE)) + len(re.findall(r"^\s*-(?![\d>-]).*$", t, re.MULTILINE))


# a citation or footnote mark: numbers only (`[1]`, `[3, 4]`, `[5-7]`, `[^2]`)
_CITATION = re.compile(r"\^?\d+(?:\s*[,;–-]\s*\d+)*")
# a markdown task list's checkbox: `[ ]`, `[x]` or `[X]` just after a line's list marker (`- [x] Book the venue`)
_CHECKBOX = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+\[[ xX]\]", re.MULTILINE)


def count_placeholders(text: str, pattern: str = r"\[.*?\]") -> int:
    """The `[...]` of `pattern` in the text, less markdown links and images (`[the docs](https://...)`: the bracket
    directly followed by `(`), indexing (`arr[i]`, `grid[r][c]`: the `[` directly after a letter, digit, `_`, `]` or
    `)`), empty brackets (`[]`, `[ ]`), citations (`[1]`, `[3, 4]`, `[^2]`) and a task list's checkboxes (`- [x]`),
    which IFEval counts as placeholders."""
    # a list, a comprehension or a slice in code is none (ifeval 17: a Python answer's `[n for n in nums]` and
    # `["ann", "bob"]` were two placeholders): fenced code (not a prose fence) is read in its strings and comments only
    text = without_code(text, prose_fences=True, span=None, code_line=strings_and_comments)
    checkboxes = {m.end() - 3 for m in _CHECKBOX.finditer(text)}
    return sum(
        1
        for m in re.finditer(pattern, text)
        if not text.startswith("(", m.end())
        and (inner := m.group(0)[1:-1].strip())
        and not _CITATION.fullmatch(inner)
        and m.start() not in checkboxes
        and not (m.start() and re.match(r"[\w\])]", text[m.start() - 1]))
    )


def _capital_words(text: str) -> int:
    return sum(1 for w in re.findall(r"[^\s.,;:!?()\[\]{}\"“”]+", text) if w.isupper())


def _paragraphs_stars(text: str, kw: dict[str, Any]) -> bool:
    """IFEval's paragraphs split by `***`, a divider only with whitespace or a line's edge on both sides: IFEval splits
    at every `***`, so the bold italic of "Intro ***Note*** rest." made three paragraphs."""
    n = _count_star_paragraphs(text)
    return n is not None and n == _int(kw, "num_paragraphs")


def _count_star_paragraphs(text: str) -> int | None:
    """The paragraphs split by `***`; None where one between two dividers is empty."""
    parts = re.split(r"\s?(?<!\S)\*\*\*(?!\S)\s?", text)
    n = len(parts)
    for i, p in enumerate(parts):
        if not p.strip():
            if i in (0, len(parts) - 1):
                n -= 1
            else:
                return None
    return n


def _nth_paragraph_first_word(text: str, kw: dict[str, Any]) -> bool:
    """IFEval's rule, reading the first word through a markdown heading's `#`s (`## Summary`) and emphasis
    (`**Summary**`, `_Summary_`) and up to a `:` or `;` too: IFEval reads it up to `.`, `,`, `?`, `!` or a quote only,
    so "## Summary", "**Summary** of it." and "Summary: ..." failed a paragraph that starts with "summary"."""
    want_n, nth, first = _int(kw, "num_paragraphs"), _int(kw, "nth_paragraph"), _str(kw, "first_word").lower()
    n, got = _nth_first_word(text, nth)
    return n == want_n and got == first


def _nth_first_word(text: str, nth: int) -> tuple[int, str | None]:
    """The paragraphs (split by a blank line, spaces on it or not) and the first word of paragraph `nth`, lower-case
    (None: no such paragraph). IFEval splits at each `\n\n` and reads paragraph `nth` among the pieces, empty ones
    too: after two blank lines its "paragraph 3" was the answer's second, so a second paragraph starting with the
    word passed, and a third one failed; and a blank line holding a space divided nothing (ifeval 15)."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    n = len(parts)
    if nth > n or nth < 1:
        return n, None
    para = parts[nth - 1]
    # a heading's `#`s and a blockquote's `>`s (ifeval 17: "> However, ..." started with ">")
    words = re.sub(r"^(?:#{1,6}[ \t]+|>[ \t]*)+", "", para).split() or [""]  # a lone ">" has no word
    word = words[0].strip().lstrip("'\"*_“‘")
    got = ""
    for ch in word:
        # ifeval 17: a dash or an ellipsis written onto the word ("However—it") and a typeset quote end it too
        if ch in {".", ",", "?", "!", "'", '"', "*", ":", ";", "—", "–", "…", "’", "”"}:
            break
        got += ch.lower()
    return n, got.rstrip("_")


# what may stand before a postscript's marker on its line: nothing but markdown and an opening bracket or dash, or a
# sentence's end (`See you. P.S. ...`); not a sentence's words ("I will add a P.S. at the end")
_POSTSCRIPT_BEFORE = re.compile(r"(?:^|[.!?…][\"'”’)\]*_]*\s)[\s*_#>(\[—–-]*$")


def _postscript(text: str, kw: dict[str, Any]) -> bool:
    """IFEval's patterns, with the marker not part of a longer word (IFEval finds it anywhere: `PS:` in `steps:`,
    `Note` in `notebook`) nor the tail of a longer marker (IFEval's `P.S.` is found in `P.P.S.`), and a letter or
    digit after it (IFEval passed a bare "P.S." at the end: no postscript). The marker starts a line (after markdown)
    or a sentence: IFEval passed "I will add a P.S. at the end of this letter." (ifeval 15). Nor is it in code (a
    fence with no language or a prose one excepted: `without_code`): a ```python comment "# P.S. ..." (ifeval 16)."""
    marker = _str(kw, "postscript_marker")
    if marker == "P.P.S":
        pattern = r"p\.\s?p\.\s?s"
    elif marker == "P.S.":
        pattern = r"p\.\s?s\."
    else:
        pattern = re.escape(marker.lower())
    pattern = r"(?<!\w)(?<!p\.)(?<!p\.\s)" + pattern + (r"(?!\w)" if re.search(r"\w$", marker) else "")
    low = without_code(text, prose_fences=True).lower()
    return any(
        re.search(r"\w", low[m.end() :])
        and _POSTSCRIPT_BEFORE.search(low[low.rfind("\n", 0, m.start()) + 1 : m.start()])
        for m in re.finditer(pattern, low)
    )


# markdown emphasis: `*text*` or `**text**` on one line, with no space just inside the asterisks (a lone `*` of a
# bold's pair is none of its own)
_ITALIC = re.compile(r"(?<!\*)\*(?=[^\s*])[^\n*]*(?<=[^\s*])\*(?!\*)")
_BOLD = re.compile(r"\*\*(?=[^\s*])[^\n*]*(?<=[^\s*])\*\*")


def _highlights(text: str, kw: dict[str, Any]) -> bool:
    """IFEval's `*highlighted*` and `**bold**` sections, as markdown reads them: IFEval takes any `*...*` on a line,
    so the multiplication signs of "2 * 3 * 4 = 24 and 5 * 6 * 7" made two highlights, and those of code too."""
    return _count_highlights(text) >= _int(kw, "num_highlights")


# LaTeX maths: `$$...$$`, `\[...\]`, `\(...\)`, and `$...$` on one line as pandoc reads it (a non-space just inside
# each `$`, the closing one not before a digit: "$5 and *this* is $10" holds none)
_MATH = re.compile(
    r"\$\$.+?\$\$|\\\[.+?\\\]|\\\(.+?\\\)|(?<![\\$])\$(?=[^\s$])[^$\n]*?(?<=[^\s\\])\$(?![\d$])", re.DOTALL
)


def _count_highlights(text: str) -> int:
    """Emphasis outside code and LaTeX maths, whose `*` is no markdown: "the optimum $x^*$ and the dual $y^*$" made a
    highlight, and a backslash-escaped `\\*` is a literal asterisk: "\\*a\\* and \\*b\\*" made two (ifeval 16)."""
    t = _MATH.sub("math", without_code(text)).replace("\\*", "x")
    return len(_ITALIC.findall(t)) + len(_BOLD.findall(t))


def _sections(text: str, kw: dict[str, Any]) -> bool:
    """IFEval's `<splitter> <n>` markers, each starting a line (after spaces and markdown's `#`, `*`, `_` or `>`):
    IFEval counts a mention too ("as Section 2 below explains"), and a code comment "# Section 2" (ifeval 16; a
    fence with no language or a prose one is read: `without_code`)."""
    return _count_sections(text, _str(kw, "section_spliter")) >= _int(kw, "num_sections")


def _count_sections(text: str, splitter: str) -> int:
    marker = r"^[ \t]*(?:[#*_>]+[ \t]*)*" + re.escape(splitter) + r"\s?\d+"
    return len(re.findall(marker, without_code(text, prose_fences=True), re.MULTILINE))


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is no JSON value")


def is_json(text: str) -> bool:
    """Whether the text is one JSON value. Python's json reads `NaN`, `Infinity` and `-Infinity` too, which JSON has
    not (a JSON parser refuses them): IFEval passed `{"temperature": NaN}` as JSON."""
    try:
        json.loads(text, parse_constant=_no_constant)
    except ValueError:
        return False
    return True


def is_json_answer(text: str) -> bool:
    """Whether the whole answer is JSON, optionally in ``` fences (IFEval's rule: a ```json, ```Json or ```JSON
    opening, on its own line or not). thinkmill's `json_format` reads fences so too (before ifeval version 12 it
    failed a ```JSON fence and a one-line ```json {"a": 1} ```, which this instruction passed)."""
    v = text.strip()
    for p in ("```json", "```Json", "```JSON", "```"):
        v = v.removeprefix(p)
    return is_json(v.removesuffix("```").strip())


def _json(text: str, kw: dict[str, Any]) -> bool:
    return is_json_answer(text)


def _two_responses(text: str, kw: dict[str, Any]) -> bool:
    """IFEval's check, split at exactly six asterisks: IFEval splits at the first six of a longer run, so a `*******`
    line passed as the separator."""
    valid = _responses(text)
    return valid is not None and len(valid) == 2 and _as_response(valid[0]) != _as_response(valid[1])


def _as_response(text: str) -> str:
    """A response as `combination:two_responses` compares them: its words, whatever their spacing, case or markdown
    emphasis. IFEval compares the texts, so "Hello there." and "hello  there." were two different responses (ifeval
    16)."""
    return re.sub(r"\s+", " ", text.replace("*", "")).strip().casefold()


def _responses(text: str) -> list[str] | None:
    """The responses split by exactly six asterisks; None where one between two separators is empty."""
    parts = re.split(r"(?<!\*)\*{6}(?!\*)", text)
    valid = []
    for i, p in enumerate(parts):
        if not p.strip():
            if i not in (0, len(parts) - 1):
                return None
        else:
            valid.append(p)
    return valid


# a comma in any script: `,`, the fullwidth and small ones, the ideographic (enumeration) ones, the Arabic one; the
# Armenian, Ethiopic, Mongolian (and Manchu) and NKo ones, the vertical presentation forms and the reversed comma
# (ifeval 15: an Amharic answer written with `፣` passed "do not use any commas")
_COMMAS = re.compile("[,\uff0c\ufe50\u3001\ufe51\uff64\u060c\u055d\u1363\u1802\u1808\u07f8\ufe10\ufe11\u2e41]")


def has_comma(text: str) -> bool:
    """Whether the text holds a comma of any script: IFEval looks for `,` only, so a Chinese answer written with `，`
    passed "refrain from the use of any commas"."""
    return _COMMAS.search(text) is not None


_TITLE = re.compile(r"<<([^<>\n]*)>>")
_TITLE_LINE_MARKS = re.compile(r"[ \t#*_>]*")


def has_title(text: str) -> bool:
    """Whether the text holds a title `<<like this>>`: non-empty text on one line between `<<` and `>>`, with no space
    just inside the brackets unless the title is its line's only text (`## << Ode to Rain >>`). IFEval takes any
    `<<...>>` on a line, so the shift operators of "x << 2 and y >> 3" passed as a title. Code holds none (a fence
    with no language or a prose one excepted: `without_code`): "(x<<4)>>2" in a ```c fence was a title (ifeval 16)."""
    text = without_code(text, prose_fences=True)
    for m in _TITLE.finditer(text):
        inner = m.group(1)
        if not inner.strip():
            continue
        if inner == inner.strip():
            return True
        start = text.rfind("\n", 0, m.start()) + 1
        end = len(text) if (nl := text.find("\n", m.end())) < 0 else nl
        if _TITLE_LINE_MARKS.fullmatch(text[start : m.start()]) and _TITLE_LINE_MARKS.fullmatch(text[m.end() : end]):
            return True
    return False


def wrapped_in_quotes(text: str) -> bool:
    """Whether the whole text is one quotation in `"`: it starts and ends with one, and the opening one is not closed
    before the end. IFEval checks only the first and last characters, so '"Hamlet" is a play; he says "to be"'
    passed. An inner `"` after a space or an opening bracket (or right after the first) and before a non-space opens
    a quotation inside; one after a non-space closes the innermost (one never closed is no end of the whole). An
    empty quotation (`""`, quotes around spaces) wraps no answer: it passed (ifeval 9)."""
    t = text.strip()
    if t[:1] == "“" and t[-1:] == "”":  # typographic double quotes are double quotes (ifeval 16: the answer failed)
        t = t.replace("“", '"').replace("”", '"')
    if len(t) < 2 or t[0] != '"' or t[-1] != '"' or not t[1:-1].strip():
        return False
    depth = 1
    for i in range(1, len(t) - 1):
        if t[i] != '"':
            continue
        before, after = t[i - 1], t[i + 1]
        if (i == 1 or before.isspace() or before in "([{—–-/") and not after.isspace():
            depth += 1
        elif not before.isspace():
            depth -= 1
            if depth == 0:
                return False
    return True


@functools.cache
def _detectable_languages() -> frozenset[str]:
    from langdetect.detector_factory import PROFILES_DIRECTORY

    return frozenset(os.listdir(PROFILES_DIRECTORY)) | {"zh"}


def _language(text: str, kw: dict[str, Any]) -> bool:
    """`zh` (IFEval's own example code for Chinese) is either of langdetect's zh-cn and zh-tw; a code langdetect never
    returns (a language's name, `xx`) is a parameter error: no response could follow it."""
    return judge_language(text, _language_param(kw), kw.get(PROMPT_KEY) or "")[0]


def _language_param(kw: dict[str, Any]) -> str:
    lang = _str(kw, "language")
    if lang not in _detectable_languages():
        raise IfevalArgsError(
            f"language must be a code langdetect detects ({', '.join(sorted(_detectable_languages()))}), got {lang!r}"
        )
    return lang


# the task's prompt, handed to the language check in its parameters (text quoted from it is no language of the answer)
PROMPT_KEY = "_prompt"

# the script each of langdetect's languages is written in
_LATIN = "af ca cs cy da de en es et fi fr hr hu id it lt lv nl no pl pt ro sk sl so sq sv sw tl tr vi".split()  # noqa: SIM905
LANGUAGE_SCRIPT = {
    **dict.fromkeys(_LATIN, "Latin"),
    **dict.fromkeys(("bg", "mk", "ru", "uk"), "Cyrillic"),
    **dict.fromkeys(("ar", "fa", "ur"), "Arabic"),
    **dict.fromkeys(("hi", "mr", "ne"), "Devanagari"),
    **dict.fromkeys(("zh", "zh-cn", "zh-tw"), "Han"),
    "bn": "Bengali",
    "el": "Greek",
    "gu": "Gujarati",
    "he": "Hebrew",
    "ja": "kana",
    "kn": "Kannada",
    "ko": "Hangul",
    "ml": "Malayalam",
    "pa": "Gurmukhi",
    "ta": "Tamil",
    "te": "Telugu",
    "th": "Thai",
}
_KANA = "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_SCRIPT_LETTER = re.compile(
    "|".join(
        f"(?P<{name}>[{chars}])"
        for name, chars in {
            "Latin": "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff",
            "Cyrillic": "\u0400-\u052f",
            "Greek": "\u0370-\u03ff\u1f00-\u1fff",
            "Arabic": "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff",
            "Hebrew": "\u0590-\u05ff\ufb1d-\ufb4f",
            "Devanagari": "\u0900-\u097f",
            "Bengali": "\u0980-\u09ff",
            "Gurmukhi": "\u0a00-\u0a7f",
            "Gujarati": "\u0a80-\u0aff",
            "Tamil": "\u0b80-\u0bff",
            "Telugu": "\u0c00-\u0c7f",
            "Kannada": "\u0c80-\u0cff",
            "Malayalam": "\u0d00-\u0d7f",
            "Thai": "\u0e00-\u0e7f",
            "Hangul": HANGUL,
            "kana": _KANA,
            "Han": "\u3005-\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f",
        }.items()
    )
)
# letters a language's alphabet lacks and a close one's has: a short answer holding one is no answer in that language
# (langdetect read "Привіт, як справи?" and "Так, це правильно." as Russian)
_NOT_IN_ALPHABET = {"ru": "іїєґўІЇЄҐЎ", "uk": "ыэёъЫЭЁЪ", "bg": "ыэёіїєґЫЭЁІЇЄҐ", "mk": "ыэёъіїєґЫЭЁЪІЇЄҐ"}
_ALPHABET_OF = {"і": "Ukrainian", "ї": "Ukrainian", "є": "Ukrainian", "ґ": "Ukrainian", "ў": "Belarusian"}
# prose shorter than this many letters is too short to tell its language where its script is shared by several
# (langdetect names the right one for half of such texts: "Ja." is Swahili, "Yes." French), and shorter than
# `_LANGUAGE_SURE` letters is judged by any language langdetect finds likely (it ranked Afrikaans before German for
# "Die Antwort ist 42.", Catalan before Spanish for "La capital es Madrid.")
_LANGUAGE_MIN, _LANGUAGE_SURE = 10, 30


def judge_language(text: str, lang: str, prompt: str = "") -> tuple[bool, str]:
    """Whether the text is in `lang`, and why not: IFEval's langdetect verdict, read on the answer's prose
    (`language_prose`: no code, web address, number or code word, nor text quoted from the prompt) and decided by
    its script where that can: no letter of the language's script fails (Latin "Yes." asked Hindi), and a script no
    other language is written in passes (Hangul asked Korean). A short text in a script several languages share is
    too short to tell under `_LANGUAGE_MIN` letters, and passes under `_LANGUAGE_SURE` where the language is one of
    langdetect's likely ones. Asked any language but English, no paragraph may be English prose."""
    prose = language_prose(text, prompt)
    counts = collections.Counter(m.lastgroup for m in _SCRIPT_LETTER.finditer(prose))
    if not counts:  # nothing but code, numbers or the prompt's words: judged as written
        prose = text
        counts = collections.Counter(m.lastgroup for m in _SCRIPT_LETTER.finditer(prose))
    if not counts:
        return True, ""  # no letter: IFEval counts an undetectable text as following
    script, total = LANGUAGE_SCRIPT[lang], sum(counts.values())
    own = counts[script] + (counts["Han"] if lang == "ja" else 0)
    if not counts[script]:
        return False, f"no letter of the {script} script, asked {lang}"
    if lang == "zh" and not counts["kana"] and counts["Han"] * 2 >= total:
        return _no_english_paragraph(text, prose, lang)
    unique = list(LANGUAGE_SCRIPT.values()).count(script) == 1
    if unique and own * 2 >= total:
        return _no_english_paragraph(text, prose, lang)
    guesses = language_guesses(prose)
    got = guesses[0][0] if guesses else None
    found = f"langdetect: {', '.join(f'{g} {p:.2f}' for g, p in guesses[:3]) or 'nothing'}"
    if script != "Han" and total < _LANGUAGE_SURE:
        if total < _LANGUAGE_MIN and not unique:
            return False, f"too short to tell its language ({total} letters of prose, {found}), asked {lang}"
        if other := re.search(f"[{_NOT_IN_ALPHABET.get(lang, '')}]", prose) if lang in _NOT_IN_ALPHABET else None:
            letter = other.group().lower()
            name = _ALPHABET_OF.get(letter, "Russian")
            return (
                False,
                f"{name} letter {letter!r} in {quoted_around(prose, other.start(), other.end())!r}, asked {lang}",
            )
        if any(_is(g, lang) for g, _p in guesses):
            return _no_english_paragraph(text, prose, lang)
        return False, f"language detected as {got} ({found}), asked {lang}"
    if got is None or _is(got, lang):
        return _no_english_paragraph(text, prose, lang)
    return False, f"language detected as {got}, asked {lang}"


def _is(got: str, lang: str) -> bool:
    return got == lang or (lang == "zh" and got in ("zh-cn", "zh-tw"))


def _no_english_paragraph(text: str, prose: str, lang: str) -> tuple[bool, str]:
    if lang != "en" and (para := english_paragraph(prose)):
        return False, f"a paragraph in English, asked {lang}: {quoted_around(para, 0, 0, 60)!r}"
    return True, ""


# a web address, an e-mail address, a markdown link's target; a word holding a digit or `_` (`ZEBRA42`, `user_id`,
# `v2`); a word in capitals of two letters or more (an acronym or code word: `NASA`, `BANANA`)
_NO_PROSE = re.compile(r"\]\([^)\s]*\)|https?://\S+|www\.\S+|\S+@\S+\.\w+|\S*[\d_]\S*")
_CAPS_WORD = re.compile(r"(?<!\w)[^\W\d_]*[A-Z][^\W\d_]*(?!\w)")
_PROMPT_WORD = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?")


def language_prose(text: str, prompt: str = "") -> str:
    """The text whose language an answer is judged by: without code (fenced blocks of code, inline code), web and
    e-mail addresses, words with a digit or `_`, acronyms and code words in capitals (where the text has lower-case
    letters: an answer all in capitals keeps its words), and text quoted from the prompt (a run of three words or
    more the prompt holds, and a name: a run of capitalised words the prompt writes so). Line breaks are kept."""
    t = without_code(text, prose_fences=True, span=" ")
    t = _NO_PROSE.sub(" ", _without_prompt_text(t, prompt) if prompt.strip() else t)
    if re.search(r"[^\W\d_]", t) and t != t.upper():
        t = _CAPS_WORD.sub(lambda m: " " if m.group().isupper() and len(m.group()) > 1 else m.group(), t)
    return t


def _without_prompt_text(text: str, prompt: str) -> str:
    """The text with what it quotes from the prompt made spaces (`language_prose`)."""
    words = list(_PROMPT_WORD.finditer(text))
    typed = [w.group().translate(_TYPED) for w in words]
    low = [w.casefold() for w in typed]
    prompt_typed = [m.group().translate(_TYPED) for m in _PROMPT_WORD.finditer(prompt)]
    prompt_low = [w.casefold() for w in prompt_typed]
    as_written, folded = f" {' '.join(prompt_typed)} ", f" {' '.join(prompt_low)} "
    unigrams, bigrams = set(prompt_low), set(itertools.pairwise(prompt_low))
    spans, i = [], 0
    while i < len(words):
        if low[i] not in unigrams:
            i += 1
            continue
        j = i + 1  # words[i:j] is in the prompt
        while j < len(words) and (low[j - 1], low[j]) in bigrams and f" {' '.join(low[i : j + 1])} " in folded:
            j += 1
        run = typed[i:j]
        if j - i >= 3 or (all(w[0].isupper() for w in run) and f" {' '.join(run)} " in as_written):
            spans.append((words[i].start(), words[j - 1].end()))
            i = j
        else:
            i += 1
    for a, b in reversed(spans):
        text = text[:a] + " " * (b - a) + text[b:]
    return text


# an English paragraph in an answer asked in another language: this many letters at least (shorter text is no sure
# detection: "Thanks!") and this many words in lower case (prose, not a list of names: "- Netflix\n- Disney Plus"),
# detected as English at this probability at least (a Spanish sentence with loanwords, "Python es un lenguaje ideal
# para machine learning", is English at 0.57)
_PARAGRAPH_LETTERS, _PARAGRAPH_LOWER_WORDS, _PARAGRAPH_ENGLISH = 60, 6, 0.95


def english_paragraph(text: str) -> str | None:
    """The first paragraph (split by a blank line; code and links left out) of at least `_PARAGRAPH_LETTERS` letters
    and `_PARAGRAPH_LOWER_WORDS` lower-case words that langdetect reads as English at `_PARAGRAPH_ENGLISH` or more.
    The whole answer's language hides one: a Spanish answer closing with "I hope this helps! Let me know if you have
    any other questions about ..." is Spanish, and passed "your ENTIRE response should be in Spanish, no other
    language is allowed" (ifeval 15)."""
    import langdetect

    for para in re.split(r"\n\s*\n", without_code(text)):
        para = re.sub(r"\]\([^)\s]*\)|https?://\S+", " ", para).strip()
        if len(re.findall(r"[^\W\d_]", para)) < _PARAGRAPH_LETTERS:
            continue
        if len(re.findall(r"(?<![^\W\d_])[a-z]+", para)) < _PARAGRAPH_LOWER_WORDS:
            continue
        langdetect.DetectorFactory.seed = 0
        try:
            best = langdetect.detect_langs(para)[0]
        except langdetect.LangDetectException:
            continue
        if best.lang == "en" and best.prob >= _PARAGRAPH_ENGLISH:
            return para
    return None


def _english_case(upper: bool) -> Callable[[str, dict[str, Any]], bool]:
    def check(text: str, kw: dict[str, Any]) -> bool:
        if not (text.isupper() if upper else text.islower()):
            return False
        # on the lower-case text: the detector reads capitals as noise ("BIG NEWS! BEAN THERE IS OPEN." was
        # Vietnamese, and a right all-caps English answer failed; ifeval 11)
        return _english(text.lower())

    return check


def _english(text: str) -> bool:
    """Whether a text asked to be English is (or cannot be told otherwise): langdetect names the language of short texts
    at random ("yes." Turkish, "ok, i will." Polish: such right answers failed `change_case:english_capital`), so
    under `_LANGUAGE_MIN` letters a text of English letters alone passes, and under `_LANGUAGE_SURE` one whose likely
    languages include English (ifeval 18)."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < _LANGUAGE_MIN:
        return all(ch.isascii() for ch in letters)
    if len(letters) < _LANGUAGE_SURE:
        guesses = language_guesses(text)
        return not guesses or any(g == "en" for g, _p in guesses)
    got = detect_language(text)
    return got is None or got == "en"


def _letter_frequency(text: str, kw: dict[str, Any]) -> bool:
    letter = _str(kw, "letter").lower()
    if len(letter) != 1:
        raise IfevalArgsError(f"letter must be one character, got {letter!r}")
    return _compare(collections.Counter(text.lower())[letter], kw, "let_frequency", "let_relation")


Check = Callable[[str, dict[str, Any]], bool]

# id -> (parameters, what passes, check). `prompt_to_repeat` of combination:repeat_prompt defaults to the task prompt.
INSTRUCTIONS: dict[str, tuple[tuple[str, ...], str, Check]] = {
    "keywords:existence": (
        ("keywords",),
        "every keyword appears as written, starting a word (any case)",
        lambda t, k: all(_as_word_rx(w, False).search(keyword_haystack(t)) for w in _words_list(k, "keywords")),
    ),
    "keywords:frequency": (
        ("keyword", "frequency", "relation"),
        "the keyword's occurrences as a whole word (any case) compare to frequency",
        lambda t, k: _compare(len(_as_word_rx(_str(k, "keyword")).findall(keyword_haystack(t))), k, "frequency"),
    ),
    "keywords:forbidden_words": (
        ("forbidden_words",),
        "no forbidden word appears (whole word, any case)",
        lambda t, k: not any(_as_word_rx(w).search(keyword_haystack(t)) for w in _words_list(k, "forbidden_words")),
    ),
    "keywords:letter_frequency": (
        ("letter", "let_frequency", "let_relation"),
        "the letter's count (any case) compares to let_frequency",
        _letter_frequency,
    ),
    "language:response_language": (
        ("language",),
        "langdetect finds the ISO 639-1 language in the prose (no code, nor text quoted from the prompt), the script "
        "deciding where it can (too short to tell under 10 letters in a shared script; undetectable passes); asked "
        "another, no paragraph of English prose",
        _language,
    ),
    "length_constraints:number_sentences": (
        ("num_sentences", "relation"),
        "sentence count (a numbered list's 1. ends none) compares to num_sentences",
        lambda t, k: _compare(count_sentences(t), k, "num_sentences"),
    ),
    "length_constraints:number_paragraphs": (
        ("num_paragraphs",),
        "exactly num_paragraphs paragraphs split by *** (with whitespace or a line's edge on both sides)",
        _paragraphs_stars,
    ),
    "length_constraints:number_words": (
        ("num_words", "relation"),
        r"\w+ word count (marks part of their word, each Chinese or Japanese character a word) compares to num_words",
        lambda t, k: _compare(count_words(t), k, "num_words"),
    ),
    "length_constraints:nth_paragraph_first_word": (
        ("num_paragraphs", "nth_paragraph", "first_word"),
        "num_paragraphs paragraphs split by a blank line; the nth_paragraph-th of them starts with first_word "
        "(a heading's #s, a blockquote's >, quotes and emphasis such as **Summary** read through; a dash ends it)",
        _nth_paragraph_first_word,
    ),
    "detectable_content:number_placeholders": (
        ("num_placeholders",),
        "at least num_placeholders [placeholders] (a markdown link, an index a[i], [], a citation [1], a "
        "checkbox - [x] or code outside its strings and comments is none)",
        lambda t, k: count_placeholders(t) >= _int(k, "num_placeholders"),
    ),
    "detectable_content:postscript": (
        ("postscript_marker",),
        "the marker (P.S., P.P.S, ...) starts a line or a sentence, not as part of a longer word, and text after it "
        "(not in code)",
        _postscript,
    ),
    "detectable_format:number_bullet_lists": (
        ("num_bullets",),
        "exactly num_bullets lines starting with * or - (thematic breaks such as ---, lines opening with emphasis "
        "such as *Hope this helps!*, a - before a digit, - or > and lines of fenced code are no bullets)",
        _bullets,
    ),
    "detectable_format:constrained_response": (
        (),
        "contains exactly one of 'My answer is yes.', '... no.' and '... maybe.' (it may repeat)",
        lambda t, k: sum(o in t for o in CONSTRAINED_RESPONSES) == 1,
    ),
    "detectable_format:number_highlighted_sections": (
        ("num_highlights",),
        "at least num_highlights *highlighted* or **bold** sections (no space just inside the asterisks; none in code "
        "or LaTeX maths)",
        _highlights,
    ),
    "detectable_format:multiple_sections": (
        ("section_spliter", "num_sections"),
        "at least num_sections sections marked '<section_spliter> <n>' at the start of a line (not in code)",
        _sections,
    ),
    "detectable_format:json_format": ((), "the whole response is JSON (optionally in ``` fences)", _json),
    "detectable_format:title": (
        (),
        "a non-empty <<title>> (no space just inside its brackets unless it is its line's only text; not in code)",
        lambda t, k: has_title(t),
    ),
    "combination:two_responses": (
        (),
        "two different responses (not only in spacing, case or *) separated by exactly six asterisks ******",
        _two_responses,
    ),
    "combination:repeat_prompt": (
        ("prompt_to_repeat",),
        "starts with prompt_to_repeat (any case), then an answer",
        lambda t, k: echo_then_more(t.strip().lower(), _str(k, "prompt_to_repeat").lower(), at_start=True),
    ),
    "startend:end_checker": (
        ("end_phrase",),
        "an answer, then end_phrase at its end, at a word's edge (any case, outer quotes and markdown emphasis "
        "ignored)",
        lambda t, k: ends_with_phrase(_unquoted(t, _str(k, "end_phrase")).lower(), _str(k, "end_phrase").lower()),
    ),
    "change_case:capital_word_frequency": (
        ("capital_frequency", "capital_relation"),
        "all-capital word count compares to capital_frequency",
        lambda t, k: _compare(_capital_words(t), k, "capital_frequency", "capital_relation"),
    ),
    "change_case:english_capital": ((), "all capital letters and English", _english_case(True)),
    "change_case:english_lowercase": ((), "all lowercase letters and English", _english_case(False)),
    "punctuation:no_comma": ((), "no commas (`,`, nor `，`, `、`, `،`, `፣`, ...)", lambda t, k: not has_comma(t)),
    "startend:quotation": (
        (),
        "wrapped in one pair of double quotes (straight or typographic)",
        lambda t, k: wrapped_in_quotes(t),
    ),
}


_QUOTES = '"“”'


def _unquoted(text: str, phrase: str) -> str:
    """The answer without the double quotes around it, straight or typographic (`“...”`), for `startend:end_checker`;
    the closing one kept where the phrase ends with a quote. IFEval strips `"` only, from both ends: an answer in
    “...” failed, and a phrase ending with `"` never matched (ifeval 15)."""
    t = text.strip().lstrip(_QUOTES)
    return t if phrase.endswith(tuple(_QUOTES)) else t.rstrip(_QUOTES)


_TYPED = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"'})


def as_typed(text: str) -> str:
    """The text with each run of whitespace one space and typeset quotes typed (`’` as `'`, `“”` as `"`), for
    comparing a start or end phrase and a repeated request: one repeated with its line break as a space, or an end
    phrase "Let's talk soon." written "Let’s talk soon.", failed (ifeval 15)."""
    return re.sub(r"\s+", " ", text).translate(_TYPED)


def echo_then_more(text: str, phrase: str, *, at_start: bool) -> bool:
    """Whether `text` starts (`at_start`) or ends with `phrase` and holds more than it: an answer that is only the
    repeated request or only the end phrase passed IFEval's check (thinkmill departs: such a row holds no answer).
    Where the phrase meets the rest with a letter, digit or `_`, the rest does not go on with that word (after a
    `'`, `’` or `-` too): IFEval compares the texts' ends, so "... a glove." ended with "love." and "My answer isn't"
    started with "My answer is". Chinese, Japanese and Thai, written without spaces, have no such edge (ifeval 13: a
    Thai answer ending "...มากขอบคุณครับ" did not end with "ขอบคุณครับ"), and a mark (a vowel sign) goes on with its
    word (ifeval 13: "मैं किताबें" started with "मैं किताब"). Both are read `as_typed`."""
    text, phrase = as_typed(text), as_typed(phrase)
    letter = SPACED
    if at_start:
        rest = text[len(phrase) :]
        joined = re.fullmatch(letter, phrase[-1:]) and re.match(rf"{letter}|['’-]{letter}", rest)
        return text.startswith(phrase) and bool(rest.strip()) and not joined
    rest = text[: len(text) - len(phrase)]
    joined = re.fullmatch(letter, phrase[:1]) and re.search(rf"{letter}['’-]?$", rest)
    return text.endswith(phrase) and bool(rest.strip()) and not joined


def ends_with_phrase(text: str, phrase: str) -> bool:
    """`echo_then_more` at the end, the phrase possibly in markdown emphasis (`**Any other questions?**`): IFEval took
    the closing `**` for text after the phrase, so such an answer failed "finish your response with this exact
    phrase". The opening run before the phrase is emphasis too, not an answer. A closing run that closes nothing
    (no opening run before it in its paragraph: "Any other questions?**", "**bold**. Any other questions?**") is text
    after the phrase: it passed (ifeval 16)."""
    text, phrase = as_typed(text), as_typed(phrase)
    closing = re.search(r"[*_]+$", text)
    if closing and not phrase.endswith(("*", "_")) and _closes_emphasis(text[: closing.start()], closing.group()):
        text = text[: closing.start()].rstrip()
        if text.endswith(phrase):
            before = text[: len(text) - len(phrase)]
            if before.endswith(closing.group()):
                text = before[: -len(closing.group())] + phrase
    return echo_then_more(text, phrase, at_start=False)


def _closes_emphasis(before: str, run: str) -> bool:
    """Whether a closing emphasis run (`**`, `_`, `**_`) ends an emphasis opened in its paragraph: the run reversed is
    there, and where it reads the same both ways an odd number of times (the others open and close in pairs)."""
    para = re.split(r"\n[ \t]*\n", before)[-1]
    opening = run[::-1]
    n = para.count(opening)
    return n % 2 == 1 if opening == run else n > 0


def loose_variants(text: str) -> list[str]:
    lines = text.split("\n")
    base = [text, "\n".join(lines[1:]).strip(), "\n".join(lines[:-1]).strip(), "\n".join(lines[1:-1]).strip()]
    return base + [b.replace("*", "") for b in base]


def nfc(value: Any) -> Any:
    """A text, or the texts in a list or dict, in Unicode's composed form (NFC): "café" written as an e and a combining
    accent (NFD, as macOS and some tokenizers write it) is the keyword "café", and its accent no letter e. Compared
    as written, such a keyword was missing (`keywords:existence` failed), a forbidden one went unseen and a letter
    was miscounted (ifeval 17)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: nfc(v) for k, v in value.items()}
    return value


def follows(instruction_id: str, text: str, kwargs: dict[str, Any], mode: str = "strict", prompt: str = "") -> bool:
    """IFEval's strict or loose verdict for one instruction (the text, parameters and prompt read in NFC: `nfc`);
    IfevalArgsError for bad parameters."""
    _params, _doc, check = INSTRUCTIONS[instruction_id]
    kw, text, prompt = nfc(dict(kwargs)), nfc(text), nfc(prompt)
    if instruction_id == "combination:repeat_prompt" and not kw.get("prompt_to_repeat"):
        kw["prompt_to_repeat"] = prompt
    if instruction_id == "language:response_language":
        kw[PROMPT_KEY] = prompt
    if mode not in ("strict", "loose"):
        raise IfevalArgsError(f"mode must be strict or loose, got {mode!r}")
    if not text.strip():
        check(text, kw)  # an empty answer follows nothing, but the parameters are still checked (ingest's probe)
        return False
    if mode == "strict":
        return check(text, kw)
    return any(v.strip() and check(v, kw) for v in loose_variants(text))


# Why an answer fails an instruction, for a failed verdict's `details`: the count found against the one asked, the
# language detected, the first offending letter or comma, the missing or forbidden word. Read on the answer as is (in
# loose mode too); it decides nothing.


def quoted_around(text: str, start: int, end: int, width: int = 20) -> str:
    """The text around `text[start:end]` on one line, `...` where cut."""
    a, b = max(0, start - width), min(len(text), end + width)
    return ("..." if a else "") + " ".join(text[a:b].split()) + ("..." if b < len(text) else "")


def first_case_offender(text: str, upper: bool) -> str | None:
    """Where an answer asked in capitals (`upper`) or in lower case first breaks it: the letter and its word."""
    for m in re.finditer(r"\S+", text):
        for ch in m.group():
            if ch.upper() != ch if upper else ch.lower() != ch:
                return f"{'lower' if upper else 'upper'}-case letter {ch!r} in {m.group()!r}"
    return None


def first_comma(text: str) -> str | None:
    m = _COMMAS.search(text)
    return f"comma {m.group()!r} in {quoted_around(text, m.start(), m.end())!r}" if m else None


def json_error(text: str) -> str:
    """Why the answer (its ``` fences read as `is_json_answer` reads them) is no JSON: the parser's message."""
    v = text.strip()
    for p in ("```json", "```Json", "```JSON", "```"):
        v = v.removeprefix(p)
    try:
        json.loads(v.removesuffix("```").strip(), parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        return f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
    except ValueError as exc:
        return f"not JSON: {exc}"
    return "not JSON"


def not_echoed(text: str, phrase: str, *, at_start: bool) -> str:
    """Why `echo_then_more` failed: the phrase is not where asked, nothing else is there, or the phrase runs on into a
    longer word."""
    text, phrase = as_typed(text), as_typed(phrase)
    if not (text.startswith(phrase) if at_start else text.endswith(phrase)):
        n = len(phrase) + 10
        if at_start:
            edge = quoted_around(text, 0, 0, n) if len(text) > n else " ".join(text.split())
            return f"does not start with {phrase!r}: starts {edge!r}"
        edge = quoted_around(text, len(text), len(text), n) if len(text) > n else " ".join(text.split())
        return f"does not end with {phrase!r}: ends {edge!r}"
    if not (text[len(phrase) :] if at_start else text[: len(text) - len(phrase)]).strip():
        return f"only {phrase!r}, no answer {'after' if at_start else 'before'} it"
    return f"{phrase!r} runs on into a longer word"


def _asked(kw: dict[str, Any], key: str, rel_key: str = "relation") -> str:
    return f"asked {kw.get(rel_key)} {kw.get(key)}"


def _missing(text: str, keywords: list[str]) -> str:
    missing = [w for w in keywords if not _as_word_rx(w, False).search(keyword_haystack(text))]
    return f"missing keyword{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}"


def _forbidden(text: str, forbidden: list[str]) -> str:
    for w in forbidden:
        if m := _as_word_rx(w).search(shown := keyword_haystack(text)):
            return f"forbidden word {w!r} in {quoted_around(shown, m.start(), m.end())!r}"
    return "a forbidden word"


def _case(text: str, upper: bool) -> str:
    if offender := first_case_offender(text, upper):
        return offender
    if not (text.isupper() if upper else text.islower()):
        return "no letter in " + ("capitals" if upper else "lower case")
    return f"language detected as {detect_language(text.lower())}, asked en"


def _language_why(text: str, kw: dict[str, Any]) -> str:
    return judge_language(text, _language_param(kw), kw.get(PROMPT_KEY) or "")[1] or "the language asked"


def _nth_why(text: str, kw: dict[str, Any]) -> str:
    nth, want_n, first = _int(kw, "nth_paragraph"), _int(kw, "num_paragraphs"), _str(kw, "first_word").lower()
    n, got = _nth_first_word(text, nth)
    if got is None:
        return f"no paragraph {nth}: {n} paragraphs (split by a blank line), asked {want_n}"
    if got != first:
        return f"paragraph {nth} starts with {got!r}, asked {first!r}"
    return f"{n} paragraphs (split by a blank line), asked {want_n}"


def _stars_why(text: str, kw: dict[str, Any]) -> str:
    n = _count_star_paragraphs(text)
    if n is None:
        return "an empty paragraph between *** dividers"
    return f"{n} paragraphs (split by ***), asked {kw['num_paragraphs']}"


def _two_why(text: str) -> str:
    valid = _responses(text)
    if valid is None:
        return "an empty response between ****** separators"
    if len(valid) != 2:
        return f"{len(valid)} responses separated by ******, asked 2"
    return "the two responses are the same"


def _options_why(text: str) -> str:
    given = [o for o in CONSTRAINED_RESPONSES if o in text]
    return f"gives {len(given)} of {', '.join(map(repr, CONSTRAINED_RESPONSES))}, asked one" + (
        f": {', '.join(map(repr, given))}" if given else ""
    )


def _frequency_why(text: str, kw: dict[str, Any]) -> str:
    word = kw["keyword"].strip()
    n = len(_as_word_rx(word).findall(keyword_haystack(text)))
    return f"{word!r} {n} times, {_asked(kw, 'frequency')}"


def _letter_why(text: str, kw: dict[str, Any]) -> str:
    letter = kw["letter"].strip().lower()
    n = collections.Counter(text.lower())[letter]
    return f"letter {letter!r} {n} times, {_asked(kw, 'let_frequency', 'let_relation')}"


def _sections_why(text: str, kw: dict[str, Any]) -> str:
    splitter = kw["section_spliter"].strip()
    n = _count_sections(text, splitter)
    return f"{n} sections marked '{splitter} <n>' at a line's start, asked at least {kw['num_sections']}"


Why = Callable[[str, dict[str, Any]], str]

_WHY: dict[str, Why] = {
    "keywords:existence": lambda t, k: _missing(t, k["keywords"]),
    "keywords:frequency": _frequency_why,
    "keywords:forbidden_words": lambda t, k: _forbidden(t, k["forbidden_words"]),
    "keywords:letter_frequency": _letter_why,
    "language:response_language": _language_why,
    "length_constraints:number_sentences": lambda t, k: f"{count_sentences(t)} sentences, {_asked(k, 'num_sentences')}",
    "length_constraints:number_paragraphs": _stars_why,
    "length_constraints:number_words": lambda t, k: f"{count_words(t)} words, {_asked(k, 'num_words')}",
    "length_constraints:nth_paragraph_first_word": _nth_why,
    "detectable_content:number_placeholders": lambda t, k: (
        f"{count_placeholders(t)} [placeholders], asked at least {k['num_placeholders']}"
    ),
    "detectable_content:postscript": lambda t, k: (
        f"no postscript starting with {_str(k, 'postscript_marker')!r} and text after it"
    ),
    "detectable_format:number_bullet_lists": lambda t, k: (
        f"{_count_bullets(t)} bullet points, asked {k['num_bullets']}"
    ),
    "detectable_format:constrained_response": lambda t, k: _options_why(t),
    "detectable_format:number_highlighted_sections": lambda t, k: (
        f"{_count_highlights(t)} highlighted sections, asked at least {k['num_highlights']}"
    ),
    "detectable_format:multiple_sections": _sections_why,
    "detectable_format:json_format": lambda t, k: json_error(t),
    "detectable_format:title": lambda t, k: "no <<title>>",
    "combination:two_responses": lambda t, k: _two_why(t),
    "combination:repeat_prompt": lambda t, k: not_echoed(
        t.strip().lower(), _str(k, "prompt_to_repeat").lower(), at_start=True
    ),
    "startend:end_checker": lambda t, k: not_echoed(
        _unquoted(t, _str(k, "end_phrase")).lower(), _str(k, "end_phrase").lower(), at_start=False
    ),
    "change_case:capital_word_frequency": lambda t, k: (
        f"{_capital_words(t)} all-capital words, {_asked(k, 'capital_frequency', 'capital_relation')}"
    ),
    "change_case:english_capital": lambda t, k: _case(t, upper=True),
    "change_case:english_lowercase": lambda t, k: _case(t, upper=False),
    "punctuation:no_comma": lambda t, k: first_comma(t) or "a comma",
    "startend:quotation": lambda t, k: "not wrapped in one pair of double quotes",
}


def why_not(instruction_id: str, text: str, kwargs: dict[str, Any], prompt: str = "") -> str:
    """Why the answer fails the instruction, in a few words (for a failed verdict's `details`; call it where `follows`
    said no, so the parameters are valid)."""
    if not text.strip():
        return "the answer is empty"
    kw, text, prompt = nfc(dict(kwargs)), nfc(text), nfc(prompt)
    if instruction_id == "combination:repeat_prompt" and not kw.get("prompt_to_repeat"):
        kw["prompt_to_repeat"] = prompt
    if instruction_id == "language:response_language":
        kw[PROMPT_KEY] = prompt
    return _WHY[instruction_id](text, kw)
