# The two commands of the README: `make test` and `make course`. Both set up .venv first.
# `make help` lists every target with the `##` comment above it.
ifeq ($(filter oneshell,$(.FEATURES)),)
$(error This Makefile needs GNU make 3.82 or later (macOS ships 3.81): run `brew install make`, then use `gmake` instead of `make`)
endif
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
REPRODUCE_ARGS ?= --seeds 42 43 44 --out reproduce

# Offline data: use ../shared/data (fastai's data-folder layout) when it is there and nothing else was chosen.
SHARED_DATA := $(abspath ../shared/data)
ifeq ($(origin RESNET_NB_DATA), undefined)
ifneq ($(wildcard $(SHARED_DATA)/.),)
export RESNET_NB_DATA := $(SHARED_DATA)
endif
endif
export PYTHONWARNINGS ?= ignore::FutureWarning

.PHONY: help venv data bump test test-full course outputs reproduce lab sync readme check-sync docs docs-check browser clean

## This list (every target, with the comment above it)
help:
	@awk '/^## /{doc=substr($$0, 4); next} /^#/{next} /^[a-z][a-z-]*:/{if (doc) printf "make %-11s %s\n", substr($$1, 1, length($$1)-1), doc} {doc=""}' $(MAKEFILE_LIST)

## Set up .venv with the package, its extras and the pinned stack (once; again when settings.ini or setup.py change)
venv: $(STAMP)
$(STAMP): settings.ini setup.py pyproject.toml constraints.txt
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --no-compile -c constraints.txt -e '.[dev]'
	$(BIN)/python -m compileall -q -j 2 $$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))') >/dev/null || true  # pip compiles on one core; and where PYTHONDONTWRITEBYTECODE is set nothing would be compiled once for all processes
	touch $@

## README.md from nbs/index.ipynb
readme: $(STAMP)
	$(BIN)/jupyter nbconvert --log-level=WARN --to markdown nbs/index.ipynb --stdout > README.md

## nbdev_export + nbdev_clean + README.md: run before committing a notebook
## nbdev_export + nbdev_clean + README.md: run before committing a notebook
sync: $(STAMP)
	$(BIN)/nbdev_export
	$(BIN)/nbdev_clean
	$(MAKE) --no-print-directory readme

## Fail if nbdev_export, nbdev_clean or the README would change any file (commit their results first)
check-sync: $(STAMP)
	snap() { git diff --no-ext-diff; git status --porcelain --untracked-files=all; }
	before=$$(snap | cksum)
	$(BIN)/nbdev_export
	$(BIN)/nbdev_clean
	$(BIN)/jupyter nbconvert --log-level=WARN --to markdown nbs/index.ipynb --stdout > README.md
	if [ "$$(snap | cksum)" != "$$before" ]; then
	  echo "nbdev_export / nbdev_clean / README generation changed files: run 'make sync' and commit." >&2
	  git status --short >&2; exit 1
	fi
	echo "in sync: library, clean notebooks, README"

## Check that nbdev can process every notebook for the docs (it executes every exported cell and every import)
docs-check: $(STAMP)
	$(BIN)/python tools/docs.py --check

## The docs site: nbdev_docs with quarto; without it nbdev's processing + HTML pages in _docs/
docs: $(STAMP)
	if command -v quarto >/dev/null; then $(BIN)/nbdev_docs; else $(BIN)/python tools/docs.py; fi

## A Chromium for the web app's browser test: found, or got (Playwright's download; as root on Debian/Ubuntu, apt-get)
browser: $(STAMP)
	$(BIN)/python -c "from resnet_nb.test_utils import get_chromium; print('browser for the web app test:', get_chromium())" || {
	  echo "make test needs a Chromium for the web app's browser test (see the message above)." >&2; exit 1; }

## Find or download every dataset the course reads, once (RESNET_NB_DATA: read in place; RESNET_NB_MIRROR: download from there)
data: $(STAMP)
	$(BIN)/python -c "from resnet_nb.core import fetch_datasets; [print(f'dataset {k}: {v}') for k,v in fetch_datasets().items()]"

## Set up everything (venv, browser, datasets), check sync, then run every notebook's tests in both passes and check the docs
# Sample mode from random weights unless set otherwise: no network or GPU needed, the same run on every machine. Then the full-mode pass (test-full).
# Both passes' notebooks share one pool of one worker per core, longest first (tools/test_passes.py, nbdev's test_nb), one
# CPU thread and no DataLoader worker processes each: no oversubscription, and no core idle while a pass ends.
test: check-sync browser data
	export RESNET_NB_MODE=$${RESNET_NB_MODE:-sample} RESNET_NB_PRETRAINED=$${RESNET_NB_PRETRAINED:-0}
	$(BIN)/python tools/docs.py --check > $(VENV)/docs-check.log 2>&1 & docs=$$!  # make docs-check, beside the notebook runs: it mostly waits
	RESNET_NB_THREADS=$${RESNET_NB_THREADS:-1} $(BIN)/python tools/test_passes.py || { wait $$docs; exit 1; }
	wait $$docs || { cat $(VENV)/docs-check.log >&2; echo "make docs-check failed (above)" >&2; exit 1; }
	tail -n 1 $(VENV)/docs-check.log

## Only the full-mode pass of make test (ResNet-34, stand-in ImageNet weights, slow cells; turned down to 1 epoch, 4 per class, 64 px)
# The full-mode code path (pretrained with stand-in weights in a temporary TORCH_HOME, fine_tune, the #| slow cells) of
# every lesson whose code depends on the mode, turned down to 1 epoch, 4 images per class and 64 px (tools/test_passes.py).
test-full: data
	RESNET_NB_THREADS=$${RESNET_NB_THREADS:-1} $(BIN)/python tools/test_passes.py --only full

## Run every lesson; executed notebooks, figures and metrics.csv in out/ (RESNET_NB_COURSE_DIR)
course: data
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

## make course, then merge its outputs into nbs/ (the notebooks as committed, with figures and logs, as fastbook shows them)
outputs: course
	$(BIN)/python tools/merge_outputs.py "$(COURSE)" nbs
	$(BIN)/nbdev_clean
	echo "nbs/ now holds the outputs of this run: review, then commit"

## Bump the version (settings.ini and resnet_nb/__init__.py; PART=0 major, 1 minor, 2 patch): then a CHANGELOG entry, commit, tag v<version>
bump: $(STAMP)
	$(BIN)/nbdev_bump_version --part $${PART:-2}

## fastbook's headline experiments at the book's settings, 3 seeds (a GPU and a network): table and plot in reproduce/ (REPRODUCE_ARGS)
# It checks the GPU, the weights and the datasets itself, at once, and downloads only what it uses (not `make data`'s four sets).
reproduce: $(STAMP)
	$(BIN)/resnet_nb_reproduce $(REPRODUCE_ARGS)

## Open the lessons in JupyterLab
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=nbs

## Remove built docs, packages and the course folder (only one make course made)
clean:
	rm -rf _docs _proc build dist *.egg-info
	[ ! -e "$(COURSE)/.resnet_nb_course" ] || rm -rf "$(COURSE)"
