##@ Packaging

# Where build-all writes manager-<os>-<arch>[-<variant>] binaries.
BUILD_DIR ?= $(LOCALBIN)/release
HELM_VERSION ?= v3.22.0
HELM := $(HOME)/.cache/ddns-operator/helm/$(HELM_VERSION)/helm
# The image's platforms plus workstation builds, for running the manager
# against a cluster from a laptop (README: "Running outside the cluster").
BUILD_ALL_PLATFORMS ?= $(PLATFORMS),windows/amd64,darwin/arm64

.PHONY: build-all
build-all: ## Cross-compile static manager binaries for linux/amd64, linux/arm64, linux/arm/v7, windows/amd64 and darwin/arm64 into bin/release/.
	@mkdir -p $(BUILD_DIR)
	@for p in $$(echo "$(BUILD_ALL_PLATFORMS)" | tr ',' ' '); do \
		os=$${p%%/*}; rest=$${p#*/}; arch=$${rest%%/*}; variant=; \
		case "$$rest" in */*) variant=$${rest#*/};; esac; \
		out=$(BUILD_DIR)/manager-$$os-$$arch$${variant:+-$$variant}; \
		if [ "$$os" = windows ]; then out=$$out.exe; fi; \
		echo "go build $$p -> $$out"; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch GOARM=$${variant#v} \
			go build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o $$out . || exit 1; \
	done

.PHONY: test-build-all
test-build-all: build-all ## Cross-compile for every platform of PLATFORMS (build-all) and check each binary: static, its architecture, trimpath.
	BUILD_ALL_DIR=$(BUILD_DIR) PLATFORMS=$(PLATFORMS) go test $(GO_TEST_FLAGS) -timeout $(GO_TEST_TIMEOUT) -run '^TestBuildAll$$' ./test/chart/

.PHONY: docker-buildx
docker-buildx: ## Build and push the multi-arch image for $(PLATFORMS) (needs Docker with buildx).
	docker buildx build --platform=$(PLATFORMS) --build-arg VERSION=$(VERSION) -t $(IMG) --push .

.PHONY: chart-test
chart-test: ## Lint, render, schema-check and dry-run the Helm chart, and run the manager under its RBAC.
	KUBEBUILDER_ASSETS="$(ENVTEST_ASSETS)" go test $(GO_TEST_FLAGS) -timeout $(GO_TEST_TIMEOUT) ./test/chart/...

.PHONY: helm
helm: $(HELM) ## Build the helm CLI (cached under ~/.cache/ddns-operator) and print its path.
	@echo $(HELM)

$(HELM):
	@mkdir -p $(dir $(HELM))
	GOBIN=$(dir $(HELM)) go install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)

.PHONY: helm-package
helm-package: $(HELM) ## Package the chart into bin/release/ (ddns-operator-<version>.tgz).
	@mkdir -p $(BUILD_DIR)
	$(HELM) package charts/ddns-operator -d $(BUILD_DIR)
