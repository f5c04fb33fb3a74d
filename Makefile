# Two commands for a newcomer (see README.md):
#   make serve   set up, then start the service on SQLite with a demo page to look at
#   make test    set up, then run every test (Python, node unit tests, real-Chromium tests)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: setup serve test test-fast browser clean

$(BIN)/reliability: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

setup: $(BIN)/reliability

serve: setup
	$(BIN)/reliability serve --host 127.0.0.1 --port 5000

browser:
	@scripts/install-browser

test: setup browser
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not browser and not slow"

clean:
	rm -rf $(VENV) instance artifacts .pytest_cache .hypothesis
