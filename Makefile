# Two commands matter: `make lab` (set up, open the lessons) and `make test` (set up, run every test).
# Everything runs with .venv/bin first on PATH: nbgrader shells out to `alembic`.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(abspath $(VENV))/bin
export PATH := $(BIN):$(PATH)
# Debian packages some tests need; installed when we can (root and CI=true), else skipped loudly.
APT_PACKAGES ?= chromium bubblewrap

.PHONY: help setup lab book test test-fast lint check bench system-deps clean classroom classroom-stop classroom-deps

help:
	@echo "make lab        set up .venv, copy the lessons into my-lessons/ and open JupyterLab there"
	@echo "make book       build the static course book into build/book (open build/book/index.html)"
	@echo "make test       set up .venv and run every test"
	@echo "make test-fast  the tests that run in seconds (-m 'not slow')"
	@echo "make lint       ruff check and ruff format --check on the whole tree"
	@echo "make check      validate the seeds and the knowledge base"
	@echo "make bench      run the benchmarks (not part of the tests)"
	@echo "make classroom  a local JupyterHub classroom on 127.0.0.1 (root; Ctrl-C or make classroom-stop)"

# The stamp holds a hash of what pyproject.toml installs (.ci/deps-hash.py: the dependencies,
# extras, scripts and build system): an edit elsewhere in pyproject.toml reinstalls nothing.
# If a reinstall fails (offline, say), the existing environment is used, and the next make
# tries again.
$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "homs needs Python >= 3.10; set PYTHON=python3.x")'
	@want=$$($(PYTHON) .ci/deps-hash.py pyproject.toml) || exit 1; \
	if [ -x $(BIN)/python ] && [ "$$(cat $@ 2>/dev/null)" = "$$want" ]; then \
	  echo "setup: pyproject.toml changed but not its dependencies; $(VENV) is up to date"; \
	  touch $@; exit 0; \
	fi; \
	had=no; [ -x $(BIN)/python ] && [ -f $@ ] && had=yes; \
	echo "$(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet -e '.[test,book]'"; \
	if $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet -e '.[test,book]'; then \
	  echo "$$want" > $@; \
	elif [ $$had = yes ]; then \
	  echo "setup: could not reinstall the dependencies (offline?); going on with the existing $(VENV)."; \
	  echo "setup: the next make tries again; to stop trying, restore pyproject.toml's dependency lists."; \
	else \
	  echo "setup: installing into $(VENV) failed (see above); it needs the network the first time."; \
	  exit 1; \
	fi

setup: $(VENV)/.installed

system-deps:
	@APT_PACKAGES="$(APT_PACKAGES)" bash .ci/system-deps

# The learner's working copy of the lessons, git-ignored: saving a lesson there never touches
# the tracked lessons/, so `git pull` never conflicts with a learner's work. `homs lessons
# --keep` copies in what is missing or new and keeps every lesson the learner changed; `homs
# lab` opens JupyterLab on it at the lessons' index (README.md) and prints that address, with a
# fresh workspace each time and the widgets' state saved in the notebooks (src/homs/book/lab.py).
MY_LESSONS ?= my-lessons
LAB_ARGS ?=

lab: setup
	$(BIN)/homs lessons $(MY_LESSONS) --keep
	$(BIN)/homs lab $(MY_LESSONS) $(LAB_ARGS)

# The static course book: the six lessons run, the texts and the practice quizzes, offline
# (Sphinx, MyST-NB, sphinx-book-theme). The book's tests build their own copy (tests/book/).
book: setup
	$(BIN)/homs book --out build/book

check: setup
	$(BIN)/homs check

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: setup system-deps classroom-deps lint
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m 'not slow'

bench: setup
	$(BIN)/python benchmarks/run.py --students 40 --quiz timeline
	$(BIN)/python benchmarks/run.py --students 100

# The local classroom (docs/deploy.md): JupyterHub, nbgrader's exchange, PostgreSQL, Unix accounts.
classroom-deps:
	@bash .ci/classroom-deps

classroom:
	@bash .ci/classroom-deps --install
	$(PYTHON) classroom/classroom.py start

classroom-stop:
	$(PYTHON) classroom/classroom.py stop

clean:
	rm -rf $(VENV) artifacts .pytest_cache .hypothesis
