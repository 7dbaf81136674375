# The two commands of the README: `make test` and `make course`. Both set up .venv first.
SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Where `make course` writes; only a folder it made (marked by .resnet_nb_course) or an empty one is ever cleared.
RESNET_NB_COURSE_DIR ?= out
COURSE := $(RESNET_NB_COURSE_DIR)
STAMP  := $(VENV)/.installed-stamp

# Offline data: use ../shared/data (fastai's data-folder layout) when it is there and nothing else was chosen.
SHARED_DATA := $(abspath ../shared/data)
ifeq ($(origin RESNET_NB_DATA), undefined)
ifneq ($(wildcard $(SHARED_DATA)/.),)
export RESNET_NB_DATA := $(SHARED_DATA)
endif
endif
export PYTHONWARNINGS ?= ignore::FutureWarning

.PHONY: help venv test test-full course outputs lab sync readme check-sync docs docs-check browser-check clean

help:
	@echo "make test    set up $(VENV), check sync, run the notebooks' tests (nbdev_test)"
	@echo "make test-full  only the full-mode pass of make test (turned down, stand-in weights)"
	@echo "make course  set up $(VENV), run every lesson; executed notebooks, figures, metrics.csv in $(COURSE)/"
	@echo "make outputs make course, then copy the executed notebooks (with their outputs) back into nbs/ to commit"
	@echo "make lab     open the lessons in JupyterLab"
	@echo "make sync    nbdev_export + nbdev_clean + README.md from nbs/index.ipynb"
	@echo "make docs    the docs site: nbdev_docs with quarto; without it nbdev's processing + HTML pages in _docs/"

venv: $(STAMP)
$(STAMP): settings.ini setup.py pyproject.toml
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --no-compile -e '.[dev]'
	$(BIN)/python -m compileall -q -j 2 $$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))') >/dev/null || true  # pip compiles on one core
	touch $@

readme: $(STAMP)
	$(BIN)/jupyter nbconvert --log-level=WARN --to markdown nbs/index.ipynb --stdout > README.md

sync: $(STAMP)
	$(BIN)/nbdev_export
	$(BIN)/nbdev_clean
	$(MAKE) --no-print-directory readme

# Fails if nbdev_export, nbdev_clean or the README would change any file: commit their results first.
check-sync: $(STAMP)
	snap() { git diff --no-ext-diff; git status --porcelain --untracked-files=all; }
	before=$$(snap | md5sum)
	$(BIN)/nbdev_export
	$(BIN)/nbdev_clean
	$(BIN)/jupyter nbconvert --log-level=WARN --to markdown nbs/index.ipynb --stdout > README.md
	if [ "$$(snap | md5sum)" != "$$before" ]; then
	  echo "nbdev_export / nbdev_clean / README generation changed files: run 'make sync' and commit." >&2
	  git status --short >&2; exit 1
	fi
	echo "in sync: library, clean notebooks, README"

# nbdev executes every exported cell and every cell holding an import to render the docs: check that this works everywhere.
docs-check: $(STAMP)
	$(BIN)/python tools/docs.py --check

docs: $(STAMP)
	if command -v quarto >/dev/null; then $(BIN)/nbdev_docs; else $(BIN)/python tools/docs.py; fi

# The web app's test drives a real Chromium: find one before the tests start, or stop saying how to get one (never a silent skip).
browser-check: $(STAMP)
	$(BIN)/python -c "from resnet_nb.test_utils import find_chromium; print('browser for the web app test:', find_chromium())" || {
	  echo "make test needs a Chromium for the web app's browser test (see the message above)." >&2; exit 1; }

# Sample mode from random weights unless set otherwise: deterministic on every machine. Then the full-mode pass (test-full).
# Both passes' notebooks share one pool of two workers, longest first (tools/test_passes.py, nbdev's test_nb), one CPU
# thread and no DataLoader worker processes each: no oversubscription on 2 cores, and no core idle while a pass ends.
test: check-sync docs-check browser-check
	export RESNET_NB_MODE=$${RESNET_NB_MODE:-sample} RESNET_NB_PRETRAINED=$${RESNET_NB_PRETRAINED:-0}
	RESNET_NB_THREADS=$${RESNET_NB_THREADS:-1} $(BIN)/python tools/test_passes.py --workers 2

# The full-mode code path (ResNet-34, 224 px, pretrained with stand-in weights in a temporary TORCH_HOME, fine_tune, the
# #| slow cells) of every lesson whose code depends on the mode, turned down to 1 epoch and 4 images per class: the
# full-mode pass of `make test` alone (its settings and notebooks are in tools/test_passes.py).
test-full: $(STAMP)
	RESNET_NB_THREADS=$${RESNET_NB_THREADS:-1} $(BIN)/python tools/test_passes.py --workers 2 --only full

course: $(STAMP)
	if [ -e "$(COURSE)" ] && [ ! -e "$(COURSE)/.resnet_nb_course" ] && [ -n "$$(ls -A "$(COURSE)")" ]; then
	  echo "$(COURSE) exists, is not empty and was not made by 'make course': not clearing it. Choose another RESNET_NB_COURSE_DIR." >&2; exit 1
	fi
	rm -rf "$(COURSE)" && mkdir -p "$(COURSE)" && touch "$(COURSE)/.resnet_nb_course"
	export RESNET_NB_OUT=$(abspath $(COURSE))
	for nb in nbs/[0-9][0-9]*.ipynb; do
	  echo "== $$nb"; start=$$(date +%s)
	  $(BIN)/jupyter nbconvert --log-level=WARN --to notebook --execute --ExecutePreprocessor.timeout=-1 \
	    --output-dir "$(COURSE)" "$$nb"
	  $(BIN)/jupyter nbconvert --log-level=WARN --to markdown --output-dir "$(COURSE)" "$(COURSE)/$$(basename $$nb)"
	  echo "   done in $$(( $$(date +%s) - start )) s"
	done
	$(BIN)/python -c "from resnet_nb.core import collect_metrics; print(collect_metrics('$(COURSE)').to_string(index=False))"
	echo "Executed notebooks, figures (*_files/) and metrics.csv are in $(COURSE)/"

# The notebooks as they are committed: with the outputs of a `make course` run (figures, tables, training logs), as fastbook shows them.
outputs: course
	$(BIN)/python tools/merge_outputs.py "$(COURSE)" nbs
	$(BIN)/nbdev_clean
	echo "nbs/ now holds the outputs of this run: review, then commit"

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=nbs

clean:
	rm -rf _docs _proc build dist *.egg-info
	[ ! -e "$(COURSE)/.resnet_nb_course" ] || rm -rf "$(COURSE)"
