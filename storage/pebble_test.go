package storage

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/cockroachdb/pebble/v2"
)

func TestReopenKeepsCommits(t *testing.T) {
	dir := t.TempDir()
	e := openTestEngine(t, dir)
	commitKVs(t, e, "a=1", "b=2")
	commitKVs(t, e, "-a", "c=3")
	uncommitted := mustBegin(t, e)
	applyOps(t, uncommitted, "d=4")
	must(t, e.Close())

	e = openTestEngine(t, dir)
	defer e.Close()
	r := mustBegin(t, e)
	defer r.Rollback()
	if got := scan(t, r, "", ""); got != "b=2 c=3" {
		t.Fatalf("after reopen: %q, want b=2 c=3", got)
	}
}

// rawPebble writes key=value straight into a Pebble store in dir.
func rawPebble(t *testing.T, dir string, key, value []byte) {
	t.Helper()
	db, err := pebble.Open(dir, &pebble.Options{FormatMajorVersion: pebbleFormat, Logger: quietLogger{}})
	must(t, err)
	must(t, db.Set(key, value, pebble.Sync))
	must(t, db.Close())
}

func TestFormatVersionCheck(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, dir string)
		wantErr string // "" means open succeeds
	}{
		{name: "new store", setup: func(*testing.T, string) {}},
		{name: "current version", setup: func(t *testing.T, dir string) {
			e := openTestEngine(t, dir)
			must(t, e.Close())
		}},
		{name: "newer version", setup: func(t *testing.T, dir string) {
			rawPebble(t, dir, FormatVersionKey(), binary.BigEndian.AppendUint32(nil, FormatVersion+1))
		}, wantErr: "newer vecgres (format version 2"},
		{name: "older version", setup: func(t *testing.T, dir string) {
			rawPebble(t, dir, FormatVersionKey(), binary.BigEndian.AppendUint32(nil, 0))
		}, wantErr: "format version 0"},
		{name: "malformed version", setup: func(t *testing.T, dir string) {
			rawPebble(t, dir, FormatVersionKey(), []byte{1})
		}, wantErr: "malformed"},
		{name: "foreign pebble store", setup: func(t *testing.T, dir string) {
			rawPebble(t, dir, []byte("someone else's key"), []byte("x"))
		}, wantErr: "not a vecgres data directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tc.setup(t, dir)
			e, err := OpenPebble(dir, Options{})
			if tc.wantErr == "" {
				must(t, err)
				txn := mustBegin(t, e)
				v, err := txn.Get(FormatVersionKey())
				must(t, err)
				if got, _ := decodeUint32(v); got != FormatVersion {
					t.Fatalf("stored format version %d, want %d", got, FormatVersion)
				}
				txn.Rollback()
				must(t, e.Close())
				return
			}
			if err == nil {
				e.Close()
				t.Fatalf("open succeeded, want error containing %q", tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %q does not contain %q", err, tc.wantErr)
			}
			// The refused store is closed: it can be opened again (lock released).
			if _, err2 := OpenPebble(dir, Options{}); err2 == nil || err2.Error() != err.Error() {
				t.Fatalf("second open: %v", err2)
			}
		})
	}
}

func TestSequences(t *testing.T) {
	dir := t.TempDir()
	e := openTestEngine(t, dir)
	key := SequenceKey("s")
	next := func(n int64) int64 {
		t.Helper()
		v, err := e.NextSequence(key, n)
		must(t, err)
		return v
	}
	for want := int64(1); want <= 100; want++ {
		if got := next(1); got != want {
			t.Fatalf("NextSequence = %d, want %d", got, want)
		}
	}
	if got := next(1000); got != 1100 {
		t.Fatalf("NextSequence(n=1000) = %d, want 1100", got)
	}
	if _, err := e.NextSequence(key, 0); err == nil {
		t.Fatal("NextSequence(n=0) succeeded")
	}
	if v, err := e.NextSequence(SequenceKey("other"), 1); err != nil || v != 1 {
		t.Fatalf("independent sequence: %d, %v", v, err)
	}
	must(t, e.Close())
	// A clean close writes back the exact value: no gap.
	e = openTestEngine(t, dir)
	defer e.Close()
	if got := next(1); got != 1101 {
		t.Fatalf("after reopen NextSequence = %d, want 1101", got)
	}
	// setval through a transaction replaces the cached block.
	inTxn(t, e, func(txn Txn) error { return txn.Put(key, EncodeSequenceValue(5000)) })
	if got := next(1); got != 5001 {
		t.Fatalf("after setval(5000): %d, want 5001", got)
	}

	// Concurrent callers never get the same value.
	var mu sync.Mutex
	seen := map[int64]bool{}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				v, err := e.NextSequence(key, 1)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if seen[v] {
					t.Errorf("value %d handed out twice", v)
				}
				seen[v] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != 2000 {
		t.Fatalf("%d distinct values, want 2000", len(seen))
	}
}

