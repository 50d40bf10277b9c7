"""Trace lints applied to every response, whatever its verifier. Each fired lint is a flag; reason `lint:<flag>`.

Families: think_format (flags of `pipeline.trace.parse_trace`), repetition, refusal, language, length, consistency.
Thresholds live in `LintConfig`; docs/verifiers.md lists them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from string import ascii_uppercase

from pipeline.answer_form import asks_answer_is, plain, template_prefix
from pipeline.ingest.choices import options_in_prompt
from pipeline.trace import (
    ANSWER_MISSING,
    EMPTY_THINK,
    FINISH_UNKNOWN,
    MULTIPLE_THINK,
    NO_THINK_BLOCK,
    STRAY_CLOSE,
    TEXT_BEFORE_THINK,
    THINK_IN_NO_THINK,
    TRUNCATED,
    UNCLOSED_THINK,
    UNFINISHED,
    ParsedTrace,
    find_template_token,
    find_tool_call,
)
from pipeline.verify.config import LintConfig

LINT_FAMILIES = ("think_format", "repetition", "refusal", "language", "length", "consistency", "answer_format")
TEMPLATE_TOKEN = "template_token"  # a chat-template control token (<|im_end|>, ...) leaked into the text
# a Hermes tool call (`<tool_call>`) in a response to a request that offered no tools (thinkmill sends none)
TOOL_CALL = "tool_call"
# Format flags in the order they are reported as the reason; they make the answer unusable as an SFT target.
# `truncated` comes first: a response cut by max_tokens fails whatever its answer looks like. The parse flag
# `template_opened_think` is informational and never a lint.
FORMAT_FLAGS = (
    TRUNCATED,
    UNFINISHED,
    FINISH_UNKNOWN,
    UNCLOSED_THINK,
    NO_THINK_BLOCK,
    THINK_IN_NO_THINK,
    MULTIPLE_THINK,
    STRAY_CLOSE,
    EMPTY_THINK,
    ANSWER_MISSING,
    TEXT_BEFORE_THINK,
    TEMPLATE_TOKEN,
    TOOL_CALL,
)
# Format flags that fail whatever families `verify.lints.enabled` names: a text the server cut or whose stop token
# leaked is no SFT target in any trace format (with think_format off they let such rows into the version)
ALWAYS_FLAGS = frozenset({TRUNCATED, UNFINISHED, FINISH_UNKNOWN, TEMPLATE_TOKEN, TOOL_CALL})
REPETITION = "repetition"
REFUSAL = "refusal"
LANGUAGE_MISMATCH = "language_mismatch"
THINK_LANGUAGE_MISMATCH = "think_language_mismatch"  # the think block switches into another language (`language`)
THINK_TOO_LONG = "think_too_long"
THINK_TOO_SHORT = "think_too_short"
ANSWER_TOO_LONG = "answer_too_long"
THINK_DISAGREES = "think_disagrees"  # the think block concludes another value than the answer (`judge`, `consistency`)
ANSWER_FORMAT = "answer_format"  # the answer is not in the form the request asked for (`answer_format_ignored`)
# 2: text_before_think, template_token; 3: truncated, template-opened think blocks; 4: the gold answer written once
# is not repetition; 5: unfinished (finish_reason abort, error, repetition, content_filter, ...); 6: an answer in the
# language the task asks for (named in the prompt or system prompt, the reference's script, IFEval's
# response_language) is not a language mismatch; 7: think_disagrees (the `consistency` family: the think block's own
# conclusion is a value the verifier fails while the answer passes); 8: think_language_mismatch (the think block
# reasons in another language than the task's, `think_language_mismatch`); 9: think_disagrees reads a last sentence
# that concludes a number in words ("so Tom has 14 apples.", "So the total is 14.") and a number with the noun the
# question counts ("14 apples" for "How many apples ...?"); 10: answer_format (the request asks for `\boxed{}`, the
# option's letter, an `Answer:` last line or `<answer>` tags and the answer takes another form); 11: answer_format
# holds MMLU-Pro's "the answer is (X)" and a dataset's own answer template quoted after a cue ('End your response with
# "The final answer is [answer]"'); refusal phrases in double quotation marks are a character's words, no refusal;
# 12: IFEval's response_language constraint leaves the think block's language linted (think_language_mismatch); an
# answer that is all quotation marks is the model's own words (a refusal wrapped in them is one); refusal wordings
# beyond the exact phrases (`REFUSAL_PATTERNS`: "I can't help you with that.", "I'm afraid I can't do that."), and
# a refusal in single quotation marks is quoted too; a reasoning field joined to a content with another think block
# keeps both blocks (`pipeline.trace.join_reasoning`: multiple_think); an empty or blank reasoning field is none (no
# empty think block); a language the task names excuses an answer or think block in it only when the task asks for
# it ("respond in Chinese"), not when it names a topic ("a blog post about Chinese New Year"); think_disagrees reads
# the think block's last statement that gives a value (`extract._last_statement`: also the second of one line, not
# "the answer is correct"); 13: answer_format reads an option's letter written onto Chinese or Japanese words
# ("故选C。", "答案为C项": no letter was seen, so every such answer failed under "Answer with the letter of the correct
# choice."); 14: think tags in the answer's code (a fenced block or inline code: `s.replace('<think>', '')`) are the
# answer's text, not think-block tags (`pipeline.trace.think_tags`: such answers failed multiple_think,
# stray_think_close or think_in_no_think, or were judged cut at the `</think>` of their code); 15: answer_format reads
# a capital right after a number as its unit, no option's letter ("Answer: 9 J" named MMLU-Pro's option J); 16: the
# repetition lint counts each Chinese or Japanese character as a word (a Chinese loop was a few long "words" and never
# checked); refusals in Chinese, Japanese, Russian, German, French and Spanish, and a refusal in those languages'
# quotation marks is quoted ("抱歉，我不能回答这个问题。" passed); 17: a stored generation that spent the whole
# max_tokens it was sent is truncated whatever its finish reason (a server's `stop` at the limit passed), and one
# from a live server (openai, vllm backends) that recorded no finish reason fails finish_unknown (it passed as
# finished; `verify.lints.accept_unrecorded_finish` accepts them); truncated, unfinished, finish_unknown and
# template_token fail whatever families `enabled` names (without think_format, cut texts and leaked <|im_end|> passed);
# 18: a Han or kana character counts 3 letters toward `language_min_letters` and in the dominant script, a Hangul
# syllable 2 (a Chinese GSM question of 19 characters was never judged, and a long English answer to it passed; a
# Chinese question naming two English terms was Latin, and its Chinese answer failed language_mismatch); a prompt
# asking for a translation without naming the language excuses another script ("Translate: <Chinese text>" failed
# its English translation); 20: in think mode a blank reasoning field beside an answer without think tags is the
# empty think block a reasoning parser split off (`empty_think`, as the same response written inline; it was
# `no_think_block`), and a code fence opened on the line of the `</think>` (`</think>```python`) is the answer's code,
# its quoted think tags its text (inline such right answers failed multiple_think or unclosed_think, split by a
# reasoning parser they passed; `pipeline.trace.think_tags`); 21: tool_call, a Hermes tool call (`<tool_call>`,
# `<tool_response>`) outside code in the think block or answer, unless the task names the tags: thinkmill sends no
# tools, and such a trace with a right answer passed and taught calls to tools nobody offered
# (`pipeline.trace.find_tool_call`); 22: think_disagrees does not read a statement its sentence doubts ("I don't think
# the answer is 12.") as the think block's conclusion (`extract.doubted_statement`)
LINTS_VERSION = "22"

# Matched case-insensitively in the first `refusal_scan_chars` of the answer, with typographic apostrophes folded.
REFUSAL_PHRASES: tuple[str, ...] = (
    "i can't help with",
    "i cannot help with",
    "i can't assist with",
    "i cannot assist with",
    "i can't provide",
    "i cannot provide",
    "i can't comply",
    "i cannot comply",
    "i won't be able to help",
    "i'm not able to help",
    "i am not able to help",
    "i'm unable to help",
    "i am unable to help",
    "i'm unable to assist",
    "i must decline",
    "i have to decline",
    "i'm sorry, but i can't",
    "i'm sorry, but i cannot",
    "i am sorry, but i cannot",
    "sorry, i can't",
    "sorry, but i can't",
    "as an ai language model",
    "as an ai, i cannot",
    "as an ai, i can't",
    "i'm not comfortable",
    "it would be inappropriate for me",
    "against my guidelines",
    "violates my guidelines",
    "i cannot fulfill",
    "i can't fulfill",
)

# Han (with 々 〆 〇), hiragana and katakana, as `ifeval_google.CJK`: written without spaces, so each character is a
# word of the repetition lint, as the ifeval word counts read them (a Chinese clause was one `\w+` word: a loop of
# one written 150 times never reached `repetition_min_words`; lints 16)
_CJK_CHARS = (
    "\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
)
_WORD = re.compile(rf"(?=\w)[{_CJK_CHARS}]|[^\W{_CJK_CHARS}]+")


def repetition(text: str, cfg: LintConfig, gold: str | None = None) -> bool:
    """Runaway repetition: one long line repeated too often, or too many repeated word n-grams.

    `gold`, the task's reference answer, is taken out of `text` once before counting: move lists and grids repeat
    lines and n-grams by nature, and writing the right answer once is not a loop (writing it twice still counts).
    """
    if gold and gold.strip():
        text = text.replace(gold.strip(), " ", 1)
    lines = [ln.strip() for ln in text.splitlines() if len(ln.strip()) >= 20]
    if lines and Counter(lines).most_common(1)[0][1] > cfg.repetition_max_line_repeats:
        return True
    words = _WORD.findall(text.lower())
    n = cfg.repetition_ngram
    if len(words) < max(cfg.repetition_min_words, n + 1):
        return False
    grams = [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]
    dup_share = 1 - len(set(grams)) / len(grams)
    return dup_share > cfg.repetition_max_dup_share


# The wordings of a refusal the phrases above do not spell out (matched on the lower-cased answer, apostrophes folded):
# the first person declining ("I can't", "I cannot", "I can not", "I won't", "I will not", "I'm not able to", "I am
# unable to") followed by what is declined: help (you) with, assist (you) with or in, provide, comply, fulfil(l), or
# a sentence that ends on "help (you)", "assist (you)" or "do that/this/it". Or an apology ("I'm sorry", "sorry",
# "I'm afraid", "I apologize, but") followed by that first person, whatever the verb. What is declined is named so
# that "I can't help but notice", "I cannot stress enough" and "I can't do that integral by substitution" are no
# refusal; another subject ("you can't do that in Python") is none either, nor an apology without the first person
# declining ("Sorry, the answer is 42", "I apologize, but there was an error").
_DECLINE = r"\bi\s+(?:can't|cannot|can\s+not|won't|will\s+not)|\bi(?:'m|\s+am)\s+(?:not\s+able|unable)\s+to"
REFUSAL_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(
        rf"(?:{_DECLINE})\s+(?:help(?:\s+you)?(?:\s+with\b|\s*(?:[.!]|$))|provide\b|comply\b|fulfill?\b"
        r"|assist(?:\s+you)?(?:\s+(?:with|in)\b|\s*(?:[.!]|$))|do\s+(?:that|this|it)\s*(?:[.!]|$))",
        re.M,
    ),
    re.compile(
        rf"(?:\bi(?:'m|\s+am)\s+(?:sorry|afraid)|\bi\s+apologi[sz]e|\bsorry)\s*[,.;:!]?\s*(?:but\s+)?(?:that\s+)?"
        rf"(?:{_DECLINE})(?!\s+help\s+but\b)"
    ),
)

# The same in Chinese, Japanese, Russian, German, French and Spanish (lints 16; before, the lint read English only and
# "抱歉，我不能回答这个问题。" passed): the first person declining followed by what is declined (help, assist, provide,
# answer this request, fulfil it), an apology followed by the first person declining, or "as an AI" followed by it.
# "我们不能直接相加" (another subject), "我不能确定" (a doubt), "对不起，刚才的计算有误" (an apology for a mistake),
# "Я не могу не отметить", "Ich kann nicht genug betonen", "No puedo evitar notar" are no refusal.
_ZH_DECLINE = r"我(?:不能|无法|無法|没办法|沒辦法|不可以|不会|不會)(?![不再])"  # not "我不能不承认", "我不会再犯"
_RU_DECLINE = r"\bя\s+не\s+(?:могу|смогу|буду|в\s+состоянии)(?!\s+не\b)"
_FR_DECLINE = (
    r"\bje\s+(?:ne\s+(?:peux|pourrai|pourrais|vais)\s+pas|ne\s+suis\s+pas\s+en\s+mesure\s+d[e'])"
    r"(?!\s*(?:m'empêcher|nier)\b)"  # "je ne peux pas m'empêcher de": "I can't help but"
)
_ES_DECLINE = (
    r"\b(?:yo\s+)?no\s+(?:puedo|podré|podría|voy\s+a\s+poder|estoy\s+en\s+condiciones\s+de)"
    r"(?!\s+(?:evitar|creer|negar|dejar\s+de)\b)"  # "no puedo evitar": "I can't help but"
)
REFUSAL_PATTERNS += (
    re.compile(
        rf"{_ZH_DECLINE}(?:帮|幫|协助|協助|[为為][你您]提供|提供|回答(?:这|這|此|你|您|该|該)|满足|滿足|遵从|遵從|参与|參與"
        r"|完成(?:这|這|此|你|您))"
    ),
    re.compile(rf"(?:对不起|對不起|抱歉|不好意思)[，,。！!\s]*(?:(?:但是?|不过|不過)[，,\s]*)?{_ZH_DECLINE}"),
    re.compile(
        rf"作[为為](?:一个|一個|一名|一款)?(?:ai|人工智能)(?:语言模型|語言模型|助手|模型)?[，,\s]*(?:{_ZH_DECLINE}|我(?:没有|沒有))"
    ),
    re.compile(
        r"(?:お手伝い|お答え|お応え|ご協力|ご提供)(?:すること|いたすこと)?(?:は|が)?(?:できません|できかねます|いたしかねます)"
    ),
    re.compile(
        r"(?:申し訳(?:ありません|ございません|ない)|すみません|ごめんなさい)[^。！!？?\n]{0,40}?"
        r"(?:できません|できかねます|いたしかねます|お断りします)"
    ),
    re.compile(r"(?:ai|人工知能)(?:言語モデル|アシスタント)?として[、,]?[^。\n]{0,30}?(?:できません|できかねます)"),
    re.compile(
        rf"{_RU_DECLINE}\s+(?:(?:вам|тебе)\s+)?(?:с\s+этим\s+)?(?:помочь|помогать|предоставить"
        r"|выполнить\s+(?:эту|этот|ваш|вашу|твой|твою|такой|такую|данный|данную)\s+(?:просьбу|запрос|требование)"
        r"|ответить\s+на\s+(?:этот|ваш|твой|такой|данный)\s+(?:вопрос|запрос))"
    ),
    re.compile(
        rf"(?:извините|простите|прошу\s+прощения|мне\s+(?:очень\s+)?жаль|к\s+сожалению)\s*[,.!]?\s*(?:но\s+)?{_RU_DECLINE}"
    ),
    re.compile(
        r"\bкак\s+(?:языковая\s+модель|модель\s+ии|ии|искусственный\s+интеллект|ai)\s*,?\s+я\s+не\s+"
        r"(?:могу|имею|в\s+состоянии)"
    ),
    re.compile(
        r"\bich\s+kann\s+(?:(?:ihnen|dir|euch|leider|dabei|damit|hierbei|hier|da)\s+)*nicht\s+"
        r"(?:(?:dabei|damit|hierbei|weiter)\s+)?(?:helfen|behilflich|weiterhelfen)"
    ),
    re.compile(
        r"(?:es\s+tut\s+mir\s+(?:sehr\s+)?leid|tut\s+mir\s+leid|entschuldigung|entschuldige|ich\s+bedaure)\s*[,.!]?\s*"
        r"(?:aber\s+)?(?:ich\s+(?:kann|darf|werde)|das\s+kann\s+ich)\b[^.!?\n]*?\b(?:nicht|keine[nmrs]?)\b"
    ),
    re.compile(
        r"\bals\s+(?:ki|künstliche\s+intelligenz|ki-sprachmodell|sprachmodell|ki-assistent)\s*,?\s+"
        r"(?:kann|darf|werde)\s+ich\s+(?:(?:ihnen|dir|leider)\s+)*(?:nicht|keine[nmrs]?)\b"
    ),
    re.compile(
        rf"{_FR_DECLINE}\s*(?:vous\s+|t'|te\s+)?(?:aider|assister|fournir|satisfaire"
        r"|(?:répondre|accéder|donner\s+suite)\s+à\s+(?:cette|votre|ta)\s+(?:demande|question|requête))"
    ),
    re.compile(
        r"(?:je\s+suis\s+(?:vraiment\s+|sincèrement\s+)?désolée?|désolée?|je\s+m'excuse|pardon)\s*[,.!]?\s*"
        rf"(?:mais\s+)?{_FR_DECLINE}"
    ),
    re.compile(
        r"\ben\s+tant\s+qu'(?:ia|intelligence\s+artificielle|assistant(?:\s+ia)?|modèle\s+de\s+langage(?:\s+ia)?)"
        r"\s*,?\s+je\s+ne\s+(?:peux|suis|pourrai|dispose)"
    ),
    re.compile(
        rf"{_ES_DECLINE}\s+(?:ayudar(?:te|le|les)?|asistir(?:te|le)?|proporcionar(?:te|le)?|cumplir\s+con"
        r"|(?:responder|atender)\s+(?:a\s+)?(?:esta|esa|tu|su)\s+(?:pregunta|solicitud|petición))"
    ),
    re.compile(
        r"(?:lo\s+siento(?:\s+mucho)?|perdón|perdona|disculpa(?:me|s)?|lamentablemente|desafortunadamente)\s*[,.!]?\s*"
        rf"(?:pero\s+)?{_ES_DECLINE}"
    ),
    re.compile(
        r"\bcomo\s+(?:una?\s+)?(?:ia|inteligencia\s+artificial|modelo\s+de\s+lenguaje(?:\s+de\s+ia)?"
        r"|asistente(?:\s+de\s+ia)?)\s*,?\s+no\s+(?:puedo|tengo|estoy)"
    ),
)

# A character's words in quotation marks: a story or dialogue may quote someone refusing, an explanation may quote a
# refusal. Single quotation marks (apostrophes folded) open after no letter and close before none; an apostrophe
# between letters ("can't") is no quotation mark.
_QUOTED_SPEECH = re.compile(
    r'"[^"\n]*"|\u201c[^\u201d\n]*\u201d|(?<!\w)\'(?:[^\'\n]|(?<=\w)\'(?=\w))*\'(?!\w)'
    # the quotation marks of other languages: «...» (Russian, French, Spanish), „...“ (German), 「...」 and 『...』
    r"|«[^»\n]*»|„[^“”\n]*[“”]|「[^」\n]*」|『[^』\n]*』"
)


def refusal(answer: str, cfg: LintConfig) -> bool:
    """A refusal phrase or wording (`REFUSAL_PATTERNS`) in the first `refusal_scan_chars` of the answer, outside
    quotation marks (lints 11: a story's '"I can't help with that," the old man said' failed as a refusal).
    Quotation marks with no word of the answer outside them are the model's own words, not a character's (lints 12:
    IFEval's "Wrap your entire response with double quotation marks" hid a refusal)."""
    answer = answer.replace("’", "'").replace("‘", "'")
    head = answer[: cfg.refusal_scan_chars]
    if re.search(r"\w", _QUOTED_SPEECH.sub(" ", answer)):
        head = _QUOTED_SPEECH.sub(" ", head)
    head = head.lower()
    return any(p in head for p in REFUSAL_PHRASES) or any(p.search(head) for p in REFUSAL_PATTERNS)


@lru_cache(maxsize=4096)
def _script_of(ch: str) -> str | None:
    if not ch.isalpha():
        return None
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return None
    first = name.split(" ")[0]
    if first in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL"):
        return "CJK"
    return first  # LATIN, CYRILLIC, GREEK, ARABIC, HEBREW, DEVANAGARI, THAI, ...


def strip_non_prose(text: str) -> str:
    text = re.sub(r"```.*?```", " ", text, flags=re.DOTALL)
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|\\\(.*?\\\)|\\\[.*?\\\]", " ", text, flags=re.DOTALL)
    return re.sub(r"\\[a-zA-Z]+", " ", text)


# What a letter weighs in a script's count and toward `language_min_letters`: a Han or kana character is about a word
# (3 letters, as decontamination weighs it against a word's 6), a Hangul syllable spells two or three letters (2), any
# other letter 1. Counted one a letter, a Chinese GSM question of 19 characters was too short to judge, and a Chinese
# question naming two English terms was Latin, so its Chinese answer failed (lints 18).
_HAN_KANA_LETTERS, _HANGUL_SYLLABLE_LETTERS = 3, 2


@lru_cache(maxsize=4096)
def _letter_weight(ch: str) -> int:
    name = unicodedata.name(ch, "")
    if name.startswith(("CJK", "HIRAGANA", "KATAKANA")):
        return _HAN_KANA_LETTERS
    return _HANGUL_SYLLABLE_LETTERS if name.startswith("HANGUL SYLLABLE") else 1


def dominant_script(text: str, min_letters: int) -> str | None:
    """The script most of the text's prose letters are in, or None under `min_letters` letters (each weighed by
    `_letter_weight`)."""
    counts: Counter[str] = Counter()
    for ch in strip_non_prose(text):
        s = _script_of(ch)
        if s:
            counts[s] += _letter_weight(ch)
    if sum(counts.values()) < min_letters:
        return None
    return counts.most_common(1)[0][0]


def _langdetect(text: str) -> str | None:
    """langdetect's language of `text`, as ifeval reads it (no Korean without Hangul, no Japanese without kana), with
    Chinese in either script one language: langdetect called short Chinese texts Korean (its Korean profile holds
    Hanja), so a Chinese answer to a Chinese prompt failed `lint:language_mismatch`, and Simplified against
    Traditional is no other language (lints 19)."""
    from pipeline.verify.verifiers.ifeval_google import detect_language

    lang = detect_language(text)
    return "zh" if lang is not None and lang.startswith("zh") else lang


# Languages a prompt may ask for by name ("answer in Russian", "translate into Japanese"): name -> (Unicode script
# as `_script_of` names it, langdetect's code). A task that asks for a language by name asks for an answer in it.
LANGUAGES: dict[str, tuple[str, str]] = {
    "english": ("LATIN", "en"), "french": ("LATIN", "fr"), "german": ("LATIN", "de"), "spanish": ("LATIN", "es"),
    "italian": ("LATIN", "it"), "portuguese": ("LATIN", "pt"), "dutch": ("LATIN", "nl"), "polish": ("LATIN", "pl"),
    "czech": ("LATIN", "cs"), "swedish": ("LATIN", "sv"), "danish": ("LATIN", "da"), "norwegian": ("LATIN", "no"),
    "finnish": ("LATIN", "fi"), "romanian": ("LATIN", "ro"), "hungarian": ("LATIN", "hu"), "turkish": ("LATIN", "tr"),
    "vietnamese": ("LATIN", "vi"), "indonesian": ("LATIN", "id"), "swahili": ("LATIN", "sw"),
    "tagalog": ("LATIN", "tl"), "catalan": ("LATIN", "ca"), "croatian": ("LATIN", "hr"), "latin": ("LATIN", "la"),
    "russian": ("CYRILLIC", "ru"), "ukrainian": ("CYRILLIC", "uk"), "bulgarian": ("CYRILLIC", "bg"),
    "serbian": ("CYRILLIC", "sr"), "macedonian": ("CYRILLIC", "mk"), "kazakh": ("CYRILLIC", "kk"),
    "greek": ("GREEK", "el"), "arabic": ("ARABIC", "ar"), "persian": ("ARABIC", "fa"), "farsi": ("ARABIC", "fa"),
    "urdu": ("ARABIC", "ur"), "hebrew": ("HEBREW", "he"), "hindi": ("DEVANAGARI", "hi"),
    "marathi": ("DEVANAGARI", "mr"), "nepali": ("DEVANAGARI", "ne"), "sanskrit": ("DEVANAGARI", "sa"),
    "bengali": ("BENGALI", "bn"), "tamil": ("TAMIL", "ta"), "telugu": ("TELUGU", "te"),
    "gujarati": ("GUJARATI", "gu"), "kannada": ("KANNADA", "kn"), "malayalam": ("MALAYALAM", "ml"),
    "punjabi": ("GURMUKHI", "pa"), "thai": ("THAI", "th"), "armenian": ("ARMENIAN", "hy"),
    "georgian": ("GEORGIAN", "ka"), "japanese": ("CJK", "ja"), "chinese": ("CJK", "zh-cn"),
    "mandarin": ("CJK", "zh-cn"), "cantonese": ("CJK", "zh-tw"), "korean": ("CJK", "ko"),
}  # fmt: skip
# A request for a translation, in the languages whose prompts the lints read ("Translate:", "请翻译", "翻訳して",
# "Переведите", "Übersetze", "Traduis", "Traduce")
_TRANSLATE = re.compile(
    r"\btranslat(?:e|es|ed|ing|ion)\b|翻译|翻譯|翻訳|перевед|übersetz|tradui|tradu[cz]", re.IGNORECASE
)
_LANGUAGE_NAME = re.compile(r"\b(" + "|".join(LANGUAGES) + r")\b", re.IGNORECASE)
# An instruction to use a language, not a mention of it ("a blog post about Chinese New Year", "in Chinese culture",
# "Chinese-speaking families" name a topic): "in" or "into" a language that no other word follows but a list's
# ("in Chinese and English") or these ("in Russian only", "in the Korean language"); "translate ... to" it; "use" or
# "using" it; "<Language> language".
_NAME = "(?:" + "|".join(LANGUAGES) + r")\b"
_NAMES = rf"{_NAME}(?:\s*(?:,|/|\band\b|\bor\b)\s*{_NAME})*"
_AFTER_NAME = (
    r"(?:languages?|only|and|or|please|as|so|but|with|without|using|instead|too|throughout|text|characters|script)"
)
_ASKS_LANGUAGE = re.compile(
    rf"\b(?:in|into)\s+(?:the\s+)?({_NAMES})(?![-\u2010]\w)(?!\s+(?!{_AFTER_NAME}\b)[a-z])"
    rf"|\btranslat\w*\b[^.!?\n]*?\bto\s+(?:the\s+)?({_NAMES})\b"
    rf"|\b(?:use|using)\s+(?:only\s+)?(?:the\s+)?({_NAMES})\b"
    rf"|\b({_NAME})\s+language\b",
    re.IGNORECASE,
)


def named_languages(*texts: str | None) -> set[tuple[str, str]]:
    """The (script, langdetect code) of every language the texts ask to be used (`_ASKS_LANGUAGE`; lints 12: before,
    any mention of a language's name)."""
    return {
        LANGUAGES[name.lower()]
        for t in texts
        if t
        for m in _ASKS_LANGUAGE.finditer(t)
        for names in m.groups()
        if names
        for name in _LANGUAGE_NAME.findall(names)
    }


def language_mismatch(
    prompt: str, answer: str, cfg: LintConfig, *, gold: str | None = None, system: str | None = None
) -> bool:
    """The answer is not in the prompt's language (script-based by default; langdetect optionally), unless the task
    asks for the answer's language: the prompt or its system prompt asks for it by name ("Your entire response should
    be in Russian", "Translate into Japanese": `named_languages`), or the system prompt or the reference answer
    (`gold`) is written in it."""
    p_script = dominant_script(prompt, cfg.language_min_letters)
    a_script = dominant_script(answer, cfg.language_min_letters)
    if p_script is None or a_script is None:
        return False
    asked = named_languages(prompt, system)
    if p_script != a_script:
        # a reference or system prompt of some words (not a maths answer's variable: `x = 2`) written in the script
        written = {dominant_script(t, max(4, cfg.language_min_letters // 2)) for t in (gold, system) if t}
        if not asked and any(_TRANSLATE.search(t) for t in (prompt, system) if t):
            return False  # "Translate: <a Chinese text>" names no target: a translation is in another script (lints 18)
        return a_script not in written and a_script not in {s for s, _ in asked}
    if cfg.language_method == "langdetect":
        p_lang, a_lang = _langdetect(strip_non_prose(prompt)), _langdetect(strip_non_prose(answer))
        if p_lang is None or a_lang is None or p_lang == a_lang:
            return False
        written = {_langdetect(strip_non_prose(t)) for t in (gold, system) if t and len(t) >= 20}
        return a_lang not in written and a_lang not in {c for _, c in asked}
    return False


# Characters named like letters that are symbols in a text's prose: mathematical alphabets (`𝑥`, `ℝ`)
_SYMBOL_SCRIPTS = frozenset(("MATHEMATICAL", "DOUBLE-STRUCK", "SCRIPT", "BLACK-LETTER"))
_WIDTH_PREFIXES = ("FULLWIDTH", "HALFWIDTH")
_FOREIGN_MIN = 5  # a think block with fewer words in other scripts than this has not switched language


@lru_cache(maxsize=8192)
def _word_script(ch: str) -> str | None:
    """The script of a letter for counting words (`_script_of`, with full- and half-width forms read as their script
    and mathematical alphabets as symbols)."""
    if not ch.isalpha():
        return None
    try:
        words = unicodedata.name(ch).split(" ")
    except ValueError:
        return None
    if words[0] in _WIDTH_PREFIXES and len(words) > 1:
        words = words[1:]
    if words[0] in _SYMBOL_SCRIPTS:
        return None
    return "CJK" if words[0] in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL") else words[0]


def script_words(text: str) -> Counter[str]:
    """Words of `text`'s prose by script (code blocks and maths left out): a CJK character is a word, a run of two or
    more letters of another script is one (a lone Greek letter, "θ", is a symbol)."""
    counts: Counter[str] = Counter()
    run_script, run = None, 0
    for ch in strip_non_prose(text) + " ":
        s = _word_script(ch)
        if s == "CJK":
            counts["CJK"] += 1
        if s != run_script or s == "CJK":
            if run_script is not None and run_script != "CJK" and run >= 2:
                counts[run_script] += 1
            run_script, run = s, 0
        run += 1
    return counts


def think_language_mismatch(
    prompt: str, think: str, cfg: LintConfig, *, gold: str | None = None, system: str | None = None
) -> bool:
    """The think block reasons in another language than the task's: words in scripts that neither the prompt, the
    task's system prompt, the reference answer nor a language they ask for uses are at least `_FOREIGN_MIN` and more
    than `think_language_max_share` of its words (a Chinese phrase amid English reasoning, a block in Russian for an
    English question). A word quoted from the prompt's script, Greek letters as symbols, maths and code are not."""
    words = script_words(think)
    total = sum(words.values())
    if total == 0 or dominant_script(prompt, cfg.language_min_letters) is None:
        return False
    allowed = {s for t in (prompt, system, gold) if t for s in script_words(t)}
    allowed |= {s for s, _ in named_languages(prompt, system)}
    foreign = sum(n for s, n in words.items() if s not in allowed)
    return foreign >= _FOREIGN_MIN and foreign / total > cfg.think_language_max_share


# What a request asks the final answer to look like: generation's suffixes (`pipeline.generate.templates`: "Put your
# final answer within \boxed{}.", "Answer with the letter of the correct choice.", "Put only your final answer inside
# <answer> and </answer> tags.") and the datasets' own instructions (DeepScaleR's "output the final answer within
# \boxed{}", NuminaMath's "Return your final response within \boxed{}", DAPO's "The last line of your response should
# be of the form Answer: $Answer").
_ASKS_BOXED = re.compile(
    r"\\boxed\s*\{\s*\}|\b(?:within|in|inside|into|using|with|as)\s+(?:an?\s+|the\s+)?\$?\\boxed\b", re.I
)
_ASKS_TAGS = re.compile(
    r"<answer>\s*(?:and\s+)?</answer>|\b(?:inside|within|in|between|using)\s+(?:the\s+)?<answer>", re.I
)
_ASKS_LAST_LINE = re.compile(r"\b(?:last|final)\s+line\b[^\n]*\bAnswer\s*:", re.I)
_ASKS_AFTER = re.compile(r"\bafter\s+[\"'\u201c]?Answer\s*:", re.I)
_ASKS_LETTER = re.compile(
    r"\b(?:answer|respond|reply)\s+with\s+(?:only\s+|just\s+)?the\s+(?:option\s+|choice\s+)?letter\b"
    r"|\bletter\s+of\s+the\s+(?:correct|right|best)\s+(?:choice|option|answer)\b",
    re.I,
)
_ANSWER_IS = re.compile(r"(?i:\banswer\s+is)\s*:?[\s(*]*[A-Z](?![\w'\u2019])")
_BOXED = re.compile(r"\\(?:boxed|fbox)\s*\{")
_TAGGED = re.compile(r"<answer>.*?</answer>", re.I | re.S)
_ANSWER_LINE = re.compile(r"^\s*(?:\*\*)?\s*Answer\s*(?:\*\*)?\s*:\s*(?:\*\*)?\s*\S", re.I | re.M)
# an option's letter named in the answer: `C`, `(C)`, `**C**`, `(c)`; not a word's capital, nor the article "A" or the
# pronoun "I" before a word ("A physical change ...", "I think ..."). A letter written onto Chinese or Japanese words
# is a letter ("故选C。", "答案为C项", "正解はCです"; lints 13: lints 12 read it as part of a word).
_CJK = r"\u3005\u3040-\u30ff\u3400-\u9fff"
_LETTER_TOKEN = re.compile(
    rf"(?:(?<![\w'\u2019\\])|(?<=[{_CJK}]))(?:\(([A-Za-z])\)|([A-Z]))(?:(?![\w'\u2019])|(?=[{_CJK}]))"
)

# a number right before a capital makes it a unit ("Answer: 9 J", "2.5 A", "10 C"; lints 14 read MMLU-Pro's option J)
_AFTER_NUMBER = re.compile(r"\d[ \t\u00a0\u202f]\Z")


def _names_a_letter(answer: str, letters: set[str]) -> bool:
    for m in _LETTER_TOKEN.finditer(answer):
        letter = (m.group(1) or m.group(2)).upper()
        if letter not in letters:
            continue
        if m.group(2) in ("A", "I") and re.match(r"\s+[a-z]", answer[m.end() :]):
            continue
        if m.group(2) and _AFTER_NUMBER.search(answer, max(0, m.start() - 2), m.start()):
            continue  # lints 15: a unit ("9 J", "2.5 A"), not option J
        return True
    return False


def answer_format_ignored(request: str, answer: str) -> bool:
    """Whether `request` (the user turn as sent) asks for a form of the final answer that `answer` (after the think
    block) does not take: `\\boxed{}`, `<answer>` tags, an `Answer:` last line (or a line after "Answer:"), MMLU-Pro's
    "the answer is (X)", an answer template quoted after a cue (`answer_form.template_prefix`), or the letter of one
    of the options it lists. A response that answered right in another form passed, and the dataset's row taught the
    fine-tune to ignore the instruction in its own user turn."""
    if _ASKS_BOXED.search(request) and not _BOXED.search(answer):
        return True
    if _ASKS_TAGS.search(request) and not _TAGGED.search(answer):
        return True
    if _ASKS_LAST_LINE.search(request):
        lines = [line for line in answer.strip().splitlines() if line.strip()]
        if not lines or not _ANSWER_LINE.match(lines[-1]):
            return True
    elif _ASKS_AFTER.search(request) and not _ANSWER_LINE.search(answer):
        return True
    if asks_answer_is(request) and not _ANSWER_IS.search(answer):
        return True
    prefix = template_prefix(request)
    if prefix is not None and prefix not in plain(answer):
        return True
    if _ASKS_LETTER.search(request):
        options = options_in_prompt(request)  # as ingest reads them: `A. ...` lines, BIG-Bench Hard's `(A) ... (B)`
        if options and not _names_a_letter(answer, set(ascii_uppercase[: len(options)])):
            return True
    return False


def _asks_tool_tags(*texts: str | None) -> bool:
    """Whether the task names Hermes' tool-call tags itself (its prompt asks for a call written out as text)."""
    return any(t and re.search(r"<?/?tool_(?:call|response)>", t, re.IGNORECASE) for t in texts)


def run_lints(
    parsed: ParsedTrace,
    prompt: str,
    think_tokens: int,
    answer_tokens: int,
    cfg: LintConfig,
    gold: str | None = None,
    *,
    system: str | None = None,
    language_checked: bool = False,
    request: str | None = None,
) -> list[str]:
    """Every lint flag that fires, format flags first (in FORMAT_FLAGS order; `ALWAYS_FLAGS` whatever families are
    enabled). `gold`: see `repetition` and
    `language_mismatch`; `system`: the task's own system prompt; `language_checked`: the task's verifier checks the
    answer's language itself (IFEval's `language:response_language`), so `language_mismatch` stays out of it; the
    think block's language is still linted, since that check never reads it;
    `request`: the user turn as sent (`answer_format`; default: `prompt`)."""
    enabled = set(cfg.enabled or LINT_FAMILIES)
    flags: list[str] = []
    think_format = "think_format" in enabled  # else only its ALWAYS_FLAGS
    flags += [
        f
        for f in FORMAT_FLAGS
        if f in parsed.flags
        and (think_format or f in ALWAYS_FLAGS)
        and not (f == FINISH_UNKNOWN and cfg.accept_unrecorded_finish)
    ]
    if find_template_token(parsed.think) or find_template_token(parsed.answer):
        flags.append(TEMPLATE_TOKEN)
    if (find_tool_call(parsed.think) is not None or find_tool_call(parsed.answer) is not None) and not _asks_tool_tags(
        prompt, system, request
    ):
        flags.append(TOOL_CALL)
    if "repetition" in enabled and (repetition(parsed.think or "", cfg, gold) or repetition(parsed.answer, cfg, gold)):
        flags.append(REPETITION)
    if "refusal" in enabled and refusal(parsed.answer, cfg):
        flags.append(REFUSAL)
    if "language" in enabled:
        if (
            not language_checked
            and parsed.answer
            and language_mismatch(prompt, parsed.answer, cfg, gold=gold, system=system)
        ):
            flags.append(LANGUAGE_MISMATCH)
        if parsed.think and think_language_mismatch(prompt, parsed.think, cfg, gold=gold, system=system):
            flags.append(THINK_LANGUAGE_MISMATCH)
    if "length" in enabled:
        if think_tokens > cfg.max_think_tokens:
            flags.append(THINK_TOO_LONG)
        if parsed.think is not None and think_tokens < cfg.min_think_tokens:
            flags.append(THINK_TOO_SHORT)
        if answer_tokens > cfg.max_answer_tokens:
            flags.append(ANSWER_TOO_LONG)
    if "answer_format" in enabled and parsed.answer.strip() and answer_format_ignored(request or prompt, parsed.answer):
        flags.append(ANSWER_FORMAT)
    return flags
