# padis_nb: two commands on a fresh machine
#   make demo   set up .venv and run the main job on the bundled defaults
#   make test   set up .venv and run every test (nbdev_test fast path + pytest)
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin

.PHONY: setup demo test test-slow lab site clean-out

$(VENV)/.installed: settings.ini setup.py tools/install.sh
	bash tools/install.sh $(VENV)
	touch $@

setup: $(VENV)/.installed

demo: setup
	$(BIN)/padis demo --out out

test: setup
	$(BIN)/nbdev_test --n_workers 2
	$(BIN)/python -m pytest tests -q -p no:cacheprovider

test-slow: setup
	$(BIN)/nbdev_test --flags slow --n_workers 2
	$(BIN)/python -m pytest tests -q -m "slow or not slow" --runslow

lab: setup
	$(BIN)/jupyter lab nbs/index.ipynb

site: setup
	$(BIN)/python tools/build_site.py
