# Each target creates .venv and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test run lint bench clean

$(BIN)/govbot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/govbot
	$(BIN)/govbot demo

# The one-minute soak mostly waits: it runs beside the rest of the suite, not after it.
test: $(BIN)/govbot
	$(BIN)/ruff check .
	$(BIN)/pytest -q -rs -m soak & soak=$$!; $(BIN)/pytest -q -rs -m "not soak"; rest=$$?; \
	wait $$soak && exit $$rest

run: $(BIN)/govbot
	$(BIN)/govbot run

bench: $(BIN)/govbot
	$(BIN)/python benchmarks/http_latency.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
