"""`generate.openai.extra_body`: what it adds is sent, stored in `sampling_params` and part of the key; it may not
override a field thinkmill sets itself; the `openai` target checks its fields (loopback stub, no model)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from pipeline.config import ConfigError, ThinkmillConfig, load_config
from pipeline.generate.backends.base import GenerateError
from pipeline.generate.request import build_requests
from pipeline.generate.runner import run
from pipeline.generate.targets import requests_for_target
from pipeline.store import Store
from testing_support.openai_stub import OpenAIStub

TASKS = pl.DataFrame({"task_id": ["t0", "t1"], "domain": ["math", "general"], "prompt": ["1 + 1?", "Say hi."]})
# what the client sends besides the request's sampling fields
# what is sent besides the sampling: the decoding fields of the vLLM target are neither stored nor keyed
NOT_SAMPLING = ("model", "messages", "seed", "skip_special_tokens", "spaces_between_special_tokens")


def stub_config(url: str, **openai: Any) -> ThinkmillConfig:
    cfg = ThinkmillConfig()
    g = cfg.generate
    g.backend, g.model = "openai", "stub-model"
    g.openai.base_urls, g.openai.max_retries = [url], 0
    for k, v in openai.items():
        setattr(g.openai, k, v)
    return cfg


def sent_and_stored(
    store: Store, bodies: list[dict[str, Any]], cfg: ThinkmillConfig
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(what the server got besides model, messages and seed; the stored sampling_params) per request of `cfg`."""
    g = cfg.generate
    keys = [r.key for r in requests_for_target(build_requests(TASKS, g), g.openai.target, g.openai.extra_body)]
    rows = {r["seed"]: r for r in store.read("generations").filter(pl.col("key").is_in(keys)).iter_rows(named=True)}
    assert len(rows) == len(keys) == len(bodies)
    return [
        ({k: v for k, v in b.items() if k not in NOT_SAMPLING}, json.loads(rows[b["seed"]]["sampling_params"]))
        for b in bodies
    ]


@pytest.mark.parametrize(
    ("extra_body", "knob"),
    [
        ({"temperature": 1.5}, "generate.think.temperature"),
        ({"top_p": 0.5}, "generate.think.top_p"),
        ({"top_k": 99}, "generate.think.top_k"),
        ({"max_tokens": 10}, "generate.think.max_tokens"),
        ({"max_completion_tokens": 10}, "generate.think.max_tokens"),
        ({"seed": 1}, "generate.seed"),
        ({"model": "other"}, "generate.model"),
        ({"messages": []}, "prompt"),
        ({"n": 4}, "generate.samples_think"),
        ({"chat_template_kwargs": {"thinking": True}}, "mode"),
    ],
)
def test_extra_body_may_not_override_a_field_thinkmill_sets(
    tmp_path: Path, extra_body: dict[str, Any], knob: str
) -> None:
    path = tmp_path / "thinkmill.yaml"
    path.write_text(json.dumps({"generate": {"openai": {"extra_body": extra_body}}}))
    with pytest.raises(ConfigError) as err:
        load_config(path)
    msg = str(err.value)
    key = next(iter(extra_body))
    name = f"{key}.thinking" if key == "chat_template_kwargs" else key
    assert f"generate.openai.extra_body.{name}" in msg and knob in msg and "\n" not in msg


def test_extra_body_may_not_set_a_field_a_mode_sets_too() -> None:
    with pytest.raises(ValueError, match=r"extra_body\.min_p: .*generate\.no_think\.extra"):
        ThinkmillConfig.model_validate(
            {"generate": {"no_think": {"extra": {"min_p": 0.05}}, "openai": {"extra_body": {"min_p": 0.1}}}}
        )


def test_a_config_changed_after_loading_is_checked_before_sending(tmp_path: Path) -> None:
    with OpenAIStub() as stub:
        cfg = stub_config(stub.url, extra_body={"temperature": 1.5})
        with Store.open(tmp_path / "g.duckdb") as store, pytest.raises(GenerateError, match=r"extra_body\.temperature"):
            run(store, cfg, tasks=TASKS)
        assert stub.stats.requests == 0


