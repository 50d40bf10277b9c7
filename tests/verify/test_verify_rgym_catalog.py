"""`thinkmill verifiers list`: every verifiable task type with verifier, version, parameters and library."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pipeline import rgym
from pipeline.cli import main
from pipeline.verify.catalog import task_types
from pipeline.verify.config import VerifyConfig
from pipeline.verify.registry import Registry
from pipeline.verify.verifiers.ifeval import CONSTRAINTS
from pipeline.verify.verifiers.ifeval_google import INSTRUCTIONS


def test_every_family_member_is_a_type() -> None:
    types = {t.type: t for t in task_types(Registry())}
    assert len(types) >= 130
    assert {f"reasoning_gym:{n}" for n in rgym.dataset_names()} <= set(types)
    assert {f"ifeval:{n}" for n in CONSTRAINTS} <= set(types)
    assert {f"ifeval:{n}" for n in INSTRUCTIONS} <= set(types)  # IFEval's 25, under its own ids
    assert types["ifeval:length_constraints:number_words"].parameters == {
        "type": "length_constraints:number_words",
        "num_words": "required",
        "relation": "required",
        "mode": "strict",
    }
    assert {"math", "mcq", "exact", "regex", "numeric", "json_schema", "code", "judge"} <= set(types)
    assert "ifeval" not in types and "reasoning_gym" not in types  # families are listed by their members
    ba = types["reasoning_gym:basic_arithmetic"]
    assert len(types) == 8 + len(CONSTRAINTS) + len(INSTRUCTIONS) + len(rgym.dataset_names())
    assert (ba.verifier, ba.version, ba.library) == ("reasoning_gym", "12", f"reasoning-gym=={rgym.library_version()}")
    assert ba.parameters["min_terms"] == 2  # the dataset config's own default
    assert "bool('False')" in types["reasoning_gym:game_of_life_halting"].description
    assert types["ifeval:keyword_frequency"].parameters == {
        "type": "keyword_frequency",
        "keyword": "required",
        "min": "required",
        "max": "optional",
    }
    assert types["math"].library.startswith("math-verify==")
    assert types["regex"].parameters == {"pattern": "required", "ignore_case": False, "full_match": False}


def test_plugins_are_listed_with_their_version_and_module() -> None:
    cfg = VerifyConfig(verifiers={"shout": "tests.verify.verifier_plugins:shout"})
    t = {t.type: t for t in task_types(Registry(cfg))}["shout"]
    assert (t.verifier, t.version, t.library, t.description) == (
        "shout",
        "7",
        "tests",
        "Passes when the answer is upper-case.",
    )


def test_cli_json_and_text(tmp_path: Path) -> None:
    cfg = tmp_path / "thinkmill.yaml"
    cfg.write_text("verify:\n  verifiers:\n    shout: tests.verify.verifier_plugins:shout\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["verifiers", "list", "--json", "--config", str(cfg)])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["count"] == len(out["types"]) >= 131
    assert {"type", "verifier", "version", "library", "parameters", "description"} == set(out["types"][0])
    assert any(t["type"] == "shout" and t["version"] == "7" for t in out["types"])
    text = CliRunner().invoke(main, ["verifiers", "list", "--config", str(cfg)])
    assert text.exit_code == 0, text.output
    assert text.output.rstrip().endswith(f"{out['count']} verifiable task types")
    assert "reasoning_gym:rush_hour" in text.output
