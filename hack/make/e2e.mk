##@ End to end

.PHONY: test-e2e
test-e2e: build ## Run the whole-system test: manager binary, real API server, BIND 9 over RFC 2136, echo server.
	E2E_MANAGER=$(LOCALBIN)/manager KUBEBUILDER_ASSETS="$(ENVTEST_ASSETS)" go test $(GO_TEST_FLAGS) -v -timeout 15m ./test/e2e/...

.PHONY: demo
demo: build ## Start the operator with a local API server and BIND 9, and a sample record you can dig; no cloud account needed.
	go build -o $(LOCALBIN)/demo ./hack/demo
	KUBEBUILDER_ASSETS="$(ENVTEST_ASSETS)" $(LOCALBIN)/demo --manager $(LOCALBIN)/manager
