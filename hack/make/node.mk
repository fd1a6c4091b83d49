##@ Real node

# The real-node test builds its image with `make image` for this machine's
# architecture, starts a single-node Kubernetes (hack/setup-node.sh) and
# installs the chart with the helm CLI; see test/node.
NODE_TEST_TIMEOUT ?= 45m

.PHONY: node-binaries
node-binaries: ## Build (once, cached by version) kubelet, kube-controller-manager, kube-scheduler, kube-proxy and containerd; print their directory.
	@hack/setup-node.sh

.PHONY: test-node
test-node: $(HELM) ## Run the real-node test: image, single-node Kubernetes, helm install/upgrade/uninstall, operations.
	NODE_BIN="$$(hack/setup-node.sh)" KUBEBUILDER_ASSETS="$(ENVTEST_ASSETS)" NODE_HELM=$(HELM) \
		go test $(GO_TEST_FLAGS) -v -timeout $(NODE_TEST_TIMEOUT) ./test/node/...

.PHONY: bench-node
bench-node: $(HELM) ## Run the real-node test and write the pod's memory (idle, 101 records, hostNetwork) into BENCHMARKS.md.
	NODE_BENCH_OUT=$(CURDIR)/BENCHMARKS.md NODE_BIN="$$(hack/setup-node.sh)" KUBEBUILDER_ASSETS="$(ENVTEST_ASSETS)" NODE_HELM=$(HELM) \
		go test $(GO_TEST_FLAGS) -v -timeout $(NODE_TEST_TIMEOUT) ./test/node/...
