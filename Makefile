# Everything runs from the project's own .venv; `make setup` builds it once and
# is a no-op (well under a second) while pyproject.toml is unchanged.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ENV    ?= environments/example.yaml
STAMP  := $(VENV)/.installed

.PHONY: setup demo test validate schema clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

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
