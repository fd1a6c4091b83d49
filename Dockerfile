# syntax=docker/dockerfile:1
# The release image for Docker users: `make docker-build`, or
# `make docker-buildx` for linux/amd64, linux/arm64 and linux/arm/v7.
# `make image` builds the same image without Docker (hack/image); both put
# the same files in an empty image: the static manager, a CA bundle and
# passwd/group, written by `hack/image rootfs`; user 65532:65532, no shell.
# hack/image/dockerfile_test.go fails when the two definitions drift.
FROM --platform=$BUILDPLATFORM golang:1.26 AS build
ARG TARGETOS TARGETARCH TARGETVARIANT VERSION=dev
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN GOARM="${TARGETVARIANT#v}" CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/manager .
RUN go run ./hack/image rootfs --manager /out/manager --out /rootfs

FROM scratch
COPY --from=build /rootfs/ /
USER 65532:65532
ENTRYPOINT ["/manager"]
