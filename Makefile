# Two entry points from a fresh clone:  `make chapter` runs the lessons, `make test` checks everything.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: test unit chapter benchmark student-copies clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

test: $(VENV)/.installed  ## unit tests, then every solution notebook under nbval
	$(PY) -m pytest
	$(PY) scripts/run_chapter.py --nbval

unit: $(VENV)/.installed  ## unit tests only
	$(PY) -m pytest

chapter: $(VENV)/.installed  ## execute every lesson; executed copies land in artifacts/
	$(PY) scripts/run_chapter.py

benchmark: $(VENV)/.installed  ## data pipeline and training stages, measured in one run
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) artifacts .pytest_cache
