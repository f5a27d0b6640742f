# Two entry points that work on a fresh machine with only Python and git:
#   make demo   sets up .venv and opens the TUI on the bundled snapshot
#   make test   sets up .venv and runs the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test setup clean

# The editable install in compat mode is a plain path entry in site-packages; the
# default one adds an import hook that every Python process of the venv pays ~15 ms to
# load. Where setuptools no longer offers compat, the default is used.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]' --config-settings editable_mode=compat \
		|| $(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/jit-tracker tui

test: $(STAMP)
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) build *.egg-info
