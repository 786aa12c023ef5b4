# `sam build` runs build-PortfolioFunction (template.yaml: BuildMethod makefile) with
# ARTIFACTS_DIR set to the function's artefact directory.
#
# Dependencies come from uv.lock, installed as arm64 wheels for Python 3.13 whatever the build
# host is. The Lambda runtime already ships boto3/botocore, so they and the packages only they
# need stay out of the zip. The project goes in as a wheel so that its version metadata
# (reported by /health) travels with it. Console scripts, man pages and uv's lock file are
# of no use inside the function and are removed.

LAMBDA_PYTHON := 3.13
LAMBDA_PLATFORM := aarch64-manylinux_2_34
RUNTIME_PROVIDED := boto3 botocore s3transfer jmespath python-dateutil urllib3
# fpdf2 imports Pillow only to embed raster images, and our PDFs have none (13 MB unzipped;
# tests/resume/test_pdf_without_pillow.py renders a resume with Pillow unimportable).
UNUSED := pillow
BUILD_TMP := $(ARTIFACTS_DIR)/.build
# Lambda's filesystem is read-only, so modules without a .pyc for the runtime's Python are
# compiled from source at every cold start (about 2.5x slower: benchmarks/cold_start.py).
# An interpreter of the runtime's version compiles them here; unchecked-hash .pyc files stay
# valid after SAM zips the tree with new timestamps.
PYTHON_FOR_PYC ?= $(shell uv python find $(LAMBDA_PYTHON) 2>/dev/null)

.PHONY: build-PortfolioFunction
build-PortfolioFunction:
	rm -rf $(BUILD_TMP)
	mkdir -p $(BUILD_TMP)
	uv export --quiet --frozen --no-dev --no-emit-project --no-hashes --no-header --no-annotate \
		--format requirements.txt $(addprefix --no-emit-package ,$(RUNTIME_PROVIDED) $(UNUSED)) \
		--output-file $(BUILD_TMP)/requirements.txt
	uv build --wheel --quiet --out-dir $(BUILD_TMP)
	uv pip install --quiet --no-deps --only-binary :all: \
		--python-version $(LAMBDA_PYTHON) --python-platform $(LAMBDA_PLATFORM) \
		--target $(ARTIFACTS_DIR) -r $(BUILD_TMP)/requirements.txt $(BUILD_TMP)/*.whl
	rm -rf $(BUILD_TMP) $(ARTIFACTS_DIR)/bin $(ARTIFACTS_DIR)/share $(ARTIFACTS_DIR)/.lock
ifeq ($(strip $(PYTHON_FOR_PYC)),)
	$(error No Python $(LAMBDA_PYTHON) found to compile .pyc for the runtime: `uv python install $(LAMBDA_PYTHON)`, or set PYTHON_FOR_PYC)
else
	$(PYTHON_FOR_PYC) -m compileall -q -j 0 --invalidation-mode unchecked-hash $(ARTIFACTS_DIR)
endif
