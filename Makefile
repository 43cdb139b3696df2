# Convolutions, Hands-On: build the book, test it, work on it.
#
#   make book    build the HTML book into _build/html (warnings are errors)
#   make test    unit tests and every notebook in chapters/, outputs compared
#   make lab     JupyterLab on the notebooks
#   make lint    ruff over convlib, tests, tools and the notebooks; convlib's import walls
#   make check   open the built pages in headless Chromium, network blocked, and
#                run chapter 1 in JupyterLab there
#   make serve   serve the built book on localhost
#   make bench   time every convolution method against PyTorch's
#   make clean   remove what the build and the tests leave behind
#
# Each target first creates .venv (python3 -m venv) if it is missing and installs
# requirements.txt into it; it installs again only when requirements.txt or
# pyproject.toml changed since the last install.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
PIP_VERSION := 26.3

# Unattended runs show each explorer as a note, not as live widgets: nobody can
# move a slider there, and widgets with no front end can stall the executor
# (convlib/interactive.py).
# Tests and the book build compute with a fixed number of CPU threads per
# process (PyTorch reads these when it starts, in the test processes and in
# every notebook kernel alike), so that runs repeat and parallel test workers
# do not compete for the cores.
THREADS ?= 1
# Parallel test workers; nbval runs every notebook whole on one worker.
WORKERS ?= 2
# More pytest arguments, e.g. make test PYTEST_ARGS="-k padding"
PYTEST_ARGS ?=
RUN_ENV := CONVLIB_WIDGETS=0 OMP_NUM_THREADS=$(THREADS) MKL_NUM_THREADS=$(THREADS) \
	PYDEVD_DISABLE_FILE_VALIDATION=1 PATH="$(CURDIR)/$(BIN):$$PATH"

.PHONY: help install book test lab lint check serve bench clean

help:
	@sed -n '3,11p' Makefile | sed 's/^# //'

install: $(STAMP)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11, 5) else "Python 3.11.5 or newer is needed; $(PYTHON) is " + sys.version.split()[0] + " (choose another with make PYTHON=python3.12 ...)")'
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip==$(PIP_VERSION)
	$(BIN)/python -m pip install -r requirements.txt
	touch $@

# The book reuses each notebook's executed outputs from _build/.jupyter_cache while
# the notebook's code is unchanged; a change to convlib changes the outputs too, so
# it empties that cache.
CACHE := _build/.jupyter_cache
CONVLIB_HASH = $(shell find convlib -name '*.py' | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)

book: $(STAMP)
	@if [ "$$(cat _build/.convlib-hash 2>/dev/null)" != "$(CONVLIB_HASH)" ]; then \
		rm -rf $(CACHE); mkdir -p _build; echo "$(CONVLIB_HASH)" > _build/.convlib-hash; fi
	$(RUN_ENV) $(BIN)/jupyter-book build . --all --warningiserror --keep-going
	@echo
	@echo "The book is built. Open it in a browser:"
	@echo "    $(CURDIR)/_build/html/index.html"

# pytest exits with 5 when it ran no test at all (none collected from tests/ and
# chapters/, or none selected by PYTEST_ARGS): a test run that checks nothing is a
# mistake here, so make test fails with that status and says why.
test: $(STAMP)
	@status=0; \
	$(RUN_ENV) $(BIN)/python -m pytest tests chapters \
		--nbval --nbval-current-env --nbval-cell-timeout=300 \
		--nbval-sanitize-with tests/nbval_sanitize.cfg \
		-n $(WORKERS) --dist loadfile $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then \
		echo "make test: pytest ran no test (none collected from tests/ and chapters/, or none selected)" >&2; \
	fi; \
	exit $$status

# JupyterLab reads its default settings from the environment; tools/lab_settings.json
# turns off the news and update prompts.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json

$(LAB_SETTINGS): tools/lab_settings.json | $(STAMP)
	mkdir -p $(dir $@) && cp $< $@

lab: $(STAMP) $(LAB_SETTINGS)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jupyter lab chapters $(if $(filter 0,$(shell id -u)),--allow-root)

lint: $(STAMP)
	$(BIN)/ruff check convlib tests tools chapters
	$(BIN)/lint-imports --no-cache

check: $(STAMP) $(LAB_SETTINGS)
	@test -f _build/html/index.html || { echo "make check: build the book first (make book)" >&2; exit 1; }
	$(BIN)/python tools/check_rendered.py
	$(BIN)/python tools/check_explorers.py
	$(BIN)/python tools/check_quizzes.py
	$(BIN)/python tools/check_a11y.py
	PATH="$(CURDIR)/$(BIN):$$PATH" OMP_NUM_THREADS=$(THREADS) $(BIN)/python tools/check_lab.py

# The speed of every convolution method against PyTorch's, on the reference layers
# (python -m convlib.bench --help for the options; BENCH_ARGS passes them).
BENCH_ARGS ?=
bench: $(STAMP)
	$(RUN_ENV) $(BIN)/python -m convlib.bench $(BENCH_ARGS)

# Serve the built book on localhost: opened from disk (file://), the search page can
# list the matching pages but not show text from them, since the browser will not let
# a page read other files; served, it shows them.
PORT ?= 8000
serve:
	@test -f _build/html/index.html || { echo "make serve: build the book first (make book)" >&2; exit 1; }
	@echo "The book is served at http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	$(PYTHON) -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

clean:
	rm -rf _build .pytest_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
	find . -path ./$(VENV) -prune -o -name .ipynb_checkpoints -type d -exec rm -rf {} +
