##@ Image

# The release image, built without a Docker daemon or a base image by
# hack/image (go-containerregistry) from the linux binaries of build-all:
# the static manager, a CA bundle, passwd/group; user 65532:65532. The
# real-node test (make test-node) and the release workflow both run this
# target; the Dockerfile builds the same file tree for Docker users.
IMAGE_PLATFORMS ?= $(PLATFORMS)
IMAGE_ARCHIVE ?= $(LOCALBIN)/image/ddns-operator.oci.tar
# Every timestamp in the image is the commit's, so a rebuild of the same
# commit gives the same digest.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
REVISION ?= $(shell git rev-parse HEAD 2>/dev/null)

.PHONY: image
image: ## Build the multi-arch image (IMAGE_PLATFORMS) as an OCI archive in bin/image/, no Docker needed.
	@$(MAKE) --no-print-directory build-all BUILD_ALL_PLATFORMS=$(IMAGE_PLATFORMS)
	go run ./hack/image build --platforms $(IMAGE_PLATFORMS) --binaries $(BUILD_DIR) --ref $(IMG) \
		--version $(VERSION) --revision "$(REVISION)" --source-date-epoch $(SOURCE_DATE_EPOCH) --out $(IMAGE_ARCHIVE)

.PHONY: image-push
image-push: ## Push the archive `make image` wrote to $(IMG), with your docker login's credentials.
	go run ./hack/image push --archive $(IMAGE_ARCHIVE) --ref $(IMG)

.PHONY: image-inspect
image-inspect: ## Print the platforms, digests, entrypoint, user and files of the archive `make image` wrote.
	go run ./hack/image inspect --archive $(IMAGE_ARCHIVE)
