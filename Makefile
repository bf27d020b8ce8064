# The two commands of the README: `make demo` and `make test`. Each builds its own virtual environment.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint bench system-deps aws-cli-v2 clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[sandbox,keychain,test]'
	touch $@

# Debian packages the tests drive for real: chromium (browser logins), tmux, zsh and fish (shell integration).
system-deps:
	./scripts/install-system-deps.sh

# The official AWS CLI v2 (pinned, checksum checked) in .tools/ for the fidelity tests; never a system `aws`.
aws-cli-v2:
	./scripts/install-aws-cli-v2.sh

demo: $(BIN)/.installed
	$(BIN)/awsprof sandbox demo

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: $(BIN)/.installed system-deps aws-cli-v2 lint
	$(BIN)/pytest

bench: $(BIN)/.installed
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache
