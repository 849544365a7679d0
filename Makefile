# Two commands: `make run` opens the app, `make test` passes the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test server lint bench fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/buhta $(ARGS)

server: $(VENV)/.installed
	$(BIN)/buhta-server $(ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Schemathesis over every operation with a larger budget than `make test` runs (3 examples
# per operation and mode): FUZZ_EXAMPLES per operation, on SQLite, and on PostgreSQL too
# when BUHTA_TEST_DATABASE_URL is set. Prints operations, requests, 5xx and the statuses.
FUZZ_EXAMPLES ?= 40
fuzz: $(VENV)/.installed-test
	BUHTA_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) BUHTA_FUZZ_REPORT=1 \
		$(BIN)/python -m pytest -q -s -p no:cacheprovider tests/e2e/test_schemathesis.py

bench: $(VENV)/.installed
	$(BIN)/python bench/startup.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
