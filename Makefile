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
	@echo "make lab        set up .venv and open JupyterLab on the lessons"
	@echo "make book       build the static course book into build/book (open build/book/index.html)"
	@echo "make test       set up .venv and run every test"
	@echo "make test-fast  the tests that run in seconds (-m 'not slow')"
	@echo "make lint       ruff check and ruff format --check on the whole tree"
	@echo "make check      validate the seeds and the knowledge base"
	@echo "make bench      run the benchmarks (not part of the tests)"
	@echo "make classroom  a local JupyterHub classroom on 127.0.0.1 (root; Ctrl-C or make classroom-stop)"

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "homs needs Python >= 3.10; set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test,book]'
	touch $@

setup: $(VENV)/.installed

system-deps:
	@APT_PACKAGES="$(APT_PACKAGES)" bash .ci/system-deps

# Opens the lessons' index (lessons/README.md) as rendered Markdown; the server root is the
# repository so nbgrader's course (quizzes/) sits inside it.
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json

$(LAB_SETTINGS): | $(VENV)/.installed
	@mkdir -p $(dir $@)
	@echo '{"@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"markdown": "Markdown Preview"}}}' > $@

lab: setup $(LAB_SETTINGS)
	$(BIN)/jupyter lab $(LAB_FLAGS) --ServerApp.root_dir=$(CURDIR) lessons/README.md

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
