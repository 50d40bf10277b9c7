"""End to end from files shaped as users have them, through the CLI, down to the exported rows.

Three sources in their own column layouts: a GSM8K-style JSONL (rationale + `#### 42`), an MCQ CSV with one
column per option and a letter answer, an MMLU-style JSONL with a `choices` list and a 0-based index. Requests go
out as an OpenAI batch file and come back as a batch output file (what `vllm run-batch` or a provider returns),
answered as a model would: some think blocks opened by the chat template, one response cut by `max_tokens`. The
test reads the rows the dataset ends with, not only the counts.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.trace import THINK_SYSTEM_PROMPT

GSM = [
    (
        "gsm-1",
        "Tom has 40 apples and buys 2 more. How many apples does he have now?",
        "Tom starts with 40 apples.\nHe buys 2 more: 40 + 2 = 42.\n#### 42",
        "42",
    ),
    (
        "gsm-2",
        "A box holds 12 pencils. How many pencils are in 3 boxes?",
        "Each box holds 12.\n3 * 12 = 36\n#### 36",
        "36",
    ),
    (
        "gsm-3",
        "Sara reads 15 pages a day for 4 days. How many pages does she read in total?",
        "15 * 4 = 60 pages.\n#### 60",
        "60",
    ),
    (
        "gsm-4",
        "A train travels 90 km in the first hour and 75 km in the second hour. How far did it go?",
        "90 + 75 = 165\n#### 165",
        "165",
    ),
]
GSM_BAD = [
    ("gsm-bad-1", "A farmer has 7 cows and buys 5 more. How many cows are there now?", "7 + 5 = 12, so twelve."),
    ("gsm-bad-2", "What is the sum of 19 and 23 written as a number?", "   "),
]
MCQ_CSV = [
    # id, question, options, correct letter
    ("m1", "Which planet is known as the Red Planet?", ("Venus", "Mars", "Jupiter", "Saturn"), "B"),
    (
        "m2",
        "Which gas do plants absorb from the air for photosynthesis?",
        ("Oxygen", "Nitrogen", "Carbon dioxide", "Helium"),
        "C",
    ),
    ("m3", "What is the chemical symbol for sodium?", ("Na", "So", "Sd", "S"), "A"),
]
MMLU = [
    (
        "u1",
        "Which organelle is the site of aerobic respiration in eukaryotic cells?",
        ["Ribosome", "Golgi apparatus", "Mitochondrion", "Lysosome"],
        2,
    ),
    ("u2", "What is the SI unit of electric resistance?", ["Ohm", "Volt", "Ampere", "Tesla"], 0),
]
# SlimOrca's layout: ShareGPT turns, the row's own instruction in its system turn
ORCA = [
    ("o1", "You are a maths tutor. Reply in one short sentence.", "What is 7 times 8?", "56"),
    ("o2", "Reply as a pirate would.", "How many legs do 3 spiders have in total?", "24"),
]


def _write_inputs(root: Path) -> Path:
    raw = root / "raw"
    raw.mkdir()
    with (raw / "gsm.jsonl").open("w") as f:
        for qid, q, a, _ in GSM:
            f.write(json.dumps({"qid": qid, "question": q, "answer": a}) + "\n")
        for qid, q, a in GSM_BAD:
            f.write(json.dumps({"qid": qid, "question": q, "answer": a}) + "\n")
    with (raw / "science.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["qid", "question", "option_a", "option_b", "option_c", "option_d", "correct"])
        for qid, q, opts, letter in MCQ_CSV:
            w.writerow([qid, q, *opts, letter])
    # A broken line (unterminated quote) followed by a good one: the bad one is quarantined, the next one read.
    with (raw / "science.csv").open("a") as f:
        f.write('m-broken,"What colour is the sky on a clear day?,Blue,Green,Red,Black,A\n')
        f.write("m4,What is the boiling point of water at sea level in Celsius?,90,100,110,120,B\n")
    with (raw / "mmlu.jsonl").open("w") as f:
        for qid, q, choices, idx in MMLU:
            f.write(
                json.dumps({"id": qid, "question": q, "choices": choices, "answer": idx, "subject": "biology"}) + "\n"
            )
    with (raw / "orca.jsonl").open("w") as f:
        for qid, system, q, a in ORCA:
            turns = [{"from": "system", "value": system}, {"from": "human", "value": q}, {"from": "gpt", "value": a}]
            f.write(json.dumps({"id": qid, "conversations": turns}) + "\n")
    cfg = {
        "ingest": {
            "sources": [
                {
                    "name": "gsm",
                    "path": "raw/gsm.jsonl",
                    "license": "MIT",
                    "mapping": {"id": "qid", "prompt": "question", "answer": "answer"},
                    "answer_regex": r"####\s*(.+?)\s*$",
                    "defaults": {"domain": "math", "verifier": "math"},
                },
                {
                    "name": "sci",
                    "path": "raw/science.csv",
                    "license": "CC-BY-4.0",
                    "mapping": {
                        "id": "qid",
                        "prompt": "question",
                        "answer": "correct",
                        "choices": ["option_a", "option_b", "option_c", "option_d"],
                    },
                    "defaults": {"domain": "science_mcq", "verifier": "mcq"},
                },
                {"name": "mmlu", "path": "raw/mmlu.jsonl", "license": "MIT"},
                {"name": "orca", "path": "raw/orca.jsonl", "license": "MIT"},
            ]
        },
        "generate": {
            "backend": "batch",
            "model": "NousResearch/Hermes-4-14B",
            "samples_think": 1,
            "samples_no_think": 1,
        },
    }
    import yaml

    path = root / "thinkmill.yaml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    return path


def _cli(*args: str) -> str:
    res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert res.exit_code == 0, f"thinkmill {' '.join(args)} exited {res.exit_code}: {res.output}"
    return res.output


def _expected(user_text: str) -> tuple[str, str]:
    """(task kind, gold answer) for the question in a request's user message."""
    for qid, q, _, gold in GSM:
        if q in user_text:
            return qid, gold
    for qid, q, _, letter in MCQ_CSV:
        if q in user_text:
            return qid, letter
    if "boiling point" in user_text:
        return "m4", "B"
    for qid, q, _, idx in MMLU:
        if q in user_text:
            return qid, "ABCD"[idx]
    for qid, _, q, gold in ORCA:
        if q in user_text:
            return qid, gold
    raise AssertionError(f"request for an unknown question: {user_text[:80]}")


