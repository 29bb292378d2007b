# `make run` and `make test` build .venv themselves on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py demo
	$(PY) -m daphne -b 127.0.0.1 -p 8000 config.asgi:application

test: $(STAMP) lint
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Both parts run whatever the first one finds; make fails if either missed a target.
bench: $(STAMP)
	$(PY) bench/exports_bench.py --write; exports=$$?; \
	$(PY) -m bench.run $(BENCH_ARGS) && exit $$exports

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
