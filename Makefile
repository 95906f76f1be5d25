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

.PHONY: audit setup demo dashboard test lint unit e2e review live validate schema synth scan clean ci-workflow bench

setup: $(STAMP) $(NODE_STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# --no-compile: pip compiles one file at a time, the AWS provider binding's 2,137 modules included;
	@# landing_zone/speed/bytecode.py compiles the virtualenv on every core instead (plain, and the binding
	@# also -O), and the package (compiling it costs `lz validate` 0.3-0.6 s a run). Here, where
	@# PYTHONDONTWRITEBYTECODE may forbid writing bytecode later, is where it gets written.
	$(BIN)/python -m pip install --quiet --no-compile -e '.[test]'
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m landing_zone.speed.bytecode
	@# -O bytecode of the rest of what a synth imports: `lz synth`, `lz deploy` and main.py run under
	@# python -O (landing_zone/speed/optimized_python.py).
	PYTHONDONTWRITEBYTECODE= JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=14,16,18,20 \
	  JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 $(BIN)/python -O -c 'import landing_zone.app.build, landing_zone.app.binding_preload, landing_zone.review.manifest'
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
# Then the dashboard of the example (a static site; with LZ_AWS_ENDPOINT set, the local API the deploy
# reused, it shows the deployed account ids), and ends with the next steps (landing_zone/deploy/local_notes.py).
demo: setup
	$(BIN)/lz validate $(ENV)
	$(BIN)/lz synth $(ENV)
	$(BIN)/lz scan cdktf.out --env $(ENV)
	$(BIN)/lz deploy $(ENV) --local $(if $(filter-out 0,$(KEEP)),--keep)
	@$(BIN)/lz dashboard $(ENV) --out cdktf.out/dashboard $(if $(LZ_AWS_ENDPOINT),--read-organization) >/dev/null
	@$(BIN)/python -m landing_zone.deploy.local_notes $(ENV) --out cdktf.out.local --dashboard cdktf.out/dashboard

# The static HTML dashboard of $(ENV) (open the printed index.html from file://).
dashboard: setup
	$(BIN)/lz dashboard $(ENV) --out cdktf.out/dashboard

validate: setup
	$(BIN)/lz validate $(ENV)

schema: setup
	$(BIN)/lz schema

# The whole suite: three independent pytest sessions side by side, each
# printed whole when it ends (the end-to-end tiers mostly wait on terraform and
# the local API, so they overlap well with the CPU-bound unit tier):
#   unit    every test not marked e2e (the example synthesized once per session)
#   e2e     the example applied to a moto server on 127.0.0.1, checked, planned
#           again (no changes), planned with one more account, destroyed
#   review  the plan-review lab: real plans of changed configs on its own server
# Each session has its own temporary folder (pytest prunes old ones at start,
# which must never hit a session still running) and no shared cache. Outside
# the checkout: messages print paths relative to the working folder.
TEST_TMP ?= $(or $(TMPDIR),/tmp)/lz-tests-$(shell printf %s "$(CURDIR)" | cksum | cut -d' ' -f1)
PYTEST = $(BIN)/python -m pytest -p no:cacheprovider --basetemp=$(TEST_TMP)/$@

test: setup
	@echo "make test: lint, then unit, e2e, review and live side by side; each prints its report when it ends (about 20-25 min on 2 cores)"
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory -j4 --output-sync=target unit e2e review live

# Style, types and layers (about 15 s): ruff's lint and format check, mypy, and the
# import contracts in pyproject.toml that say which layer may import which.
lint: setup
	$(BIN)/ruff check landing_zone tests bench main.py audit
	$(BIN)/ruff format --check landing_zone tests bench main.py audit
	$(BIN)/mypy
	$(BIN)/lint-imports

unit: setup
	@mkdir -p $(TEST_TMP)
	$(PYTEST) -m "not e2e"

# Prowler's virtualenv (.venv-audit, ~6 min the first time) builds in the background while the example
# deploys; the e2e audit test (tests/e2e/audit_checks.py) waits for its exit status in LZ_AUDIT_VENV_STATUS.
AUDIT_STATUS = $(TEST_TMP)/audit-venv.status
e2e: setup
	@mkdir -p $(TEST_TMP)
	@rm -f $(AUDIT_STATUS)
	@($(MAKE) --no-print-directory $(AUDIT_VENV)/.installed >$(AUDIT_STATUS:.status=.log) 2>&1; echo $$? >$(AUDIT_STATUS)) &
	LZ_AUDIT_VENV_STATUS=$(AUDIT_STATUS) $(PYTEST) -m e2e tests/e2e

review: setup
	@mkdir -p $(TEST_TMP)
	$(PYTEST) -m e2e tests/review

# The other e2e-marked tests (real processes, terraform and moto servers of their own:
# interrupts, run locks, bootstrap, drift), outside the shared deployment of tests/e2e.
live: setup
	@mkdir -p $(TEST_TMP)
	$(PYTEST) -m e2e tests --ignore=tests/e2e --ignore=tests/review

clean:
	rm -rf cdktf.out .pytest_cache $(TEST_TMP)

# The sample GitHub Actions workflow and GitLab pipeline of $(ENV) (run again when the depth of its stack graph changes).
ci-workflow: setup
	$(BIN)/lz ci-workflow $(ENV) --output examples/ci/landing-zone.yml
	$(BIN)/lz ci-workflow $(ENV) --provider gitlab --output examples/ci/gitlab-ci.yml

# Benchmarks (not part of `make test`): validate, synth, checkov gate and plan
# review at 10 / 100 / 1,000 accounts against the cdktf import floor; writes
# bench/results.json and the table in BENCHMARKS.md. Under 15 min on 2 cores.
bench: setup
	$(BIN)/python bench/run.py

# Prowler's CIS 3.0 checks on the example deployed to the local API (`make e2e` runs the same on its shared
# deployment, tests/e2e/audit_checks.py): the
# management, network and one workload account, offline, with audit/mutes.yaml's reasoned mutes;
# fails on any other FAIL. Prowler (pinned in pyproject.toml's `audit` extra) gets its own virtualenv,
# .venv-audit. Deploys the example first (10-15 min on 2 cores) unless LZ_AWS_ENDPOINT names a local
# API that already holds it (such as `make demo KEEP=1`). Report: cdktf.out.audit/.
AUDIT_VENV := .venv-audit
PROWLER_PIN := $(shell grep -o 'prowler==[0-9.]*' pyproject.toml)
$(AUDIT_VENV)/.installed: pyproject.toml
	@test -x $(AUDIT_VENV)/bin/python || $(PYTHON) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/python -m pip install --quiet '$(PROWLER_PIN)'
	@touch $@

audit: setup $(AUDIT_VENV)/.installed
	$(BIN)/python audit/prowler_audit.py --prowler $(AUDIT_VENV)/bin/prowler