def test_extra_body_is_sent_stored_and_part_of_the_key(tmp_path: Path) -> None:
    extra = {"min_p": 0.1, "repetition_penalty": 1.1, "chat_template_kwargs": {"keep_cots": True}}
    with OpenAIStub() as stub, Store.open(tmp_path / "g.duckdb") as store:
        cfg = stub_config(stub.url, extra_body=extra)
        first = run(store, cfg, tasks=TASKS)
        assert first.metadata["sent"] == 6
        pairs = sent_and_stored(store, stub.stats.bodies, cfg)
        for sent, stored in pairs:
            assert sent == stored  # the stored provenance is the request as the server got it
            assert sent["min_p"] == 0.1 and sent["repetition_penalty"] == 1.1 and sent["temperature"] == 0.6
            assert sent["chat_template_kwargs"]["keep_cots"] is True
        assert sorted(s["chat_template_kwargs"]["thinking"] for s, _ in pairs) == [False, False, True, True, True, True]

        # a changed extra_body changes what is sent: those requests are new
        cfg.generate.openai.extra_body = {**extra, "min_p": 0.2}
        second = run(store, cfg, tasks=TASKS)
        assert second.metadata["sent"] == 6 and second.metadata["cached"] == 0
        assert all(s == st and s["min_p"] == 0.2 for s, st in sent_and_stored(store, stub.stats.bodies[6:12], cfg))

        # without extra_body the keys are those of a config that never had one
        cfg.generate.openai.extra_body = {}
        third = run(store, cfg, tasks=TASKS)
        assert third.metadata["sent"] == 6
        plain = {r.key for r in build_requests(TASKS, cfg.generate)}
        assert plain <= set(store.read("generations")["key"])
        assert all("min_p" not in s and s == st for s, st in sent_and_stored(store, stub.stats.bodies[12:], cfg))
        assert run(store, cfg, tasks=TASKS).metadata["sent"] == 0


@pytest.mark.parametrize("extra_body", [{"min_p": 0.1}, {"chat_template_kwargs": {"keep_cots": True}}])
def test_the_openai_target_checks_extra_body_fields(tmp_path: Path, extra_body: dict[str, Any]) -> None:
    key = next(iter(extra_body))
    with OpenAIStub() as stub, Store.open(tmp_path / "g.duckdb") as store:
        cfg = stub_config(stub.url, target="openai", extra_body=extra_body)
        with pytest.raises(GenerateError, match=rf"generate\.openai\.extra_body\.{key}: not an OpenAI"):
            run(store, cfg, tasks=TASKS)
        assert stub.stats.requests == 0


def test_the_openai_target_sends_and_stores_an_openai_field_of_extra_body(tmp_path: Path) -> None:
    with OpenAIStub() as stub, Store.open(tmp_path / "g.duckdb") as store:
        cfg = stub_config(stub.url, target="openai", extra_body={"presence_penalty": 0.5})
        assert run(store, cfg, tasks=TASKS).metadata["succeeded"] == 6
        for sent, stored in sent_and_stored(store, stub.stats.bodies, cfg):
            assert sent["presence_penalty"] == 0.5 and "chat_template_kwargs" not in sent
            assert stored == {**sent, "chat_template_kwargs": {}}


@pytest.mark.parametrize(
    ("extra", "knob"),
    [
        ({"temperature": 1.0}, "generate.no_think.temperature"),
        ({"max_tokens": 10}, "generate.no_think.max_tokens"),
        ({"seed": 3}, "generate.seed"),
        ({"chat_template_kwargs": {"thinking": True}}, "mode"),
    ],
)
def test_a_modes_extra_may_not_override_a_field_thinkmill_sets(
    tmp_path: Path, extra: dict[str, Any], knob: str
) -> None:
    """`no_think.extra: {temperature: 1.0}` overwrote the mode's temperature in the body the openai backend sent, while
    the stored sampling_params held both values: which one the server used was not recorded. It may only add fields."""
    path = tmp_path / "thinkmill.yaml"
    path.write_text(json.dumps({"generate": {"no_think": {"extra": extra}}}))
    with pytest.raises(ConfigError) as err:
        load_config(path)
    msg = str(err.value)
    assert "generate.no_think.extra." in msg and knob in msg and "\n" not in msg
    load_config_ok = tmp_path / "ok.yaml"
    load_config_ok.write_text(json.dumps({"generate": {"no_think": {"extra": {"min_p": 0.05}}}}))
    assert load_config(load_config_ok).generate.no_think.extra == {"min_p": 0.05}


