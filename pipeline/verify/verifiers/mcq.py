"""`mcq`: the chosen letter against the reference; several different letters fail.

`verifier_args.choices` may be a list, a letter -> text object or ARC's `{label, text}` (as at ingest); the
reference is a letter (or, as at ingest, a label, a 0-based index or an option's text).

Accepted forms: `\\boxed{C}`, `Answer: C`, `the answer is (C)`, `(C)`, `C.` / `C)` at a line start, a bare `C`,
or the text of exactly one choice. A hedge ("Answer: B or C", "B, C, or D", "B/C") and an answer changed after it
was boxed ("\\boxed{B} ... actually, the answer is C") fail `multiple_answers` (version 2); a stated answer corrected
later ("Answer: B. Wait, actually C.") counts as its last letter. An option named in passing after the answer was
given ("Answer: D. Option B, Mars, is red.", "I rejected option B.") is not the answer (version 3: version 2 read
its letter as the last one stated, so that response passed for B); options only named, with no answer given, count
when they name one option ("I choose option B.") and fail `multiple_answers` when they name several. "I" and "A"
read as words ("Answer: I think it's B", "The answer: A planet ...") are no letters (version 3). A lower-case letter in
parentheses is a letter ("Answer: (b)", "(c) or (d)" a hedge; version 4: version 3 found no answer there); a bare
lower-case one is not ("The answer: a red planet"). A stated letter beside another option's text ("The answer is
Venus (C).", "Answer: Mars, which is D.") fails `multiple_answers` (version 6). So does an answer hedged on its own
line with another option called right or possible ("Answer: C (but B is also plausible)", "The answer is C, though D
could also be correct", "\\boxed{C} (or possibly D)"; version 7); another option named otherwise ("C, not B", "B is
also a planet") is no hedge. An answer given in other words counts (version 8; version 7 found none): "The answer
must be B", "Answer - B", "Final: B", "I would choose B.", "I'll go with B.", "B is correct.", "Option B is the best
answer.", "Therefore, B.", "It's B."; a letter discussed ("If B is correct, ...", "Neither A nor B is correct", "I
first chose B", "The answer would be B if ...") is none, and two letters called right ("A is correct. B is
correct.") fail `multiple_answers`. An option's text with no letter counts only where it is given, not negated or
asked about ("It is not Mars.", "Mars is wrong.", "Could it be Mars? No." passed for Mars in version 7), nor in a
reason or a supposition ("Why not Mars? Because Mars is red.", "If Mars were blue, ..."; version 9). Version 9 also
reads an option's text stated as the answer ("Venus is hot. The answer is Mars.") and a boxed letter with its text
(`\\boxed{C. Mars}`) where the explanation names other options (version 8 failed them `multiple_answers`), a conclusion
after a comma or "but" (", so really C.", "But it is C."), and no letter stated as rejected ("Final answer: B is
eliminated") or under a supposition ("If ..., the answer would be B."), and a box taken back ("\\boxed{C} Oops, it
should be B.", "... Actually, option B is correct."): version 8 passed those. Version 10 drops an option's text ruled
out by what follows it ("Mars is red, so it cannot be the answer.", "It can't be Mars.", "Mars is ruled out."; version
9 passed these for Mars) and reads a list that judges every option on its own line ("A. Mercury - incorrect" ...
"C. Mars - correct"; version 9 read every letter and failed it `multiple_answers`) and a boxed "Option C"
(`\\boxed{\\text{Option C}}`: no answer in version 9).
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Iterable

from pipeline.ingest.choices import (
    CYRILLIC_LABELS,
    ChoiceError,
    lists_cyrillic_options,
    parse_choices,
    resolve_answer,
)
from pipeline.verify.config import VerifyConfig
from pipeline.verify.errors import VerifierArgsError
from pipeline.verify.extract import (
    CJK_ALSO_RIGHT,
    CORRECTION_WORDS,
    FOREIGN_ALSO_RIGHT,
    FOREIGN_COULD_BE,
    FOREIGN_MAYBE,
    FOREIGN_STATED,
    HEDGE_RIGHT,
    KEPT_AS_REMOTE,
    REMOTE,
    REMOTE_ONE,
    STILL_POSSIBLE,
    after_take_back,
    answer_retracted,
    boxed_spans,
    doubted_statement,
    final_answer,
    halfwidth,
    line_value,
    stated_answer,
    stated_line,
    strip_math,
    taken_back,
    untagged,
)
from pipeline.verify.registry import builtin
from pipeline.verify.result import CheckResult, TaskSpec

# The pronoun and the article are no option letters ("Answer: I think it's B", "The answer: A planet with rings"):
# with ten options (MMLU-Pro's A..J) "I" was read as the answer.
_NOT_A_LETTER = (
    r"(?!(?<=I)(?:'[a-z]|\s+(?-i:think|believe|am|was|would|will|guess|feel|suspect|reckon|choose|chose|pick|picked"
    r"|go|went|say|must|should|can|could|have|had|do|did|need|know|see|agree|conclude|get|got|found)\b))"
    r"(?!(?<=A)\s+(?!(?-i:is|was|because|since|as|and|or|but|with|which|would|should|could|seems|fits|matches)\b)"
    r"(?-i:[a-z]{2,}))"
)
# An option's letter: a capital, or a lower-case one in parentheses ("Answer: (b)"; a bare "a" is the article)
_LOWER_IN_PARENS = r"\(\s*(?-i:(?P<lower>[a-z]))\s*\)"
# an arrow ("→ C", "=> C")
_ARROW = r"(?:->|=>|[\u2192\u21d2\u27f9\u27f6\u279c\u27a1])"
# What joins the keyword to the letter: "is", ":", "=", a dash ("Answer - B"), or a verb the answer is said with ("The
# answer must be B", "The answer is therefore B"; mcq 8). "would be" is read only when the letter ends its clause ("The
# answer would be B if ..." names a letter under a condition).
_CONNECTIVE = (
    r"(?P<conn>is\s+(?:therefore|thus|clearly|definitely|indeed|then)\b"
    # mcq 27: "The answer is most likely C.", "The answer is probably C." (no answer found before)
    r"|is\s+(?:most\s+likely|most\s+probably|likely|probably|almost\s+certainly)\b|is|:"
    r"|" + _ARROW + r"|=|[\u2014\u2013]|-(?!\w)"  # mcq 30: "Answer → C" (no answer found before)
    r"|(?:must|should|will|has\s+to)\s+be\b|(?P<would>would\s+be)\b)"
)
# mcq 13: an answer stated in the prompt's language (`extract.FOREIGN_STATED`: "答案是 C", "La respuesta correcta es
# C", "Die richtige Antwort ist C", "Ответ: C", "正解は C"), a Chinese choice after a conclusion ("故选B", "故选：B",
# "所以选 C", "因此应选 C", "答案选B"; not "不选A" nor "如果选B"), "正确选项是 C" (not "错误的选项是 A"),
# "Правильный вариант — C" and "La opción correcta es C": mcq 12 found no answer in them
# mcq 24: a choice that opens its clause ("选C", "我选C。", "我选择C", "所以本题选C", "，选C。"), read only where
# the letter ends its clause (`_CLAUSE_CHOICE_ENDS`: not "选C是错误的", "选C的同学", "我选C还是B？"; not "不选C",
# "如果我选C"), and C-Eval's and CMMLU's "【答案】C": mcq 23 found no answer in them
_CLAUSE_CHOICE = (
    r"(?P<clause_choice>(?:(?<![^\s.,!?:;*#\u3002\u3011])|(?<=所以)|(?<=因此)|(?<=因而)|(?<=故)|(?<=则)|(?<=則))"
    r"(?:我|本题|本題)?(?:会|會|应该?|應該?|就)?\s*(?:选|選)(?:择|擇)?)"
)
_CLAUSE_CHOICE_ENDS = re.compile(r"\s*(?:项|項|选项|選項)?\s*(?:[.,;:!?()\u3001\u3002]|或|和|$)", re.MULTILINE)
# the Chinese choices as `_VALUE_LINE` reads them (with no letter group): "故选C．金星" gives a letter and a text
_CHINESE_CHOICE = (
    r"(?:故|所以|因此|因而|则|則|应该?|應該?|答案|最终|最終)\s*(?:选|選)(?:择|擇)?|"
    + _CLAUSE_CHOICE.replace("(?P<clause_choice>", "(?:")
    + r"|【(?:正确|正確)?答案】\s*[:：]?"
)
_FOREIGN_GIVEN = (
    r"(?P<foreign>" + FOREIGN_STATED + r"|(?:故|所以|因此|因而|则|則|应该?|應該?|答案|最终|最終)\s*(?:选|選)(?:择|擇)?"
    r"|" + _CLAUSE_CHOICE + r"|【(?:正确|正確)?答案】\s*[:：]?"
    r"|(?:正确|正確)的?(?:选项|選項)\s*(?:是|为|為|[:：])"
    r"|(?<!\w)(?:(?:правильный|верный)\s+вариант\s*(?:[:\u2014\u2013]|-(?!\w))|opci[oó]n\s+correcta\s+es(?!\w)))"
)
# an option's word in another language before its letter ("la opción C", "вариант C", "选项C")
_FOREIGN_OPTION = (
    r"(?:(?:la\s+|el\s+|l['\u2019]\s*)?(?:opci[oó]n|opzione|op[cç][aã]o|variante|вариант)\s+|(?:选项|選項)\s*)"
)
# a letter written onto a Chinese or Japanese word ("C项", "C选项") ends there, and (mcq 25) onto a Korean one
# ("C입니다")
_LETTER_ENDS = r"(?:\b|(?=[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3]))"
# mcq 30: a word of conclusion between the keyword and the letter ("La bonne réponse est donc C.", "La respuesta es,
# por lo tanto, C.", "Die richtige Antwort ist also C.") and an article before it ("La respuesta correcta es la C.",
# "La bonne réponse est la C.", "A resposta correta é a C."): mcq 29 found no answer in them
_FILLER = (
    r"(?:,?\s*(?:therefore|thus|hence|donc|alors|ainsi|entonces|por\s+(?:lo\s+)?tanto|pues|quindi|dunque|portanto"
    r"|ent[ãa]o|daher|somit|folglich|(?<=ist\s)also|(?<=lautet\s)also)\b\s*,?\s*)"
)
_ARTICLE = r"(?:(?-i:la|el|le)\s+|(?<=\u00e9\s)(?-i:a)\s+)"
# mcq 32: a keyword after "each", "every", "these", ... heads a list of the options ("Let's evaluate each option:\n\nA.
# Mercury: grey.\nB. ..."): it was read as "option: A", and a right answer after the list failed `multiple_answers`
_LIST_HEAD = (
    r"(?<!\beach\s)(?<!\bevery\s)(?<!\bother\s)(?<!\bthese\s)(?<!\bthose\s)(?<!\bremaining\s)(?<!\bfollowing\s)"
    r"(?<!\beach\sanswer\s)(?<!\bevery\sanswer\s)"
)
_STATED = re.compile(
    # (mcq 30: "The answer here is C.", "The best choice here is C."; no answer found before)
    # (mcq 31: "Pick: C", "My pick is C."; no answer found before: read with a connective only, "pick C" is a verb)
    r"(?:" + _LIST_HEAD + r"(?:final\s+answer|correct\s+answer|answer|choice|option|final(?=\s*:)"
    r"|(?<![\w'])(?:(?:my|final|top|best)\s+)?pick(?=\s*(?:(?:is|would|will|must|should)\b|[:=\u2192\u21d2\u2014\u2013]|->"
    r"|-(?!\w))))(?:\s+here)?\s*"
    + _CONNECTIVE
    + r"?|"
    + _FOREIGN_GIVEN
    + r")\s*:?\s*"
    + _FILLER
    + r"?(?:\*\*)?"
    + _ARTICLE
    + r"?(?:(?:option|choice)\s+|"
    + _FOREIGN_OPTION
    + r")?(?:"
    + _LOWER_IN_PARENS
    + r"|(?:\(|\[(?=\s*[A-Z]\s*\]))?\s*(?-i:(?P<letter>[A-Z]))"  # mcq 27: "Answer: [C]" (no answer found before)
    + _LETTER_ENDS
    + _NOT_A_LETTER
    + r"[)\]]?)",
    re.IGNORECASE,
)
_A_LETTER = r"(?:" + _LOWER_IN_PARENS + r"|\(?(?-i:(?P<letter>[A-Z]))\)?)"
# A letter that ends its clause (not "C is wrong"): what a hedge or a correction must name.
# (mcq 25: or a Japanese or Korean copula or "or" after it: "Bです。", "CまたはB", "B입니다.", "C 또는 B")
_JA_OR = r"(?:または|もしくは|あるいは|또는|혹은)"
_ENDS = (
    r"(?:\*\*)?(?=\s*(?:[.,;:!?)/&。、，]|\*\*|\b(?:or|and|o|ou|oder|или)\b|或|和|与|與|"
    + _JA_OR
    + r"|(?:です|である|だ|입니다|이다|이에요|예요)(?:[.,!。、]|が|\s*$)|$))"
)
_ENDS_HERE = re.compile(_ENDS, re.IGNORECASE | re.MULTILINE)
# More letters right after a stated one: "B or C", "B, C, or D", "(B) and (C)", "B/C"; mcq 15: "or" in the languages of
# `FOREIGN_STATED` ("C, o B", "C ou B", "C oder B", "C или B", "C，或者B")
_HEDGE = re.compile(
    r"(?:\*\*)?\s*(?:[,，、]\s*(?:(?:or|and|o|ou|oder|или)\s+|或者?\s*|" + _JA_OR + r"\s*)?|/|&|\s*" + _JA_OR + r"\s*|"
    r"\s(?:or|and|o|ou|oder|или)(?:\s+maybe|\s+possibly)?\s+|或者?|和|与|與|"
    # mcq 32: "C — or B" (it passed for C)
    r"\s*(?:[\u2014\u2013]|\s-)\s*(?:or|o|ou|oder|или)(?:\s+maybe|\s+possibly|\s+perhaps)?\s+|"
    # mcq 31: "C+B", "C-D" (each passed for C; not "C-type")
    r"\+|[-\u2013](?=(?-i:[A-Z])(?![A-Za-z]))|"
    # mcq 31: another letter in parentheses right after, or after "or" there: "C (B)", "C (or B)" (each passed for C)
    r"\s*\((?:\s*(?:or|and|o|ou|oder|или)\s+)?\s*(?=(?-i:[A-Z])\s*\))|"
    + _JA_OR
    # mcq 30: "option C or option B" (it passed for C), "la C o la B"
    + r")\s*(?:\*\*)?"
    + _ARTICLE
    + r"?(?:(?:option|choice)\s+(?:\*\*)?)?"
    + _A_LETTER
    + _ENDS,
    re.IGNORECASE | re.MULTILINE,
)
# An answer changed after it was given: "Answer: B. Wait, actually C.", "A - no, D", "I mean (C)".
# mcq 28: the first answer called wrong between ("The answer is B. Wait, that's wrong, it's C." passed for B); called
# wrong without a correction word, the new answer must be stated ("That's wrong; it's C."), so that a distractor
# called wrong ("A claims ...; that's wrong. B ...") is no correction
_CALLED_WRONG = (
    r"(?:that'?s|that\s+is|this\s+is|it'?s)\s+(?:wrong|incorrect|not\s+(?:right|correct))[\s,:;.!\u2014\u2013-]*"
)
_CONNECTOR = (
    r"(?:(?:it'?s|it\s+is|it\s+should\s+be|the\s+answer\s+is|I'?ll\s+go\s+with|go\s+with|I\s+choose"
    # mcq 13: "Espera, en realidad es B.", "不对，应该选B。", "不对，是 B。"
    r"|es|est|ist|c'est|это)\s+|(?:应该|應該|应|應)?(?:是|选|選|为|為)\s*)"
)
# mcq 32: an answer rethought ("Hmm, on reflection, (B).", "On closer inspection, it's B."; it passed for the first)
_RETHOUGHT = (
    r"(?:\bon\s+(?:further\s+|second\s+|closer\s+|more\s+)?(?:reflection|inspection|consideration|thought)"
    r"|\bhaving\s+reconsidered|\b(?:thinking|looking)\s+(?:again|more\s+carefully))\b"
)
_CORRECTION = re.compile(
    r"(?:(?:"
    + CORRECTION_WORDS
    + "|"
    + _RETHOUGHT
    + r")[\s,:;!\u2014\u2013\u3001-]*(?:"
    + _CALLED_WRONG
    + r")?"
    + _CONNECTOR
    + r"?"
    r"|(?<![\w'])" + _CALLED_WRONG + _CONNECTOR + r")"
    r"(?:\*\*)?(?:(?:option|choice)\s+)?" + _A_LETTER + _ENDS,  # mcq 30: "No, option B."
    re.IGNORECASE | re.MULTILINE,
)
# An answer given without the keyword (mcq 8: `_CHOSEN`, `_CALLED_RIGHT`): "I would choose B.", "I'll go with (B).",
# "B is correct.", "Option B is the best answer.", "Therefore, B.", "It's B." Each is read only where it is said as the
# answer: a choice in the present or future ("I first chose B" is history), a letter called right at the start of a
# sentence and ending its clause ("If B is correct, ...", "Neither A nor B is correct", "B is correct only for ..." are
# not), a conclusion whose line ends with the letter.
_SENTENCE_START = r"(?:^|(?<=[.!?:;])[ \t]+|(?<=[.!?:;]\*\*)[ \t]+)(?:\*\*)?"
# a reason may follow (mcq 11: "I choose C because Mars looks red.")
_CLAUSE_ENDS = r"(?=(?:\*\*)?\s*(?:[.,;!)/&]|\bor\b|\band\b|$)|\s+(?:because|since|as(?!\s+well))\b)"
# "I'm confident it's C.", "I believe C is correct." (mcq 11)
# (mcq 30: with an adverb, "I'm fairly confident it's C"; no answer found before)
_BELIEF = (
    r"(?:I\s+(?:believe|think)|(?:I'?m|I\s+am)\s+(?:(?:fairly|quite|very|pretty|reasonably|absolutely|completely"
    r"|entirely|highly|100%)\s+)?(?:confident|sure|certain))(?:\s+that)?"
)
# a letter that ends its line ("D.", "**C**")
_LINE_ENDS = r"(?=(?:\*\*)?[ \t]*[.!]?(?:\*\*)?[ \t]*$)"
_CHOSEN = [
    re.compile(p, re.IGNORECASE | re.MULTILINE)
    for p in (
        r"(?<![\w'])(?-i:I)(?:\s+(?:would|will|shall)|'ll|'d|\s+am\s+going\s+to|'m\s+going\s+to)?\s+"
        r"(?:choose|pick|select|go\s+with|opt\s+for|answer|say)\s+(?:(?:option|choice|answer)\s+)?(?:\*\*)?"
        + _A_LETTER
        + _CLAUSE_ENDS,
        # (mcq 30: "Going with C." opening its sentence; no answer found before)
        r"(?:(?<![\w'])(?:let'?s|I'?m)\s+|" + _SENTENCE_START + r"(?=going\b))go(?:ing)?\s+with\s+"
        r"(?:(?:option|choice|answer)\s+)?(?:\*\*)?" + _A_LETTER + _CLAUSE_ENDS,
        # mcq 30: "C it is." (no answer found before)
        _SENTENCE_START
        + r"(?:(?:so|thus|therefore|then)\s*,?\s+)?(?:(?:option|choice)\s+)?(?:\*\*)?"
        + _A_LETTER
        + r"(?:\*\*)?\s+it\s+is"
        + _CLAUSE_ENDS,
        r"(?:" + _SENTENCE_START + r"(?:but\s+)?|(?<=,)[ \t]+(?=(?:so|thus|therefore|hence)\b))"
        r"(?:so|thus|therefore|hence|finally|it'?s|it\s+is|it\s+must\s+be|here\s*,?\s+it\s+is"
        r"|that'?s|that\s+is"  # mcq 30: "That's C." (no answer found before)
        r"|this\s+is"  # mcq 31: "This is C." (no answer found before)
        r"|it\s+has\s+to\s+be|(?:that|which|this)\s+leaves"  # mcq 31: "It has to be C.", "That leaves C."
        r"|by\s+(?:the\s+)?(?:process\s+of\s+)?elimination"  # mcq 27: "By elimination, C."
        r"|(?:so|thus|therefore)\s*,?\s+(?:it'?s|really|actually|it\s+is\s+really)"
        r"|clearly|definitely|obviously|surely|probably|most\s+likely|most\s+probably|" + _BELIEF + r"\s+it'?s)"
        r"\s*,?\s+(?:(?:option|choice|answer)\s+)?(?:\*\*)?" + _A_LETTER + r"(?=(?:\*\*)?[ \t]*[.!]?(?:\*\*)?[ \t]*$)",
        # mcq 27: "C seems right.", "C seems to be the correct answer." ending its sentence ("B seems right, but ..."
        # describes a distractor)
        _SENTENCE_START
        + r"(?:(?:so|thus|therefore|hence)\s*,?\s+)?(?:(?:option|choice|answer)\s+)?(?:\*\*)?"
        + _A_LETTER
        + r"(?:\*\*)?\s+(?:seems|appears)\s+(?:to\s+be\s+)?(?:(?:the\s+)?(?:correct|right|best)(?:\s+(?:answer|option"
        r"|choice|one))?)(?=(?:\*\*)?\s*(?:[.!]|$))",
        # mcq 30: "I am sure: D.", "I'm confident: D" (the letter ending its line; no answer found before)
        _SENTENCE_START + _BELIEF + r"\s*[:\u2014\u2013]\s*(?:\*\*)?(?:(?:option|choice)\s+)?" + _A_LETTER + _LINE_ENDS,
        # mcq 30: a letter after an arrow that opens its line ("→ C", "**→ C**", "→ **C**"; no answer found
        # before), not an arrow in the working ("hottest → B")
        r"^[ \t]*(?:[-*][ \t]+)?(?:\*\*)?[ \t]*"
        + _ARROW
        + r"[ \t]*(?:\*\*)?(?:(?:option|choice|answer)\s*:?\s+)?"
        + _A_LETTER
        + _LINE_ENDS,
        # mcq 31: "Only C remains.", "Only option C works.", "C fits best." ending their line (no answer found before)
        _SENTENCE_START
        + r"(?:(?:so|thus|therefore|hence)\s*,?\s+)?only\s+(?:(?:option|choice)\s+)?(?:\*\*)?"
        + _A_LETTER
        + r"(?:\*\*)?\s+(?:remains|is\s+left|fits|works|survives)"
        + _LINE_ENDS,
        _SENTENCE_START
        + r"(?:(?:so|thus|therefore|hence)\s*,?\s+)?(?:(?:option|choice)\s+)?(?:\*\*)?"
        + _A_LETTER
        + r"(?:\*\*)?\s+(?:fits|works)\s+best"
        + _LINE_ENDS,
        # mcq 31: "Ans: C", "Correct response: C", "The correct response is C." (no answer found before)
        _SENTENCE_START + r"(?:ans|(?:the\s+|my\s+)?(?:correct\s+|final\s+)?(?:response|solution|result))"
        r"(?:\*\*)?[ \t]*(?::|is\b)(?:\*\*)?[ \t]*(?:\*\*)?" + _A_LETTER + _LINE_ENDS,
        # mcq 31: a letter set against another one: "C, not B.", "C (not B).", "Not B, but C.", "Neither A nor B; C."
        # (no answer found before)
        _SENTENCE_START
        + r"(?:\*\*)?"
        + _A_LETTER
        + r"(?:\*\*)?\s*(?:,\s*not|\(\s*not)\s+(?:option\s+)?\(?(?-i:[A-Z])\)?\s*\)?"
        + _LINE_ENDS,
        _SENTENCE_START + r"(?:it'?s\s+|it\s+is\s+)?not\s+(?:option\s+)?\(?(?-i:[A-Z])\)?\s*,?\s*but(?:\s+rather)?\s+"
        r"(?:option\s+)?(?:\*\*)?" + _A_LETTER + _ENDS,
        _SENTENCE_START
        + r"neither\s+(?:option\s+)?\(?(?-i:[A-Z])\)?\s+nor\s+(?:option\s+)?\(?(?-i:[A-Z])\)?\s*[;:]\s*(?:\*\*)?"
        + _A_LETTER
        + _LINE_ENDS,
        # mcq 32: the option left after the others are ruled out ("We are left with C.", "Eliminating A, B and D leaves
        # C.", "..., we are left with (C) Mars."; no answer found, or every mark read), maybe with its text
        r"(?:\b(?:we|you)(?:'re|\s+are)\s+|(?<![\w'])(?-i:I)(?:'m|\s+am)\s+|\bleaves\s+(?:(?:us|me|you)\s+)?)(?:only\s+|just\s+)?"
        r"(?:(?<=leaves\s)|(?<=leaves\sonly\s)|(?<=leaves\sjust\s)|left\s+with\s+|with\s+)(?:(?:option|choice)\s+)?(?:\*\*)?"
        + _A_LETTER
        + r"(?:\*\*)?(?:[ \t]+(?:\(|\*\*)?(?-i:[A-Z])[^\s.!?()*]*(?:[ \t]+[^\s.!?()*]+){0,3}(?:\)|\*\*)?)?"
        + _LINE_ENDS,
        # mcq 32: "18, which is option C." ending its sentence (the options' texts read: "Option B (15) would be 3 x 5."
        # after it failed `multiple_answers`)
        r"(?:,[ \t]*|\b)(?:which|that|this)\s+(?:is|corresponds\s+to|matches)\s+(?:option|choice|answer)\s+(?:\*\*)?"
        + _A_LETTER
        + r"(?=(?:\*\*)?\s*(?:[.!]|$))",
        # "That makes C the correct answer." (mcq 11)
        r"\b(?:that|this|which)\s+makes\s+(?:(?:option|choice)\s+)?(?:\*\*)?" + _A_LETTER + r"(?:\*\*)?\s+(?:the\s+)?"
        r"(?:correct|right|best)\s+(?:answer|option|choice)" + _CLAUSE_ENDS,
    )
]


# "B is correct.": two letters called right ("A is correct. C is correct.") are no single answer.
def _texts_called_right(
    answer: str, choices: dict[str, str], letters: set[str], exception: bool = False
) -> list[tuple[int, set[str], int]]:
    """Options called the right one by their whole text, as `_CALLED_RIGHT` reads a letter ("Venus is the correct
    choice.", "So Venus is correct."; mcq 12: after `\\boxed{C}` such a sentence named no second answer, and passed);
    for a question asking for the exception, not where it is only called correct (`_only_judged`)."""
    texts = {k: v.strip() for k, v in choices.items() if k in letters and v.strip()}
    if not texts or not any(v.lower() in answer.lower() for v in texts.values()):
        return []  # a plain substring test first: most answers never repeat an option's text
    by_text = {v.lower(): k for k, v in texts.items()}
    return [
        (m.start(), {by_text[m.group("text").lower()]}, m.start("text"))
        for m in _text_called_right_pattern(tuple(sorted(texts.values(), key=len, reverse=True))).finditer(answer)
        if m.group("text").lower() in by_text
        and not _supposed(answer, m.start())
        and not (exception and _only_judged(m))
    ]


@functools.lru_cache(maxsize=256)  # a task's options, for its k responses
def _text_called_right_pattern(texts: tuple[str, ...]) -> re.Pattern[str]:
    """`_CALLED_RIGHT` with the options' texts (longest first) where it reads a letter."""
    alternatives = "(?P<text>" + "|".join(map(re.escape, texts)) + ")"
    return re.compile(_CALLED_RIGHT.pattern.replace(_A_LETTER, alternatives), re.IGNORECASE | re.MULTILINE)


_CALLED_RIGHT = re.compile(
    r"(?:" + _SENTENCE_START + r"|(?<=,)[ \t]+)"  # mcq 11: "Between B and C, C is correct." (not after "If ...,")
    r"(?:(?:so|thus|therefore|hence|then|clearly|only|finally|actually|wait|oops)\s*,?\s+){0,2}"
    r"(?:"
    + _BELIEF
    + r"\s+)?(?:(?:option|choice|answer)\s+)?(?:\*\*)?"
    + _A_LETTER
    # (mcq 31: "C is my final answer.", "C is the one.", "C is my pick."; no answer found before)
    + r"(?:\*\*)?\s+(?:is|would\s+be)\s+(?P<verdict>(?:(?:the|my)\s+)?(?:final\s+)?(?:correct|right|best|answer|choice"
    r"|pick)(?:\s+(?:answer|option|choice|one|pick))?|the\s+one)"
    r"(?=(?:\*\*)?\s*(?:[.,;!]|$)|\s+(?:because|since|as(?!\s+well))\b)",  # mcq 11: with its reason after it
    re.IGNORECASE | re.MULTILINE,
)


def _only_judged(m: re.Match[str]) -> bool:
    """Whether a `_CALLED_RIGHT` match only calls its option correct or right ("B is correct."), with no word that
    makes it a conclusion or a correction ("So B is correct.", "Actually, B is correct.", "I believe B is correct.")
    and not as the answer ("B is the correct answer."): to a question asking for the exception that judges the
    option's statement (mcq 26)."""
    if not re.fullmatch(r"correct|right", m.group("verdict"), re.IGNORECASE):
        return False
    opening = m.string[m.start() : m.start("text") if "text" in m.re.groupindex else _letter_at(m)]
    return _CONCLUDES.search(opening) is None


_CONCLUDES = re.compile(
    r"\b(?:so|thus|therefore|hence|then|clearly|only|finally|actually|wait|oops|I|I'm|believe|think)\b", re.IGNORECASE
)


# A question asking for the exception (mcq 26): "Which of the following is NOT correct?", "All of the following are
# true EXCEPT:", "Which statement is false?", "下列说法错误的是", "正しくないものはどれか". Read in a sentence of the
# question that asks (which, what, the following, ...; not an option's line), not "Is the statement TRUE or FALSE?",
# "Which of the following explains why the probe did not land?" (the negation too far from "which") nor "a drug
# which does not cross the barrier." (no question)
_ASKING = re.compile(r"\b(?:which|what|following|select|identify|choose|pick)\b", re.IGNORECASE)
_OPTION_LINE = re.compile(r"^\s*(?:\*\*)?\(?[A-Ja-j]\)?(?:\*\*)?\s*[.):]\s")
_EITHER_WAY = re.compile(r"\b(?:true\s+or\s+false|false\s+or\s+true|correct\s+or\s+incorrect)\b", re.IGNORECASE)
_EXCEPTION_WORDS = re.compile(
    r"(?-i:\b(?:NOT|EXCEPT|FALSE|INCORRECT|UNTRUE|LEAST|INACCURATE|WRONG)\b)"
    r"|\b(?:all|each|every|any|both)\b[^.?!\n]*\bexcept\b"
    r"|\b(?:the\s+)?(?:false|incorrect|untrue|inaccurate|wrong)\s+(?:statement|claim|option|assertion|one|pairing)s?\b"
    r"|\bleast\s+(?:likely|appropriate|accurate|correct|consistent|probable|useful|important|effective|plausible"
    r"|suitable|valid|helpful)\b",
    re.IGNORECASE,
)
# "Which of the following statements about X is not true?", "Which one does not belong?", "Which is false?" (a question)
_WHICH_NOT = re.compile(
    r"\b(?:which|what)\b(?:\s+of\s+(?:the\s+following|these|those|them|the\s+above))?(?:\s+[\w-]+){0,3}?"
    r"\s+(?:is|are|was|were|would|does|do|did|could|can|will|should|might|may|has|have)"
    r"(?:\s+not\b|n['\u2019]t\b|\s+(?:the\s+)?(?:false|incorrect|untrue|inaccurate|wrong|least)\b)"
    r"[^?:]*[?:]\s*$",
    re.IGNORECASE,
)
_EXCEPTION_CJK = re.compile(
    r"(?:错误|錯誤|不正确|不正確|不恰当|不恰當|不合理|不准确|不準確|不对|不對)的(?:是|一项|一項|选项|選項|说法|說法|叙述|敘述)"
    r"|不(?:属于|屬於|包括|是|能|可能|符合|适合|適合|正确|正確)[^，,。？?\n]{0,20}?的(?:是|一项|一項|选项|選項)"
    r"|(?:说法|說法|叙述|敘述)中?(?:错误|錯誤|不正确|不正確)"
    r"|正しくない|誤って(?:いる|おり)|誤りである|誤りを含む|誤りのある|適切でない|適当でない|不適切な|当てはまらない"
    r"|옳지\s*않은|틀린\s*것|바르지\s*않은|적절하지\s*않은|잘못된\s*것"
)


# mcq 26: a sentence that opens by calling an option (or "this statement") incorrect or false ("C is incorrect because
# ...", "Option C is wrong: ...", "This statement is false."), to a question asking for the exception, judges the
# statement: it is no answer called wrong (`answer_retracted` failed "\\boxed{C}\n\nC is incorrect because ..."
# `retracted`). One that opens with a word taking the answer back ("Wait, C is wrong.") or says "that" or "my answer"
# is read as before.
_STATEMENT_JUDGED = re.compile(
    r"(?:^|(?<=[.!?])[ \t]+)[ \t]*(?:[-*>][ \t]*)?(?:\*\*)?(?:(?:(?:statement|option|choice)\s+)?\(?(?-i:[A-Z])\)?"
    r"|(?:this|that|the)\s+(?:statement|claim|option))(?:\*\*)?\s+(?:is|was)\s+(?:(?:indeed|clearly|definitely)\s+)?"
    r"(?:wrong|incorrect|false|untrue|inaccurate|not\s+(?:right|correct|true|accurate))\b[^.!?\n\\]*[.!?]?",
    re.IGNORECASE | re.MULTILINE,
)


def _asks_for_exception(prompt: str) -> bool:
    """Whether the task's prompt asks for the option that is not so (`_EXCEPTION_WORDS`, `_EXCEPTION_CJK`)."""
    if not prompt:
        return False
    if _EXCEPTION_CJK.search(prompt):
        return True
    for line in prompt.splitlines():
        if _OPTION_LINE.match(line):
            continue
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            sentence = _EITHER_WAY.sub(" ", sentence)
            if _ASKING.search(sentence) and (_EXCEPTION_WORDS.search(sentence) or _WHICH_NOT.search(sentence)):
                return True
    return False


# A stated letter said to be wrong (mcq 9: "Final answer: B is eliminated, so C." passed for B)
_REJECTED = re.compile(
    r"(?:\*\*)?\)?\s+(?:(?:is|was|seems)\s+(?:not\b|wrong|incorrect|false|eliminated|ruled\s+out|out\b)|isn'?t\b"
    r"|can(?:not|'t)\b)"
    # mcq 25: Korean "C가 아니라 B", "C이 아닙니다", and Japanese "CではなくB", "Cではありません", "Cじゃない" (not C)
    r"|\)?\s*(?:(?:이|가)\s*아(?:니|닙|닌|님)|(?:では|じゃ)(?:な|あり))",
    re.IGNORECASE,
)
# mcq 26: a letter negated and then the one stated is that answer: Japanese "正解はBではなくCです。", Korean
# "정답은 B가 아니라 C입니다." (with no keyword, the stated letter ends with the copula: "BではなくCです", "B가 아니라
# C입니다"), and "The answer is not B but C.", "La respuesta no es B, sino C." (mcq 25 found no answer in these; the
# Spanish passed for B, "no es" read as the correction "no, es B")
_NEGATED_LETTER = r"(?<![A-Za-z])(?:\*\*)?\(?(?-i:[A-Z])\)?(?:\*\*)?"
_CJK_NOT = r"\s*(?:(?:では|じゃ)なく(?:て)?|(?:이|가)\s*아니(?:라|고))\s*[,、，]?\s*(?:\*\*)?"
_NOT_BUT = [
    re.compile(p, re.IGNORECASE | re.MULTILINE)
    for p in (
        r"(?:" + FOREIGN_STATED + r")\s*(?:\*\*)?" + _NEGATED_LETTER + _CJK_NOT + _A_LETTER + _ENDS,
        _NEGATED_LETTER + _CJK_NOT + _A_LETTER + r"(?:\*\*)?\s*(?:です|である|だ|입니다|이다|이에요|예요)",
        r"\b(?:answer|respuesta|resposta|risposta|r[ée]ponse|antwort)\s+(?:is\s+not|isn'?t|no\s+es|n['\u2019]est\s+pas"
        r"|ist\s+nicht|non\s+[eè]|n[ãa]o\s+[ée])\s+(?:option\s+)?(?:\*\*)?\(?(?-i:[A-Z])\)?(?:\*\*)?\s*,?\s*"
        r"(?:but(?:\s+rather)?|sino|mais|sondern|ma|mas)\s+(?:option\s+)?(?:\*\*)?" + _A_LETTER + _ENDS,
        # mcq 27: Chinese "答案不是B，而是C。", "正确答案并不是B，应该是C" (mcq 26 found no answer; not "也不是C")
        r"(?:最终|最終|正确|正確)?(?:的)?答案\s*(?:应该|應該|应|應)?\s*(?:并|並)?(?:不是|不为|不為|并非|並非)\s*(?:选项|選項)?\s*"
        + _NEGATED_LETTER
        + r"\s*(?:项|項)?\s*[,，、]?\s*(?:而|应该|應該|应|應)?\s*(?:是|为|為|选|選)\s*(?:选项|選項)?\s*(?:\*\*)?"
        + _A_LETTER
        + _ENDS,
    )
]
# "no es B" negates B: it is no correction "no, es B" (mcq 26)
_NO_IS = re.compile(r"no\s+(?:es|est|ist)\b", re.IGNORECASE)
# A sentence that supposes ("If the planet were hotter, the answer would be B."): its "would be" is no answer (mcq 9);
# mcq 30: "Otherwise, the answer would be B." too (it failed a right C `multiple_answers`)
_SUPPOSES = re.compile(r"(?:if|unless|were|had|suppose|supposing|assuming|in\s+case|otherwise)\b", re.IGNORECASE)
# mcq 31: a sentence that opens by naming another question and says what its answer would be ("For the hottest planet,
# the answer would be B) Venus.", "For a question about ..., ...", "For the opposite question, ..."; it failed a right C
# `multiple_answers`): another criterion (a superlative after "the", "other", "opposite", "a question about"), not this
# question ("For this question, ...", "For these reasons, ...", "For the question as asked, ..." conclude), and only
# with "would" (`_WOULD`): "For the hottest planet, the answer is B." still names a second answer
_FOR_ANOTHER = re.compile(
    r"for\s+[^,;:\n]{0,40}?\b(?:(?:other|another|opposite|reverse|converse|different)\b|question\s+(?:about|on|asking)\b"
    r"|the\s+(?:most|least)\s+(?!part\b)[a-z]+|the\s+(?!(?:best|latest|rest|test|interest|forest|west|request|contest"
    r"|protest|guest|nest|chest|quest|conquest|harvest|priest|honest|modest|earnest|manifest|digest|arrest|unrest)\b)"
    r"[a-z]{2,}est\b)[^,;:\n]{0,60},",
    re.IGNORECASE,
)
_WOULD = re.compile(r"\bwould\b|'d\b", re.IGNORECASE)
# maths in a response: `$...$`, `$$...$$`, `\\(...\\)`, `\\[...\\]`
_MATH_SPAN = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$|\\\(.+?\\\)|\\\[.+?\\\]", re.DOTALL)
# (mcq 31: not written onto a name, a function's argument: "f(C)", "$P(B)$"; "f(C) = 2" passed for C)
_PAREN = re.compile(r"(?<![A-Za-z0-9_\\])\(([A-Z])\)")
# an option's mark after a comma or a semicolon on its line ("A) wrong, B) wrong, C) right"; mcq 29 read such a line
# as opening with A alone and passed it for A)
_INLINE_MARK = re.compile(
    r"(?:[,;][ \t]*(?:\*\*)?([A-Z])(?:\*\*)?[ \t]*[):]|(?<=\s)(?:\*\*)?([A-Z])(?:\*\*)?\)(?:\*\*)?(?=\s))"
)
_LINE_START = re.compile(r"^\s*(?:\*\*)?\(?([A-Z])(?:\*\*)?\s*[.):]", re.MULTILINE)
# An answer that opens with its option ("D. Jupiter", "(D) Jupiter", "**D)**"), then explains; mcq 23: or with its
# letter alone on the first line ("**D**\n\nJupiter is the largest ...": the options' texts below decided before)
_OPENS_WITH = re.compile(
    r"\A\s*(?:\*\*)?(?:\(([A-Z])\)|([A-Z])[.):]|(?P<alone>[A-Z])(?=(?:\*\*)?[ \t]*\n))(?:\*\*)?(?:\s|$)"
)
# a letter alone on a line (`C`, `**C**`, `(C)`): mcq 23 reads it as opening the answer on the first line, and as a
# letter named on any
_ALONE = re.compile(r"^[ \t]*(?:\*\*)?\(?([A-Z])\)?(?:\*\*)?[ \t]*$", re.MULTILINE)
_BARE = re.compile(r"^\s*(?:\*\*)?\(?([A-Z])\)?(?:\*\*)?\.?\s*$")
_BARE_LOWER = re.compile(r"\A\s*(?:\*\*)?\(?([a-z])\)?(?:\*\*)?\.?\s*\Z")
# mcq 17: a letter that ends the answer on its own: alone on its last line (`C`, `**C**`, `(C)`, `C.`, `**C.**`), or
# after the last sentence's full stop ("Mars is red. **C**", "... red. (C)", "... red. C"); a capital that ends a
# sentence's words ("rich in vitamin A", "type B", "9 J", "it is not **B**") is none
_ENDING_LETTER = re.compile(
    r"(?:^|(?<=[.!?])[ \t]|(?<=[.!?]\*\*)[ \t])[ \t]*"
    r"(?:\*\*\(?(?P<bold>[A-Z])\)?\.?\*\*|\((?P<paren>[A-Z])\)|(?P<bare>[A-Z]))\.?[ \t]*$",
    re.MULTILINE,
)
# what a response's prose commits to, as `choose` reads it: a box, a letter alone, an answer stated or options judged
# line by line (not an option only named, its letter in passing, or its text in the prose)
_COMMITTED = ("boxed", "boxed_text", "boxed_then_stated", "bare", "stated", "judged")


def _upper(m: re.Match[str]) -> str:
    """The letter a `_STATED`, `_HEDGE` or `_CORRECTION` match names, as a capital."""
    return (m.group("letter") or m.group("lower")).upper()


def _norm(s: str) -> str:
    return " ".join(s.lower().translate(str.maketrans("", "", string.punctuation)).split())


def _letter_at(m: re.Match[str]) -> int:
    """Where the letter a `_STATED`, `_CORRECTION`, `_CHOSEN` or `_CALLED_RIGHT` match names begins."""
    return m.start("letter") if m.group("letter") else m.start("lower")


def _with_hedge(answer: str, m: re.Match[str], letters: set[str]) -> set[str]:
    """The letter a statement `m` names and the letters hedged right after it ("B or C", "B, C, or D", "B/C")."""
    return _hedged_run(answer, m, letters)[0]


def _hedged_run(answer: str, m: re.Match[str], letters: set[str]) -> tuple[set[str], int]:
    """`_with_hedge`'s letters, and where the last of them ends."""
    named, pos = {_upper(m)}, m.end()
    while (h := _HEDGE.match(answer, pos)) is not None and _upper(h) in letters:
        named.add(_upper(h))
        pos = h.end()
    return named, pos


# mcq 31: an option named with no answer given ("option C", "choice C") is the choice only where its sentence is that
# option: before it nothing, a word of conclusion or a verb of choosing ("So, option C.", "Choose option C."), after it
# nothing or the option's own text ("Option C: Mars"). "I rejected option C.", "Don't choose option C.", "Compare option
# C with option B." and "Option C, Mars, is red." passed for the option they name in passing
_NAMED_OPENING = re.compile(
    r"[\s*#>\-\u2022]*(?:(?:so|thus|therefore|hence|finally|then)\b[\s,:]*)?"
    r"(?:(?:choose|select|pick|go\s+with|mark|circle|tick)\s+)?(?:\*\*)?",
    re.IGNORECASE,
)
_SENTENCE_STOP = re.compile(r"[.!?](?=\s|$)|\n")


def _named_alone(answer: str, m: re.Match[str], end: int, choices: dict[str, str] | None) -> bool:
    """Whether the option a keyword without a connective names (`m`, its hedged letters ending at `end`) is all its
    sentence says (`_NAMED_OPENING`)."""
    if _NAMED_OPENING.fullmatch(answer, _sentence_start(answer, m.start()), m.start()) is None:
        return False
    stop = _SENTENCE_STOP.search(answer, end)
    rest = _norm(answer[end : stop.start() if stop else len(answer)])
    return not rest or (bool(choices) and rest == _norm((choices or {}).get(_upper(m), "")))


def _statements(
    answer: str, letters: set[str], choices: dict[str, str] | None = None, exception: bool = False
) -> tuple[list[tuple[int, set[str], int]], list[tuple[int, set[str]]]]:
    """(answers given as (position, letters, where the letter is), options named as (position, letters)), each in
    order. An answer is given by a keyword with a connective ("The answer is B", "Answer: option B", "The answer must be
    B"; with the letters hedged right after it), by a correction ("Wait, actually C"), in other words (`_CHOSEN`:
    "I would choose B", "Therefore, B."; `_CALLED_RIGHT`: "B is correct"), or by opening with the option ("D. Jupiter
    ...", when no other option's letter starts a line or stands in parentheses). Without a connective, a keyword's
    letter that ends its clause only names the option ("Option B.", "So, option B."): it counts only in an answer that
    gives none, and (mcq 31) only where its sentence is that option (`_named_alone`: not "I rejected option B."). To a
    question asking for the exception (`exception`, mcq 26), "B is correct." judges B's statement and gives no answer
    (`_only_judged`)."""
    given: list[tuple[int, set[str], int]] = []
    named_only: list[tuple[int, set[str]]] = []
    for m in _STATED.finditer(answer):
        first = _upper(m)
        if first not in letters:
            continue
        said = m.group("conn") or m.group("foreign")  # with a connective: given (without: named)
        if (not said or m.group("would")) and not _ENDS_HERE.match(answer, m.end()):
            continue  # "Option D is wrong", "Answer A is a common mistake": a letter discussed, not chosen
        if m.group("clause_choice") and not _CLAUSE_CHOICE_ENDS.match(answer, m.end()):
            continue  # mcq 24: "选C是错误的", "选C的同学错了" discuss a choice
        if _REJECTED.match(answer, m.end()) or (m.group("would") and _supposed(answer, m.start())):
            continue  # "Final answer: B is eliminated", "If ..., the answer would be B."
        named, end = _hedged_run(answer, m, letters)
        if said:
            given.append((m.start(), named, _letter_at(m)))
        elif _named_alone(answer, m, end, choices):
            named_only.append((m.start(), named))
    # (mcq 25: with the letters hedged right after it, "不对，是C或D。": the correction's letter alone passed for C)
    given.extend(
        (m.start(), _with_hedge(answer, m, letters), _letter_at(m))
        for m in _CORRECTION.finditer(answer)
        if _upper(m) in letters and not _NO_IS.match(m.group(0))
    )
    given.extend(
        (m.start(), _with_hedge(answer, m, letters), _letter_at(m))
        for m in (m for rx in _NOT_BUT for m in rx.finditer(answer))
        if _upper(m) in letters
    )
    for m in (m for rx in _CHOSEN for m in rx.finditer(answer)):
        if _upper(m) in letters:
            given.append((m.start(), _with_hedge(answer, m, letters), _letter_at(m)))
    called: set[str] = set()
    for m in _CALLED_RIGHT.finditer(answer):
        if _upper(m) in letters and not _supposed(answer, m.start()) and not (exception and _only_judged(m)):
            called.add(_upper(m))
            given.append((m.start(), set(called), _letter_at(m)))
    if choices:
        given.extend(_texts_called_right(answer, choices, letters, exception))
    opens = _OPENS_WITH.match(answer)
    if opens is not None:
        letter = opens.group(1) or opens.group(2) or opens.group("alone")
        explains_first = opens.group("alone") is not None or bool(
            choices and _norm(answer[opens.end() :]).startswith(_norm(choices.get(letter, "")) or "\0")
        )
        # (mcq 31: not a later line explaining another option by its mark and text, "B) Venus is too hot.", after the
        # option with its text: it failed `multiple_answers`)
        marked = {
            m.group(1)
            for m in _LINE_START.finditer(answer)
            if not (explains_first and m.start() > opens.start() and choices and _line_described(answer, m, choices))
        } | {m.group(1) for m in _ALONE.finditer(answer)}
        # mcq 30: "A) wrong, B) wrong", "C) Mars is tempting, but B) Venus is the answer." (not an option's mark and its
        # text in a sentence that only describes it: "Unlike B) Venus, Mars is red.")
        # or in a supposition: "If the question were about heat, the answer would be B) Venus.")
        first_line = answer.find("\n", opens.end())
        marked |= {
            m.group(1) or m.group(2)
            for m in _INLINE_MARK.finditer(answer)
            if not 0 <= first_line < m.start()
            or not (_supposed(answer, m.start()) or (choices and _described_after(answer, m, choices, exception)))
        }
        own = _norm(choices.get(letter, "")) if choices else ""
        # "C. Mars\n\nVenus (B) is the hottest ...": the others explained after the option with its text (mcq 11);
        # after a letter alone on its line, all that follows explains (mcq 23)
        explains = bool(own) and (opens.group("alone") is not None or _norm(answer[opens.end() :]).startswith(own))
        marked |= {
            m.group(1) for m in _PAREN.finditer(answer) if not (explains and _described(answer, m, choices, exception))
        }
        if letter in letters and marked == {letter}:  # "(A) or (C)", "A. ...\nB. ...": no option opens it
            given.append((0, {letter}, 0))
    # mcq 19: someone else's belief or a tempting mistake is no answer given ("A common mistake is to think the
    # answer is B.": it failed a right box `multiple_answers`, and passed alone for B)
    given = [g for g in given if not _believed(answer, g[0])]
    return sorted(given, key=lambda s: s[0]), named_only


# What makes a sentence about another option more than an explanation: a hedge, a correction, the answer called there
_NOT_JUST_DESCRIBED = re.compile(
    CORRECTION_WORDS
    + r"|\b(?:or|maybe|perhaps|possibly|alternatively|also|too(?=\s*(?:[.,;:!?)]|$))|could|might|should|must"
    r"|answer|correct|right|true|instead|rather|choose|pick)\b",
    re.IGNORECASE,
)
# (to a question asking for the exception, "correct", "right" and "true" judge the option's statement: mcq 26)
_NOT_JUST_DESCRIBED_EXCEPTION = re.compile(
    CORRECTION_WORDS
    + r"|\b(?:or|maybe|perhaps|possibly|alternatively|also|too(?=\s*(?:[.,;:!?)]|$))|could|might|should|must|answer"
    r"|instead|rather|choose|pick)\b",
    re.IGNORECASE,
)


def _described(answer: str, m: re.Match[str], choices: dict[str, str], exception: bool = False) -> bool:
    """Whether `m` (a letter in parentheses) refers to its option in an explanation: right after the option's own text
    ("Mercury (A) is the closest to the Sun") in a sentence that neither hedges, corrects nor calls an answer (mcq
    11: an answer opening with "C. Mars" and explaining the others this way failed `multiple_answers`)."""
    text = _norm(choices.get(m.group(1), ""))
    before = _norm(answer[max(0, m.start() - 4 * len(text) - 20) : m.start()])
    if not text or not (before == text or before.endswith(" " + text)):
        return False
    ends = [i for c in ".!?\n" if (i := answer.find(c, m.end())) != -1]
    sentence = answer[_sentence_start(answer, m.start()) : min(ends) if ends else len(answer)]
    return (_NOT_JUST_DESCRIBED_EXCEPTION if exception else _NOT_JUST_DESCRIBED).search(sentence) is None


def _described_after(answer: str, m: re.Match[str], choices: dict[str, str], exception: bool = False) -> bool:
    """Whether `m` (an option's mark on a line after the first, `_INLINE_MARK`) is followed by its option's own text
    in a sentence that neither hedges, corrects nor calls an answer ("Unlike B) Venus, Mars is red."), as `_described`
    reads "Venus (B)"."""
    text = _norm(choices.get(m.group(1) or m.group(2), ""))
    after = _norm(answer[m.end() : m.end() + 4 * len(text) + 20])
    if not text or not (after == text or after.startswith(text + " ")):
        return False
    ends = [i for c in ".!?\n" if (i := answer.find(c, m.end())) != -1]
    sentence = answer[_sentence_start(answer, m.start()) : min(ends) if ends else len(answer)]
    return (_NOT_JUST_DESCRIBED_EXCEPTION if exception else _NOT_JUST_DESCRIBED).search(sentence) is None


_JUDGES = re.compile(r"\b(?:incorrect|wrong|false)\b|[\u2713\u2714\u2705\u2717\u2718\u274c]", re.IGNORECASE)


def _line_described(answer: str, m: re.Match[str], choices: dict[str, str], exception: bool = False) -> bool:
    """Whether `m` (an option's mark opening a line, `_LINE_START`) is followed by its option's own text and more in a
    sentence that neither hedges, corrects nor calls an answer ("B) Venus is too hot.": mcq 31), as `_described_after`
    reads a mark inside a line; the mark and its text alone ("B) Venus.") are no explanation."""
    text = _norm(choices.get(m.group(1), ""))
    ends = [i for c in ".!?\n" if (i := answer.find(c, m.end())) != -1]
    sentence = answer[m.end() : min(ends) if ends else len(answer)]
    if not text or not _norm(sentence).startswith(text + " ") or _JUDGES.search(sentence):
        return False  # "B. Venus - incorrect" judges it (`_judged`)
    return (_NOT_JUST_DESCRIBED_EXCEPTION if exception else _NOT_JUST_DESCRIBED).search(sentence) is None


def _sentence_start(answer: str, at: int) -> int:
    """Where the sentence (or line) holding `answer[at]` begins: after the last `.`, `!`, `?` or line break before."""
    return max(answer.rfind(c, 0, at) for c in ".!?\n") + 1


# a sentence that gives an answer as another's belief or a mistake, before the answer: "A common mistake is to think
# ...", "One might think ...", "It is tempting to say ...", "Many students believe ..." (not the answerer's own "I
# think": a hedge of its own, which counts)
_BELIEVED = re.compile(
    r"\b(?:tempt(?:ing|ed)|mistakes?|mistaken(?:ly)?|misconceptions?|wrongly|(?:one|you|someone|students?|people|many"
    r"|some|others|most)\s+(?:\w+\s+){0,2}?(?:think|thinks|believe|believes|assume|assumes|guess|guesses|say|says"
    r"|conclude|concludes|expect|expects|argue|argues)|might\s+(?:think|say|guess|assume|believe|conclude|expect|argue))\b",
    re.IGNORECASE,
)


def _believed(answer: str, at: int) -> bool:
    """Whether the sentence around `at`, before it, gives what follows as another's belief or a mistake (mcq 19), or
    doubts it (mcq 36: "I don't think the answer is B.", "I wouldn't say the answer is Mars." passed for B and Mars,
    and beside a right C failed it `multiple_answers`: `extract.doubted_statement`)."""
    return _BELIEVED.search(answer[_sentence_start(answer, at) : at]) is not None or doubted_statement(answer, at)


def _supposed(answer: str, at: int) -> bool:
    """Whether the sentence around `at` opens with a supposition ("If ...", "Unless ...", "Were ...", mcq 30: "(If
    ...", mcq 31: "For the hottest planet, ... would ...": `_supposes`)."""
    start = _sentence_start(answer, at)
    ends = [i for c in ".!?\n" if (i := answer.find(c, at)) != -1]
    return _supposes(answer[start:at], answer[start : min(ends, default=len(answer))])


def _supposes(opening: str, sentence: str) -> bool:
    """Whether a sentence whose words up to a statement are `opening` supposes: `_SUPPOSES` opens it, or (mcq 31) it
    names another question (`_FOR_ANOTHER`) and says what would be (`_WOULD`)."""
    opening = opening.lstrip(" \t*(-#>")
    if _SUPPOSES.match(opening) is not None:
        return True
    return _FOR_ANOTHER.match(opening) is not None and _WOULD.search(sentence) is not None


def _boxed_choice(box: str, letters: set[str], choices: dict[str, str]) -> tuple[set[str], str] | None:
    inner = _TEXT_WRAPPER.sub(r"\1", box).strip()  # `\\text{B}`, `(\\mathrm{B})` (version 6: `\\text` only)
    inner = _OPTION_WORD.sub("", inner)  # `\\boxed{\\text{Option B}}` (version 10: no answer found)
    m = _BARE.match(inner)
    if m and m.group(1).upper() in letters:
        return {m.group(1).upper()}, "boxed"
    by_text = _options_named(inner, choices)
    if len(by_text) == 1:
        return by_text, "boxed_text"
    # mcq 9: a letter with its option's text (`\boxed{C. Mars}`, `\boxed{\text{(C) Mars}}`); another option's text
    # beside it names two options
    if (m := _BOXED_LETTER_TEXT.fullmatch(inner)) is not None and (letter := m.group(1) or m.group(2)) in letters:
        return {letter} | _options_named(m.group(3), choices), "boxed"
    # mcq 12: options joined in one box (`\\boxed{Mars or Venus}`, `\\boxed{B and C}`), each part a letter or an
    # option's whole text: all of them (the answer's other rules picked one of the two)
    parts = _JOINED.split(inner)
    if len(parts) > 1:
        named = [_boxed_choice(part, letters, choices) for part in parts]
        if all(named):
            return set().union(*(got[0] for got in named if got)), "boxed"
    return None


_JOINED = re.compile(r"\s*(?:,|/|&|;)\s*(?:(?:or|and)\s+)?|\s+(?:or|and)\s+", re.IGNORECASE)


def _options_named(text: str, choices: dict[str, str]) -> set[str]:
    """The options whose whole text `text` is (normalised; or, mcq 27, that text in the plural or singular with "s" or
    "es"), or none if it is not exactly one's."""
    named = {k for k, v in choices.items() if _norm(v) and _norm(v) == _norm(text)}
    if not named and len(said := _norm(text)) >= 4:  # mcq 27: in the plural or singular ("Ribosomes" for "Ribosome")
        named = {
            k
            for k, v in choices.items()
            if len(own := _norm(v)) >= 4 and (said in (own + "s", own + "es") or own in (said + "s", said + "es"))
        }
    return named if len(named) == 1 else set()


def choose(
    answer: str, letters: set[str], choices: dict[str, str], exception: bool = False
) -> tuple[set[str], str, int]:
    """The letters the answer commits to, which rule found them, and where the letter of the answer given is (for a
    stated answer; else -1). Several letters mean a hedge ("B or C") or an answer changed after it was boxed or
    stated; `verify_mcq` fails those as `multiple_answers`. `exception`: the prompt asks for the exception
    (`_asks_for_exception`)."""
    text = answer.rstrip()
    line_at = text.rfind("\n") + 1  # the last line's start
    ending = _ENDING_LETTER.search(text, line_at)
    letter = (ending.group("bold") or ending.group("paren") or ending.group("bare")) if ending else None
    if ending is not None and letter in letters:
        # mcq 17: the letter ending the answer is its choice, not an option's text in the prose before it; the prose
        # committing to another option ("The answer is Mars.\n\n**A**", `\boxed{B}` then "**C**") is a second answer
        prose = answer[: ending.start()]
        chosen, rule, at = choose(prose, letters, choices, exception) if prose.strip() else (set(), "", -1)
        if rule in _COMMITTED and chosen:
            return chosen | {letter}, rule, at
        return {letter}, "bare", -1
    statements, mentions = _statements(answer, letters, choices, exception)
    boxed = [(s, e, got) for s, e, box in boxed_spans(answer) if (got := _boxed_choice(box, letters, choices))]
    if boxed:
        _start, end, got = boxed[-1]
        # mcq 12: every box that gives a choice counts (`\\boxed{C} or \\boxed{B}`, a box changed later: the last
        # one alone passed for B), and a statement after the last
        earlier = set().union(*(named for _s, _e, (named, _rule) in boxed[:-1]))
        later = set().union(*(named for pos, named, _at in statements if pos >= end))
        # mcq 18: and the prose before the first, where it commits to an option as a letter ending the answer's does
        # (mcq 17): "The answer is B.\n\n\\boxed{C}" passed for C; mcq 20: and the prose between two boxes, read so
        # ("\\boxed{C}\n\nWait, actually the answer is B.\n\nFinal: \\boxed{C}" passed for C)
        before: set[str] = set()
        for start, (box_start, _end, _got) in zip([0, *(e for _s, e, _g in boxed[:-1])], boxed, strict=True):
            prose = answer[start:box_start]
            chosen, rule, at = choose(prose, letters, choices, exception) if prose.strip() else (set(), "", -1)
            before |= chosen if rule in _COMMITTED else set()
            if rule == "stated" and len(chosen) == 1:  # hedged on its line: "Answer: C (or possibly B).\n\n\\boxed{C}"
                # or after it (mcq 23): "The answer is C.\n\nMaybe Venus, though.\n\n\\boxed{C}"
                before |= _hedges_around(prose, rule, at, next(iter(chosen)), letters, choices, exception)
        others = earlier | later | before
        return (got[0] | others, "boxed_then_stated", -1) if others - got[0] else (*got, -1)
    m = _BARE.match(answer)
    if m and m.group(1).upper() in letters:
        return {m.group(1).upper()}, "bare", -1
    m = _BARE_LOWER.match(answer)  # mcq 31: "**c**", "(c)", "c" as the whole response (no answer found before)
    if m and m.group(1).upper() in letters:
        return {m.group(1).upper()}, "bare", -1
    if statements:
        stated = [letter for _pos, named, _at in statements for letter in named]
        # The last statement is the commitment; a conflicting earlier one in the same answer is ambiguous.
        if len(set(stated)) > 1 and _conflicting_final(answer):
            return set(stated), "stated", statements[-1][2]
        # mcq 27: an earlier answer that nothing revises before the last is a change of mind ("The answer is B.\n\nSo
        # C is correct." passed for C), by letter or by an option's text ("The answer is Venus.\n\nSo the answer is
        # C."); another option's text stated after it is a second answer ("The answer is B.\n\nSo the answer is
        # Mars." passed for B)
        final, at = statements[-1][1], statements[-1][2]
        texts = _text_statements(answer, choices)
        earlier = sorted([*statements[:-1], *(t for t in texts if t[2] < at)], key=lambda s: s[2])
        after = set().union(*(named for _pos, named, t_at in texts if t_at > at)) - final
        return final | after | _changed_from(answer, [*earlier, statements[-1]], choices, exception), "stated", at
    if (text := _stated_text(answer, choices, exception)) is not None:
        named, rule, at = text  # mcq 27: "The answer is Venus.\n\nThe answer is Mars." passed for Mars
        earlier = [t for t in _text_statements(answer, choices) if t[2] < at]
        return named | _changed_from(answer, [*earlier, (-1, named, at)], choices, exception), rule, at
    if (opened := _opens_with_text(answer, choices)) is not None:
        return opened, "stated", 0
    if mentions:  # options named with no answer given: one option is the choice, several are no choice
        return set().union(*(named for _pos, named in mentions)), "named", -1
    if not exception and (judged := _judged(answer, letters, choices)) is not None:
        return judged, "judged", -1
    # (mcq 31: not inside maths, "$P(A \cup B)$": its "B)" passed for B)
    maths = [(m.start(), m.end()) for m in _MATH_SPAN.finditer(answer)] if "$" in answer or "\\" in answer else []
    marks = [
        (m.start(), next(g for g in m.groups() if g))
        for rx in (_PAREN, _LINE_START, _ALONE, _INLINE_MARK)  # mcq 23: "**C**\n\nOr perhaps B."; mcq 30: inline marks
        for m in rx.finditer(answer)
    ]
    found = {x for at, x in marks if x in letters and not any(s <= at < e for s, e in maths)}
    if found:
        return found, "letters", -1
    lower = [m for m in _LOWER_STATED.finditer(answer) if m.group(1).upper() in letters]
    if lower:  # mcq 10: "Answer: b" alone on its line (a bare lower-case letter anywhere else is a word)
        return {lower[-1].group(1).upper()}, "stated", lower[-1].start(1)
    return _by_text(answer, choices), "text", -1


# mcq 27: what revises an answer given before a later one gives another letter: a correction ("Wait, actually", "No,",
# "I mean", "いや、", "不对"), a conclusion against it ("but", "however", "instead", "rather"), a check ("Let me
# double-check", "On reflection", "验证"), an error owned ("I made a mistake", "I misread"), or the answer itself called
# wrong ("That's wrong"); or (`_REJECTED`) its letter called wrong or ruled out ("B is wrong: ...", "not B")
_REVISES = re.compile(
    CORRECTION_WORDS + r"|\b(?:but|however|instead|rather|reconsider\w*|re-?examin\w*|re-?evaluat\w*|re-?read\w*"
    r"|(?:double[-\s]?|re-?)?check(?:s|ed|ing)?|verif(?:y|ied|ying|ication)|confirm(?:s|ed|ing)?|mistakes?|mistaken"
    r"|errors?|erred|misread\w*|miscalculat\w*|misunderst\w*|overlook\w*|on\s+(?:further\s+|closer\s+|second\s+)?(?:reflection|inspection|examination|review|look|thought)"
    r"|looking\s+again|(?:that|this|it)(?:'s|\s+is|\s+was)\s+(?:wrong|incorrect|not\s+(?:right|correct)))\b"
    r"|但|然而|不过|不過|验证|驗證|检查|檢查|核对|核對|しかし|でも|確認|pero|sin\s+embargo|mais|cependant|aber|jedoch"
    r"|(?<!\w)(?:но|однако|verifi\w*|comprob\w*|v[ée]rifi\w*|überprüf\w*|провер\w*)(?!\w)|하지만|그러나|그런데",
    re.IGNORECASE,
)


def _opening_commits(answer: str, choices: dict[str, str]) -> bool:
    """Whether an answer that opens with an option's letter (`_OPENS_WITH`) commits to it there, for `_changed_from`:
    the letter alone on its line ("**B**") or with its option's text alone ("B. Venus"), not with prose about it ("A:
    Mercury is wrong.", "A: Mercury is closest to the Sun.")."""
    if _CALLED_RIGHT.match(answer) is not None or (m := _OPENS_WITH.match(answer)) is None or m.group("alone"):
        return True
    letter = m.group(1) or m.group(2)
    rest = _norm(answer[m.end() :].split("\n", 1)[0])
    return not rest or rest == _norm(choices.get(letter, ""))


def _changed_from(
    answer: str, statements: list[tuple[int, set[str], int]], choices: dict[str, str], exception: bool = False
) -> set[str]:
    """The letters of answers given before the last one (`statements`, as `_statements` gives them) that name another
    option with nothing revising them before the last one's letter (`_REVISES`, `_REJECTED` after the letter): "The
    answer is B.\n\nSo C is correct.", "Answer: B\n\nAnswer: C" change their mind unexplained (mcq 26 read the last
    one), as a box after prose committing to another option does (mcq 18). An option only called right ("A is
    correct.") before an option whose own text names others ("All of the above", "Both A and B") explains it."""
    _pos, last, at = statements[-1]
    own = choices.get(next(iter(last)), "") if len(last) == 1 else ""
    changed: set[str] = set()
    for pos, named, letter_at in statements[:-1]:
        if not (named - last) or letter_at >= at:
            continue
        if _NAMES_OTHERS.search(own) and (m := _CALLED_RIGHT.match(answer, pos)) is not None and _only_judged(m):
            continue  # "A is correct. B is correct. So the answer is D." (D: "All of the above")
        if pos == letter_at == 0 and not _opening_commits(answer, choices):
            continue  # "A: Mercury is closest to the Sun. The answer is C." opens by describing A
        between = answer[letter_at:at]
        if _REVISES.search(between):
            continue
        if any(
            _REJECTED.match(between, m.end()) or re.search(r"\bnot\s+(?:option\s+)?$", between[: m.start()], re.I)
            for x in named - last
            for m in re.compile(rf"(?<![A-Za-z])\(?{x}(?![A-Za-z])").finditer(between, 1)
        ):
            continue  # "The answer is B.\n\nB is wrong: ... So the answer is C."
        changed |= named - last
    return changed


_LOWER_STATED = re.compile(
    r"(?:final\s+answer|correct\s+answer|answer)\s*(?:is|:)\s*(?:\*\*)?\s*(?-i:([a-z]))\s*(?:\*\*)?\s*\.?\s*$",
    re.IGNORECASE | re.MULTILINE,
)


# A line that opens with an option and ends with a verdict on it: "A. Mercury - incorrect", "(C) Mars — correct.",
# "B) Venus: wrong", "**C. Mars** ✓"
# (mcq 30: after a bullet, "- A) Mercury: incorrect", "- A: ✗"; and with a reason after a verdict set off by a dash or
# a colon, "**A) Mercury** – Incorrect. Gray.", "C) Mars: Correct, it is red."; each such list failed)
_BULLET = r"(?:[-*\u2022][ \t]+)?"
_VERDICT = r"(?P<verdict>(?i:incorrect|not\s+correct|correct|right|wrong|true|false))"
_JUDGED_LINE = re.compile(
    r"^[ \t]*" + _BULLET + r"(?:\*\*)?\(?(?P<letter>[A-Z])\)?(?:\*\*)?\s*[.):](?P<rest>.*?)"
    r"(?:(?:[-:\u2014\u2013(]|\s)\s*(?:\*\*)?" + _VERDICT + r"?"
    r"(?P<mark>[\u2713\u2714\u2705\u2717\u2718\u274c])?(?:\*\*)?\)?\.?"
    r"|(?:\*\*)?[ \t]*[-:\u2014\u2013][ \t]*(?:\*\*)?(?P<reasoned>(?i:incorrect|not\s+correct|correct|right|wrong|true"
    r"|false))(?:\*\*)?[.,;:!][ \t]+\S.*?)[ \t]*$",
    re.MULTILINE,
)
_JUDGED_START = re.compile(r"^[ \t]*" + _BULLET + r"(?:\*\*)?\(?([A-Z])(?:\*\*)?\s*[.):]", re.MULTILINE)
# mcq 30: options judged on one line ("A) wrong, B) wrong, C) right, D) wrong.", "A: ✗; B: ✗; C: ✓"): each item a mark,
# maybe the option's text and a dash or a colon, and a verdict
_JUDGED_ITEM = (
    r"(?:\*\*)?\(?{letter}\)?(?:\*\*)?[ \t]*[.):]?[ \t]*(?:[^\s,;:][^,;:\n]*?[ \t]*[-:\u2014\u2013][ \t]*)??(?:\*\*)?"
    r"(?:{verdict}|{mark})(?:\*\*)?"
)
_VERDICT_WORD = r"(?i:incorrect|not\s+correct|correct|right|wrong|true|false)"
_MARK = r"[\u2713\u2714\u2705\u2717\u2718\u274c]"
_JUDGED_ITEM_RX = re.compile(
    _JUDGED_ITEM.format(letter="(?P<letter>[A-Z])", verdict=f"(?P<verdict>{_VERDICT_WORD})", mark=f"(?P<mark>{_MARK})")
)
_ANY_ITEM = _JUDGED_ITEM.format(letter="[A-Z]", verdict=_VERDICT_WORD, mark=_MARK)
_JUDGED_INLINE = re.compile(
    r"^[ \t]*(?:[A-Za-z]+[ \t]*:[ \t]*)?"  # "Recap: A) wrong, ..."
    + _ANY_ITEM
    + r"(?:(?:[ \t]*[,;][ \t]*|[ \t]+)(?:and[ \t]+)?"
    + _ANY_ITEM
    + r")+[ \t]*\.?[ \t]*$",
    re.MULTILINE,
)
# mcq 30: a table's row judging an option in its last cell ("| C) Mars | ✓ |", "| C | correct |")
_JUDGED_ROW = re.compile(
    r"^[ \t]*\|[ \t]*(?:\*\*)?(?:option[ \t]+)?\(?(?P<letter>[A-Z])\)?(?:\*\*)?[.):]?[^|\n]*\|(?:[^|\n]*\|)*?[ \t]*"
    r"(?:\*\*)?(?:" + f"(?P<verdict>{_VERDICT_WORD})|(?P<mark>{_MARK})" + r")(?:\*\*)?[ \t]*\|?[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
_RIGHT = {"correct", "right", "true", "\u2713", "\u2714", "\u2705"}


def _verdict(m: re.Match[str]) -> str:
    said = m.group("verdict") or m.group("mark") or ("reasoned" in m.re.groupindex and m.group("reasoned")) or ""
    return " ".join(said.lower().split())


def _judged(answer: str, letters: set[str], choices: dict[str, str]) -> set[str] | None:
    """The options a list judging each option on its own line calls right (mcq 10: such a list was read as every
    letter and failed `multiple_answers`), or None when the answer is no such list: at least two options' lines, each
    ending with a verdict (correct / incorrect, right / wrong, true / false, a check mark or a cross), no letter twice.
    No option called right is no answer; two are two answers. An option whose own text ends with the verdict's word
    ("A. The statement is true") is only restated: no such list. (To a question asking for the exception a verdict
    judges the option's statement, not whether it is the answer: `choose` reads no such list there, mcq 26.)"""
    lines = [m for m in _JUDGED_START.finditer(answer) if m.group(1) in letters]
    judged = [m for m in _JUDGED_LINE.finditer(answer) if m.group("letter") in letters]
    if len(lines) < 2 or len(judged) != len(lines):
        # mcq 30: or one line of options judged, and no option's line besides it; or a table's rows
        inline = list(_JUDGED_INLINE.finditer(answer))
        rows = [m for m in _JUDGED_ROW.finditer(answer) if m.group("letter") in letters]
        if len(inline) == 1 and all(inline[0].start() <= m.start() < inline[0].end() for m in lines):
            judged = [m for m in _JUDGED_ITEM_RX.finditer(inline[0].group(0)) if m.group("letter") in letters]
        elif not inline and not lines and rows:
            judged = rows
        else:
            return None
        if len(judged) < 2:
            return None
    if len({m.group("letter") for m in judged}) != len(judged):
        return None
    verdicts = {m.group("letter"): _verdict(m) for m in judged}
    if not all(verdicts.values()):
        return None
    if any(_norm(choices.get(letter, "")).endswith(_norm(v) or "\0") for letter, v in verdicts.items()):
        return None
    return {letter for letter, v in verdicts.items() if v in _RIGHT}


def _list_called_right(answer: str, letters: set[str], choices: dict[str, str]) -> set[str]:
    """The options that verdicts on options anywhere in the answer call right (`_JUDGED_LINE`, `_JUDGED_INLINE`,
    `_JUDGED_ROW`), where they judge two options or more: a recap after the answer ("**Answer: B**\n\n- A) wrong\n-
    B) wrong\n- C) right") that calls another option right commits to it too (mcq 30: mcq 29 read the answer stated
    and passed it for B). An option whose own text ends with the verdict's word is only restated."""
    # (a line's verdict right after the mark or set off by a dash, a colon or a parenthesis, or a check mark: "B) Venus
    # is hot, which is true" is prose)
    found = [
        m
        for m in _JUDGED_LINE.finditer(answer)
        if _verdict(m)
        and (
            not m.group("verdict")
            or not m.group("rest").strip(" \t*")
            or answer[: m.start("verdict")].rstrip(" \t*")[-1:] in "-:(\u2014\u2013"
        )
    ]
    for line in _JUDGED_INLINE.finditer(answer):
        found += _JUDGED_ITEM_RX.finditer(line.group(0))
    found += _JUDGED_ROW.finditer(answer)
    verdicts = {
        m.group("letter"): v
        for m in found
        if m.group("letter") in letters
        and (v := _verdict(m))
        and not _norm(choices.get(m.group("letter"), "")).endswith(_norm(v) or "\0")
    }
    return {k for k, v in verdicts.items() if v in _RIGHT} if len(verdicts) >= 2 else set()


def _asks(sentence: str) -> bool:
    """Whether a sentence is a question, in emphasis or not ("Mars?", "**Mars?**", "_Mars?_"; mcq 36: the emphasised
    ones passed for Mars)."""
    return sentence.strip().strip("*_").rstrip().endswith("?")


def _opens_with_text(answer: str, choices: dict[str, str]) -> set[str] | None:
    """The option whose whole text is the answer's first sentence ("London.", "**London**"), when every later sentence
    that names another option's text only explains it (mcq 11: "London. Paris is in France." failed
    `multiple_answers`): a hedge, a correction or an answer word there ("Or maybe Paris.", "Paris is also correct.")
    gives None, and the options named are read as before."""
    first, _, rest = answer.strip().partition("\n")
    head, _, tail = first.partition(". ")
    if _asks(head):
        return None  # mcq 36: a question ("Mars?") asks, it gives nothing (it passed for Mars)
    named = _options_named(head.strip().strip("*").rstrip(".!").strip("*"), choices) if choices else set()
    if not named:
        return None
    others = [_norm(v) for k, v in choices.items() if k not in named and _norm(v)]
    for sentence in _SENTENCE_END.split(tail + "\n" + rest):
        words = f" {_norm(sentence)} "
        if any(f" {o} " in words for o in others) and (
            _NOT_JUST_DESCRIBED.search(sentence) or _options_named(sentence.strip().strip("*").rstrip(".!"), choices)
        ):
            return None  # a hedge or a correction, or another option on its own ("Paris. Berlin. Madrid.")
    return named


def _stated_text(answer: str, choices: dict[str, str], exception: bool = False) -> tuple[set[str], str, int] | None:
    """The option whose text the last "The answer is X" / "Answer: X" statement gives (mcq 9: "Venus is hot. The answer
    is Mars." failed `multiple_answers`, Venus counted as named too), with where it begins; the value to where prose
    begins ("Mars, the red planet", "Mars because ...")."""
    statements = [m for m in _VALUE_LINE.finditer(answer) if not _believed(answer, m.start())] if choices else []
    if not statements:  # mcq 19: "It is tempting to say the answer is Venus" gives no answer
        return None
    found = statements[-1]
    line = found.group("value").split("\n", 1)[0]
    for value in (
        line,
        line_value(line) or "",
        re.split(r",|\s[\u2014\u2013-]\s|\s\(", line, maxsplit=1)[0],
        _TEXTS_JOIN.split(line, maxsplit=1)[0],  # mcq 20: "Mars or Venus"
    ):
        named = _options_named(value.strip().strip("*").strip(), choices)
        if named:
            rest = line[len(value) :]
            # mcq 20: another option offered on the rest of the line as right or possible ("Mars (or possibly Venus)",
            # "Mars or Venus", "Mars, but it could be Venus") is a hedge: both (mcq 19 gave None, and the prose read as
            # the options' texts committed to nothing, so a box after it passed)
            if hedged := _hedged_with(rest, next(iter(named)), set(choices), choices, exception):
                return named | hedged, "stated", found.start("value")
            # another option named otherwise ("Mars (Venus is the hottest)"), not "not Venus": no answer stated
            return None if _by_text(rest, choices) - named else (named, "stated", found.start("value"))
    return None


def _text_statements(answer: str, choices: dict[str, str]) -> list[tuple[int, set[str], int]]:
    """Every answer stated as an option's text ("The answer is Mars.", "Answer: Mars (the red planet)"), as
    `_stated_text` reads the last one, each as (position, its option, where its value begins); also one stated after
    another on its line ("The answer is B. So the answer is Mars."). Not another's belief or a supposition (mcq 27)."""
    found: list[tuple[int, set[str], int]] = []
    pos = 0
    while choices and (m := _VALUE_LINE.search(answer, pos)) is not None:
        pos = m.start("value")
        if _believed(answer, m.start()) or (m.group("would") and _supposed(answer, m.start())):
            continue
        line = m.group("value").split("\n", 1)[0]
        for value in (
            line,
            line_value(line) or "",
            re.split(r",|\s[\u2014\u2013-]\s|\s\(", line, maxsplit=1)[0],
            _TEXTS_JOIN.split(line, maxsplit=1)[0],
        ):
            if named := _options_named(_VALUE_END.sub("", value.strip().strip("*").strip()), choices):
                found.append((m.start(), named, m.start("value")))
                break
    return found


# where an answer's sentences end: not the point of a decimal ("3.5 m/s")
_SENTENCE_END = re.compile(r"(?<=[.!?;])(?=\s|$)|\n")
# a clause's bounds within a sentence, and the words that make a clause a reason or a supposition
_CLAUSE_SPLIT = re.compile(r"[,;:\u2014\u2013]|\s-\s")
_SUBORDINATE = re.compile(r"\b(?:because|since|although|though|whereas|while|if|unless|whether)\b")
# (texts normalised by `_norm`: lower case, no punctuation, so "can't" is "cant")
_NOT_BE = (
    r"(?:cannot|cant|can\s+not|couldnt|could\s+not|mustnt|must\s+not|shouldnt|should\s+not|wouldnt|would\s+not)\s+be"
)
_RULE_OUT = r"(?:rules?|ruled|ruling|eliminat(?:e|es|ed|ing)|exclud(?:e|es|ed|ing))"
# (mcq 35: doubted, "I doubt it's Mars.", "I don't think it's Mars.", "It's unlikely to be Mars.", "Mars is unlikely.":
# each passed for C)
# (mcq 36: and as `extract.doubted_statement`, "I'm not sure the answer is Mars.", "It is not true that the answer is
# Mars.", "I doubt the final answer is Mars."; each passed for C)
_DOUBTED = (
    r"(?:i\s+(?:dont|do\s+not|didnt|did\s+not)\s+(?:think|believe|suppose|reckon|feel)|i\s+doubt|unlikely"
    r"|(?:im|i\s+am)\s+not\s+(?:sure|convinced|certain)|(?:it\s+is|its|this\s+is)\s+(?:not\s+true|false|doubtful))"
    r"\s+(?:that\s+|to\s+be\s+)?"
    r"(?:(?:its|it\s+is|(?:the\s+)?(?:final\s+)?answer\s+is|the\s+(?:final\s+)?answers)\s+)?"
)
# (mcq 36: an option's text after "would have been", "It would have been Mars.", passed for C; and a verb of choosing
# negated, "I would not say Mars.", "I wouldn't choose Mars.", "I'd never pick Mars.",
# "We cannot say it is Mars.": each passed for C, and beside the option given as the answer failed it
# `multiple_answers`)
_NOT_CHOSEN = (
    r"(?:not|never|wont|wouldnt|dont|didnt|cannot|cant|couldnt|shouldnt)\s+"
    r"(?:say|choose|pick|select|go\s+(?:with|for)|opt\s+for|settle\s+on|answer|guess|mark)"
    r"(?:\s+that)?(?:\s+(?:its|it\s+is|it\s+was|the\s+answer\s+is|the\s+answers))?"
)
_NEGATED_BEFORE = re.compile(
    rf"\b(?:not|never|no|except|rather\s+than|instead\s+of|other\s+than|as\s+opposed\s+to|{_NOT_BE}|{_RULE_OUT}(?:\s+out)?"
    rf"|{_DOUBTED}|{_NOT_CHOSEN}|(?:would|could|might)\s+have\s+been)\s*(?:(?:the|an?)\s+)?(?:option\s+)?$"
)
_NEGATED_AFTER = re.compile(
    r"^\s*(?:(?:is|was|are|would\s+be|seems)\s+(?:not|wrong|incorrect|false|unlikely(?!\s+to\b))\b|(?:isnt|wasnt|arent)\b|"
    + _NOT_BE
    + r"\b|"
    r"(?:is|was|are|can\s+be|must\s+be|should\s+be)\s+(?:ruled\s+out|eliminated|excluded)\b)"
)
# the option named earlier in the sentence ruled out by a pronoun ("Mars is red, so it cannot be the answer.", "...,
# which rules it out"); mcq 9 passed such a sentence for the option it rules out. Only "it" or "this" as the
# answer's subject, and only of being the answer: "Mars, which is not gaseous, ..." or "so it isn't hot" rule nothing
# out
_RULES_IT_OUT = re.compile(
    r"\b(?:it|this)\s+(?:(?:" + _NOT_BE + r"|isnt|is\s+not|wasnt|was\s+not)\s+(?:the\s+)?(?:(?:right|correct|best)\s+)?"
    r"(?:answer|one|option|choice|correct|right|true|it|possible)\b|"
    r"(?:is|was|can\s+be|must\s+be|should\s+be)\s+(?:wrong|incorrect|false|ruled\s+out|eliminated|excluded)\b)"
    r"|\b" + _RULE_OUT + r"\s+(?:it|this)(?:\s+out)?\b"
)


def _text_at(answer: str, text: str) -> int:
    """Where the answer last gives an option's text (its line is the answer's line: "C (Mars), or possibly D." passed
    for C, as its hedge was never read; mcq 33), or -1."""
    text = text.strip()
    found = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(text)}(?!\w)", answer, re.IGNORECASE)] if text else []
    return found[-1] if found else -1


def _by_text(answer: str, choices: dict[str, str]) -> set[str]:
    """The options whose text the answer gives as its choice (no letter given): an option's text counts where it
    stands in a sentence that is no question and is not negated ("not Mars", "Mars is wrong", "Mars isn't ..."; mcq 8:
    version 7 counted any mention, so "It is not Mars." passed for Mars)."""
    texts = {k: _norm(v) for k, v in choices.items() if _norm(v)}
    found: set[str] = set()
    for sentence in _SENTENCE_END.split(answer):
        if _asks(sentence):
            continue
        clauses = _CLAUSE_SPLIT.split(sentence)
        negated = _negated_lists([_norm(c) for c in clauses], texts.values())
        for i, clause in enumerate(clauses):
            if i in negated:
                continue
            norm = _norm(clause)
            for k, text in texts.items():
                for m in re.finditer(rf"\b{re.escape(text)}\b", norm):
                    before = norm[: m.start()]
                    if _NEGATED_BEFORE.search(before) or _NEGATED_AFTER.match(norm[m.end() :]):
                        continue
                    if _SUBORDINATE.search(before) or (m.start() and _AS_REASON.match(norm)):
                        continue  # mcq 9: "Because Mars is red", "If Mars were blue, ..." give no answer; 10: ", as"
                    if _ruled_out_later(norm[m.end() :] + " " + _norm(" ".join(clauses[i + 1 :])), texts.values()):
                        continue  # mcq 10: "Mars is red, so it cannot be the answer."
                    found.add(k)
                    break
    return found


_NOT_FIRST = re.compile(r"^\s*(?:not|nor|neither)\s+")
_AS_REASON = re.compile(r"\s*as\s+(?!well\b|such\b)")  # ", as Paris is in France" gives a reason (mcq 10)


def _only_options(norm: str, texts: Iterable[str]) -> bool:
    """Whether a normalised clause is nothing but options' texts joined by "or", "and" or "nor", after a first "not",
    "nor" or "neither" ("not venus", "mercury or jupiter")."""
    rest, named = _NOT_FIRST.sub("", norm), 0
    for t in sorted(texts, key=len, reverse=True):
        rest, n = re.subn(rf"\b{re.escape(t)}\b", " ", rest)
        named += n
    return named > 0 and not re.sub(r"\b(?:or|and|nor|the)\b", " ", rest).strip()


def _negated_lists(clauses: list[str], texts: Iterable[str]) -> set[int]:
    """The clauses (normalised) of a negated list of options: "not Venus or Jupiter", and after "not Venus" the clauses
    of options only up to one joined by "or" / "nor" ("..., not Venus, Mercury or Jupiter": mcq 10). "Not Venus,
    Mars." names Mars: no "or" ends the run."""
    texts = list(texts)
    out: set[int] = set()
    for i, clause in enumerate(clauses):
        if not (_NOT_FIRST.match(clause) and _only_options(clause, texts)):
            continue
        out.add(i)  # "not venus or jupiter" itself
        j = i + 1
        while j < len(clauses) and _only_options(clauses[j], texts):
            if re.search(r"\b(?:or|nor)\b", clauses[j]):
                out.update(range(i + 1, j + 1))
                break
            j += 1
    return out


def _ruled_out_later(rest: str, texts: Iterable[str]) -> bool:
    """Whether the rest of an option's sentence (normalised) rules it out by a pronoun, with no other option named
    before the pronoun ("..., so it cannot be the answer") or right after the negation ("so it is not Venus" is about
    Venus)."""
    for m in _RULES_IT_OUT.finditer(rest):
        between, after = rest[: m.start()], re.sub(r"^\s*(?:(?:the|an?)\s+)?(?:option\s+)?", "", rest[m.end() :])
        if not any(re.search(rf"\b{re.escape(t)}\b", between) or re.match(rf"{re.escape(t)}\b", after) for t in texts):
            return True
    return False


# The line of an answer stated with a keyword, from its value: "Answer: X", "The answer is X", and (version 8) "The
# answer must be X", "Final: X" (`extract.stated_line`'s own pattern reads the first two).
_VALUE_LINE = re.compile(
    # (mcq 31: "The correct option is Venus.", "The best choice is Venus.", "My choice is Venus.", "My pick: Venus";
    # after "The answer is C." each passed for C)
    r"(?:"
    + _LIST_HEAD
    + r"(?:final\s+answer|the\s+answer|answer|final(?=\s*:)|(?:correct|right|best|final)\s+(?:option|choice)"
    r"|(?<![\w'])(?:my\s+)?(?:final\s+)?(?:choice|pick))\s*"
    + _CONNECTIVE
    + r"|"
    + FOREIGN_STATED
    + r"|"
    + _CHINESE_CHOICE  # mcq 24: "【答案】C．金星", "我选C，即金星" (a letter and another option's text)
    + r")"
    r"\s*:?\s*(?P<value>.+)",
    re.IGNORECASE,
)


# a stated answer that gives a letter and an option's text: "C. Venus", "(C) Venus", "Venus (C)", "Mars, which is D";
# mcq 24: with no space after the letter ("C.Venus", "C(Venus)"; a Chinese or Japanese answer's "C．金星", "C（金星）",
# read as ASCII), after a comma or "、" ("C, Venus", "C、金星") and a word that restates ("C, i.e. Venus", "C，即金星")
_LETTER_THEN_TEXT = re.compile(
    r"\(?([A-Z])\)?(?:[.):,\u3001\u3002]\s*|\s+|(?=\()|(?=[\u3040-\u30ff\u3400-\u9fff]))"
    r"(?:(?:i\.\s*e\.|namely|that\s+is|which\s+is|即|也就是|就是)\s*,?\s*)?(.+)"
)
# what ends a stated value and is no part of it: a full stop (also "。") and Japanese "です" / "である"
_VALUE_END = re.compile(r"(?:\s*(?:[.\u3002]|です|である|だ))+$")
_TEXT_THEN_LETTER = re.compile(r"(.+?),?\s*(?:\(([A-Z])\)|\bwhich\s+is\s+(?:option\s+)?\(?([A-Z])\)?)")


def _disagrees(answer: str, letter: str, choices: dict[str, str]) -> bool:
    """Whether the stated answer is a letter and an option's text that name two options ("The answer is Venus (C).",
    "Answer: C. Venus", "The answer is Mars, which is D."): which one the response meant is unknown."""
    if not choices:
        return False
    pairs = []
    line = stated_line(_given_only(answer), _VALUE_LINE)  # read once: the value and the whole line
    for value in (line_value(line), line):
        value = _VALUE_END.sub("", (value or "").strip().strip("*").strip()).strip()
        if (m := _LETTER_THEN_TEXT.fullmatch(value)) is not None:
            pairs.append((m.group(1), m.group(2)))
        if (m := _TEXT_THEN_LETTER.fullmatch(value)) is not None:
            pairs.append((m.group(2) or m.group(3), m.group(1)))
    for named, text in pairs:
        by_text = _options_named(text, choices)
        if by_text and {named, letter} != by_text:
            return True
    return False


def _given_only(answer: str) -> str:
    """`answer` with the words of each statement that gives no answer blanked: another's belief ("One might think the
    answer is B") or a supposition ("If the question were about the hottest planet, the answer would be B) Venus.";
    mcq 30: `_disagrees` read that last statement's "B) Venus" beside a right C and failed it `multiple_answers`)."""
    out, pos = answer, 0
    while (m := _VALUE_LINE.search(answer, pos)) is not None:
        pos = m.start("value")
        if _believed(answer, m.start()) or (m.group("would") and _supposed(answer, m.start())):
            out = out[: m.start()] + " " * (pos - m.start()) + out[pos:]
    return out


# Another option offered beside the answer, on the answer's own line: "(or possibly D)", "B is also plausible", "D could
# also be correct", "it might also be B". Calling it right or possible is what makes it a hedge.
_OTHER = r"(?P<mark>(?:option\s+|choice\s+)?\(?)(?-i:(?P<letter>[A-Z]))\)?"
_IS_SAID_OF = r"(?=\)?\s+(?:is|was|has|does|would|could|can|isn't|wasn't|doesn't|describes|refers|names)\b)"


@functools.lru_cache(maxsize=1024)
def _subject_rx(others: tuple[str, ...], texts: tuple[str, ...]) -> re.Pattern[str] | None:
    if not others:
        return None
    marks = "|".join(others)
    named = [
        rf"\b(?:option|choice)\s+\(?(?-i:{marks})\)?(?![A-Za-z])",  # "option D"
        rf"\((?-i:{marks})\)",  # "(D)"
        rf"(?<![A-Za-z])(?-i:{marks}){_IS_SAID_OF}",  # "D is a gas giant"
        *(rf"(?<!\w){re.escape(t)}{_IS_SAID_OF}" for t in texts if len(t) >= 3),  # "Jupiter is a gas giant"
    ]
    return re.compile("|".join(named), re.IGNORECASE)


def _subject_of(others: set[str], choices: dict[str, str]) -> re.Pattern[str] | None:
    """What names another option as what a sentence is about (mcq 34: "The answer is C. D is a gas giant, so it is
    wrong." failed `retracted`: the "it" called wrong is D): "option D", "(D)", or the letter or the option's text as
    a subject ("D is ...", "Jupiter has ..."). `extract.answer_retracted` reads a sentence naming one as about it."""
    ordered = tuple(sorted(others))
    return _subject_rx(ordered, tuple(str(choices.get(o, "")).strip() for o in ordered))


# "Same for B." (another letter said to be as the sentence before says)
_SAME_FOR = (
    r"(?:\*\*)?same\s+(?:for|with|goes\s+for|applies\s+to)\s*,?\s+(?:\*\*)?"
    + _OTHER
    + r"(?:\*\*)?(?=(?:\*\*)?[ \t]*(?:[.!](?=\s|$)|$))"
)
# what may stand between an option's letter and what is said of it: its text in parentheses ("B (Venus)") or a few
# words ("(B) Venus"), none of them punctuated (a new clause: "B is the hottest, which is also correct" is no hedge)
_ITS_TEXT = r"(?P<text>\s*\([^()]*\)|(?:\s+[^\s,;.:()!?]+){1,4}?)?"
# an option offered under a condition is none ("B would be the answer only if it were red."; mcq 22 for letters)
# (mcq 23: also after the closing parenthesis of "(B)": "it might also be (H) if ..." read "(H" and hedged)
_NO_CONDITION = r"(?!\)?\s+(?:only\s+)?(?:if|unless|when|were)\b)"
# what calls another option right or possible: `extract.HEDGE_RIGHT`, and (mcq 26) "a possibility" ("D is also a
# possibility.", "B and D are also possibilities." passed for C)
# (mcq 26) what must follow an offer that a reason or a limit would make an explanation: the end of its sentence ("too"
# or "as well" first; not ";"), or for an option accepted "but not ..." ("I'd accept B, but not D.")
_SENTENCE_ENDS_HERE = r"(?=(?:\s+(?:too|as\s+well))?(?:\*\*)?\s*(?:[.!)\u3002]|$))"
_SENTENCE_OR_BUT_NOT = r"(?=(?:\s+(?:too|as\s+well))?(?:\*\*)?\s*(?:[.!)\u3002]|,?\s*but\s+not\b|$))"
_ALSO_RIGHT = r"(?:" + HEDGE_RIGHT + r"|an?\s+possibility\b|possibilities\b|accepted\b)"  # mcq 32: "accepted"
# mcq 30: "B could also be considered correct.", "B might also be seen as correct." (each passed for C)
_CONSIDERED = r"(?:(?:considered|seen\s+as|regarded\s+as|viewed\s+as|deemed|called)\s+)?"
# (mcq 32) a condition on what the question means ("if the question means the largest", "unless it asks about size",
# "if 'largest' is intended", "if by 'red' you mean ..."): not one that supposes ("were", "had")
_READING = (
    r"(?:means?|meant|intends?|intended|asks?|asking|refers?\s+to|referring\s+to|wants?|is\s+about|is\s+looking\s+for"
    r"|interpret(?:s|ed|ing)?|(?:is|are)\s+(?:meant|intended|interpreted|read|understood|taken))"
)
_IF_READING = (
    r"\b(?<!only\s)(?:if|unless|when)\s+(?:(?!\b(?:were|had)\b)[^,.;:!?\n()])*?\b" + _READING + r"\b[^,.;:!?\n()]*?"
)
# what may stand between such a condition and the option it gives ("then D", "it's D", "the answer is D")
_THEN_SAID = (
    r"(?:(?:it'?s|it\s+is|it\s+would\s+be|it'?d\s+be|it\s+becomes|the\s+(?:correct\s+)?answer\s+(?:is|would\s+be"
    r"|becomes)|(?:choose|pick|select|go\s+with)|(?-i:I)'?d\s+(?:choose|pick|say|go\s+with))\s+)?"
    r"(?:(?:probably|likely)\s+)?"
)
# mcq 27: another option offered as the answerer's fallback under a condition that is part of the offer: "If I had to
# pick a second, it would be B.", "If not C, then B." (each passed for C: a sentence with "if" explains,
# `_hedged_later`)
_FALLBACK = (
    r"\bif\s+(?-i:I)\s+(?:had|were|was)\s+to\s+(?:pick|choose|select|name|go\s+with)\s+(?:a\s+second|another|an?\s+"
    r"(?:alternative|backup|runner[-\s]up|second\s+(?:one|option|answer|choice)))(?:\s+(?:one|option|answer|choice))?"
    r"\s*,\s*(?:it\s+would\s+be|it'?d\s+be|(?-i:I)'?d\s+(?:pick|choose|go\s+with|say)|(?-i:I)\s+would\s+(?:pick|choose"
    r"|go\s+with|say))\s+" + _OTHER + _ENDS,
    r"\bif\s+not\s+(?:option\s+)?\(?(?-i:[A-Z])\)?\s*,\s*(?:then\s+)?(?:(?:probably|likely|maybe|perhaps)\s+)?"
    + _OTHER
    + _ENDS,
    # "If I'm wrong, it's probably B." (not "If I'm wrong about the dust, ...")
    # (mcq 30: "If I'm wrong, the answer would be B.", "If I'm wrong, then B."; each passed for C)
    r"\bif\s+(?-i:I)(?:'m|\s+am)\s+wrong\s*,\s*(?:then\s+)?(?:(?:it'?s|it\s+is|it\s+would\s+be|it'?d\s+be"
    r"|the\s+answer\s+(?:is|would\s+be))\s+)?(?:(?:probably|likely|most\s+likely)\s+)?" + _OTHER + _ENDS,
    # mcq 30: "Otherwise, B.", "C; otherwise B", "C, or else B" (the other option as the fallback; each passed for C;
    # "Otherwise it would be B" supposes the other case)
    r"(?:^|(?<=[,;:(])\s*|\bor\s+)(?:otherwise|else|failing\s+that)\s*,?\s+(?:(?:probably|maybe|perhaps)\s+)?"
    + _OTHER
    + _ENDS,
    # mcq 32: "E if friction is ignored, F otherwise." (it passed for E)
    r"(?<![A-Za-z])" + _OTHER + r"\s*,?\s+otherwise(?=\s*(?:[.!;)\u3002]|$))",
    # mcq 32: another option for another reading of the question ("..., unless the question means the largest, in which
    # case D.", "If the question means the largest, then D.", "(or D if the question means the largest)", "D if
    # 'largest' is intended"; each passed for C); not a supposition ("If the question were about ..., the answer would
    # be D.") nor a condition of the world ("D would be the answer only if it were red.")
    r"\bin\s+which\s+case\s*,?\s*" + _THEN_SAID + _OTHER + _ENDS,
    _IF_READING + r"\s*,?\s*(?:then\s*,?\s+)?" + _THEN_SAID + _OTHER + _SENTENCE_ENDS_HERE,
    r"(?<![A-Za-z])"
    + _OTHER
    + r"(?:\s+(?:(?:would|could|might|may)\s+(?:also\s+)?be|is(?:\s+also)?)\s+(?:the\s+answer|correct|right|valid"
    r"|acceptable)|\s+(?:also\s+)?(?:works|fits|applies)|\s+(?:would|could|might|may)\s+(?:also\s+)?(?:work|fit"
    r"|apply))?\s*,?\s+" + _IF_READING + r"(?=\s*(?:[.,;!)\u3002]|$))",
)
_FALLBACK_RX = [re.compile(p + _NO_CONDITION, re.IGNORECASE) for p in _FALLBACK]
# the answerer undecided now between two options ("I'm torn between B and C."; mcq 27: "I'm not sure between B and C",
# "I'm unsure whether it's B or C", "I can't decide between B and C"), and "It's either B or C" (mcq 27)
_TORN = (
    r"(?<![\w'])(?-i:I)(?:(?:'m|\s+am)\s+(?:still\s+)?(?:torn|undecided|not\s+(?:sure|certain)|unsure|uncertain)"
    r"|\s+(?:can't|cannot|can\s+not)\s+decide)\s+(?:between|whether\s+(?:it'?s|it\s+is)|if\s+(?:it'?s|it\s+is))\s+"
    r"(?:option\s+|choice\s+)?"
)
_SHARE = r"[~\u2248]?\s*(?!0+(?:\.0+)?\s*%)\d{1,2}(?:\.\d+)?\s*%"  # a nonzero share ("10%", "~20 %")
_EITHER = r"\b(?:it'?s|it\s+is|the\s+answer\s+is)\s+either\s+(?:option\s+)?"
_HEDGED_WITH = [
    re.compile(p + _NO_CONDITION, re.IGNORECASE)
    for p in (
        r"\bor\s+(?:possibly|maybe|perhaps|potentially)\s+" + _OTHER + r"(?![A-Za-z])",
        r"\(\s*(?:possibly|maybe|perhaps|potentially)\s+" + _OTHER + r"\s*\)",
        r"(?<![A-Za-z])"
        + _OTHER
        + _ITS_TEXT
        + r"\s+(?:is|are|seems|looks|(?:would|could|might|may)\s+be)\s+(?:also|equally)\s+(?:arguably\s+)?"
        + _CONSIDERED
        + _ALSO_RIGHT,
        # mcq 26: "B also seems plausible." (each passed for C)
        r"(?<![A-Za-z])"
        + _OTHER
        + _ITS_TEXT
        + r"\s+(?:also|equally)\s+(?:seems|looks|appears)\s+(?:to\s+be\s+)?"
        + _ALSO_RIGHT,
        r"(?<![A-Za-z])"
        + _OTHER
        + _ITS_TEXT
        + r"\s+(?:could|might|may|would)\s+(?:also\s+|equally\s+)?be\s+"
        + _CONSIDERED
        + _ALSO_RIGHT,
        # mcq 26: "B is another possibility.", "B could also work.", "B also works." (each passed for C)
        r"(?<![A-Za-z])" + _OTHER + _ITS_TEXT + r"\s+(?:is|are|seems|looks|(?:would|could|might|may)\s+be)\s+another\s+"
        r"(?:possibility|possible\s+answer|plausible\s+answer|valid\s+answer|candidate)\b",
        r"(?<![A-Za-z])"
        + _OTHER
        + _ITS_TEXT
        + r"\s+(?:(?:could|might|may|would)\s+(?:also|equally)\s+work|also\s+works)\b",
        # "B also fits.", "B also makes sense." (not "B also fits the description")
        r"(?<![A-Za-z])"
        + _OTHER
        + _ITS_TEXT
        + r"\s+(?:(?:could|might|may|would)\s+(?:also|equally)\s+(?:fit|make\s+(?:some\s+)?sense|qualify)"
        r"|also\s+(?:fits|makes\s+(?:some\s+)?sense|qualifies))"  # mcq 27: "B also qualifies.", "... makes some sense."
        r"(?=(?:\*\*)?\s*(?:[.,;!?)]|$))",
        # "B is a possibility too.", "B is plausible as well.", "B is arguably correct too."
        r"(?<![A-Za-z])"
        + _OTHER
        + _ITS_TEXT
        + r"\s+(?:is|are|seems|looks|(?:would|could|might|may)\s+be)\s+(?:arguably\s+)?"
        + _ALSO_RIGHT
        + r"\s+(?:too|as\s+well)\b",
        # mcq 26: "I'd also accept B.", "I would accept B as well." (the answerer's own offer; "Some would also accept
        # B" is another's)
        r"(?<![\w'])(?-i:I)(?:'d|\s+would|\s+could|\s+might)?\s+(?:(?:also|equally)\s+accept"
        r"|accept(?=\s+(?:option\s+|choice\s+)?\S+\s+(?:too|as\s+well)\b))\s+" + _OTHER + r"(?![A-Za-z])",
        # mcq 26: "I'd accept B.", "I'd accept B, but not D." (ending its sentence or before "but not"; each passed for
        # C), "One could also argue for B.", "B is a close second.", "B is also worth considering." (ending their
        # sentence: "One could argue for B, but ...", "B is worth considering only for ..." explain)
        r"(?<![\w'])(?-i:I)(?:'d|\s+would|\s+could|\s+might)?\s+accept\s+" + _OTHER + _SENTENCE_OR_BUT_NOT,
        r"(?<![\w'])(?:one|you|we|(?-i:I))\s+(?:could|can|might|may)\s+(?:also\s+|equally\s+)?(?:argue|make\s+a\s+case)"
        r"\s+for\s+" + _OTHER + _SENTENCE_ENDS_HERE,
        r"(?<![A-Za-z])"
        + _OTHER
        + _ITS_TEXT
        + r"\s+(?:is|are|seems|looks|comes|(?:would|could|might|may)\s+be)\s+(?:also\s+|still\s+)?(?:in\s+)?(?:an?\s+)?"
        r"(?:(?:very\s+)?close\s+(?:second|call)|(?:also\s+|equally\s+)?worth\s+(?:considering|consideration|a\s+look)"
        # "B is a strong contender as well.", "B is a reasonable alternative.", "B is nearly as good." (each passed)
        r"|(?:strong|serious)\s+contender(?:\s+(?:too|as\s+well))?"
        # (mcq 30: "B is a strong alternative.", "B is an alternative.", "B is the alternative"; each passed for C)
        r"|(?:(?:reasonable|valid|plausible|viable|good|strong|close|serious|possible)\s+)?alternative"
        r"(?:\s+(?:too|as\s+well))?"
        # mcq 27: "B is the main alternative." (it passed for C)
        r"|the\s+(?:(?:main|chief|primary|strongest|best|closest|most\s+(?:likely|plausible))\s+)?alternative"
        r"|(?:nearly|almost|just|equally|every\s+bit)\s+as\s+(?:good|likely|plausible|correct)"
        # mcq 27: "B is just as likely.", "B is a defensible choice.", "B is also partially correct." (each passed)
        r"|(?:also\s+)?(?:a|an)\s+(?:defensible|reasonable|plausible|valid|acceptable|viable)\s+(?:choice|answer|option|pick)"
        r"|also\s+(?:partially|partly)\s+(?:correct|right|true))" + _SENTENCE_ENDS_HERE,
        # "B cannot be ruled out.", "Though B cannot be fully ruled out." (each passed for C)
        r"(?<![A-Za-z])"
        + _OTHER
        + _ITS_TEXT
        + r"\s+(?:cannot|can't|can\s+not)\s+be\s+(?:fully\s+|entirely\s+|completely\s+)?(?:ruled\s+out|excluded)"
        r"(?:\s+(?:entirely|completely|fully))?" + _SENTENCE_ENDS_HERE,
        # mcq 27: "B isn't out of the question.", "B could also be argued.", "I wouldn't rule out B entirely.", "with B
        # as a less likely alternative", "with B being a possibility", "Alternatively, B.", "Second-best: B." (each
        # passed for C; "B is out of the question: ...", "B could be argued only for ...", "I would rule out B, since
        # ..." explain)
        r"(?<![A-Za-z])"
        + _OTHER
        + _ITS_TEXT
        + r"\s+(?:is\s+not|isn't|isnt)\s+(?:entirely\s+|completely\s+)?out\s+of\s+the\s+question"
        + _SENTENCE_ENDS_HERE,
        r"(?<![A-Za-z])"
        + _OTHER
        + _ITS_TEXT
        + r"\s+(?:could|might|can)\s+(?:also\s+|equally\s+)?be\s+argued(?:\s+for)?"
        + _SENTENCE_ENDS_HERE,
        r"(?<![\w'])(?-i:I)\s+(?:wouldn't|would\s+not|can't|cannot|can\s+not|couldn't|could\s+not|don't|do\s+not)"
        r"\s+(?:completely\s+|entirely\s+|fully\s+)?(?:rule\s+out|exclude|dismiss|discount)\s+"
        + _OTHER
        + r"(?:\s+(?:entirely|completely|fully))?"
        + _SENTENCE_ENDS_HERE,
        r"\bwith\s+"
        + _OTHER
        + r"\s+(?:as\s+an?|being\s+(?:an?|another))\s+(?:(?:less|more|very|somewhat|slightly)\s+)?"
        # (mcq 33: "with D as a remote possibility"; it passed for C)
        r"(?:(?:likely|plausible|possible|reasonable|viable|close)|" + REMOTE + r")?\s*"
        r"(?:alternative|possibility|contender|runner[-\s]up|second(?:\s+choice)?|candidate|chance)"
        + _SENTENCE_ENDS_HERE,
        # mcq 33: "D is a long shot.", "D is a remote possibility.", "D isn't impossible." (each passed for C)
        r"(?<![A-Za-z])"
        + _OTHER
        + _ITS_TEXT
        + r"(?:"
        + KEPT_AS_REMOTE
        + "|"
        + STILL_POSSIBLE  # mcq 34: "D remains possible."
        + ")"
        + _SENTENCE_ENDS_HERE,
        # mcq 34: "A long shot would be D.", "An outside chance is D.", "with D an outside chance", "A case could be
        # made for D.", "Failing that, D.", "(or D if we're being generous)" (each passed for C; "A long shot would be
        # to say ..." explains; "Some would argue D." is another's view, as "Some might argue for B." since mcq 26)
        r"\ban?\s+(?:" + REMOTE_ONE + r"|second\s+(?:choice|pick|guess)|backup|fallback)\s+"
        r"(?:would\s+be|is|might\s+be|could\s+be)\s+" + _OTHER + _SENTENCE_ENDS_HERE,
        r"\bwith\s+" + _OTHER + r"\s+(?:as\s+)?an?\s+" + REMOTE_ONE + _SENTENCE_ENDS_HERE,
        r"\ba\s+case\s+(?:could|can|might|may)\s+(?:also\s+)?be\s+made\s+for\s+" + _OTHER + _SENTENCE_ENDS_HERE,
        r"\b(?:failing\s+that|if\s+not|otherwise)\s*,\s*(?:then\s+)?(?:maybe\s+|perhaps\s+)?" + _OTHER + _ENDS,
        r"\(\s*or\s+(?:maybe\s+|possibly\s+|perhaps\s+)?" + _OTHER + r"\s+(?:if|when|for|under|depending)\b[^)\n]*\)",
        r"(?<![A-Za-z])"
        + _OTHER
        + _ITS_TEXT
        + r"\s+(?:is\s+not|isn't|isnt)\s+(?:entirely\s+|completely\s+|totally\s+)?impossible"
        + _SENTENCE_ENDS_HERE,
        # (mcq 35: "Then again, D.", "On second thought, D.", "Or is it D?", "Unless it's D."; each passed for C)
        r"(?:^|(?<=[.;:(])\s*)(?:\*\*)?(?:alternatively|then\s+again|on\s+second\s+thought)(?:\*\*)?\s*,?\s+"
        r"(?:(?:it\s+(?:could|might)\s+be|maybe|perhaps)\s+)?" + _OTHER + _ENDS,
        r"(?:^|(?<=[.;:(])\s*)(?:or\s+is\s+it|unless\s+it(?:'s|\u2019s|\s+is))\s+" + _OTHER + _ENDS,
        # (mcq 30: "Alternative: B", "**Alternative answer:** B"; passed for C)
        r"\b(?:second[-\s]best|second\s+(?:choice|pick|guess)|runner[-\s]up|backup|fallback|alternative)"
        r"(?:\s+(?:answer|option))?"
        r"(?:\*\*)?\s*[:\u2014\u2013-]\s*(?:\*\*)?" + _OTHER + _ENDS,
        # "I'm torn between B and C." (the answerer undecided now; "I was torn ... at first" is history)
        # (mcq 27: "I'm not sure between B and C.", "I'm unsure whether it's B or C.", "It's either B or C." ending its
        # sentence; each passed for C)
        _TORN + _OTHER + r"\s+(?:and|or)\s+(?:option\s+|choice\s+)?\(?[A-Z]\)?(?![A-Za-z])",
        _TORN + r"\S+\s+(?:and|or)\s+" + _OTHER + r"(?![A-Za-z])",
        _EITHER + _OTHER + r"\s+or\s+(?:option\s+)?\(?(?-i:[A-Z])\)?" + _SENTENCE_ENDS_HERE,
        _EITHER + r"(?:option\s+)?\(?(?-i:[A-Z])\)?\s+or\s+" + _OTHER + _SENTENCE_ENDS_HERE,
        # mcq 27: "B isn't wrong either.", "There's a case for B too.", "B has some merit." (each passed for C; "B has
        # some merit, but ..." explains)
        r"(?<![A-Za-z])"
        + _OTHER
        + _ITS_TEXT
        + r"\s+(?:is\s+not|isn't|isnt)\s+(?:wrong|incorrect)\s+either"
        + _SENTENCE_ENDS_HERE,
        # mcq 30: "B is not entirely wrong.", "B isn't completely wrong." (each passed for C)
        r"(?<![A-Za-z])"
        + _OTHER
        + _ITS_TEXT
        + r"\s+(?:is\s+not|isn't|isnt)\s+(?:entirely|completely|totally|necessarily|wholly|altogether)\s+(?:wrong"
        r"|incorrect|off)" + _SENTENCE_ENDS_HERE,
        r"\bthere(?:'s|\s+is)\s+(?:also\s+)?an?\s+(?:good\s+|strong\s+|reasonable\s+|decent\s+)?case\s+(?:to\s+be\s+made\s+)?"
        r"for\s+" + _OTHER + _SENTENCE_ENDS_HERE,
        r"(?<![A-Za-z])"
        + _OTHER
        + _ITS_TEXT
        + r"\s+(?:also\s+)?has\s+(?:some|its|real|a\s+lot\s+of|certain)\s+merits?"
        + _SENTENCE_ENDS_HERE,
        # mcq 27: "C would be my answer, B my second.", "Answer: C (90% confident; B at 10%)", "C (80%), B (20%)"
        r"[,;]\s*" + _OTHER + r"\s+(?:as\s+)?(?:my|a)\s+(?:close\s+)?(?:second|runner[-\s]up|backup|fallback)"
        r"(?:\s+(?:choice|pick|guess))?" + _SENTENCE_ENDS_HERE,
        # (a share of confidence given to it: after a word of confidence on its line, or beside the answer's own share;
        # not "not B (20%)", an option's text)
        r"(?:confiden\w*|probabilit\w*|chances?|likelihood|certaint\w*)[^\n]*?(?<![A-Za-z])"
        + _OTHER
        + r"\s*(?:at|:|=|\(|with)?\s*"
        + _SHARE,
        r"(?<![A-Za-z])\(?(?-i:[A-Z])\)?\s*(?:at|:|\()?\s*"
        + _SHARE
        + r"\)?\s*[,;/]\s*"
        + _OTHER
        + r"\s*(?:at|:|\()?\s*"
        + _SHARE,
        r"\b(?:could|might|may)\s+(?:also|equally)\s+be\s+" + _OTHER + r"(?![A-Za-z])",
        # mcq 11: "The answer is B, but it could be C.", "..., maybe C." (the other letter ends its clause)
        r"\b(?:it|that|the\s+answer)\s+(?:could|might|may)\s+(?:well\s+)?be\s+"
        + _OTHER
        + r"(?:"
        + _ENDS
        + r"|(?=\s+depending\s+on\b))",  # mcq 27: "The answer could be B depending on interpretation."
        # (mcq 30: "Arguably B as well.", "Arguably, B."; each passed for C)
        # (and, mcq 30, opening a sentence on the answer's line: "The answer is C. Maybe B." passed for C)
        # (mcq 32: after "and", "The answer is B, and arguably A as well."; it passed for B)
        r"(?:^|[,;:(]\s*|(?<=[.!?])\s+|\bbut\s+|\bor\s+|\band\s+)(?:maybe|perhaps|possibly|arguably\s*,?)\s+"
        r"(?:it'?s\s+|it\s+is\s+)?"
        + _OTHER
        + r"(?:\s+(?:too|as\s+well))?"  # mcq 23: "Possibly B as well."
        + _ENDS,
        # mcq 14: the same in the languages of `extract.FOREIGN_STATED` ("..., pero B también podría ser correcta.",
        # "..., aber B ist auch richtig.", "但B也可能正确。", "也可能是B。", "..., quizás B.", "..., но возможно B.")
        r"(?<![A-Za-z])" + _OTHER + _ITS_TEXT + FOREIGN_ALSO_RIGHT,
        r"(?<![A-Za-z])" + _OTHER + CJK_ALSO_RIGHT,
        # mcq 26: "B也可能是答案。", "B也可能是正确答案。", "B也是一个可能的答案。", "Bも答えになりうる。" (each
        # passed for C)
        r"(?<![A-Za-z])"
        + _OTHER
        + r"\s*(?:(?:也|亦)\s*(?:(?:有)?可能\s*(?:是)?|是)\s*(?:一个|一個)?\s*(?:(?:可能|合理|正确|正確)的?)?"
        r"\s*(?:答案|选项|選項)"
        r"|も\s*(?:答え|正解)\s*(?:に|と)\s*なり(?:うる|える|得る))(?=\s*(?:[.,;!?)。、，]|$))",
        FOREIGN_COULD_BE + _OTHER + r"(?:\s+sein)?" + _ENDS,
        FOREIGN_MAYBE + _OTHER + _ENDS,
        # mcq 27: the answerer's second choice, runner-up or fallback ("B would be my second choice.", "B is the
        # runner-up.", "B is the next most likely answer.", "My second choice would be B."; each passed for C), ending
        # its sentence ("B was my second choice, but ..." is history, "B is a common second choice among students"
        # another's)
        r"(?<![A-Za-z])"
        + _OTHER
        + _ITS_TEXT
        + r"\s+(?:is|would\s+be|'d\s+be)\s+(?:(?:my|the)\s+(?:(?:second|next|backup|fallback|alternate|alternative)"
        r"(?:[-\s]best)?\s+(?:choice|pick|guess|answer|option|bet|candidate)|(?:second|next)[-\s]best(?:\s+(?:answer"
        r"|option|choice))?|(?:second|next)\s+most\s+(?:likely|plausible|probable)(?:\s+(?:answer|option|choice"
        r"|candidate))?|runner[-\s]up)|a\s+(?:close\s+)?runner[-\s]up)" + _SENTENCE_ENDS_HERE,
        r"\b(?:my|the)\s+(?:second|next|backup|fallback|alternate|alternative)(?:[-\s]best)?\s+(?:choice|pick|guess"
        r"|answer|option|bet|candidate)\s+(?:is|would\s+be)\s+" + _OTHER + _ENDS,
        # mcq 31: another option added ("Also B.", ", and also B", "Or B.", "(or B)", "B too.", "B, probably.", "B
        # works too.", "B is also an answer.", "B is plausible.", "B is likely."; each passed for C), not "Also, B is
        # too hot."
        r"(?:^|(?<=[.!?;,(])[ \t]*|[ \t]+and[ \t]+)(?:and\s+)?(?:also|or(?:\s+else)?)\s*,?\s+(?:\*\*)?"
        + _OTHER
        + r"(?:\s+(?:too|as\s+well))?"
        + _ENDS,
        r"(?:^|(?<=[.!?;:(])[ \t]*)(?:\*\*)?"
        + _OTHER
        + r"(?:\*\*)?\s*,?\s+(?:too|also|as\s+well|probably|possibly|maybe|perhaps)"
        + _SENTENCE_ENDS_HERE,
        r"(?<![A-Za-z])"
        + _OTHER
        + _ITS_TEXT
        + r"\s+(?:also\s+|equally\s+)?works\s+(?:too|as\s+well)"
        + _SENTENCE_ENDS_HERE,
        r"(?<![A-Za-z])"
        + _OTHER
        + _ITS_TEXT
        + r"\s+(?:is|would\s+be|could\s+be)\s+also\s+an?\s+(?:(?:valid|correct|possible|acceptable|right)\s+)?answer"
        + _SENTENCE_ENDS_HERE,
        r"(?<![A-Za-z])"
        + _OTHER
        + _ITS_TEXT
        + r"\s+(?:is|seems|looks)\s+(?:also\s+|quite\s+|very\s+|fairly\s+|highly\s+)?(?:plausible|likely|possible)"
        + _SENTENCE_ENDS_HERE,
        # (another letter as a sentence of its own after the answer, after an interjection or a connective, "Hmm, B.",
        # "And B.", "Either way, B.", quoted, "> B", or with a check mark, "B \u2713"; each passed for C)
        r"(?:^|(?<=[.!?;])[ \t]+)(?:>[ \t]*)?(?:\*\*)?(?:(?:hmm+|hm|well|and|either\s+way|anyway|in\s+any\s+case"
        r")\s*,?\s+)?(?:\*\*)?"
        + _OTHER
        + r"(?:\*\*)?(?:[ \t]*[\u2713\u2714\u2705\u2611])?(?=(?:\*\*)?[ \t]*(?:[.!](?=\s|$)|$))",
        # "Same for B." right after the answer's sentence on its line ("C. Same for B."; it passed for C; the first
        # sentence of a later line: `_hedged_later`); after a sentence on another option ("A is too close. Same for
        # B.") it says the same of B, and is no hedge
        r"\A\(?(?:\*\*)?(?-i:[A-Z])(?:\*\*)?\)?[ \t]*[.!;][ \t]+" + _SAME_FOR,
        # mcq 33: another option for other sources, contexts or readings ("C, but B in some contexts.", "C in most
        # textbooks, but B in some.", "C for most purposes, B for others.", "C, or B under the older definition.";
        # each passed for C); the qualifier ends its clause ("and B in some sense is close" explains)
        r"(?:^|(?<=[,;])\s*|\bbut\s+|\bor\s+|\band\s+)"
        + _OTHER
        + r"\s+(?:in|for|under|by|per|according\s+to|with)\s+(?:some|others?|certain|many|(?:an?|the)\s+(?:other|older"
        r"|newer|alternative|alternate|different|broader|narrower|stricter|looser|strict|loose|old|new|earlier|later))\b"
        r"(?:\s+[A-Za-z-]+){0,3}(?=\s*(?:[.,;!)\u3002]|$))",
        *_FALLBACK,
    )
]


def _hedged_with(
    rest: str | None, letter: str, letters: set[str], choices: dict[str, str] | None = None, exception: bool = False
) -> set[str]:
    """The other options the rest of the answer's line (`rest`) offers beside `letter` as right or possible, by letter
    or (mcq 20) by their text ("(or possibly Venus)", "Venus is also plausible": mcq 19 read letters only).
    "A" and "I" count only as "(A)", "option A", or right before what is said of them ("A is also correct"): "A planet
    like Venus would be the answer" is the article, "I might be right" the pronoun. To a question asking for the
    exception (`exception`, mcq 26) an option called also correct, right or true is none ("A, B and D are also correct"
    explains why C is the exception), and one called also false is offered ("B is also false.")."""
    return {other for other, _m in _hedges(rest, letter, letters, choices, exception)}


def _hedges(
    rest: str | None, letter: str, letters: set[str], choices: dict[str, str] | None = None, exception: bool = False
) -> Iterable[tuple[str, re.Match[str]]]:
    """Each other option `_hedged_with` finds in `rest`, with the match that offers it."""
    own = (choices or {}).get(letter, "")
    for m in _BOTH.finditer(rest or "") if not _NAMES_OTHERS.search(own) else ():
        for other in filter(None, (m.group(g) for g in "abcdef")):
            if other in letters and other != letter and not (exception and _only_called_true(m)):
                yield other, m
    for rx in (*_HEDGED_WITH, *_HEDGED_FALSE) if exception else _HEDGED_WITH:
        for m in rx.finditer(rest or ""):
            other = m.group("letter")
            word = other in ("A", "I") and not m.group("mark")
            if word and (other == "I" or ("text" in rx.groupindex and m.group("text"))):
                continue
            if other in letters and other != letter and not (exception and _only_called_true(m)):
                yield other, m
    texts = {k: v.strip() for k, v in (choices or {}).items() if k in letters and k != letter and v.strip()}
    if rest and texts and any(v.lower() in rest.lower() for v in texts.values()):
        by_text = {_norm(v): k for k, v in texts.items()}
        for rx in _hedged_with_text_patterns(tuple(sorted(texts.values(), key=len, reverse=True)), exception):
            yield from (
                (by_text[n], m)
                for m in rx.finditer(rest)
                if (n := _norm(m.group("letter"))) in by_text and not (exception and _only_called_true(m))
            )


# mcq 26: two options called right together ("Both B and C are correct.", "B and C are both correct.", "Either B or C
# would work."; they passed for C), unless the answer's own option names others ("Both A and B", "All of the above")
_BOTH_RIGHT = r"(?:correct|right|valid|plausible|possible|acceptable|defensible|reasonable)(?:\s+answers)?\b"
_BOTH_LETTER = r"\(?(?P<{}>(?-i:[A-Z]))\)?"
_BOTH_BE = r"\s+(?:are|could\s+be|might\s+be|would\s+be)\s+"
_BOTH = re.compile(
    r"(?<![A-Za-z])(?:(?:both\s+"
    + _BOTH_LETTER.format("a")
    + r"\s+and\s+"
    + _BOTH_LETTER.format("b")
    + _BOTH_BE
    + r"|"
    + _BOTH_LETTER.format("c")
    + r"\s+and\s+"
    + _BOTH_LETTER.format("d")
    + _BOTH_BE
    + r"both\s+)"
    + _BOTH_RIGHT
    + r"|either\s+"
    + _BOTH_LETTER.format("e")
    + r"\s+or\s+"
    + _BOTH_LETTER.format("f")
    + r"\s+(?:would|could|might|may)\s+(?:work|be\s+(?:correct|right|valid|acceptable|the\s+answer))\b)"
    r"(?=(?:\*\*)?\s*(?:[.,;!?)]|$))"  # ending its clause: not "A and B are both possible causes, but ..."
     + _NO_CONDITION,
    re.IGNORECASE,
)
_NAMES_OTHERS = re.compile(r"\b(?:both|all|none|neither|either)\b|(?<![A-Za-z])(?-i:[A-J])(?![A-Za-z])", re.IGNORECASE)

# mcq 26: to a question asking for the exception, another option called also false is offered as the answer ("B is
# also false.", "B is also a false statement."); one said to be also correct, right or true (`_CALLED_TRUE`, in the
# languages of `extract.FOREIGN_ALSO_RIGHT` and `extract.CJK_ALSO_RIGHT` too) only judges its statement, unless it is
# said to be possibly so (`_MODAL`: "F might also be correct, since ..." still offers F)
_HEDGED_FALSE = [
    re.compile(
        r"(?<![A-Za-z])"
        + _OTHER
        + _ITS_TEXT
        + r"\s+(?:is|are|seems|looks|(?:would|could|might|may)\s+be)\s+(?:also|equally)\s+"
        r"(?:false|untrue|not\s+true|an?\s+(?:false|incorrect|untrue)\s+statement)\b" + _NO_CONDITION,
        re.IGNORECASE,
    )
]
_MODAL = re.compile(
    r"\b(?:could|might|may|would)\b|可能|かもしれ|k[öo]nnte|podr[ií]a|pourrait|может|수도", re.IGNORECASE
)
_CALLED_TRUE = re.compile(
    # (mcq 31: "possible", "plausible", "likely" too, hedges elsewhere: "B is possible." to "Which is NOT possible?")
    r"(?:\b(?:correct|right|true|accurate|possible|plausible|likely)|(?<!\w)(?:correct[ao]s?|correctes?|richtig|korrekt"
    r"|wahr|verdader[ao]s?|vrai[es]*|правильн\w*|верн\w*|верен)|正确的?|正確的?|对的?|對的?|成立的?|正しい(?:です|である|だ)?|맞(?:습니다|다|아요))"
    r"(?:\s+(?:too|as\s+well))?$",
    re.IGNORECASE,
)


# mcq 23: a hedge on a line after the answer's ("\\boxed{C}\n\nB could also be correct.", "The answer is C.\n\nMaybe
# Venus, though."): read as on the answer's line, but only where the offer ends its clause ("B could also be correct
# in a colder orbit" qualifies it), in a sentence that supposes nothing ("If ..., B would be correct"), gives no one
# else's belief ("Some might argue that B is also correct") and is no question answered after it ("Could it be B?
# No: ..."), with no condition in it ("However, if ..., E could also be correct") and no negation before it in its
# clause ("Neither A nor D could be correct"); an option called true there judges a statement ("B is also true", after
# the answer to "Which is false?"), not the answer
_LATER_ENDS = re.compile(
    r"(?:\*\*)?(?:\s+(?:too|as\s+well|though|instead|here|depending\s+on\b[^.!?;\n]*"
    # mcq 26: a qualifier that still offers it ("B could also be correct in some interpretations."; it passed for C),
    # unless it goes on to rule the offer out ("..., but not in this one")
    r"|(?:in|under)\s+(?:some|certain|other|many|a\s+few)\s+(?:interpretations?|readings?|cases|contexts?|senses"
    r"|views|definitions|circumstances|situations)(?!\s*,?\s*(?:but|yet|though|although)\s+not\b)"
    r"|in\s+a\s+(?:broader|looser|wider|different|certain)\s+(?:sense|reading|interpretation)"
    r"(?!\s*,?\s*(?:but|yet|though|although)\s+not\b))){0,2}(?:\*\*)?"
    r"\s*(?:[.,;:!?)\u2014\u2013\u3002\uff0c]|$)"
)
_STATEMENT_TRUE = re.compile(r"\btrue(?:\s+(?:too|as\s+well))?$", re.IGNORECASE)
_CONDITION = re.compile(r"\b(?:if|unless|assuming|supposing|provided|when)\b", re.IGNORECASE)
_CLAUSE_OPENS = re.compile(r"[,;:(\u2014\u2013\uff0c]")
_NEGATION = re.compile(r"\b(?:not|no|nor|neither|never|none)\b|n['\u2019]t\b", re.IGNORECASE)


def _after_answer_line(answer: str, rule: str, at: int, letters: set[str], choices: dict[str, str]) -> str | None:
    """The lines after the one that gives the answer: after the first box `choose` read for a boxed letter (the boxes
    give one letter, so the prose between them is read too), after the letter's line (`at`) for a stated one."""
    if rule in ("boxed", "boxed_text"):
        start = next((s for s, _e, box in boxed_spans(answer) if _boxed_choice(box, letters, choices)), -1)
    elif rule in ("stated", "text"):
        start = at
    elif (
        rule == "judged"
    ):  # mcq 30: after the last option judged ("... D) Jupiter - wrong\n\nB could also be correct.")
        start = max((m.start() for rx in (_JUDGED_LINE, _JUDGED_INLINE) for m in rx.finditer(answer)), default=-1)
    else:
        return None
    line_end = answer.find("\n", start) if start >= 0 else -1
    return None if line_end < 0 else answer[line_end:]


def _hedges_around(
    answer: str, rule: str, at: int, letter: str, letters: set[str], choices: dict[str, str], exception: bool
) -> set[str]:
    """The other options offered beside `letter` on the answer's line (`_hedged_with`) or on a line after it
    (`_hedged_later`)."""
    on_line = _hedged_with(_answer_line_rest(answer, rule, at, letters, choices), letter, letters, choices, exception)
    later = _hedged_later(_after_answer_line(answer, rule, at, letters, choices), letter, letters, choices, exception)
    return on_line | later


_SAME_FOR_FIRST = re.compile(_SAME_FOR, re.IGNORECASE)


def _hedged_later(
    later: str | None, letter: str, letters: set[str], choices: dict[str, str], exception: bool = False
) -> set[str]:
    """The other options a sentence after the answer's line offers as right or possible (mcq 23; `_LATER_ENDS`)."""
    sentences = [s for s in _SENTENCE_END.split(later or "") if s.strip()]
    found: set[str] = set()
    for i, sentence in enumerate(sentences):
        sentence = sentence.strip()
        if i + 1 < len(sentences) and sentence.endswith("?"):
            continue  # a question the response goes on to answer ("Could it be B? No: ...")
        if _supposes(sentence, sentence) or _CONDITION.search(sentence):
            # "If ..., B would be correct.", "However, if ..., (E) could also be correct."; not a fallback offered
            # ("If I had to pick a second, it would be B.": mcq 27)
            found |= {
                m.group("letter")
                for rx in _FALLBACK_RX
                for m in rx.finditer(sentence)
                if m.group("letter") in letters and m.group("letter") != letter
            }
            continue
        if i == 0 and (same := _SAME_FOR_FIRST.match(sentence)) and same.group("letter") in letters - {letter}:
            found.add(same.group("letter"))  # "The answer is C.\n\nSame for B." (after "A is too close." it is none)
        for other, m in _hedges(sentence, letter, letters, choices, exception):
            if _STATEMENT_TRUE.search(m.group(0)):
                continue  # "A is true, B is also true, and D is true." explains a question asking which is false
            before = sentence[: m.start()]
            clause = _CLAUSE_OPENS.split(before)[-1]
            if _LATER_ENDS.match(sentence, m.end()) and not _NEGATION.search(clause) and not _BELIEVED.search(before):
                found.add(other)
    return found


def _only_called_true(m: re.Match[str]) -> bool:
    """Whether a `_HEDGED_WITH` match only says another option is also correct, right or true ("B is also correct"), to
    a question asking for the exception: it judges that option's statement (mcq 26)."""
    return _CALLED_TRUE.search(m.group(0)) is not None and _MODAL.search(m.group(0)) is None


@functools.lru_cache(maxsize=256)  # a task's options, for its k responses
def _hedged_with_text_patterns(texts: tuple[str, ...], exception: bool = False) -> tuple[re.Pattern[str], ...]:
    """`_HEDGED_WITH` with the options' texts (longest first) where it reads a letter (mcq 20)."""
    alternatives = "|".join(map(re.escape, texts))
    other = r"(?P<mark>(?:option\s+|choice\s+)?\(?)(?P<letter>(?<!\w)(?:" + alternatives + r")(?!\w))\)?"
    # an option offered under a condition is none ("A planet like Venus would be the answer only if it were red.")
    hedges = (*_HEDGED_WITH, *_HEDGED_FALSE) if exception else _HEDGED_WITH  # mcq 26: "Venus is also false."
    patterns = [rx.pattern.replace(_OTHER, other) for rx in hedges]  # each ends in `_NO_CONDITION`
    patterns.append(_TEXT_JOINED + other + _ENDS)  # right after the answer: "Mars or Venus", "\\boxed{C} or Venus"
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


# another option's text joined to the answer right after it ("Mars or Venus", "Mars, or maybe Venus", "Mars/Venus"),
# as `_HEDGE` reads a letter; and where an answer's text ends before such a join
# (the line's rest may open with the answer's own letter and its text in parentheses: "C or Venus", "C (Mars) or Venus",
# mcq 21: a letter answer joined to another option's text passed)
_TEXT_JOINED = (
    r"\A\s*(?:\*\*)?(?:\(?[A-Z]\)?(?:\*\*)?(?:\s*\([^()\n]{0,80}\))?)?\s*,?\s*(?:\bor\b|\band\b|/|&)"
    r"(?:\s+(?:maybe|possibly|perhaps))?\s*"
)
_TEXTS_JOIN = re.compile(r"\s+(?:or|and)\s+|\s*[/&]\s*", re.IGNORECASE)


def _answer_line_rest(answer: str, rule: str, at: int, letters: set[str], choices: dict[str, str]) -> str | None:
    """The rest of the line that gives the answer: after the box `choose` read for a boxed letter, from the letter of
    the last answer given (`at`) for a stated one (version 8: the line of the last "answer is X" statement, so "The
    correct choice is C (or possibly D)" and "C is correct, though B could also be correct" were not read)."""
    if rule in ("boxed", "boxed_text"):
        end = next(e for _s, e, box in reversed(boxed_spans(answer)) if _boxed_choice(box, letters, choices))
        return answer[end:].split("\n", 1)[0]
    if rule in ("stated", "text") and at >= 0:
        return answer[at:].split("\n", 1)[0]
    return None


# what joins an option's text to the box on its line: a parenthesis ("\\boxed{C} (Venus)", "\\boxed{C}（金星）", read as
# ASCII), a dash or a colon ("\\boxed{C} - Venus"), or a space ("\\boxed{C} Venus.")
_BOX_JOINED = re.compile(
    r"\A[\s$*]*(?:\((?P<paren>[^()\n]*)\)|[:\u2014\u2013-]?\s*(?P<text>[^\n]*?))[\s$*]*[.!\u3002]?[\s$*]*$"
)


def _joined_to_box(rest: str | None, rule: str, letters: set[str], choices: dict[str, str]) -> set[str]:
    """The option whose whole text, or letter in parentheses, is joined to the box `choose` read on its line (`rest`,
    the line after the box): `\\boxed{C} (Venus)` names Venus beside C (mcq 25: mcq 6 to 24 read the box alone and
    passed it for C). Prose in the parenthesis ("(not Venus)", "(Venus is too hot)") or on later lines names none."""
    if rule not in ("boxed", "boxed_text") or not rest or not rest.strip():
        return set()
    m = _BOX_JOINED.match(rest)
    if m is None:
        return set()
    joined = (m.group("paren") if m.group("paren") is not None else m.group("text")).strip().strip("*").strip()
    if m.group("paren") is not None:  # mcq 31: "\\boxed{C} (or B)" (it passed for C)
        joined = re.sub(r"^(?:or|and)\s+", "", joined, flags=re.IGNORECASE)
    letter = _BARE.match(f"({joined})") if m.group("paren") is not None else None
    if letter is not None and letter.group(1) in letters:
        return {letter.group(1)}
    return _options_named(joined, choices) if joined else set()


def _conflicting_final(answer: str) -> bool:
    """True when the answer's last line itself names more than one letter (e.g. 'Answer: A or C')."""
    last = answer.strip().splitlines()[-1] if answer.strip() else ""
    return len({m.group(1).upper() for m in re.finditer(r"\b([A-Z])\b", last)}) > 1 and " or " in last.lower()


_OPTION_WORD = re.compile(r"^(?:option|choice)\s*:?\s*(?=\(?[A-Z]\b)", re.IGNORECASE)
_BOXED_LETTER_TEXT = re.compile(r"(?:\(([A-Z])\)|([A-Z])\s*[.):\u2014\u2013-])\s*(.+)", re.DOTALL)
_TEXT_WRAPPER = re.compile(r"\\(?:text|mathrm|textbf|mathbf)\s*\{([^{}]*)\}")


def _letter(answer: str | None) -> str:
    return (answer or "").strip().strip("()").rstrip(".").upper()


# 6: a stated answer whose letter and option text disagree fails `multiple_answers` (`_disagrees`)
# 7: an answer hedged on its own line with another option fails `multiple_answers` (`_hedges_around`)
# 8: an answer given in other words (`_CONNECTIVE`, `_CHOSEN`, `_CALLED_RIGHT`); the hedge is read on the line of the
#    last answer given, from its letter; an option's text counts only where it is not negated or asked (`_by_text`)
# 9: an option's text stated as the answer (`_stated_text`), a boxed letter with its text, conclusions after a comma or
#    "but"; a stated letter said to be wrong, a supposed "would be" and an option's text in a reason are no answer;
#    a multi-select answer under a heading of its own ("**Final Answer**\nB, D": `extract.final_answer`)
# 10: an option's text ruled out by what follows it ("so it cannot be the answer", "can't be Mars", "is ruled out") is
#     not given (`_by_text`); a list judging every option on its own line gives the options it calls right (`_judged`);
#     a boxed "Option C" is C (`_OPTION_WORD`); options in a negated list ("not Venus, Mercury or Jupiter"), after
#     "rather than" / "instead of", or in a reason after "as" are not given; "Answer: c" alone on its line is C
#     (`_LOWER_STATED`); a letter taken back by an option's text is a second answer (`_taken_back_by_text`); a
#     multi-select answer taken back and another set named is `multiple_answers` (`_set_changed`)
# 11: an answer opening with its option and text that explains the others by text and letter ("C. Mars\n\nVenus (B)
#     is the hottest.") gives C (`_described`; `multiple_answers` before), and "C is correct because ...", "I'm
#     confident it's C", "Between B and C, C is correct.", "C would be my answer.", "Clearly C.", "That makes C the
#     correct answer." give C (`_CALLED_RIGHT`, `_CHOSEN`; no answer before); "..., but it could be B." and "maybe B"
#     hedge (`_HEDGED_WITH`); "Mars. Venus is yellowish." gives C (`_opens_with_text`; `multiple_answers` before)
# 12: every box that gives a choice counts (`\\boxed{C} or \\boxed{B}` and a box changed later passed for the last
#     one: `choose`), options joined in one box (`\\boxed{Mars or Venus}`) are all given (`_boxed_choice`), the
#     last statement on a line counts (`extract._last_statement`), and an option called right by its text after the
#     box is a second answer ("\\boxed{C}\n\nVenus is the correct choice.": `_texts_called_right`)
# 13: answers in the prompt's language: full-width forms are read as ASCII (`extract.halfwidth`: `\\boxed{Ｃ}` and
#     "Answer: （C）" found no answer), in the answer and the options' texts; an answer stated in Chinese, Japanese,
#     Spanish, French, German or Russian ("答案是 C", "故选B", "La respuesta correcta es C", "Ответ: C":
#     `_FOREIGN_GIVEN`) and corrected in it ("不对，应该选B。", "Espera, en realidad es B."), Chinese lists and hedges
#     ("B、C", "B或C": `_HEDGE`); such an answer found none, or an earlier English statement passed; an answer called
#     wrong in another language ("\\boxed{C}" then "等等，这是错的。": `extract.answer_retracted`)
# 14: more of the prompt's language: a letter taken back by an option's text in it ("答案：C" then "等等，其实是金星。":
#     `extract._ASSERTED_NAME`), and an answer hedged in it ("答案是C，但B也可能正确。", "Ответ: C, но возможно B.":
#     `_HEDGED_WITH`); an option named by the Cyrillic label its prompt lists it under ("Ответ: В" for "В) Марс":
#     `_cyrillic_labels_read`; no answer found before)
# 15: another option after "or" in those languages ("答案是C，或者B。", "La respuesta es C, o B.", "C или D": `_HEDGE`)
#     and "B可能也对" (`extract.CJK_ALSO_RIGHT`); each passed for C
# 16: a Latin "B" or "E" standing alone under Cyrillic labels reads as two options, the Latin order's and the label it
#     looks like (B: Б or В): where they differ it is `ambiguous_label` (it was read as Б, and passed for it)
# 17: a letter that ends the answer on its own (`**B**` on the last line, "... red. B") is the choice, and the prose
#     before it committing to another option a second answer (`_ENDING_LETTER`): it was ignored, and an option's text
#     in the prose decided ("Mars is red.\n\n**B**" passed for Mars, a right letter after other options' texts failed)
# 18: the prose before the first box committing to another option is a second answer, as before a letter that ends
#     the answer ("The answer is B.\n\n\\boxed{C}" and "The answer is Venus.\n\n\\boxed{C}" passed for C: `choose`),
#     and so is another option its answer is hedged with on its line ("Answer: C (or possibly B).\n\n\\boxed{C}")
# 19: an answer given as another's belief or a mistake ("A common mistake is to think the answer is B.", "One might
#     think the answer is B") is none (`_believed`: it failed a right box `multiple_answers` under mcq 18, and passed
#     alone for the option it warns against)
# 20: another option offered by its text beside the answer as right or possible ("The answer is Mars (or possibly
#     Venus).", "Mars or Venus", "Answer: C (or possibly Venus)": `_hedged_with`, `_stated_text`) is a hedge; the prose
#     read as the options' texts committed to nothing, so a right box or final letter after it passed
#     and the prose between two boxes is read as that before the first is (mcq 18): an answer stated there ("\\boxed{C}
#     \n\nWait, actually the answer is B.\n\nFinal: \\boxed{C}") is a second one (it was ignored, and passed for C)
# 21: a letter answer joined to another option's text ("Answer: C or Venus.", "C (Mars) or Venus") is a hedge, as
#     one joined to its letter is (`_TEXT_JOINED`: they passed for C)
# 22: another option called right only under a condition is no hedge by its letter either ("Answer: C. B would be the
#     answer only if it were red." failed `multiple_answers`; mcq 20 skipped such a condition for an option's text)
# 23: a hedge on a line after the answer's ("\\boxed{C}\n\nB could also be correct.", "The answer is C.\n\nMaybe Venus,
#     though." passed for C: `_hedged_later`), read as on the answer's line where the offer ends its clause, outside a
#     condition, a negation, another's belief or a question answered after it; a letter alone on the first line opens
#     the answer (`_OPENS_WITH`: "**C**\n\nVenus is yellow." passed for B, the letter ignored)
# 24: a stated letter and another option's text joined by full-width punctuation or with no space ("答案是 C（金星）。",
#     "答案：C．金星", "所以答案是C，即金星。", "The answer is C(Venus).", "C, i.e. Venus": `_LETTER_THEN_TEXT`) fail
#     `multiple_answers`, as "Answer: C. Venus" did (each passed for C); a Chinese choice that opens its clause ("选C",
#     "我选C。", "所以本题选C": `_CLAUSE_CHOICE`) and "【答案】C" give C (no answer found before), and so do
#     "正解：ウ" and "答案是丙" for a prompt that lists the task's options under ア イ ウ エ or 甲 乙 丙 丁
#     (`_cjk_labels_read`)
# 25: an answer hedged in Japanese ("正解はC。ただし、Bも正しい可能性がある。", "答えはC。Bの可能性もある。",
#     "正解はCですが、Bかもしれません。": `extract.CJK_ALSO_RIGHT`; "正解はCまたはBです。", "正解はC、またはB。":
#     `_HEDGE`) fails `multiple_answers` (each passed for C); an answer stated in Korean ("정답은 C입니다.",
#     "정답: C", "답: C": `extract.FOREIGN_STATED`, `_LETTER_ENDS`; no answer found before), hedged or corrected in it
#     ("정답은 C 또는 B입니다.", "B일 수도 있습니다", "아니, 정답은 B입니다"), and a letter it negates is none
#     ("정답은 C가 아닙니다.": `_REJECTED`); so is a letter Japanese negates ("正解はCではなくBです。" passed for
#     C), and an answer corrected to a hedge names both letters ("答案是B。不对，是C或D。" passed for C: `_statements`)
# 26: more hedges after the answer ("D is also a possibility.", "I'd also accept B.", "B could also work.", "B could
#     also be correct in some interpretations.": `_ALSO_RIGHT`, `_HEDGED_WITH`, `_LATER_ENDS`) fail `multiple_answers`
#     (each passed for C); to a question asking for the exception ("Which of the following is NOT correct?", "错误的是":
#     `_asks_for_exception`) another option only called correct judges its statement and is no answer or hedge, a list
#     judging each option commits to none, and another option called also false is a second answer ("\\boxed{C}\n\nA
#     is correct. B is correct. D is correct." failed `multiple_answers`; "\\boxed{C}\n\nB is also false." passed), and
#     the answer's own option called incorrect there is no answer taken back (`_STATEMENT_JUDGED`: "\\boxed{C}\n\nC is
#     incorrect because ..." failed `retracted`)
#     and two options called right together ("Both B and C are correct.", "Either B or C would work.": `_BOTH`), "B also
#     seems plausible.", "B also fits." and "B也可能是答案。" hedge (each passed for C); a letter negated and then the
#     one stated ("正解はBではなくCです。", "정답은 B가 아니라 C입니다.", "The answer is not B but C.": `_NOT_BUT`)
#     gives that one (no answer found before), and "no es B" is no correction "no, es B" (`_NO_IS`: "La respuesta no
#     es B, sino C." passed for B); "One could also argue for B.", "B is a close second.", "B is also worth
#     considering." and "I'd accept B, but not D." hedge (`_SENTENCE_ENDS_HERE`; each passed for C)
#     and another option kept in play ("B is a strong contender as well.", "B is a reasonable alternative.", "B is
#     nearly as good.", "B cannot be ruled out.", "I'm torn between B and C.": each passed for C)
# 27: an answer given and then another letter given with nothing revising the first (no correction word, "but", check
#     or the first called wrong: `_changed_from`) fails `multiple_answers` ("The answer is B.\n\nSo C is correct." and
#     "Answer: B\n\nAnswer: C" passed for C), by an option's text too (`_text_statements`: "The answer is B.\n\nSo
#     the answer is Mars." passed for B); another option as the answerer's second choice, runner-up or fallback ("B
#     would be my second choice.", "If not C, then B.": `_HEDGED_WITH`, `_FALLBACK`) hedges (each passed for C); and
#     a letter negated then stated in Chinese ("答案不是B，而是C。": `_NOT_BUT`) gives that one (no answer found);
#     more hedges ("Second-best: B.", "If I'm wrong, it's probably B.", "Alternatively, B.", "B isn't out of the
#     question.", "I wouldn't rule out B entirely.", "It's either B or C.", "I'm not sure between B and C.", "Answer: C
#     (90% confident; B at 10%)"; each passed for C), and right answers in more words ("By elimination, C.", "I would
#     say C.", "The answer is most likely C.", "C seems right.", "Answer: [C]", "Ribosomes" for "Ribosome":
#     `_options_named`; no answer found)
# 28: an answer called wrong on its own line after it is given (`extract.answer_retracted`: "The answer is B. Wait,
#     that's wrong." passed for B) and one corrected after it is called wrong (`_CALLED_WRONG`: "The answer is B.
#     Wait, that's wrong, it's C." passed for B)
# 29: `verifier_args.choices` read as ingest reads them (`choices.parse_choices`, `resolve_answer`): each option's
#     text without the whitespace around it (GPQA's `"10^-8 eV\n"`), and an answer that is one of ARC's labels
#     names that option though another option's text reads like it (`{"label": ["1", ...], "text": ["4", "6", "8",
#     "2"]}` answered "2" was `mcq:bad_args`, "ambiguous"), and a text of lettered options whose option holds a later
#     letter's mark is read by the marks after its separators (MathQA's `a ) ( a + b ) / 2 , b ) ...`: option A was
#     read as `( a +`), or refused `bad_args` where they read two ways
# 30: a supposition after the answer is no second one ("If the question were about the hottest planet, the answer
#     would be B) Venus.", "Otherwise, the answer would be B.": `_given_only`, `_SUPPOSES`; each failed a right C
#     `multiple_answers`), and right answers in more words ("I am sure: D.", "→ C", "Answer → C", "I'm fairly
#     confident it's C", an option named by its place, "The answer is the third option.": `_ordinals_read`; no answer
#     found), "option C or option B" a hedge (it passed for C); options judged after bullets, with a reason after the
#     verdict or on one line (`_judged`, `_JUDGED_INLINE`: "A) wrong, B) wrong, C) right, D) wrong." passed for A,
#     read as opening with A; `_INLINE_MARK`), and a hedge after such a list (it passed); a word of conclusion or an
#     article before the letter ("La bonne réponse est donc C.", "La respuesta correcta es la C.": `_FILLER`,
#     `_ARTICLE`), "The answer here is C.", "Going with C.", "That's C.", "C it is." (no answer found); more hedges
#     ("B could also be considered correct.", "Arguably B as well.", "B is a strong alternative.", "Alternative: B",
#     "B is not entirely wrong.", "If I'm wrong, then B.", "Otherwise, B.", "The answer is C. Maybe B."; each passed);
#     verdicts on the options anywhere that call another option right (`_list_called_right`: "**Answer: B**\n\n- A)
#     wrong\n- B) wrong\n- C) right" passed for B) and a table judging the options (`_JUDGED_ROW`)
# 31: a pick ("Pick: C", "My pick is C."), "C is the one.", "C is my final answer.", "This is C." (no answer found
#     before: `_STATED`, `_CALLED_RIGHT`, `_CHOSEN`); a supposition naming another question ("For the hottest planet,
#     the answer would be B) Venus.": `_FOR_ANOTHER`) is no second answer (it failed a right C `multiple_answers`)
#     an option named with no answer given counts only where its sentence is that option (`_named_alone`: "I rejected
#     option C.", "Don't choose option C.", "Compare option C with option B." passed for the option they name)
#     a letter in parentheses written onto a name ("f(C)") and marks inside maths are no options' marks (`_PAREN`,
#     `_MATH_SPAN`), fenced code is blanked and a letter in inline code or maths read (`_code_read`)
#     another letter in parentheses after the answer's ("C (B)", "C (or B)", "\\boxed{C} (or B)") is a hedge (`_HEDGE`,
#     `_joined_to_box`; each passed for C)
#     a line giving an option's mark with another option's whole text ("C) Venus", "The answer is C.\n\nC) Venus")
#     fails `multiple_answers` (`_mislabelled`; each passed for C)
#     an option's text given as the correct option, the best choice or a pick ("The correct option is Venus.") is
#     stated (`_VALUE_LINE`): after "The answer is C." or beside C's letter it passed for C
#     and more answers in words ("Ans: C", "It has to be C.", "That leaves C.", "Only C remains.", "C fits best.",
#     "C, not B.", "Not B, but C.", "Neither A nor B; C.": `_CHOSEN`; no answer found before)
#     another option added after the answer ("Also B.", "Or B.", "B too.", "B is plausible.", "C+B": `_HEDGED_WITH`,
#     `_HEDGE`) is a hedge (each passed for C), and so is another letter as a sentence of its own ("Hmm, B.", "And B.",
#     "> B", "B \u2713": `_HEDGED_WITH`) or another option's mark and text alone ("C) Mars. B) Venus.",
#     `_restated_after`)
#     "Solution: C", "Result: C", "**c**" are answers (`_CHOSEN`, `_BARE_LOWER`); after "C) Mars" a later "B) Venus is
#     too hot." explains (`_line_described`; each failed)
# 32: a response that is only code gives no letter from it (`_code_read`, `_ABOUT_CODE`: "```\nx = (C)\n```" passed for
#     C), but to a question about code; a sentence that spells is no answer by an option's text (`_SPELLING`: "The
#     letter c appears in Mercury." passed for Mercury) and "the letter C" is option C (`_letter_words_read`; no answer
#     found), but to a question about letters; another option for another reading of the question ("..., unless the
#     question means the largest, in which case D.", "(or D if the question means the largest)": `_IF_READING`,
#     `_FALLBACK`) is a hedge (each passed for C)
# 35: another option offered after "Then again,", "On second thought,", "Or is it", "Unless it's" ("The answer is C.
#     Then again, D.", "Or is it D?"; each passed for C), as math 41 reads another value offered after the answer
#     and an option's text doubted ("I doubt it's Mars.", "It's unlikely to be Mars.", "Mars is unlikely.": `_DOUBTED`,
#     `_NEGATED_AFTER`) passed for it
# 36: an option's text after a negated verb of choosing ("I would not say Mars.", "I'd never pick Mars.": `_NOT_CHOSEN`)
#     passed for it, and beside the answer ("I wouldn't choose Venus; Mars is the Red Planet.") failed it
#     `multiple_answers`; so did a statement its sentence doubts ("I don't think the answer is C.", "I'm not sure the
#     answer is Mars.", "It is not true that the answer is C.", "我不认为答案是C。": `_believed`,
#     `extract.doubted_statement`, `_DOUBTED`),
#     and an option's text asked ("Mars?", "**Mars?**") or under "would have been" ("It would have been Mars."), and a
#     letter taken back in the more words of math 42 ("The answer is C. Just kidding, B." passed for C)
# 37: an option's letter written with its own text in a sentence ("C (Mars)", "C) Mars", "(C) Mars", "C - Mars",
#     "C: Mars", "**C** (Mars)") reads as the letter alone (`_own_texts_dropped`), and a letter alone in bold there as
#     the letter (`_inline_bold_letters_plain`): a change of mind, a hedge or a second answer after such a letter was
#     not read ("The answer is C (Mars). Actually, it is B (Venus).", "The answer is C) Mars or B) Venus.", "The answer
#     is C, or maybe **B**." passed for C; "Not B (Venus), but C (Mars).", "**Answer:** **C**" failed C)
@builtin("mcq", version="37")
def verify_mcq(answer: str, task: TaskSpec, cfg: VerifyConfig) -> CheckResult:
    raw = task.verifier_args.get("choices")
    if raw:
        try:  # the shapes ingest accepts: a list, a letter -> text object, ARC's {label, text}
            parsed = parse_choices(raw)
        except ChoiceError as exc:
            raise VerifierArgsError(f"task {task.task_id}: verifier_args.choices: {exc.detail}") from None
        choices = {k: halfwidth(v) for k, v in parsed.options.items()}  # as the answer is read (`untagged`)
        ref = _letter(task.answer)
        if ref not in choices and not task.verifier_args.get("multiple"):  # a label, a 0-based index, a text
            try:
                ref = resolve_answer(task.answer, parsed)
            except ChoiceError as exc:
                raise VerifierArgsError(
                    f"task {task.task_id}: answer {task.answer!r} is not one of {sorted(choices)} ({exc.detail})"
                ) from None
    else:
        choices, ref = {}, _letter(task.answer)
    letters = set(choices) or set(string.ascii_uppercase[:10])
    if task.verifier_args.get("multiple"):
        return _multiple(answer, task, letters)
    if ref not in letters:
        raise VerifierArgsError(f"task {task.task_id}: answer {task.answer!r} is not one of {sorted(letters)}")
    answer = untagged(answer)  # version 5: a letter given inside `<answer>` tags is a boxed one (read as none before)
    # mcq 31: "```\nanswer = (B)\n```\n\nThe answer is C.", "The answer is `C`."; mcq 32: code alone is no answer
    answer = _code_read(answer, task.prompt or "")
    by_look = _latin_read_as_cyrillic(answer, task.prompt or "")
    answer = _cyrillic_labels_read(answer, task.prompt or "")  # mcq 14: "Ответ: В" for a prompt listing А) Б) В) Г)
    answer = _cjk_labels_read(answer, task.prompt or "", choices)  # mcq 24: "正解：ウ" for a prompt listing ア イ ウ エ
    answer = _ordinals_read(answer, choices)  # mcq 30: "The answer is the third option."
    by_look = _ordinals_read(by_look, choices) if by_look is not None else None
    spells = _ABOUT_LETTERS.search(task.prompt or "") is not None  # mcq 32: the question is about letters
    said = answer
    if not spells:
        answer = _letter_words_read(answer, choices)  # mcq 32: "The answer is the letter C."
        by_look = _letter_words_read(by_look, choices) if by_look is not None else None
    exception = _asks_for_exception(task.prompt or "")  # mcq 26: "Which of the following is NOT correct?"
    # mcq 37: "C (Mars)", "C) Mars" read as "C", and "**C**" in a sentence as "C"
    answer = _inline_bold_letters_plain(_own_texts_dropped(answer, choices))
    by_look = _inline_bold_letters_plain(_own_texts_dropped(by_look, choices)) if by_look is not None else None
    chosen, rule, at = choose(answer, letters, choices, exception)
    if rule == "text" and not spells:  # mcq 32: "The letter c appears in Mercury." passed for Mercury
        chosen = _by_text(_SPELLING.sub(" ", said), choices)
    if not chosen:
        return CheckResult.fail("no_answer")
    if len(chosen) > 1:
        return CheckResult.fail("multiple_answers")
    if rule == "text":  # mcq 33: the line giving the option's text is the answer's line, read as a stated one
        at = _text_at(answer, choices.get(next(iter(chosen)), ""))
    if by_look is not None and choose(by_look, letters, choices, exception)[0] != chosen:
        return CheckResult.fail("ambiguous_label")  # mcq 16: a Latin "B" under А Б В Г is Б by order, В by look
    if rule in ("boxed", "boxed_text", "stated") and answer_retracted(
        _STATEMENT_JUDGED.sub("", answer) if exception else answer, _subject_of(set(letters) - chosen, choices)
    ):
        return CheckResult.fail("retracted")  # version 10: "\\boxed{C} Wait, C is wrong."
    if rule not in ("boxed", "bare") and _disagrees(answer, next(iter(chosen)), choices):
        return CheckResult.fail("multiple_answers")  # version 6: "The answer is Venus (C)." names two options
    if _joined_to_box(_answer_line_rest(answer, rule, at, letters, choices), rule, letters, choices) - chosen:
        return CheckResult.fail("multiple_answers")  # version 25: "\\boxed{C} (Venus)" names two options
    if _hedges_around(answer, rule, at, next(iter(chosen)), letters, choices, exception):
        # version 7: "Answer: C (but B is also plausible)."; version 23: "\\boxed{C}\n\nB could also be correct."
        return CheckResult.fail("multiple_answers")
    if _taken_back_by_text(answer, rule, at, choices) - chosen:
        return CheckResult.fail("multiple_answers")  # version 10: "Answer: C\n\nWait, actually it is Venus."
    if not exception and _list_called_right(answer, letters, choices) - chosen:
        return CheckResult.fail("multiple_answers")  # version 30: "**Answer: B**\n\n- A) wrong ... - C) right"
    if _mislabelled(answer, chosen, choices):
        return CheckResult.fail("multiple_answers")  # version 31: "C) Venus" names C and Venus (B)
    if _restated_after(answer, rule, at, chosen, letters, choices):
        return CheckResult.fail("multiple_answers")  # version 31: "The answer is C) Mars. B) Venus."
    return CheckResult.ok() if chosen == {ref} else CheckResult.fail("mismatch")


# mcq 37: an option's letter in a sentence, written with its own text after it: "C (Mars)", "C) Mars", "(C) Mars",
# "C - Mars", "C: Mars", "**C** (Mars)" (not at a line's start, where a mark opens a line of its own). The text is
# a label there only where its clause ends with it ("C: Mars is red." describes the option)
_TEXT_LABEL_ENDS = r"(?=(?:\*\*)?[ \t]*(?:[.,;:!?)\u3002]|\*\*|\b(?:or|and)\b|$))"


@functools.lru_cache(maxsize=1024)  # a task's options, for its k responses
def _own_text_pattern(letter: str, text: str) -> re.Pattern[str]:
    own = r"\s+".join(map(re.escape, text.split()))
    return re.compile(
        r"(?<![A-Za-z0-9_\\])(?P<head>(?:\*\*)?(?:\((?-i:" + letter + r")\)|(?-i:" + letter + r"))(?:\*\*)?)"
        r"(?:[ \t]*\([ \t]*" + own + r"[ \t]*\)"  # C (Mars)
        r"|(?<=\))[ \t]+(?:\*\*)?"
        + own
        + r"(?:\*\*)?"
        + _TEXT_LABEL_ENDS  # (C) Mars
        + r"|[ \t]*[).:][ \t]+(?:\*\*)?"
        + own
        + r"(?:\*\*)?"
        + _TEXT_LABEL_ENDS  # C) Mars, C: Mars, C. Mars
        + r"|[ \t]+[-\u2013\u2014][ \t]+(?:\*\*)?"
        + own
        + r"(?:\*\*)?"
        + _TEXT_LABEL_ENDS  # C - Mars
        + r")",
        re.IGNORECASE | re.MULTILINE,
    )


def _own_texts_dropped(answer: str, choices: dict[str, str]) -> str:
    """`answer` with each option's own text dropped where it follows the option's letter in a sentence, as a label
    ("The answer is C (Mars). Actually, it is B (Venus)." -> "The answer is C. Actually, it is B."): a change of
    mind, a hedge or a second answer is read after a letter that ends its clause, so mcq 36 passed "The answer is C
    (Mars). Actually, it is B (Venus)." and "The answer is C) Mars or B) Venus." for C, and failed "Not B (Venus), but
    C (Mars)." A letter with another option's text ("C (Venus)") stays: which one is meant is unknown. Not where an
    option's text is a capital letter, not at a line's start ("C) Mars" opening a line is a mark: `_LINE_START`), and
    not on a line restating three options or more ("A) Mercury, B) Venus, C) Mars, D) Jupiter.")."""
    if not choices or _a_text_is_a_letter(choices):
        return answer
    patterns = [_own_text_pattern(k, v.strip()) for k, v in choices.items() if v.strip() and k in answer]
    if not patterns:
        return answer
    lines = answer.split("\n")
    for i, line in enumerate(lines):
        found = [(m.start(), m.end(), m.group("head")) for rx in patterns for m in rx.finditer(line)]
        if not found or len(found) >= 3:
            continue
        out, last = [], 0
        for at, end, head in sorted(found):
            if at < last:
                continue
            keep = not line[:at].strip(" \t*-\u2022>")  # a line's mark
            out.append(line[last:end] if keep else line[last:at] + head)
            last = end
        lines[i] = "".join(out) + line[last:]
    return "\n".join(lines)


# mcq 37: a letter in bold inside a sentence ("The answer is C, or maybe **B**.", "Not **B**, but **C**."): the hedge,
# correction and "not ..., but" rules read a bare letter there, so the first passed for C and the second failed C
_INLINE_BOLD_LETTER = re.compile(r"(?<=\S)(?P<space>[ \t]+)\*\*(?P<letter>\(?(?-i:[A-Z])\)?)\*\*(?![\w*])")


def _inline_bold_letters_plain(answer: str) -> str:
    """`answer` with a letter alone in bold after other text on its line written without the bold."""
    if "**" not in answer:
        return answer
    return _INLINE_BOLD_LETTER.sub(lambda m: m.group("space") + m.group("letter"), answer)


# mcq 31: a fenced code block, and a letter alone in inline code or maths or in a text command there
_FENCE = re.compile(
    r"^[ \t]*(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)\n(?P<body>.*?)^[ \t]*(?P=fence)[ \t]*$", re.M | re.S
)
# a fence's body that is an answer, not code: a letter (or "Answer: C"), maybe with its option's text ("C) Mars")
_FENCED_ANSWER = re.compile(
    r"\s*(?:(?:final\s+)?answer\s*:\s*)?(?:\*\*)?\(?(?-i:[A-Z])\)?(?:\*\*)?(?:[.):]?(?:[ \t]+[^\n=;{}]*)?)?\s*",
    re.IGNORECASE,
)
_WRAPPED_LETTER = re.compile(
    r"(?P<open>`|\$\$?|\\\()\s*(?:\\(?:text|mathrm|textbf|mathbf|mathit|textit|mathsf)\s*\{\s*(?P<in_text>\(?[A-Z]\)?)\s*\}"
    r"|(?P<bare>\(?[A-Z]\)?))\s*(?P<close>`|\$\$?|\\\))"
)
_CLOSES = {"`": "`", "$": "$", "$$": "$$", "\\(": "\\)"}
# mcq 32: a task about code (its prompt shows code or speaks of it), where a response that is only code may answer
_ABOUT_CODE = re.compile(
    r"```|\b(?:code|codes|program|programs|programming|snippet|script|compiler|compiles?|compiled|python|javascript"
    r"|java|sql|pseudocode|def\s+\w+\s*\(|print\s*\(|printf\s*\(|console\.log)|#include|\bc\+\+|\bc#",
    re.IGNORECASE,
)


def _code_read(answer: str, prompt: str = "") -> str:
    """`answer` with its code read as an answer reads it (mcq 31): a fenced block blanked where the response says
    anything outside its fences, unless the block is only a letter answer ("```\nC\n```", "Answer: C"; a block with a
    language tag is code), and a letter alone in inline code or maths (`` `C` ``, `$C$`, `\\(\\text{C}\\)`) as the
    letter. mcq 30 read the code's "answer = (B)" as a second answer beside a right C, and found no answer in "The
    answer is `C`." or "The answer is $\\text{C}$.". mcq 32: a response that is only code is blanked too, but for its
    letter answers (with a language tag too: nothing else is said), unless the task is about code (`_ABOUT_CODE`):
    "```\nx = (C)\n```" alone passed for C to a question about planets."""

    def fence(m: re.Match[str], alone: bool = False) -> str:
        if (alone or not m.group("info").strip()) and _FENCED_ANSWER.fullmatch(m.group("body")):
            return m.group("body")
        return "\n"

    if "`" in answer or "~~~" in answer:
        blanked = _FENCE.sub(fence, answer)
        if blanked.strip(" \t\n*#>-"):
            answer = blanked
        elif blanked != answer and not _ABOUT_CODE.search(prompt):
            answer = _FENCE.sub(lambda m: fence(m, alone=True), answer)

    def letter(m: re.Match[str]) -> str:
        if _CLOSES[m.group("open")] != m.group("close"):
            return m.group(0)
        return m.group("in_text") or m.group("bare")

    return _WRAPPED_LETTER.sub(letter, answer) if ("`" in answer or "$" in answer or "\\(" in answer) else answer


# A prompt that lists its options under Cyrillic labels ("А) Меркурий\nБ) Венера\nВ) Марс"; ingest stores them as A,
# B, C, ... by position), and such a label in an answer: a capital on its own, not a word's ("В этом случае", "А если"
# are "in" and "and"; "В 1945 году" is "in")
_CYRILLIC_LABEL = re.compile(rf"(?<![^\W\d_])([{CYRILLIC_LABELS}])(?![^\W\d_])(?![ \t]+[а-яё\d])")


# a Latin capital that looks like a Cyrillic label at another position (B / В, E / Е), standing alone
_LATIN_LOOKALIKE = re.compile(r"(?<![^\W\d_])([BE])(?![^\W\d_])")


def _latin_read_as_cyrillic(answer: str, prompt: str) -> str | None:
    """The answer read by look, for a prompt that lists its options under Cyrillic labels: a Latin "B" or "E"
    standing alone as the Cyrillic label it looks like ("B" -> "В", the third option, where the Latin order makes it
    the second), then every label as its letter (`_cyrillic_labels_read`). None when there is no such letter or no such
    list; where both readings choose alike, either is the answer."""
    if not ("B" in answer or "E" in answer) or not lists_cyrillic_options(prompt):
        return None
    if not _LATIN_LOOKALIKE.search(answer):
        return None
    return _cyrillic_labels_read(_LATIN_LOOKALIKE.sub(lambda m: "ВЕ"["BE".index(m.group(1))], answer), prompt)


def _cyrillic_labels_read(answer: str, prompt: str) -> str:
    """`answer` with the Cyrillic labels of the options its prompt lists so written as their letters (`В` -> `C`):
    mcq 13 read no letter in "Ответ: В" and failed every such right answer `no_answer`. An answer to any other prompt
    as is."""
    if not any(c in answer for c in CYRILLIC_LABELS) or not lists_cyrillic_options(prompt):
        return answer
    return _CYRILLIC_LABEL.sub(lambda m: string.ascii_uppercase[CYRILLIC_LABELS.index(m.group(1))], answer)


# Japanese exams' labels (ア イ ウ エ ...) and Chinese ones (甲 乙 丙 丁 ...), in order
_CJK_LABEL_SETS = ("アイウエオカキクケコ", "甲乙丙丁戊己庚辛壬癸")
# a line of a list under such a label: the label, a mark or a space, the option's text
_CJK_LIST_LINE = re.compile(
    r"^[ \t]*[(\[]?(?P<label>\S)[ \t]*(?:[).:\]\u3001][ \t]*|[ \t])(?P<text>\S.*?)[ \t]*$", re.MULTILINE
)
# such a label standing on its own in an answer: a katakana label not within a katakana word ("ウラン"), a Chinese one
# not within a word ("丙醇"; after "是", "为", "选" or "：" and before "项", "选项" it may stand)
_KANA_LABEL = r"(?<![\u30a0-\u30ff])([{}])(?![\u30a0-\u30ff])"
_HAN_LABEL = r"(?:(?<![\u3400-\u9fff])|(?<=[是为為选選]))([{}])(?:(?![\u3400-\u9fff])|(?=项|項|选项|選項))"


def _cjk_labels_read(answer: str, prompt: str, choices: dict[str, str]) -> str:
    """`answer` with the labels of a prompt that lists the task's options under ア イ ウ エ or 甲 乙 丙 丁 (each option
    on its own line, in order, with its text: not a list of the question's statements) written as their letters
    ("正解：ウ" -> "正解：C"; mcq 23 read no letter in it, and failed every such right answer `no_answer`). An answer to
    any other prompt as is, and so where an option's own text holds a label standing on its own."""
    if not choices or not prompt:
        return answer
    for labels in _CJK_LABEL_SETS:
        used = labels[: len(choices)]
        if not any(c in answer for c in used) or len(choices) > len(labels):
            continue
        pattern = (_KANA_LABEL if labels[0] == "ア" else _HAN_LABEL).format(used)
        listed = {
            m.group("label"): _norm(halfwidth(m.group("text")))
            for m in _CJK_LIST_LINE.finditer(halfwidth(prompt))
            if m.group("label") in used
        }
        ours = [_norm(choices[k]) for k in sorted(choices)]
        if [listed.get(label) for label in used] != ours or any(re.search(pattern, t) for t in choices.values()):
            continue
        return re.sub(pattern, lambda m, used=used: string.ascii_uppercase[used.index(m.group(1))], answer)
    return answer


# mcq 30: an option named by its place in the list ("The answer is the third option.", "The correct choice is the
# second one."; no answer found before): "the <ordinal> option / choice / alternative", and "the <ordinal> one" where
# its sentence speaks of the answer or a choice before it ("The correct choice is the second one.", "I'd pick the
# first one") or calls it right after it ("The second one is correct."): elsewhere "one" may be anything
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8, "9th": 9, "10th": 10,
    "last": -1,
}  # fmt: skip
_ORDINAL = re.compile(
    r"\bthe\s+(?:\*\*)?(?P<ord>" + "|".join(_ORDINALS) + r")\s+(?:(?P<one>one)|(?:answer\s+)?(?:option|choice"
    r"|alternative))\b(?:\*\*)?",
    re.IGNORECASE,
)
_ONE_CHOSEN_BEFORE = re.compile(
    r"\b(?:answer|choice|option|choose|chose|pick|select|go\s+with|opt\s+for)\b|^\s*(?:no|actually|wait|rather|or)\b",
    re.IGNORECASE,
)
# a place given a letter ("The first choice is B, ...", "the last option is D") names no option by it
_GIVEN_A_LETTER = re.compile(
    r"\s*(?:is|was|would\s+be|[:=])\s*(?:\*\*)?(?:(?:option|choice)\s+)?\(?(?-i:[A-Z])\b(?![-'])"
)
_ONE_CALLED_RIGHT = re.compile(
    r"\s+(?:is|seems|looks|would\s+be|must\s+be)\s+(?:the\s+)?(?:correct|right|best|answer)\b", re.IGNORECASE
)


