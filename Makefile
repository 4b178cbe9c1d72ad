# CIO Talks Archive — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: demo test lint typecheck pytest bench clean translations

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

demo: $(STAMP)
	$(BIN)/cio-talks demo

test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q $(PYTEST_ARGS)

# Interface strings: re-extract them, merge them into the Danish catalogue, compile the .mo.
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext --no-location --omit-header -o $(VENV)/messages.pot .
	$(BIN)/pybabel update -i $(VENV)/messages.pot -d archive/translations -w 100
	$(BIN)/pybabel compile -d archive/translations

bench: $(STAMP)
	$(BIN)/python bench/extraction.py

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
