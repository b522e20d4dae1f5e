# Two entry points from a fresh clone:  `make chapter` runs the lessons, `make test` checks everything.
# `make site` runs the lessons and builds their web version in artifacts/site/.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: test quick unit chapter site mutants lock benchmark benchmark-grading gpu-check emulate-colab emulate-binder clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e ".[lab,test,site]"
	touch $@

# axe-core checks the web version's accessibility in the browser test (from npm; skipped without npm).
AXE := artifacts/node/node_modules/axe-core/axe.min.js
$(AXE):
	@command -v npm > /dev/null && npm install --prefix artifacts/node --no-audit --no-fund --silent axe-core@4.14.1 \
		|| echo "npm not found: the browser test's accessibility check will be skipped"

test: $(VENV)/.installed $(AXE)  ## every solution under nbval (keeping the executed copies), their web version, then all tests
	$(PY) -m scripts.run_chapter --nbval
	$(PY) -m scripts.build_site
	$(PY) -m pytest

quick: $(VENV)/.installed  ## the developer's loop: tests that train nothing, open no browser and stay offline
	$(PY) -m pytest -m "not slow and not browser and not network"

unit: $(VENV)/.installed  ## unit tests only
	$(PY) -m pytest

chapter: $(VENV)/.installed  ## execute every lesson; executed copies land in artifacts/
	$(PY) -m scripts.run_chapter

site: $(VENV)/.installed  ## execute every lesson, then build the web version in artifacts/site/
	$(PY) -m scripts.run_chapter
	$(PY) -m scripts.build_site

mutants: $(VENV)/.installed  ## mutate each exercise's solution: its check must reject every mutant not listed as equivalent
	$(PY) -m scripts.mutants

lock: $(VENV)/.installed  ## pin the Gradescope autograder's environment again (course_utils/grading/*.lock; needs PyPI)
	$(PY) -m scripts.lock_autograder

benchmark: $(VENV)/.installed  ## data pipeline and training stages, measured in one run
	$(PY) -m benchmarks.run

benchmark-grading: $(VENV)/.installed  ## grade 20 submissions of lesson 1 with 1 job, then 2
	$(PY) -m benchmarks.grading

gpu-check: $(VENV)/.installed  ## every lesson on the CUDA GPU, checking that training ran there; fails without one
	$(PY) -m scripts.gpu_check

emulate-colab: $(VENV)/.installed  ## Colab's packages on Python 3.13: install as the lessons do, run them
	$(PY) -m scripts.emulate colab

emulate-binder: $(VENV)/.installed  ## an environment built from binder/ alone; run the lessons there
	$(PY) -m scripts.emulate binder

clean:
	rm -rf $(VENV) artifacts .pytest_cache
