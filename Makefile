# recon — build, demo, test. Run as root or as a normal user; no environment needed.
GO       ?= go
BIN      := bin/recon
PKGS     := ./...
SCALE    ?= 20

.PHONY: all build assets demo test test-cover test-race test-django fmt-check vet code-check tidy-check cover bench bench-scaling bench-xlsx bench-go bench-tools bench-before clean

all: build

# ECharts is inlined into the HTML reports so they work with no network. It
# is fetched from the npm registry (release and SHA-256 pinned in
# reports/fetch-echarts.sh), never committed. npm is only needed for that:
# as root on Debian it is installed, otherwise what to install is printed,
# and without it recon is built without charts (its HTML reports then show
# a notice where each chart would be; `recon version` tells).
assets:
	@if ! ./reports/fetch-echarts.sh --check && ! command -v npm >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "make: installing npm (apt-get) to fetch ECharts for the HTML report charts"; \
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; } || \
				echo "make: could not install npm; going on without charts"; \
		else \
			echo "make: npm is missing; it fetches ECharts for the charts of the HTML reports. Install it with"; \
			echo "  apt-get install -y npm     (Debian, Ubuntu; as root)"; \
			echo "  dnf install -y npm         (Fedora)"; \
			echo "  brew install node          (macOS)"; \
		fi; \
	fi
	@./reports/fetch-echarts.sh --optional

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

# The rules no compiler checks (internal/codecheck): the comment on every
# exported identifier starts with its name and no comment starts with an
# identifier other than the one it documents (a rename that leaves its
# comment behind fails here); docs/architecture.md's package table says what
# each package imports; SQL and pgx only in the adapter files of audit,
# signoff, importer and reconcile.
code-check:
	$(GO) test -count=1 -run '^(TestModuleDocComments|TestArchitectureImports|TestDataAccessOnlyInAdapters)$$' ./internal/codecheck/

# go.mod and go.sum must be what `go mod tidy` writes (prints the diff otherwise).
tidy-check:
	$(GO) mod tidy -diff

# gofmt + vet + code checks + go mod tidy, then three passes (docs/testing.md says which
# proves what), each timed:
#   cover   every test once, no race detector, set-mode coverage over the whole
#           module; prints the total statement coverage.
#   race    -race over the packages with concurrent code (locks, --wait, files
#           loading at once, verify's workers, the review server, sign-off
#           record); -short skips only repetitions of sequential scenarios.
#   django  the tests whose outcome depends on who created the schema, on a
#           template made by contrib/django's `manage.py migrate`.
# TEST_PARALLEL: tests that own their database wait mostly on PostgreSQL, so
# more of them run at once than there are cores.
TEST_PARALLEL ?= 4
# The race pass: every test of the review server, and these of the other
# packages (the lock and --wait in one process and between processes, the
# schedule of files loading at once, verify's workers and read-ahead,
# import all --jobs, commands meeting a held lock, progress of files at once,
# sign-off record, and the sabotage cases that run verify beside the lock).
RACE_PKGS     := ./importer/ ./reconcile/ ./signoff/ ./internal/cli/
RACE_RUN      := ^(TestLock.*|TestMediaSharedByTwoDatabases|TestMediaOfFailedBatchRemoved|TestInterruptedBatchIsMarkedFailed|TestWaitsFor|TestNextToStart.*|TestStartOrder|TestDependsOnCoversReferences|TestVerifyConcurrentSameResult|TestVerifySameResultWhateverTheReadPath|TestVerifyFindsExactlyTheTampering|TestHashQueue|TestTableAccount|TestImportJobsSameDatabase|TestCommandsRefuseWhileTheLockIsHeld|TestAnyCommandRecoversInterruptedBatch|TestSabotageCatalogue|TestReview.*|TestProgressOfFilesAtOnce|TestLineProgress|TestSignoffEndToEnd|TestSaveFailures)$$
DJANGO_PKGS   := ./database/... ./importer/... ./reconcile/... ./audit/... ./review/... ./signoff/...
# internal/cli tests that write or read the schema (the rest parse flags,
# render or fail before connecting, and do not depend on the schema's creator).
DJANGO_CLI    := ^(TestSabotage.*|TestMustPassDailyClinicWork|TestImportAndVerifyCommands|TestImportErrors|TestImportJobsSameDatabase|TestRollbackCommand|TestRollbackCommandMessages|TestBatchesCommand|TestBatchesWithoutImportsAndDryRuns|TestIssuesCommands|TestIssuesCommandMessages|TestIssuesShowResolvedAndJSON|TestBulkResolutionSummaryOfManyIssues|TestListCommandsCSV.*|TestCorrectCommand|TestShowCommand|TestShowRecordHistory|TestReviewCommand|TestReviewStopsWithOpenConnections|TestReviewPageInBrowser|TestSignoffEndToEnd|TestSignoffP12EndToEnd|TestSignoffCommandsDatabaseFailures|TestReportCommand|TestReportCommandErrors|TestCompareCommand|TestVerifyCommandFailures|TestCommandsRefuseWhileTheLockIsHeld|TestCommandsStopBeforeWork|TestAnyCommandRecoversInterruptedBatch|TestDBCheckNamesEveryKindOfSchemaProblem|TestDBMigrateExternalTwice|TestOperatorAndClinicRecordedOnce|TestJSONToStdoutAlone|TestClockInOutputs|TestVerifyOutputsWholeOrNotAtAll)$$

test: assets fmt-check vet code-check tidy-check
	@t0=$$(date +%s); $(MAKE) --no-print-directory test-cover && t1=$$(date +%s) && \
	$(MAKE) --no-print-directory test-race && t2=$$(date +%s) && \
	$(MAKE) --no-print-directory test-django && t3=$$(date +%s) && \
	echo "make test: cover pass $$((t1-t0)) s, race pass $$((t2-t1)) s, django pass $$((t3-t2)) s, total $$((t3-t0)) s"

