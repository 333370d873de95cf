# vecgres — see README.md. Every target works on a fresh clone.
GO       ?= go
BIN      := bin/vecgres
LISTEN   ?= 127.0.0.1:5433
DATA     ?= data
FUZZTIME ?= 5s

.PHONY: build run test test-race fuzz bench vet lint clean

build:
	$(GO) build -o $(BIN) ./cmd/vecgres

run: build
	./$(BIN) serve --listen $(LISTEN) --data $(DATA)

# The whole suite: vet, unit and end-to-end tests (SQL logic tests in
# testdata/*.slt run inside ./pgwire), then each fuzz target briefly.
test: vet
	$(GO) test -count=1 ./...
	$(MAKE) fuzz

vet:
	$(GO) vet ./...

test-race:
	$(GO) test -race -count=1 ./...

# Each fuzz target runs for FUZZTIME; none may find a panic.
fuzz:
	@set -e; for f in $$(grep -rl --include='*_test.go' '^func Fuzz' .); do \
	  d=./$$(dirname $$f); \
	  for t in $$(grep -o '^func Fuzz[A-Za-z0-9_]*' $$f | cut -d' ' -f2); do \
	    echo "fuzz $$d $$t ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$d; \
	  done; \
	done

bench: build
	$(GO) test -run '^$$' -bench . -benchtime 1x ./vindex/... 
	./$(BIN) bench --data ../shared/data/siftsmall --index flat
	# Over the wire with pgx against an in-process server: COPY and INSERT
	# rates, exact top-10, then each index type swept with 1 and 2 clients,
	# unfiltered and with a 1 % filter (recall@10 next to QPS; ~3-4 min).
	./$(BIN) bench-sql --spawn --data ../shared/data/siftsmall --index all

clean:
	rm -rf bin
