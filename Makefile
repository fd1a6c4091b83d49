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

GO_TEST_FLAGS ?= -count=1

.PHONY: all
all: build

##@ General

.PHONY: help
help: ## Show the targets.
	@awk 'BEGIN {FS = ":.*##"; printf "Usage: make <target>\n"} /^[a-zA-Z_0-9-]+:.*?##/ { printf "  %-16s %s\n", $$1, $$2 } /^##@/ { printf "\n%s\n", substr($$0, 5) }' $(MAKEFILE_LIST)

##@ Development

.PHONY: run
run: build ## Run the manager against the current kubeconfig, or a local control plane when no cluster answers.
	go build -o $(LOCALBIN)/localcluster ./hack/localcluster
	$(LOCALBIN)/localcluster --manager $(LOCALBIN)/manager -- $(ARGS)

.PHONY: manifests
manifests: $(CONTROLLER_GEN) ## Generate the CRD and RBAC manifests.
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

.PHONY: verify
verify: manifests generate ## Fail when generated files or formatting are out of date.
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	@if [ -n "$$(git status --porcelain -- api config charts)" ]; then \
		echo "generated files are out of date or uncommitted; run 'make manifests generate' and commit:"; git status --short -- api config charts; exit 1; fi
	@hack/verify-rbac.sh config/rbac/role.yaml
	@hack/verify-chart.sh

##@ Test

.PHONY: test
test: verify vet ## Run the whole suite: verify, vet, unit and envtest tests, the whole-system test (test-e2e), then the real-node test (test-node).
	KUBEBUILDER_ASSETS="$(ENVTEST_ASSETS)" go test $(GO_TEST_FLAGS) $$(go list ./... | grep -v -e /test/e2e -e /test/node)
	$(MAKE) --no-print-directory test-e2e
	$(MAKE) --no-print-directory test-node

.PHONY: envtest
envtest: ## Provide the envtest binaries (download or build) and print their directory.
	@hack/setup-envtest.sh

.PHONY: bench
bench: bench-system ## Run the whole-system benchmark (bench-system, writes BENCHMARKS.md), then the Go benchmarks.
	KUBEBUILDER_ASSETS="$(ENVTEST_ASSETS)" go test -run '^$$' -bench . -benchmem ./...

##@ Build

.PHONY: build
build: ## Build the manager binary into bin/manager.
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o $(LOCALBIN)/manager .

.PHONY: docker-build
docker-build: ## Build the container image (needs a Docker engine).
	docker build --build-arg VERSION=$(VERSION) -t $(IMG) .

$(CONTROLLER_GEN):
	@mkdir -p $(LOCALBIN)
	GOBIN=$(LOCALBIN) go install sigs.k8s.io/controller-tools/cmd/controller-gen@$(CONTROLLER_TOOLS_VERSION)
	mv $(LOCALBIN)/controller-gen $(CONTROLLER_GEN)

# Feature areas add their targets in hack/make/*.mk.
include $(wildcard hack/make/*.mk)