def _ordinals_read(answer: str, choices: dict[str, str]) -> str:
    """`answer` with each option named by its place written as that option ("the third option" -> "option C"): the
    options are listed in the order ingest stores them (by letter; ARC's numeric labels by position). A place no
    option has ("the fifth option" of four), "the last option" without the options, and "the first one" that no
    sentence about the answer holds stay as they are."""
    if "the" not in answer.lower():
        return answer
    order = list(choices) or list(string.ascii_uppercase[:10])

    def sub(m: re.Match[str]) -> str:
        n = _ORDINALS[m.group("ord").lower()]
        if (n == -1 and not choices) or n > len(order) or _GIVEN_A_LETTER.match(answer, m.end()):
            return m.group(0)
        if m.group("one") and not (
            _ONE_CHOSEN_BEFORE.search(answer[_sentence_start(answer, m.start()) : m.start()])
            or _ONE_CALLED_RIGHT.match(answer, m.end())
        ):
            return m.group(0)
        return f"option {order[n - 1] if n > 0 else order[-1]}"

    return _ORDINAL.sub(sub, answer)


# mcq 32: an option called by its letter as a letter ("The answer is the letter C.", "Letter C is correct."; no answer
# found before), where the letter ends its clause or is called right; not where an option's own text is a letter ("the
# letter C" is then that option's text), nor to a question about letters (`_ABOUT_LETTERS`)
_LETTER_WORD = re.compile(
    r"\b(?:the\s+)?letter\s+(?P<mark>(?:\*\*)?\(?(?-i:[A-Z])\)?(?:\*\*)?)(?=\s*(?:[.,;:!?)]|$|(?:or|and)\b)"
    r"|\s+(?:is|seems|would\s+be|must\s+be)\s+(?:the\s+)?(?:correct|right|best|answer)\b)",
    re.IGNORECASE | re.MULTILINE,
)
# a question about letters or spelling ("Which planet's name contains the letter c?", "... starts with M?")
_ABOUT_LETTERS = re.compile(
    r"\b(?:letters?|spell\w*|vowels?|consonants?|alphabet\w*|initials?|syllables?|anagrams?|acronyms?|abbreviat\w*"
    r"|characters?|(?:begins?|starts?|ends?)\s+with)\b",
    re.IGNORECASE,
)
# mcq 32: a sentence that spells, speaking of letters of the alphabet ("The letter c appears in Mercury.", "Mercury is
# spelled with a c."): an option's text in it is a word spelled, not the answer given (it passed for Mercury)
_SPELLING = re.compile(
    r"[^.!?\n]*\b(?:letters?|spell(?:s|ed|ing|t)?|vowels?|consonants?|alphabet\w*|syllables?)\b[^.!?\n]*[.!?]?",
    re.IGNORECASE,
)


