# Ponder's set-up, build and test entry points. `make demo` and `make test` are the README's
# two Quickstart commands; each installs the system libraries it needs only when missing.

SWIFT      ?= swift
APT_PKGS   := libopenblas-dev libgsl-dev libsqlite3-dev pkg-config
# Only `make test` needs these: headless Chromium renders report.html (ReportBrowserTests).
TEST_APT_PKGS := chromium
SUDO       := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
PONDER     := .build/release/ponder
DEMO_MODEL := Tests/Fixtures/models/qwen2-gqa-bias
QUICKSTART := experiments/quickstart.yaml

.PHONY: deps test-deps build test test-slurm demo generate-demo clean

# Installs the Debian packages in $(1) that are missing.
define apt_install_missing
	@missing=""; \
	for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "ponder: installing system packages:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
endef

## Install the Debian packages Ponder links against, only those that are missing.
deps:
	$(call apt_install_missing,$(APT_PKGS))

## Install what the test suite needs beyond the build, only what is missing.
test-deps:
	$(call apt_install_missing,$(TEST_APT_PKGS))

build: deps
	$(SWIFT) build -c release --product ponder

## Run the whole test suite (what CI runs).
test: deps test-deps
	$(SWIFT) test --disable-swift-testing

## Not part of `test`: experiments/slurm/sweep.sbatch as a real job array on a localhost Slurm
## (installs slurm-wlm and munge when missing, starts and stops their daemons; README "Slurm").
test-slurm: deps build
	PONDER=$(PONDER) experiments/slurm/test-slurm.sh

## Ponder's main job: the quickstart experiment (every strategy at three budgets on a slice of
## Countdown with models/countdown-tiny), then where its report is. The run's stdout ends with
## the run folder; progress goes to stderr.
demo: build
	@out=$$($(PONDER) run $(QUICKSTART)) || exit $$?; \
	printf '%s\n' "$$out"; \
	folder=$$(printf '%s\n' "$$out" | tail -n 1); \
	echo "ponder: report at $$folder/report.html (also $$folder/report.md and $$folder/curves.csv)"

## The engine alone on a committed fixture checkpoint (random weights: the text is noise, the
## point is the whole path from tokenizer to sampled tokens).
generate-demo: build
	$(PONDER) inspect $(DEMO_MODEL)
	$(PONDER) generate --model $(DEMO_MODEL) --prompt "Ponder: sample more, or search?" --max-new-tokens 32 --temperature 0.8 --seed 1

clean:
	rm -rf .build