def _answer_as_model(req: dict[str, Any]) -> dict[str, Any]:
    body = req["body"]
    mode = (
        "think"
        if any(m["role"] == "system" and "deep thinking" in m["content"] for m in body["messages"])
        else "no_think"
    )
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    qid, gold = _expected(user)
    final = f"The answer is \\boxed{{{gold}}}." if qid.startswith(("gsm", "o")) else f"The answer is ({gold})."
    finish = "stop"
    if mode == "no_think":
        text = final
        if qid == "gsm-3":  # cut by max_tokens right after a right-looking answer
            text, finish = final + " To double-check, fifteen pages a day for four da", "length"
    elif qid in ("gsm-2", "m2"):  # a template that opened <think> itself: the response starts inside the block
        text = f"Let me work it out step by step; the result is {gold}.\n</think>\n{final}"
    else:
        text = f"<think>\nLet me work it out step by step; the result is {gold}.\n</think>\n{final}"
    return {
        "id": f"batch-{req['custom_id'][:12]}",
        "custom_id": req["custom_id"],
        "response": {
            "status_code": 200,
            "body": {
                "choices": [{"index": 0, "finish_reason": finish, "message": {"role": "assistant", "content": text}}],
                "usage": {"prompt_tokens": 50, "completion_tokens": 20},
            },
        },
    }