def _a_text_is_a_letter(choices: dict[str, str]) -> bool:
    """Whether an option's own text is one letter: a letter in the answer may then be that text, so the readings that
    turn an option's text or "the letter C" into its letter stand aside."""
    return any(re.fullmatch(r"\W*[A-Za-z]\W*", v) for v in choices.values())


def _letter_words_read(answer: str, choices: dict[str, str]) -> str:
    """`answer` with an option called "the letter C" written "option C" (`_LETTER_WORD`), but where an option's own text
    is a letter."""
    if "letter" not in answer.lower() or _a_text_is_a_letter(choices):
        return answer
    return _LETTER_WORD.sub(lambda m: "option " + m.group("mark"), answer)


# mcq 31: a line that is an option's mark and an option's whole text ("C) Venus", "**C.** Venus", "- C: Venus")
_LABELLED_LINE = re.compile(
    r"^[ \t]*(?:[-*\u2022][ \t]+)?(?:\*\*)?\(?(?P<letter>[A-Z])(?:\*\*)?[ \t]*[.):\u2014\u2013-](?:\*\*)?[ \t]*"
    r"(?P<text>[^\n]+?)[ \t]*$",
    re.MULTILINE,
)


def _mislabelled(answer: str, chosen: set[str], choices: dict[str, str]) -> bool:
    """Whether a line of the answer gives an option's mark with another option's whole text, one of the two the option
    chosen ("C) Venus", "The answer is C.\n\nC) Venus", "The answer is C.\n\nB) Mars"): which one the response meant
    is unknown, as for "Answer: C) Venus" (`_disagrees`; mcq 30 passed these for C). Not where an option's own text
    is a capital letter (the two readings cannot be told apart)."""
    if not choices or any(re.fullmatch(r"\s*\(?[A-Z]\)?\s*", v) for v in choices.values()):
        return False
    for m in _LABELLED_LINE.finditer(answer):
        letter = m.group("letter")
        if letter not in choices:
            continue
        text = _VALUE_END.sub("", m.group("text").strip().strip("*").strip()).strip("*").strip()
        named = _options_named(text, choices)
        if named and named != {letter} and (named | {letter}) & chosen:
            return True
    return False


