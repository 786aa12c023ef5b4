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
BUILD_TMP := $(ARTIFACTS_DIR)/.build

.PHONY: build-PortfolioFunction
build-PortfolioFunction:
	rm -rf $(BUILD_TMP)
	mkdir -p $(BUILD_TMP)
	uv export --quiet --frozen --no-dev --no-emit-project --no-hashes --no-header --no-annotate \
		--format requirements.txt $(addprefix --no-emit-package ,$(RUNTIME_PROVIDED)) \
		--output-file $(BUILD_TMP)/requirements.txt
	uv build --wheel --quiet --out-dir $(BUILD_TMP)
	uv pip install --quiet --no-deps --only-binary :all: \
		--python-version $(LAMBDA_PYTHON) --python-platform $(LAMBDA_PLATFORM) \
		--target $(ARTIFACTS_DIR) -r $(BUILD_TMP)/requirements.txt $(BUILD_TMP)/*.whl
	rm -rf $(BUILD_TMP) $(ARTIFACTS_DIR)/bin $(ARTIFACTS_DIR)/share $(ARTIFACTS_DIR)/.lock
