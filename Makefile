# padis_nb: two commands on a fresh machine
#   make demo   set up .venv and run the main job on the bundled defaults
#   make test   set up .venv and run every test (nbdev_test fast path + pytest)
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin

.PHONY: setup demo test test-slow lab site site-test clean-out

$(VENV)/.installed: settings.ini setup.py tools/install.sh
	bash tools/install.sh $(VENV)
	touch $@

setup: $(VENV)/.installed

demo: setup
	$(BIN)/padis demo --out out

# The tutorial site's browser test (tests/test_site.py, Selenium) uses Debian's chromium and chromium-driver:
# tools/install_chromium.sh installs them with apt-get where they are missing and apt-get can run, and never fails.
# PADIS_REQUIRE_BROWSER=1 (the browser test fails, instead of skipping, without them) is set only when both are there.
BROWSER_ENV = $$(command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && echo PADIS_REQUIRE_BROWSER=1)

# pytest runs the tests on both cores (pytest-xdist, one torch thread per worker, see tests/conftest.py), a test module
# at a time on a worker (--dist loadfile), so what a module builds once for its tests (the site, the installed wheel)
# is built once; pytest 9 ignores xdist_group marks (xdist 3.8 sets a node id attribute pytest 9 no longer reads).
# `make test PYTEST_WORKERS=0` runs them in one process. Tests marked slow (and notebook cells marked `#| slow`) run
# only in `make test-slow`.
PYTEST_WORKERS ?= 2
PYTEST = $(BIN)/python -m pytest tests -q -p no:cacheprovider -n $(PYTEST_WORKERS) --dist loadfile

test: setup
	bash tools/install_chromium.sh
	$(BIN)/nbdev_test --n_workers 2
	env $(BROWSER_ENV) $(PYTEST)

test-slow: setup
	bash tools/install_chromium.sh
	$(BIN)/nbdev_test --flags slow --n_workers 2
	env $(BROWSER_ENV) $(PYTEST) --runslow

lab: setup
	$(BIN)/jupyter lab nbs/index.ipynb

# The tutorial site without Quarto (nbdev_docs needs Quarto): _docs/index.html; `make site-test` checks it in Chromium
# and leaves screenshots of the index, the stitching page and the CT tutorial in out/site/.
site: setup
	$(BIN)/python tools/build_site.py

site-test: setup
	bash tools/install_chromium.sh
	env $(BROWSER_ENV) $(BIN)/python -m pytest tests -q -p no:cacheprovider -k site
