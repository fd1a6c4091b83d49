##@ Monitoring

# promtool for the chart's alert rule tests, built from the Go module proxy
# once and cached under ~/.cache/ddns-operator/promtool (hack/setup-promtool.sh).
PROMTOOL_VERSION ?= v0.316.0

.PHONY: promtool
promtool: ## Build promtool (cached under ~/.cache/ddns-operator) and print its path.
	@PROMTOOL_VERSION=$(PROMTOOL_VERSION) hack/setup-promtool.sh

.PHONY: test-alerts
test-alerts: ## Check the chart's alert rules and run their unit tests with promtool (also part of make test).
	PROMTOOL="$$(PROMTOOL_VERSION=$(PROMTOOL_VERSION) hack/setup-promtool.sh)" go test $(GO_TEST_FLAGS) ./test/chart/ -run 'TestAlert|TestDashboard'