@pytest.mark.slow
def test_user_files_to_exported_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cfg = str(_write_inputs(tmp_path))
    db = str(tmp_path / "user.duckdb")
    common = ["--db", db, "--config", cfg]

    _cli("ingest", *common)
    con = duckdb.connect(db, read_only=True)
    tasks = {
        r[0]: r[1:]
        for r in con.execute("select task_id, answer, verifier, verifier_args, prompt from tasks").fetchall()
    }
    quarantine = con.execute("select source, reason, detail from quarantine").fetchall()
    con.close()

    # GSM8K: the answer is the part after ####, not the rationale; unparsable and blank answers quarantined.
    assert tasks["gsm/gsm-1"][0] == "42" and tasks["gsm/gsm-4"][0] == "165"
    reasons = sorted(r[1] for r in quarantine)
    assert "answer_unparsed" in reasons
    assert any(r.startswith("missing_field:answer") or r == "answer_unparsed" for r in reasons)
    assert not any(t.startswith("gsm/gsm-bad") for t in tasks)
    # CSV: the broken line is quarantined with its line number; the line after it is a task of its own.
    bad_csv = [r for r in quarantine if r[1] == "invalid_csv"]
    assert len(bad_csv) == 1 and re.search(r"line \d+", bad_csv[0][2] or ""), bad_csv
    assert tasks["sci/m4"][0] == "B"
    assert "boiling" not in tasks["sci/m3"][3]
    # MCQ answers as letters, whatever shape they came in.
    assert tasks["sci/m2"][0] == "C" and tasks["mmlu/u1"][0] == "C" and tasks["mmlu/u2"][0] == "A"

    req_file = tmp_path / "requests.jsonl"
    _cli("generate", "batch-write", *common, "--out", str(req_file))
    requests = [json.loads(line) for line in req_file.read_text().splitlines()]
    n_tasks = len(GSM) + len(MCQ_CSV) + 1 + len(MMLU) + len(ORCA)
    assert len(requests) == 2 * n_tasks
    sent_user, sent_system = {}, {}
    for req in requests:
        user = next(m["content"] for m in req["body"]["messages"] if m["role"] == "user")
        sent_user[req["custom_id"]] = user
        systems = [m["content"] for m in req["body"]["messages"] if m["role"] == "system"]
        sent_system[req["custom_id"]] = systems
        qid, _ = _expected(user)
        if qid.startswith("o"):  # the row's own system turn reaches the model, after the reasoning prompt
            own = next(s for i, s, _, _ in ORCA if i == qid)
            assert systems in ([own], [f"{THINK_SYSTEM_PROMPT}\n\n{own}"]), (qid, systems)
        if qid.startswith(("m", "u")):  # every option reaches the model, one per line as `A. text`
            opts = (
                next(o for i, q, o, _ in MCQ_CSV if i == qid)
                if qid in {m[0] for m in MCQ_CSV}
                else (("90", "100", "110", "120") if qid == "m4" else next(c for i, _, c, _ in MMLU if i == qid))
            )
            for letter, text in zip("ABCD", opts, strict=True):
                assert f"{letter}. {text}" in user.splitlines(), (qid, user)

    out_file = tmp_path / "output.jsonl"
    out_file.write_text("".join(json.dumps(_answer_as_model(r)) + "\n" for r in requests))
    _cli("generate", "batch-read", *common, str(out_file))
    _cli("verify", *common)
    _cli("select", *common)
    _cli("build", *common)

    con = duckdb.connect(db, read_only=True)
    verdicts = {
        (r[0], r[1]): (r[2], r[3]) for r in con.execute("select task_id, mode, passed, reason from verdicts").fetchall()
    }
    flags = {(r[0], r[1]): r[2] for r in con.execute("select task_id, mode, parse_flags from generations").fetchall()}
    version = con.execute("select version_id from dataset_versions order by created_at desc limit 1").fetchone()[0]
    con.close()

    # Truncated: fails whatever its answer. Template-opened think blocks: correct traces, judged as such.
    assert verdicts[("gsm/gsm-3", "no_think")][0] is False
    assert "lint:truncated" in (verdicts[("gsm/gsm-3", "no_think")][1] or "")
    for tid in ("gsm/gsm-2", "sci/m2"):
        assert verdicts[(tid, "think")][0] is True, verdicts[(tid, "think")]
        assert "template_opened_think" in json.dumps(flags[(tid, "think")])
    passed = sum(1 for p, _ in verdicts.values() if p)
    assert passed == 2 * n_tasks - 1

    out_dir = tmp_path / "export"
    _cli(
        "export", *common, "--version", version, "--format", "messages", "--out", str(out_dir), "--file-format", "jsonl"
    )
    rows = [json.loads(line) for p in sorted(out_dir.glob("*.jsonl")) for line in p.read_text().splitlines()]
    assert rows, "the version exported no rows"
    by_key = {r["generation_key"]: r for r in rows} if "generation_key" in rows[0] else {}
    assert by_key, "the export names each row's generation"
    exported = {_expected(next(m["content"] for m in r["messages"] if m["role"] == "user"))[0] for r in rows}
    assert {"o1", "o2"} <= exported, exported
    for row in rows:
        msgs = row["messages"]
        user = next(m["content"] for m in msgs if m["role"] == "user")
        assistant = msgs[-1]["content"]
        qid, gold = _expected(user)
        # The exported user turn is exactly what the model saw.
        if by_key:
            assert user == sent_user[row["generation_key"]]
        if qid.startswith(("m", "u")):
            assert "A. " in user and "B. " in user, user
            assert f"({gold})" in assistant
        else:
            assert f"\\boxed{{{gold}}}" in assistant
        system = [m for m in msgs if m["role"] == "system"]
        if by_key:  # the exported system turn too (none where none was sent)
            assert [m["content"] for m in system] == sent_system[row["generation_key"]]
        if qid.startswith("o"):
            own = next(s for i, s, _, _ in ORCA if i == qid)
            assert len(system) == 1 and system[0]["content"].endswith(own), msgs
        if "<think>" in assistant:
            # Canonical think block, also for the template-opened responses, and the reasoning prompt once.
            assert assistant.startswith("<think>\n") and assistant.count("</think>") == 1, assistant
            assert len(system) == 1 and "deep thinking" in system[0]["content"]
        else:
            assert not any("deep thinking" in m["content"] for m in system)
        assert "fifteen pages a day for four da" not in assistant
