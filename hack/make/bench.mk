##@ Benchmarks

# The whole-system benchmark's matrix and knobs; see `go run ./test/bench -h`.
# To compare with an older manager in the same run, build it and pass
# BENCH_FLAGS="--before /path/to/manager --before-label COMMIT".
BENCH_N ?= 10,100,1000,5000
BENCH_ZONES ?= 1,10
BENCH_RATE_LIMITS ?= 1200
BENCH_BUDGET ?= 45m
BENCH_FLAGS ?=

.PHONY: bench-system
bench-system: build ## Measure the whole system (API server, fake Cloudflare, manager) at N records and write BENCHMARKS.md.
	go build -o $(LOCALBIN)/cffake ./test/bench/cffake
	KUBEBUILDER_ASSETS="$(ENVTEST_ASSETS)" go run ./test/bench --manager $(LOCALBIN)/manager --cffake $(LOCALBIN)/cffake \
		--n=$(BENCH_N) --zones=$(BENCH_ZONES) --rate-limits=$(BENCH_RATE_LIMITS) --budget=$(BENCH_BUDGET) $(BENCH_FLAGS)

.PHONY: bench-binary
bench-binary: ## Measure the manager binary alone (stripped size, size by package tree, init costs) against the budget; prints, writes no file.
	go run ./test/bench --n= --out= $(BENCH_FLAGS)
