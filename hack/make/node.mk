##@ Real node

# The real-node test builds its image with `make image` for this machine's
# architecture, starts a single-node Kubernetes (hack/setup-node.sh) and
# installs the chart with the helm CLI; see test/node.
NODE_TEST_TIMEOUT ?= 45m

.PHONY: node-binaries
node-binaries: ## Build (once, cached by version) kubelet, kube-controller-manager, kube-scheduler, kube-proxy and containerd; print their directory.
	@hack/setup-node.sh

# The helm CLI comes from `make helm` (hack/make/packaging.mk, read after
# this file, so it is called rather than named as a prerequisite).
NODE_TEST_ENV = NODE_BIN="$$(hack/setup-node.sh)" KUBEBUILDER_ASSETS="$(ENVTEST_ASSETS)" \
	NODE_HELM="$$($(MAKE) --no-print-directory -s helm | tail -n1)"

.PHONY: test-node
test-node: ## Run the real-node test: image, single-node Kubernetes, helm install/upgrade/uninstall, operations.
	$(NODE_TEST_ENV) go test $(GO_TEST_FLAGS) -v -timeout $(NODE_TEST_TIMEOUT) ./test/node/...

.PHONY: bench-node
bench-node: ## Run the real-node test and write the pod's memory (idle, 101 records, hostNetwork) into BENCHMARKS.md.
	$(NODE_TEST_ENV) NODE_BENCH_OUT=$(CURDIR)/BENCHMARKS.md go test $(GO_TEST_FLAGS) -v -timeout $(NODE_TEST_TIMEOUT) ./test/node/...