test-cover:
	@t0=$$(date +%s); $(GO) test -count=1 -timeout=30m -parallel=$(TEST_PARALLEL) -covermode=set -coverpkg=$(PKGS) -coverprofile=coverage.out $(PKGS); \
	rc=$$?; echo "make test: cover pass took $$(($$(date +%s)-t0)) s"; exit $$rc
	@$(GO) tool cover -func=coverage.out | awk '/^total:/ {print "total statement coverage: " $$3}'

test-race:
	@t0=$$(date +%s); $(GO) test -race -short -count=1 -timeout=30m -parallel=$(TEST_PARALLEL) ./audit/... ./review/... && \
	$(GO) test -race -short -count=1 -timeout=30m -parallel=$(TEST_PARALLEL) -run '$(RACE_RUN)' $(RACE_PKGS); \
	rc=$$?; echo "make test: race pass took $$(($$(date +%s)-t0)) s"; exit $$rc

# The packages that write and read the database, again on a schema created
# by Pet-Friendly's own `manage.py migrate` (contrib/django) instead of
# recon's migrations: both creators must pass the same tests.
test-django:
	@t0=$$(date +%s); RECON_TEST_SCHEMA=django $(GO) test -count=1 -timeout=30m -parallel=$(TEST_PARALLEL) $(DJANGO_PKGS) && \
	RECON_TEST_SCHEMA=django $(GO) test -count=1 -timeout=30m -parallel=$(TEST_PARALLEL) -run '$(DJANGO_CLI)' ./internal/cli/; \
	rc=$$?; echo "make test: django pass took $$(($$(date +%s)-t0)) s"; exit $$rc

# Performance (docs/performance.md). `make bench [SCALE=20] [REPS=3]` generates
# an export, then in one private cluster (.bench/home) times, REPS times each:
# the floor (psql \copy of every CSV into text tables), pgloader into the same
# tables, `recon import all` into a fresh database and `recon verify` on it
# (peak RSS from /usr/bin/time -v), then reloads the rows the import wrote into
# a fresh recon schema (the schema floor); then it writes a clientes.xlsx that
# unpacks to XLSX_MB MiB, checks that recon's default --max-xlsx-mb refuses it
# and imports it REPS times with the limit just above its size (peak RSS
# target: 300 MB); it rewrites the side-by-side table and the Go
# micro-benchmarks in docs/performance.md. `make bench-scaling` (long: about
# 40 minutes) does the same for SCALES, without the workbook, and rewrites the
# scaling table. `make bench-xlsx` runs the workbook step alone: its table on
# the terminal, $(BENCH_WORK)/xlsx.json, docs/performance.md untouched.
BENCH_WORK ?= .bench
REPS       ?= 3
# The revision `make bench` also imports and verifies with, on the same export
# and cluster, for a before-and-after in one run (issue 18 started after it);
# BEFORE= (empty) leaves those rows out.
BEFORE     ?= 0f14e1e
SCALES     ?= 1,5,20,50
XLSX_MB    ?= 200

bench-tools:
	@if ! command -v pgloader >/dev/null 2>&1 || ! [ -x /usr/bin/time ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgloader time; \
		else \
			echo "make bench: pgloader and/or GNU time (/usr/bin/time) are missing; install them as root with"; \
			echo "  apt-get install -y pgloader time"; \
			echo "The bench runs without them: the pgloader row and the peak RSS column stay empty."; \
		fi; \
	fi

# bench-before builds $(BENCH_WORK)/recon-before from the revision BEFORE
# (git archive: the working tree is not touched).
bench-before:
	@if [ -n "$(BEFORE)" ]; then \
		rm -rf $(BENCH_WORK)/before-src && mkdir -p $(BENCH_WORK)/before-src && \
		git archive --format=tar $(BEFORE) | tar -x -C $(BENCH_WORK)/before-src && \
		(cd $(BENCH_WORK)/before-src && $(GO) build -o ../recon-before ./cmd/recon) && \
		rm -rf $(BENCH_WORK)/before-src; \
	fi

BENCH_BEFORE = $(if $(BEFORE),--before=$(BENCH_WORK)/recon-before --before-rev=$(BEFORE))

bench: build bench-tools bench-before
	$(GO) run ./cmd/recon-bench --section=side-by-side --scales=$(SCALE) --reps=$(REPS) --work=$(BENCH_WORK) \
		--xlsx-mb=$(XLSX_MB) $(BENCH_BEFORE) --command="make bench SCALE=$(SCALE) REPS=$(REPS) XLSX_MB=$(XLSX_MB) BEFORE=$(BEFORE)"
	$(GO) run ./cmd/recon-bench --section=go-benchmarks --go=$(GO)

bench-xlsx: build bench-tools
	$(GO) run ./cmd/recon-bench --section=xlsx --xlsx-mb=$(XLSX_MB) --reps=$(REPS) --work=$(BENCH_WORK) --data=$(BENCH_WORK)

bench-scaling: build bench-tools
	$(GO) run ./cmd/recon-bench --section=scaling --scales=$(SCALES) --reps=$(REPS) --work=$(BENCH_WORK) \
		--command="make bench-scaling SCALES=$(SCALES) REPS=$(REPS)"

# Every Go benchmark of the module.
bench-go:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

clean:
	-[ -d $(BENCH_WORK)/home ] && ./$(BIN) --home=$(BENCH_WORK)/home db stop
	rm -rf bin coverage.out recon-demo $(BENCH_WORK)