# mcq 31: a sentence that is only an option's mark and its own text ("B) Venus.", "**(B) Venus**")
_RESTATED = re.compile(
    r"(?:\*\*)?\(?(?P<letter>[A-Z])\)?(?:\*\*)?[ \t]*[.):\u2014\u2013-](?:\*\*)?[ \t]*(?P<text>[^\n]+?)"
    r"(?:\*\*)?[ \t]*[.!]?"
)
_SENTENCES = re.compile(r"(?<=[.!?;])[ \t]+|\n")


def _restated_after(
    answer: str, rule: str, at: int, chosen: set[str], letters: set[str], choices: dict[str, str]
) -> bool:
    """Whether a sentence after the answer, on its line or a later one, is only another option's mark and its own
    text ("The answer is C) Mars. B) Venus.", "The answer is C.\n\nB) Venus."; mcq 31 as first released passed them for
    C). The options listed again after the answer, the chosen one among them, are none."""
    if not choices:
        return False

    def restated(text: str | None, skip_first: bool) -> set[str]:
        found: set[str] = set()
        for i, sentence in enumerate(s.strip() for s in _SENTENCES.split(text or "")):
            m = _RESTATED.fullmatch(sentence) if sentence and not (skip_first and i == 0) else None
            if m and m.group("letter") in choices and _norm(m.group("text")) == _norm(choices[m.group("letter")]):
                found.add(m.group("letter"))
        return found

    rest = _answer_line_rest(answer, rule, at, letters, choices)
    on_line = restated(rest, skip_first=rule == "stated")
    later = restated(_after_answer_line(answer, rule, at, letters, choices), skip_first=False)
    return bool(on_line - chosen or (later - chosen and not later & chosen))


