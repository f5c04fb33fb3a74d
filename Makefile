# Two commands for a newcomer (see README.md):
#   make serve   set up, then start the service on SQLite with a demo page to look at
#                (another port: make serve PORT=5001)
#   make test    set up, then run every test (Python, node unit tests, real-Chromium tests)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000

.PHONY: setup serve test test-fast browser clean

EXTENSION_TOOLS := extension/node_modules/.bin/addons-linter

$(BIN)/reliability: pyproject.toml
	@echo "setting up $(VENV): a virtual environment with the project and its test tools (about a minute)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@echo "installing the project's Python packages..."
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@
	@echo "set up: $(BIN)/reliability"

setup: $(BIN)/reliability

serve: setup
	$(BIN)/reliability serve --host 127.0.0.1 --port $(PORT)

browser:
	@scripts/install-browser

# Mozilla's addons-linter checks the Firefox package (the extension itself has no dependencies)
$(EXTENSION_TOOLS): extension/package.json extension/package-lock.json
	cd extension && npm ci --no-audit --no-fund --silent
	@touch $@

test: setup browser $(EXTENSION_TOOLS)
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not browser and not slow"

clean:
	rm -rf $(VENV) instance artifacts .pytest_cache .hypothesis extension/node_modules extension/dist
