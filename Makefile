# Everything runs from the project's own .venv; `make setup` builds it once and
# is a no-op (well under a second) while pyproject.toml is unchanged.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ENV    ?= environments/example.yaml
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: setup demo test validate schema synth scan clean

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

demo: setup
	$(BIN)/lz validate $(ENV)

validate: setup
	$(BIN)/lz validate $(ENV)

schema: setup
	$(BIN)/lz schema

test: setup
	$(BIN)/python -m pytest

clean:
	rm -rf cdktf.out .pytest_cache
