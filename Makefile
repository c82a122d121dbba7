# `make demo` and `make test` install everything they need on a fresh Debian 12 (as root) with Python 3.11.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Chromium for pages that need JavaScript, LibreOffice to make and convert documents, CJK fonts so PDFs carry
# Chinese text, poppler for PDF rasterising; python3-venv because Debian's python3 ships without ensurepip;
# python3-uno so extraction drives LibreOffice through UNO (from the system python3, see crawler/extract/office.py).
APT_PACKAGES := chromium libreoffice-writer-nogui python3-uno fonts-noto-cjk poppler-utils python3-venv
ARCHIVE ?= archive
PORT ?= 8001

.PHONY: demo test install system-deps fixtures pages metadata lock clean-archive bench

# The replica is local: no throttling, and a short timeout for the server it plays as never answering.
# A spider that fails is shown in the summary; the demo still serves what the others found.
demo: install
	$(PY) -m crawler crawl --replica --archive $(ARCHIVE) -s AUTOTHROTTLE_ENABLED=0 -s DOWNLOAD_TIMEOUT=10 \
	  || echo "demo: some spiders reported failures (see the crawl summary above)"
	$(PY) -m crawler serve --archive $(ARCHIVE) --port $(PORT)

test: install
	$(PY) -m pytest

install: system-deps $(VENV)/.installed

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

# Regenerate the replica's report documents (committed under replica/documents/).
fixtures: install
	$(PY) -m replica.documents.build

# Regenerate the saved replica pages the spider tests read (tests/pages/, declared in tests/saved_pages.py);
# tests/test_saved_pages.py fails when they are not what the replica answers.
pages: install
	$(PY) -m tests.saved_pages

# Regenerate datasette_metadata.json (committed, what Datasette serves) from site/metadata.yaml and site/queries/*.sql;
# tests/test_publish.py fails when it is not what they generate.
metadata: install
	$(PY) -m crawler metadata

# Extraction speed per format, OCR per page, a 200-document batch on all cores; the whole replica crawled (reports
# per minute, requests per report); then a synthetic database of
# BENCH_REPORTS reports (about 20 minutes to build 100,000 on 2 cores) and the median time of searches and canned
# queries through Datasette. Each writes its section of BENCHMARKS.md.
BENCH_REPORTS ?= 100000
bench: install
	$(PY) -m bench.extraction
	$(PY) -m bench.crawl
	$(PY) -m bench.publishing --reports $(BENCH_REPORTS)

# Re-pin requirements.txt from requirements.in.
lock:
	rm -rf /tmp/lock-venv && $(PYTHON) -m venv /tmp/lock-venv
	/tmp/lock-venv/bin/pip install -q -r requirements.in
	(echo "# Pinned from requirements.in by \`make lock\`; install with \`pip install -r requirements.txt\`."; \
	 /tmp/lock-venv/bin/pip freeze) > requirements.txt

clean-archive:
	rm -rf $(ARCHIVE)/objects $(ARCHIVE)/records $(ARCHIVE)/reports.db* $(ARCHIVE)/published.db
