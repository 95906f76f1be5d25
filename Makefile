# Everything runs from the project's own .venv; `make setup` builds it once and
# is a no-op (well under a second) while pyproject.toml is unchanged.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ENV    ?= environments/example.yaml
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

# Offline machines carry a filesystem mirror of the AWS provider; terraform
# installs from it when LZ_TF_PROVIDER_MIRROR names it (empty: the registry).
ifeq ($(origin LZ_TF_PROVIDER_MIRROR),undefined)
LZ_TF_PROVIDER_MIRROR := $(shell $(PYTHON) landing_zone/terraform/find_mirror.py 2>/dev/null)
endif
export LZ_TF_PROVIDER_MIRROR

.PHONY: setup demo test unit e2e validate schema synth scan clean ci-workflow bench

setup: $(STAMP) $(NODE_STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# The pinned cdktf CLI (package-lock.json) behind `cdktf synth`/`cdktf deploy`;
# `npm ci` runs again only when package.json or the lock file changed. No
# install scripts: the CLI's one native module ships prebuilt binaries.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

synth: setup
	$(BIN)/lz synth $(ENV)

# The checkov gate on what `make synth` wrote (quotas from the environment's limits:).
scan: setup
	$(BIN)/lz scan cdktf.out --env $(ENV)

# validate, synth, scan, then deploy to a moto server on 127.0.0.1 and print the
# organization; KEEP=1 leaves the server running (how to reach it is printed).
demo: setup
	$(BIN)/lz validate $(ENV)
	$(BIN)/lz synth $(ENV)
	$(BIN)/lz scan cdktf.out --env $(ENV)
	$(BIN)/lz deploy $(ENV) --local $(if $(filter-out 0,$(KEEP)),--keep)

validate: setup
	$(BIN)/lz validate $(ENV)

schema: setup
	$(BIN)/lz schema

# The whole suite: every tier but end-to-end in one pytest session, then the
# end-to-end tier in its own (it synthesizes for the local AWS API).
test: unit e2e

unit: setup
	$(BIN)/python -m pytest -m "not e2e"

# Every test that applies to a moto server on 127.0.0.1, in its own session: the
# example applied, checked, planned again (no changes) and destroyed
# (tests/e2e), and the plan-review lab's real plans (tests/review).
e2e: setup
	$(BIN)/python -m pytest -m e2e

clean:
	rm -rf cdktf.out .pytest_cache

# The sample GitHub Actions workflow of $(ENV), rendered from its stacks (run again when stacks change).
ci-workflow: setup
	$(BIN)/lz ci-workflow $(ENV) --output examples/ci/landing-zone.yml

# Benchmarks (not part of `make test`): validate, synth, checkov gate and plan
# review at 10 / 100 / 1,000 accounts against the cdktf import floor; writes
# bench/results.json and the table in BENCHMARKS.md. Under 15 min on 2 cores.
bench: setup
	$(BIN)/python bench/run.py