def _taken_back_by_text(answer: str, rule: str, at: int, choices: dict[str, str]) -> set[str]:
    """The option whose text the response asserts after taking back the letter it boxed or stated (`extract.taken_back`:
    "Answer: C\n\nWait, actually it is Venus." names Venus; mcq 9 passed it for C), or none."""
    if not choices:
        return set()
    if rule.startswith("boxed"):
        spans = boxed_spans(answer)
        start = spans[-1][1] if spans else -1
    elif rule == "stated" and at >= 0:
        line_end = answer.find("\n", at)
        start = len(answer) if line_end < 0 else line_end
    else:
        start = -1
    if start < 0 or (name := taken_back(answer[start:])) is None:
        return set()
    return _options_named(name, choices)


def _multiple(answer: str, task: TaskSpec, letters: set[str]) -> CheckResult:
    """A multi-select MCQ (`verifier_args.multiple`, version 5; answer `B,D`): the final answer must name exactly the
    reference's letters (`\\boxed{B, D}`, `\\boxed{BD}`, `Answer: B and D`, in any order); one letter short, one too
    many, or a letter no option has is a `mismatch`."""
    ref = {x.strip().upper() for x in str(task.answer or "").split(",") if x.strip()}
    if not ref or not ref <= letters:
        raise VerifierArgsError(f"task {task.task_id}: answer {task.answer!r} is not one of {sorted(letters)}")
    text = untagged(answer)
    pred = final_answer(text)
    named = _named_letters(pred) if pred is not None else set()
    if not named:
        return CheckResult.fail("no_answer")
    if answer_retracted(text, _subject_of(letters - named, {})):
        return CheckResult.fail("retracted")
    spans = boxed_spans(text)
    given = [c for _s, _e, c in spans]
    if spans and (later := stated_answer(text[spans[-1][1] :])) is not None:
        given.append(later)  # a stated answer after the boxed one ("Actually, the answer is B, C.")
    if any(letters and letters != named for letters in map(_named_letters, given)):
        return CheckResult.fail("multiple_answers")  # two sets given (`\\boxed{B, D}` then "Answer: B")
    tail = text[spans[-1][1] :] if spans else text[text.rfind(pred) + len(pred) :] if pred in text else ""
    if _set_changed(tail, named, letters):
        return CheckResult.fail("multiple_answers")  # version 10: "\\boxed{B, D}" then "Wait, only B is correct."
    return CheckResult.ok() if named == ref else CheckResult.fail("mismatch")


