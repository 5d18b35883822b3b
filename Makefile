# recon — build, demo, test. Run as root or as a normal user; no environment needed.
GO       ?= go
BIN      := bin/recon
PKGS     := ./...
SCALE    ?= 20

ECHARTS_VERSION ?= 6.1.0

.PHONY: all build assets demo test fmt-check vet cover bench clean

all: build

# ECharts is inlined into the HTML reports so they work with no network. It
# is fetched from the npm registry at build time, never committed.
assets: reports/assets/echarts.min.js

reports/assets/echarts.min.js:
	ECHARTS_VERSION=$(ECHARTS_VERSION) ./reports/fetch-echarts.sh

build: assets
	$(GO) build -o $(BIN) ./cmd/recon

# The whole loop on the embedded local PostgreSQL cluster (./.recon/pg).
demo: build
	./$(BIN) demo --out=recon-demo

fmt-check:
	@out="$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))"; \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

# gofmt + vet + the race-enabled suite, with total statement coverage.
test: assets fmt-check vet
	$(GO) test -race -count=1 -timeout=60m -coverpkg=$(PKGS) -coverprofile=coverage.out $(PKGS)
	@$(GO) tool cover -func=coverage.out | awk '/^total:/ {print "total statement coverage: " $$3}'

bench: build
	$(GO) test -run='^$$' -bench=. -benchmem ./...

clean:
	rm -rf bin coverage.out recon-demo
