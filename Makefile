# ddns-operator: the two commands a newcomer needs are `make run` and `make test`.

SHELL := /usr/bin/env bash -o pipefail
.SHELLFLAGS := -ec

IMG ?= ghcr.io/ddns-operator/ddns-operator:dev
PLATFORMS ?= linux/amd64,linux/arm64,linux/arm/v7
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

LOCALBIN := $(CURDIR)/bin
CONTROLLER_TOOLS_VERSION ?= v0.23.0
CONTROLLER_GEN := $(LOCALBIN)/controller-gen-$(CONTROLLER_TOOLS_VERSION)

# kube-apiserver, etcd and kubectl for tests, cached outside the clone.
ENVTEST_ASSETS = $(shell hack/setup-envtest.sh)
# promtool for the alert rule tests, built once and cached the same way.
PROMTOOL_BIN = $(shell hack/setup-promtool.sh)

GO_TEST_FLAGS ?= -count=1
# Each test binary's limit. Sized for a fresh machine: empty Go caches on 2
# shared cores, where a package's tests also wait for the other packages'
# compiles and build the manager themselves. Measured there, the slowest
# (test/chart, test/firststeps) took 9 minutes; warm, about 2.
GO_TEST_TIMEOUT ?= 30m

# Where the first build puts every compiled dependency, for the progress lines.
GOCACHE_DIR = $(shell go env GOCACHE)

.PHONY: all
all: build

##@ General

.PHONY: help
help: ## Show the targets.
	@awk 'BEGIN {FS = ":.*##"; printf "Usage: make <target>\n"} /^[a-zA-Z_0-9-]+:.*?##/ { printf "  %-16s %s\n", $$1, $$2 } /^##@/ { printf "\n%s\n", substr($$0, 5) }' $(MAKEFILE_LIST)

##@ Development

.PHONY: run
# The launcher is built with the manager's flags (-trimpath, no cgo) so that it
# reuses the dependencies the manager build just compiled.
run: build ## Run the manager against the current kubeconfig, or a local control plane (with BIND 9 and a sample) when no cluster answers.
	@hack/step.sh "Building make run's launcher into $(LOCALBIN)/localcluster" "seconds once the manager is built" -- \
		env CGO_ENABLED=0 go build -trimpath -o $(LOCALBIN)/localcluster ./hack/localcluster
	@$(LOCALBIN)/localcluster --manager $(LOCALBIN)/manager \
		--kubeconfig-out $(LOCALBIN)/local-kubeconfig --sample-out $(LOCALBIN)/local-sample.yaml -- $(ARGS)

.PHONY: manifests
manifests: $(CONTROLLER_GEN) ## Generate the CRD and RBAC manifests, and what the API and README derive from the provider registry.
	go run ./hack/genproviders
	$(CONTROLLER_GEN) crd paths=./api/... output:crd:artifacts:config=config/crd/bases
	$(CONTROLLER_GEN) rbac:roleName=ddns-operator paths=./controllers/... output:rbac:artifacts:config=config/rbac
	@mkdir -p charts/ddns-operator/crds && cp config/crd/bases/*.yaml charts/ddns-operator/crds/

.PHONY: generate
generate: $(CONTROLLER_GEN) ## Generate deepcopy code.
	$(CONTROLLER_GEN) object:headerFile=hack/boilerplate.go.txt paths=./api/...

.PHONY: fmt
fmt: ## Format the code.
	gofmt -w $$(git ls-files '*.go')

.PHONY: vet
vet: ## Run go vet.
	go vet ./...

GOLANGCI_LINT_VERSION ?= v2.15.0
GOLANGCI_LINT := $(HOME)/.cache/ddns-operator/golangci-lint/$(GOLANGCI_LINT_VERSION)/golangci-lint

.PHONY: lint
lint: $(GOLANGCI_LINT) ## Run golangci-lint with .golangci.yml (built from the Go module proxy once, cached by version).
	$(GOLANGCI_LINT) run ./...

$(GOLANGCI_LINT):
	@mkdir -p $(dir $(GOLANGCI_LINT))
	@echo "building golangci-lint $(GOLANGCI_LINT_VERSION) into $(dir $(GOLANGCI_LINT)) (once; a few minutes cold)"
	GOBIN=$(dir $(GOLANGCI_LINT)) go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)

.PHONY: verify
verify: manifests generate ## Fail when generated files or formatting are out of date, or golangci-lint finds a fault (make lint).
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	@if [ -n "$$(git status --porcelain -- api config charts README.md)" ]; then \
		echo "generated files are out of date or uncommitted; run 'make manifests generate' and commit:"; git status --short -- api config charts README.md; exit 1; fi
	@hack/verify-rbac.sh config/rbac/role.yaml
	@hack/verify-chart.sh
	@$(MAKE) --no-print-directory lint

##@ Test

.PHONY: test
test: verify vet ## Run the whole suite: verify, vet, unit and envtest tests, the whole-system test (test-e2e), then the real-node test (test-node).
	KUBEBUILDER_ASSETS="$(ENVTEST_ASSETS)" PROMTOOL="$(PROMTOOL_BIN)" go test $(GO_TEST_FLAGS) -timeout $(GO_TEST_TIMEOUT) $$(go list ./... | grep -v -e /test/e2e -e /test/node)
	$(MAKE) --no-print-directory test-e2e
	$(MAKE) --no-print-directory test-node

.PHONY: test-unit
test-unit: ## The inner loop: every test that needs no API server and no BIND (go test -short), in well under a minute warm.
	go test -short $(GO_TEST_FLAGS) -timeout 10m . ./api/... ./controllers/... ./internal/... ./providers/... ./hack/genproviders/...

.PHONY: envtest
envtest: ## Provide the envtest binaries (download or build) and print their directory.
	@hack/setup-envtest.sh

.PHONY: bench
bench: bench-system ## Run the whole-system benchmark (bench-system, writes BENCHMARKS.md), then the Go benchmarks.
	KUBEBUILDER_ASSETS="$(ENVTEST_ASSETS)" go test -run '^$$' -bench . -benchmem ./...

##@ Build

.PHONY: build
build: ## Build the manager binary into bin/manager.
	@hack/step.sh "Building the manager into $(LOCALBIN)/manager" \
		"the first build compiles every dependency once, into the Go build cache $(GOCACHE_DIR): about 2 minutes on 2 cores with an empty module cache too, more on a busy machine; later builds take seconds" -- \
		env CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o $(LOCALBIN)/manager .

.PHONY: docker-build
docker-build: ## Build the container image (needs a Docker engine).
	docker build --build-arg VERSION=$(VERSION) -t $(IMG) .

$(CONTROLLER_GEN):
	@mkdir -p $(LOCALBIN)
	GOBIN=$(LOCALBIN) go install sigs.k8s.io/controller-tools/cmd/controller-gen@$(CONTROLLER_TOOLS_VERSION)
	mv $(LOCALBIN)/controller-gen $(CONTROLLER_GEN)

# Feature areas add their targets in hack/make/*.mk.
include $(wildcard hack/make/*.mk)