# Letters named after a multi-select answer was taken back: a set asserted ("it should be B, C, D", "So B and D"), or
# letters called right or wrong ("only B is correct", "C is also correct", "D is wrong")
_LETTER_SET = (
    r"(?P<set>(?-i:[A-Z])(?:\s*(?:,|&|/|\band\b)\s*(?:and\s+)?(?-i:[A-Z]))*)(?=\s*(?:[.,;!?)]|$|\s+(?:is|are)\b))"
)
_SET_ASSERTED = re.compile(
    r"\b(?:should\s+be|must\s+be|it'?s|it\s+is|answers?\s+(?:is|are)|so|only)\s*:?\s*(?:options?\s+)?"
    + _LETTER_SET
    + r"(?!\s+(?:is|are)\b)",
    re.IGNORECASE | re.MULTILINE,
)
_SET_CALLED = re.compile(
    r"(?P<only>\bonly\s+)?(?:options?\s+)?" + _LETTER_SET + r"\s+(?:is|are)\s+(?:also\s+|too\s+)?"
    r"(?P<verdict>correct|right|not\s+correct|wrong|incorrect)\b",
    re.IGNORECASE | re.MULTILINE,
)


def _set_changed(tail: str, named: set[str], letters: set[str]) -> bool:
    """Whether the text after a multi-select answer (`tail`) takes it back and names another set (mcq 10: "\\boxed{B,
    D}" then "Wait, actually only B is correct." passed for B, D): after a word that takes a value back and opens no
    check, a set asserted that is not `named`, a letter called right that `named` lacks ("C is also correct"), one of
    `named` called wrong, or "only" a set that is not `named`."""
    after = after_take_back(tail)
    if after is None:
        return False
    for m in _SET_ASSERTED.finditer(after):
        if (said := _named_letters(m.group("set")) & letters) and said != named:
            return True
    for m in _SET_CALLED.finditer(after):
        said = _named_letters(m.group("set")) & letters
        right = m.group("verdict").lower() in ("correct", "right")
        if said and (
            (m.group("only") and right and said != named) or (right and said - named) or (not right and said & named)
        ):
            return True
    return False


def _named_letters(value: str) -> set[str]:
    """The option letters a multi-select answer names: a run of capitals (`BD`) or letters apart (`B, D`)."""
    text = _TEXT_WRAPPER.sub(r"\1", strip_math(value)).strip().rstrip(".")
    run = re.fullmatch(r"[A-Z]{2,}", text)
    named = set(run.group(0)) if run else set(re.findall(r"(?<![A-Za-z])[A-Za-z](?![A-Za-z])", text))
    return {x.upper() for x in named}
