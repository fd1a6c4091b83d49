##@ Reliability

FUZZTIME ?= 20s

.PHONY: fuzz
fuzz: ## Run every Go fuzz target in the repo for FUZZTIME each (default 20s), one at a time, printing executions per target.
	@total=0; targets=0; \
	for pkg in $$(go list ./...); do \
		for fn in $$(go test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
			echo "== $$pkg $$fn ($(FUZZTIME))"; \
			out=$$(go test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) $$pkg 2>&1) || \
			if echo "$$out" | grep -q 'context deadline exceeded' && ! echo "$$out" | grep -q 'Failing input written'; then \
				echo "   (the fuzz engine overran FUZZTIME on a busy machine, no failing input; running again)"; \
				out=$$(go test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) $$pkg 2>&1) || { echo "$$out"; exit 1; }; \
			else echo "$$out"; exit 1; fi; \
			execs=$$(echo "$$out" | grep -o 'execs: [0-9]*' | tail -1 | grep -o '[0-9]*'); \
			echo "   $${execs:-0} executions, no crash"; \
			total=$$((total + $${execs:-0})); targets=$$((targets + 1)); \
		done; \
	done; \
	echo "fuzz: $$targets targets, $$total executions, no crashes"