// TestConcurrentCommits runs writers on disjoint and shared keys at once:
// disjoint writers all commit; on the shared counter, every committed
// increment is counted exactly once (lost updates are turned into
// conflicts).
func TestConcurrentCommits(t *testing.T) {
	e := newTestEngine(t)
	commitKVs(t, e, "counter=0")
	const workers, perWorker = 4, 25
	var wg sync.WaitGroup
	var mu sync.Mutex
	committedIncrements := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				txn, err := e.Begin()
				if err != nil {
					t.Error(err)
					return
				}
				v, err := txn.Get([]byte("counter"))
				if err != nil {
					t.Error(err)
					return
				}
				n, _ := strconv.Atoi(string(v))
				_ = txn.Put([]byte("counter"), []byte(strconv.Itoa(n+1)))
				_ = txn.Put([]byte(fmt.Sprintf("w%d-%d", w, i)), []byte("x"))
				switch err := txn.Commit(); err {
				case nil:
					mu.Lock()
					committedIncrements++
					mu.Unlock()
				case ErrConflict:
				default:
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	r := mustBegin(t, e)
	defer r.Rollback()
	if got := get(t, r, "counter"); got != strconv.Itoa(committedIncrements) {
		t.Fatalf("counter = %s, but %d increments committed", got, committedIncrements)
	}
	if n := scanPrefix(t, r, []byte("w")); n != committedIncrements {
		t.Fatalf("%d marker keys, want %d", n, committedIncrements)
	}
}

const crashChildEnv = "VECGRES_STORAGE_CRASH_DIR"

// TestKillDurability re-executes the test binary as a child that commits
// transactions from two goroutines and prints each one after Commit
// returns, kills it with SIGKILL mid-stream, reopens the store and checks
// that every printed commit and sequence value survived.
func TestKillDurability(t *testing.T) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		crashChild(dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillDurability$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	var commits []string
	maxSeq := int64(0)
	sc := bufio.NewScanner(out)
	killed := false
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "commit":
			commits = append(commits, f[1])
		case len(f) == 2 && f[0] == "seq":
			v, _ := strconv.ParseInt(f[1], 10, 64)
			maxSeq = max(maxSeq, v)
		}
		if len(commits) >= 300 && !killed {
			must(t, cmd.Process.Kill()) // SIGKILL: no deferred code, no Close
			killed = true
		}
	}
	_ = cmd.Wait()
	if !killed {
		t.Fatalf("child exited after %d commits without being killed", len(commits))
	}

	e := openTestEngine(t, dir)
	defer e.Close()
	r := mustBegin(t, e)
	defer r.Rollback()
	for _, k := range commits {
		if got := get(t, r, "crash/"+k); got != "v"+k {
			t.Fatalf("commit %s printed before the kill is missing after reopen (got %q)", k, got)
		}
	}
	v, err := e.NextSequence(SequenceKey("crash"), 1)
	must(t, err)
	if v <= maxSeq {
		t.Fatalf("NextSequence after kill = %d, but %d was handed out before", v, maxSeq)
	}
	t.Logf("%d commits and sequence values up to %d survived SIGKILL", len(commits), maxSeq)
}

// crashChild commits until killed. It never returns normally.
func crashChild(dir string) {
	e, err := OpenPebble(dir, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := 0; g < 2; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100_000; i++ {
				k := fmt.Sprintf("%d-%06d", g, i)
				txn, err := e.Begin()
				if err == nil {
					_ = txn.Put([]byte("crash/"+k), []byte("v"+k))
					err = txn.Commit()
				}
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(2)
				}
				s, err := e.NextSequence(SequenceKey("crash"), 1)
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(2)
				}
				mu.Lock()
				fmt.Printf("commit %s\nseq %d\n", k, s)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	os.Exit(0)
}