def test_a_modes_chat_template_kwargs_reach_the_template(tmp_path: Path) -> None:
    """`generate.think.extra: {chat_template_kwargs: {keep_cots: true}}` passed the config check, but the openai
    backend and batch files overwrote it with the think switch: the server never got it and no stored row showed it.
    A mode's template switches join `thinking` in what is sent, stored and keyed; the other mode is unchanged."""
    from pipeline.generate.backends.batch import batch_body
    from pipeline.generate.request import build_request

    with OpenAIStub() as stub, Store.open(tmp_path / "g.duckdb") as store:
        cfg = stub_config(stub.url)
        cfg.generate.think.extra = {"chat_template_kwargs": {"keep_cots": True}}
        assert run(store, cfg, tasks=TASKS).metadata["succeeded"] == 6
        for sent, stored in sent_and_stored(store, stub.stats.bodies, cfg):
            assert sent == stored
            thinking = sent["chat_template_kwargs"]["thinking"]
            assert sent["chat_template_kwargs"] == (
                {"thinking": True, "keep_cots": True} if thinking else {"thinking": False}
            )
    think = build_request(cfg.generate, "t", "math", "Q", "think", 0)
    assert batch_body(think)["chat_template_kwargs"] == {"thinking": True, "keep_cots": True}
    assert not any("skip_special_tokens" in b for b in stub.stats.bodies)  # a server that is not vLLM: as before
    assert batch_body(think)["skip_special_tokens"] is False  # the vLLM target's batch file is for `vllm run-batch`
    assert think.key != build_request(stub_config("http://x").generate, "t", "math", "Q", "think", 0).key

    # the in-process engine renders them with the switch (they are no vLLM sampling parameter)
    from dataclasses import dataclass

    from pipeline.generate.backends.vllm_backend import render_prompt, sampling_params

    @dataclass
    class Params:
        __struct_fields__ = ("temperature", "top_p", "top_k", "max_tokens", "seed")
        temperature: float = 1.0
        top_p: float = 1.0
        top_k: int = 0
        max_tokens: int = 16
        seed: int | None = None

    class Tokenizer:
        def apply_chat_template(self, messages: list, **kwargs: Any) -> str:
            return json.dumps({k: kwargs.get(k) for k in ("thinking", "keep_cots")})

        def encode(self, text: str, add_special_tokens: bool = True) -> list[str]:
            return [text]

    assert sampling_params(think, Params).top_k == 20
    assert render_prompt(Tokenizer(), think) == [json.dumps({"thinking": True, "keep_cots": True})]


def test_a_vllm_server_keeps_special_think_tags_without_new_keys(tmp_path: Path) -> None:
    """A tokenizer may mark `<think>`/`</think>` as special tokens: `vllm serve` decoded with `skip_special_tokens`
    and dropped them from a no-think answer (no reasoning parser reads one), so a leaked think block was stored
    untagged and passed the lints. A server whose `/v1/models` names vLLM as owner gets `skip_special_tokens: false`
    and `spaces_between_special_tokens: false` with each request; they are decoding fields, not stored and not keyed
    (no request of an existing store is sent again); another server gets the request as before."""
    with OpenAIStub(owned_by="vllm") as stub, Store.open(tmp_path / "g.duckdb") as store:
        cfg = stub_config(stub.url)
        assert run(store, cfg, tasks=TASKS).metadata["succeeded"] == 6
        assert all(
            b["skip_special_tokens"] is False and b["spaces_between_special_tokens"] is False for b in stub.stats.bodies
        )
        for sent, stored in sent_and_stored(store, stub.stats.bodies, cfg):
            assert sent == stored and "skip_special_tokens" not in stored
        vllm_keys = set(store.read("generations")["key"])
    with OpenAIStub() as other, Store.open(tmp_path / "h.duckdb") as store:
        assert run(store, stub_config(other.url), tasks=TASKS).metadata["succeeded"] == 6
        assert not any("skip_special_tokens" in b for b in other.stats.bodies)
        assert set(store.read("generations")["key"]) == vllm_keys


def test_a_run_whose_every_request_is_a_bad_request_stops(tmp_path: Path) -> None:
    """A setting the server refuses for every request (`max_tokens=32768 cannot be greater than max_model_len=512`):
    every request came back 400, was stored as `bad_request`, and the run exited 0 (a Dagster refresh went green with
    no new generation), as an all-`auth` run did before it stopped. It stops now, quoting the server's words and
    naming the settings that make a request's body; the error rows are stored, and the next run sends them again."""
    from pipeline.generate.backends.base import GenerateError

    with OpenAIStub(status_for_all=400) as stub, Store.open(tmp_path / "g.duckdb") as store:
        with pytest.raises(GenerateError, match="every request failed") as err:
            run(store, stub_config(stub.url), tasks=TASKS)
        rows = store.read("generations")
    assert rows.height == 6 and rows["error"].str.starts_with("bad_request").all()
    text = str(err.value)
    assert "stub: refused" in text and "generate.think" in text and "max_tokens" in text and "\n" not in text
