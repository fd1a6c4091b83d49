##@ Release

# actionlint checks the GitHub workflows (syntax, expressions, action
# inputs, and their shell scripts when shellcheck is installed); built from
# the Go module proxy once and cached by version.
ACTIONLINT_VERSION ?= v1.7.12
ACTIONLINT := $(HOME)/.cache/ddns-operator/actionlint/$(ACTIONLINT_VERSION)/actionlint

.PHONY: lint-workflows
lint-workflows: $(ACTIONLINT) ## Check .github/workflows with actionlint.
	$(ACTIONLINT) -color=false

# Part of `make verify`.
verify: lint-workflows

$(ACTIONLINT):
	@mkdir -p $(dir $(ACTIONLINT))
	@echo "building actionlint $(ACTIONLINT_VERSION) from the Go module proxy (once, cached in $(dir $(ACTIONLINT)))"
	GOBIN=$(dir $(ACTIONLINT)) go install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
