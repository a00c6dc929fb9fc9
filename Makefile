# kupgrade-lint — developer entry points. `make help` lists them.
GO        ?= go
BIN       ?= bin/kupgrade-lint
# A release tag (v1.2.3) when there is one, else a semantic pre-release
# version: SARIF consumers want driver.version to be semver.
VERSION   ?= $(shell git describe --tags --match 'v[0-9]*' 2>/dev/null || echo 0.0.0-dev+$$(git rev-parse --short HEAD 2>/dev/null || echo unknown))
# The commit and its date (not the wall clock, so builds are reproducible);
# `version` falls back to Go's VCS stamps when these are empty.
COMMIT    ?= $(shell git rev-parse HEAD 2>/dev/null)
DATE      ?= $(shell git log -1 --format=%cI 2>/dev/null)
LDFLAGS   := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(DATE)
GOLANGCI_LINT_VERSION ?= v2.15.0
GOBIN_DIR := $(shell $(GO) env GOPATH)/bin

.PHONY: bench-monorepo bench-corpus fuzz generate-lifecycle generate-schemas generate-addons generate-addon-apis help build test test-race test-consumers lint bench generate scan-example docs check-generated clean

help: ## show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

build: ## build bin/kupgrade-lint
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/kupgrade-lint

test: ## run the test suite (offline)
	$(GO) test ./...

test-race: ## run the tests with the race detector
	$(GO) test -race ./...

test-consumers: build ## validate reports with real consumers (SARIF multitool, xmllint, pre-commit, actionlint)
	./scripts/test-consumers.sh

lint: ## gofmt, go vet and golangci-lint
	@test -z "$$(gofmt -l . | tee /dev/stderr)" || (echo "gofmt needed" && exit 1)
	$(GO) vet ./...
	@test -x $(GOBIN_DIR)/golangci-lint || $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	$(GOBIN_DIR)/golangci-lint run ./...

fuzz: ## fuzz the decoder, the Helm field locator and action rewrite, the Kustomize path and config loading (60 s each)
	$(GO) test ./pkg/render/decode -run '^$$' -fuzz FuzzDecodeBytes -fuzztime 60s
	$(GO) test ./pkg/render/helm -run '^$$' -fuzz FuzzTemplateLocator -fuzztime 60s
	$(GO) test ./pkg/render -run '^$$' -fuzz FuzzKustomization -fuzztime 60s
	$(GO) test ./pkg/config -run '^$$' -fuzz FuzzLoad -fuzztime 60s
	$(GO) test ./pkg/render/helm -run '^$$' -fuzz FuzzRewriteActions -fuzztime 60s

bench: ## run the Go benchmarks (see docs/benchmarks.md)
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x ./...

MONOREPO ?= /tmp/kupgrade-lint-monorepo
# KUBECONFORM (a kubeconform binary) and KUBECONFORM_SCHEMAS (written by
# TestWriteKubeconformSchemas) add kubeconform's runs, alternating with ours.
KUBECONFORM ?=
KUBECONFORM_SCHEMAS ?= /tmp/kupgrade-lint-kubeconform-schemas

bench-monorepo: build ## wall, CPU and peak RSS of a scan of the generated 100,000-object monorepo, with KUBECONFORM=path side by side with kubeconform (docs/benchmarks.md)
	rm -rf $(MONOREPO) && $(GO) run ./internal/gen/monorepo -out $(MONOREPO) -objects 100000
	if [ -n "$(KUBECONFORM)" ]; then mkdir -p $(KUBECONFORM_SCHEMAS) && KUPGRADE_KUBECONFORM_DIR=$(KUBECONFORM_SCHEMAS) $(GO) test ./pkg/schema -run TestWriteKubeconformSchemas -count=1 >/dev/null; fi
	for i in 1 2 3; do \
		if [ -n "$(KUBECONFORM)" ]; then /usr/bin/time -f 'kubeconform: %e s wall, %U s user, %S s system, %M KB peak RSS' $(KUBECONFORM) -strict -ignore-missing-schemas -kubernetes-version 1.33.0 \
			-schema-location '$(KUBECONFORM_SCHEMAS)/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json' -summary $(MONOREPO) >/dev/null; fi; \
		/usr/bin/time -f 'kupgrade-lint: %e s wall, %U s user, %S s system, %M KB peak RSS' $(BIN) scan $(MONOREPO) --target-version 1.33 --fail-on none -q --format json=/dev/null; \
	done

bench-corpus: build ## wall, CPU and peak RSS of a scan of ../shared/corpus, three runs (docs/benchmarks.md)
	for i in 1 2 3; do /usr/bin/time -f '%e s wall, %U s user, %M KB peak RSS (scanning process)' $(BIN) scan ../shared/corpus --target-version 1.33 --fail-on none -q --format json=/dev/null; done

generate: generate-lifecycle generate-schemas generate-addons generate-addon-apis ## regenerate all embedded data from upstream (needs the Go module proxy)

generate-lifecycle: ## API lifecycle database (pkg/kubeversion/data)
	$(GO) run ./internal/gen/lifecycle

generate-schemas: ## OpenAPI definitions per minor (pkg/schema/data)
	$(GO) run ./internal/gen/schemas

generate-addons: ## generated addon matrices (pkg/addons/data)
	$(GO) run ./internal/gen/addons -out pkg/addons/data

generate-addon-apis: ## addon CRD versions and schemas per release (pkg/addonapis/data)
	$(GO) run ./internal/gen/addonapis -out pkg/addonapis/data

docs: ## regenerate docs/rules/*.md from rule metadata
	$(GO) test ./rules -run TestDocsUpToDate -update

scan-example: build ## a real scan of the bundled fixtures
	./$(BIN) scan testdata/manifests --target-version 1.33 || true

clean:
	rm -rf bin
