package storage

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
)

func openTestEngine(t testing.TB, dir string) Engine {
	t.Helper()
	e, err := OpenPebble(dir, Options{CacheSize: 8 << 20, MemTableSize: 4 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func newTestEngine(t testing.TB) Engine {
	e := openTestEngine(t, t.TempDir())
	t.Cleanup(func() { _ = e.Close() })
	return e
}

func mustBegin(t testing.TB, e Engine) Txn {
	t.Helper()
	txn, err := e.Begin()
	if err != nil {
		t.Fatal(err)
	}
	return txn
}

// commitKVs commits puts given as "k=v" and deletes given as "-k".
func commitKVs(t testing.TB, e Engine, ops ...string) {
	t.Helper()
	txn := mustBegin(t, e)
	applyOps(t, txn, ops...)
	if err := txn.Commit(); err != nil {
		t.Fatal(err)
	}
}

// applyOps applies "k=v" (put), "-k" (delete) and "[a,b)" (delete range).
func applyOps(t testing.TB, txn Txn, ops ...string) {
	t.Helper()
	for _, op := range ops {
		var err error
		switch {
		case strings.HasPrefix(op, "-"):
			err = txn.Delete([]byte(op[1:]))
		case strings.HasPrefix(op, "["):
			lo, hi, _ := strings.Cut(strings.Trim(op, "[)"), ",")
			err = txn.DeleteRange([]byte(lo), []byte(hi))
		default:
			k, v, _ := strings.Cut(op, "=")
			err = txn.Put([]byte(k), []byte(v))
		}
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
	}
}

// scan returns "k=v k=v ..." for [lower, upper); lower "" means " ", past
// the format version key.
func scan(t testing.TB, r Reader, lower, upper string) string {
	t.Helper()
	lo := []byte(" ")
	var hi []byte
	if lower != "" {
		lo = []byte(lower)
	}
	if upper != "" {
		hi = []byte(upper)
	}
	it, err := r.NewIter(lo, hi)
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	var out []string
	for it.Next() {
		out = append(out, string(it.Key())+"="+string(it.Value()))
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, " ")
}

func get(t testing.TB, r Reader, k string) string {
	t.Helper()
	v, err := r.Get([]byte(k))
	if errors.Is(err, ErrNotFound) {
		return "<nil>"
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(v)
}

// TestTxnMergedReads checks Get and iterators over a committed state
// overlaid with a transaction's own writes.
func TestTxnMergedReads(t *testing.T) {
	committed := []string{"a=1", "b=2", "c=3", "d=4", "e=5", "f=6"}
	tests := []struct {
		name         string
		ops          []string
		lower, upper string
		want         string
		gets         map[string]string
	}{
		{name: "no writes", want: "a=1 b=2 c=3 d=4 e=5 f=6"},
		{name: "overwrite and insert", ops: []string{"b=20", "bb=25", "g=7", "0=0"},
			want: "0=0 a=1 b=20 bb=25 c=3 d=4 e=5 f=6 g=7", gets: map[string]string{"b": "20", "bb": "25"}},
		{name: "deletes", ops: []string{"-a", "-c", "-zz", "-f"}, want: "b=2 d=4 e=5",
			gets: map[string]string{"a": "<nil>", "c": "<nil>", "zz": "<nil>", "b": "2"}},
		{name: "delete then put", ops: []string{"-b", "b=22"}, want: "a=1 b=22 c=3 d=4 e=5 f=6"},
		{name: "put then delete", ops: []string{"x=1", "-x"}, want: "a=1 b=2 c=3 d=4 e=5 f=6",
			gets: map[string]string{"x": "<nil>"}},
		{name: "delete range", ops: []string{"[b,e)"}, want: "a=1 e=5 f=6",
			gets: map[string]string{"b": "<nil>", "d": "<nil>", "e": "5"}},
		{name: "delete range hides own puts", ops: []string{"cc=1", "[c,d)", "-f"}, want: "a=1 b=2 d=4 e=5",
			gets: map[string]string{"cc": "<nil>"}},
		{name: "put after delete range", ops: []string{"[a,z)", "c=33", "q=9"}, want: "c=33 q=9",
			gets: map[string]string{"c": "33", "a": "<nil>"}},
		{name: "overlapping ranges merge", ops: []string{"[b,c)", "[d,f)", "[bb,dd)"}, want: "a=1 f=6"},
		{name: "bounds", ops: []string{"bb=1", "-d", "ee=2"}, lower: "b", upper: "e", want: "b=2 bb=1 c=3"},
		{name: "bounds exclude writes", ops: []string{"0=1", "z=2"}, lower: "b", upper: "d", want: "b=2 c=3"},
		{name: "empty value", ops: []string{"b="}, want: "a=1 b= c=3 d=4 e=5 f=6", gets: map[string]string{"b": ""}},
	}
	e := newTestEngine(t)
	commitKVs(t, e, committed...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			txn := mustBegin(t, e)
			defer txn.Rollback()
			applyOps(t, txn, tc.ops...)
			if got := scan(t, txn, tc.lower, tc.upper); got != tc.want {
				t.Errorf("scan = %q, want %q", got, tc.want)
			}
			for k, want := range tc.gets {
				if got := get(t, txn, k); got != want {
					t.Errorf("Get(%s) = %q, want %q", k, got, want)
				}
			}
		})
	}
}

// TestTxnRandomAgainstModel runs random writes, savepoints, rollbacks and
// commits against a map model and compares every read.
func TestTxnRandomAgainstModel(t *testing.T) {
	e := newTestEngine(t)
	rng := rand.New(rand.NewSource(42))
	committed := map[string]string{}
	key := func() string { return fmt.Sprintf("k%03d", rng.Intn(200)) }
	for round := 0; round < 30; round++ {
		txn := mustBegin(t, e)
		model := maps(committed)
		var saved []map[string]string
		for op := 0; op < 150; op++ {
			switch r := rng.Intn(100); {
			case r < 50:
				k, v := key(), fmt.Sprint(rng.Intn(1000))
				must(t, txn.Put([]byte(k), []byte(v)))
				model[k] = v
			case r < 70:
				k := key()
				must(t, txn.Delete([]byte(k)))
				delete(model, k)
			case r < 75:
				lo, hi := key(), key()
				must(t, txn.DeleteRange([]byte(lo), []byte(hi)))
				for k := range model {
					if lo <= k && k < hi {
						delete(model, k)
					}
				}
			case r < 80:
				if sp := txn.Savepoint(); sp != len(saved) {
					t.Fatalf("Savepoint = %d, want %d", sp, len(saved))
				}
				saved = append(saved, maps(model))
			case r < 85 && len(saved) > 0:
				sp := rng.Intn(len(saved))
				must(t, txn.RollbackTo(sp))
				model = maps(saved[sp])
				saved = saved[:sp+1]
			case r < 95:
				k := key()
				want, ok := model[k]
				if !ok {
					want = "<nil>"
				}
				if got := get(t, txn, k); got != want {
					t.Fatalf("round %d op %d: Get(%s) = %q, want %q", round, op, k, got, want)
				}
			default:
				lo, hi := key(), key()
				if got, want := scan(t, txn, lo, hi), modelScan(model, lo, hi); got != want {
					t.Fatalf("round %d op %d: scan [%s,%s) =\n%s\nwant\n%s", round, op, lo, hi, got, want)
				}
				it, err := txn.NewIter([]byte(" "), nil)
				must(t, err)
				sk := key()
				var got string
				if it.SeekGE([]byte(sk)) {
					got = string(it.Key())
				}
				want := ""
				if ks := modelKeys(model, sk, ""); len(ks) > 0 {
					want = ks[0]
				}
				if got != want {
					t.Fatalf("SeekGE(%s) = %q, want %q", sk, got, want)
				}
				must(t, it.Close())
			}
		}
		if got, want := scan(t, txn, "", ""), modelScan(model, "", ""); got != want {
			t.Fatalf("round %d: full scan differs:\n%s\nwant\n%s", round, got, want)
		}
		if rng.Intn(4) == 0 {
			txn.Rollback()
		} else {
			must(t, txn.Commit())
			committed = model
		}
		r := mustBegin(t, e)
		if got, want := scan(t, r, "", ""), modelScan(committed, "", ""); got != want {
			t.Fatalf("round %d: committed state differs:\n%s\nwant\n%s", round, got, want)
		}
		must(t, r.Commit())
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func maps(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func modelKeys(m map[string]string, lo, hi string) []string {
	var ks []string
	for k := range m {
		if k >= lo && (hi == "" || k < hi) {
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	return ks
}

func modelScan(m map[string]string, lo, hi string) string {
	var out []string
	for _, k := range modelKeys(m, lo, hi) {
		out = append(out, k+"="+m[k])
	}
	return strings.Join(out, " ")
}

func TestIsolation(t *testing.T) {
	e := newTestEngine(t)
	commitKVs(t, e, "a=1", "b=1")
	reader := mustBegin(t, e)
	writer := mustBegin(t, e)
	applyOps(t, writer, "a=2", "-b", "c=3")
	// Uncommitted writes are invisible to others.
	if got := scan(t, reader, "", ""); got != "a=1 b=1" {
		t.Fatalf("reader sees uncommitted writes: %q", got)
	}
	must(t, writer.Commit())
	// Writes committed after the reader's snapshot stay invisible.
	if got := scan(t, reader, "", ""); got != "a=1 b=1" {
		t.Fatalf("reader sees later commit: %q", got)
	}
	if got := get(t, reader, "c"); got != "<nil>" {
		t.Fatalf("reader Get(c) = %q", got)
	}
	must(t, reader.Commit())
	late := mustBegin(t, e)
	defer late.Rollback()
	if got := scan(t, late, "", ""); got != "a=2 c=3" {
		t.Fatalf("new txn sees %q, want a=2 c=3", got)
	}
}

// TestSnapshotAtFirstRead checks that a transaction's snapshot is taken at
// its first read, not at Begin (as PostgreSQL takes a repeatable-read
// snapshot at the first statement): commits before that read are seen and
// do not conflict with it; later ones stay invisible and do. A transaction
// that wrote before its first read keeps its Begin as start.
func TestSnapshotAtFirstRead(t *testing.T) {
	e := newTestEngine(t)
	commitKVs(t, e, "a=1", "b=1", "c=0")

	t1 := mustBegin(t, e)
	if t1.(*pebbleTxn).snap != nil {
		t.Fatal("Begin took a snapshot")
	}
	commitKVs(t, e, "a=2")
	if got := get(t, t1, "a"); got != "2" {
		t.Fatalf("first read: a = %q, want the commit made before it (2)", got)
	}
	commitKVs(t, e, "a=3")
	if got := get(t, t1, "a"); got != "2" {
		t.Fatalf("second read: a = %q, want 2 (snapshot taken at the first read)", got)
	}
	applyOps(t, t1, "a=4")
	if err := t1.Commit(); !errors.Is(err, ErrConflict) {
		t.Fatalf("write over a commit made after the snapshot: %v, want ErrConflict", err)
	}

	t2 := mustBegin(t, e)
	commitKVs(t, e, "b=2")
	if got := scan(t, t2, "b", "c"); got != "b=2" {
		t.Fatalf("t2 scan = %q, want b=2", got)
	}
	applyOps(t, t2, "b=5")
	must(t, t2.Commit()) // it saw b=2: not concurrent with it

	t3 := mustBegin(t, e)
	applyOps(t, t3, "c=1") // a blind write before any read
	commitKVs(t, e, "c=2")
	if got := get(t, t3, "c"); got != "1" {
		t.Fatalf("t3 reads its own write: c = %q", got)
	}
	if err := t3.Commit(); !errors.Is(err, ErrConflict) {
		t.Fatalf("blind write vs a commit after Begin: %v, want ErrConflict", err)
	}
	late := mustBegin(t, e)
	defer late.Rollback()
	if got := scan(t, late, "", ""); got != "a=3 b=5 c=2" {
		t.Fatalf("final state %q, want a=3 b=5 c=2", got)
	}
}

func TestConflicts(t *testing.T) {
	tests := []struct {
		name       string
		ops1, ops2 []string
		conflict   bool
	}{
		{name: "same key", ops1: []string{"a=1"}, ops2: []string{"a=2"}, conflict: true},
		{name: "put vs delete", ops1: []string{"a=1"}, ops2: []string{"-a"}, conflict: true},
		{name: "disjoint keys", ops1: []string{"a=1"}, ops2: []string{"b=2"}},
		{name: "range vs put inside", ops1: []string{"[a,c)"}, ops2: []string{"b=1"}, conflict: true},
		{name: "put vs range covering", ops1: []string{"b=1"}, ops2: []string{"[a,c)"}, conflict: true},
		{name: "range vs put outside", ops1: []string{"[a,c)"}, ops2: []string{"c=1"}},
		{name: "overlapping ranges", ops1: []string{"[a,c)"}, ops2: []string{"[b,d)"}, conflict: true},
		{name: "adjacent ranges", ops1: []string{"[a,c)"}, ops2: []string{"[c,d)"}},
		// The second transaction is smaller than the first's commit record:
		// the check walks its keys and ranges instead.
		{name: "small vs large, hit", ops1: []string{"a=1", "b=1", "c=1"}, ops2: []string{"b=2"}, conflict: true},
		{name: "small vs large, miss", ops1: []string{"a=1", "b=1", "c=1"}, ops2: []string{"bb=2"}},
		{name: "small range vs large, hit", ops1: []string{"a=1", "b=1", "c=1"}, ops2: []string{"[bb,cc)"}, conflict: true},
		{name: "small range vs large, miss", ops1: []string{"a=1", "b=1", "c=1"}, ops2: []string{"[bb,c)"}},
		{name: "rolled back write", ops1: []string{"a=1"}, ops2: []string{"sp", "a=2", "rollback", "b=1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEngine(t)
			t1, t2 := mustBegin(t, e), mustBegin(t, e)
			applyOps(t, t1, tc.ops1...)
			for _, op := range tc.ops2 {
				switch op {
				case "sp":
					t2.Savepoint()
				case "rollback":
					must(t, t2.RollbackTo(0))
				default:
					applyOps(t, t2, op)
				}
			}
			must(t, t1.Commit())
			err := t2.Commit()
			if tc.conflict && !errors.Is(err, ErrConflict) {
				t.Fatalf("second commit: %v, want ErrConflict", err)
			}
			if !tc.conflict && err != nil {
				t.Fatalf("second commit: %v, want success", err)
			}
			t2.Rollback() // safe after a failed Commit
		})
	}
}

// TestConflictOnlyWithConcurrent checks that a transaction that began after
// a commit does not conflict with it, and that commit records are pruned.
func TestConflictOnlyWithConcurrent(t *testing.T) {
	e := newTestEngine(t)
	t1, t2 := mustBegin(t, e), mustBegin(t, e)
	applyOps(t, t1, "a=1")
	must(t, t1.Commit())
	t3 := mustBegin(t, e) // after t1's commit
	applyOps(t, t3, "a=3")
	must(t, t3.Commit())
	applyOps(t, t2, "a=2")
	if err := t2.Commit(); !errors.Is(err, ErrConflict) {
		t.Fatalf("t2: %v, want ErrConflict", err)
	}
	pe := e.(*pebbleEngine)
	pe.mu.Lock()
	n, active := len(pe.committed), len(pe.active)
	pe.mu.Unlock()
	if n != 0 || active != 0 {
		t.Fatalf("after all txns ended: %d commit records, %d active txns; want 0, 0", n, active)
	}
	if got := get(t, mustBegin(t, e), "a"); got != "3" {
		t.Fatalf("a = %q, want 3", got)
	}
}

func TestSavepoints(t *testing.T) {
	e := newTestEngine(t)
	commitKVs(t, e, "a=1", "b=1")
	txn := mustBegin(t, e)
	applyOps(t, txn, "a=2")
	sp0 := txn.Savepoint()
	applyOps(t, txn, "b=2", "-a", "c=2")
	sp1 := txn.Savepoint()
	applyOps(t, txn, "[a,z)")
	if got := scan(t, txn, "", ""); got != "" {
		t.Fatalf("after delete range: %q", got)
	}
	must(t, txn.RollbackTo(sp1))
	if got := scan(t, txn, "", ""); got != "b=2 c=2" {
		t.Fatalf("after RollbackTo(sp1): %q", got)
	}
	must(t, txn.RollbackTo(sp0))
	if got := scan(t, txn, "", ""); got != "a=2 b=1" {
		t.Fatalf("after RollbackTo(sp0): %q", got)
	}
	if err := txn.RollbackTo(sp1); err == nil {
		t.Fatal("RollbackTo a released savepoint succeeded")
	}
	// The savepoint survives a rollback to it.
	applyOps(t, txn, "d=4")
	must(t, txn.RollbackTo(sp0))
	applyOps(t, txn, "e=5")
	must(t, txn.Commit())
	if got := scan(t, mustBegin(t, e), "", ""); got != "a=2 b=1 e=5" {
		t.Fatalf("committed: %q", got)
	}
}

// TestIterSeesWritesAsOfCreation checks that an iterator does not see
// writes made after it was created (no Halloween problem for UPDATE).
func TestIterSeesWritesAsOfCreation(t *testing.T) {
	e := newTestEngine(t)
	commitKVs(t, e, "a=1", "c=1")
	txn := mustBegin(t, e)
	defer txn.Rollback()
	applyOps(t, txn, "b=1")
	it, err := txn.NewIter([]byte(" "), nil)
	must(t, err)
	var seen []string
	for it.Next() {
		k := string(it.Key())
		seen = append(seen, k+"="+string(it.Value()))
		// Move every row to a later key, as an UPDATE of the primary key would.
		applyOps(t, txn, "-"+k, "z"+k+"=2")
	}
	must(t, it.Err())
	must(t, it.Close())
	if got := strings.Join(seen, " "); got != "a=1 b=1 c=1" {
		t.Fatalf("iterator saw %q, want a=1 b=1 c=1", got)
	}
	if got := scan(t, txn, "", ""); got != "za=2 zb=2 zc=2" {
		t.Fatalf("after update: %q", got)
	}
}

func TestTxnEnds(t *testing.T) {
	e := newTestEngine(t)
	txn := mustBegin(t, e)
	it, err := txn.NewIter(nil, nil)
	must(t, err)
	must(t, txn.Commit())
	if it.Next() || !errors.Is(it.Err(), ErrClosed) {
		t.Fatalf("iterator after commit: Err = %v, want ErrClosed", it.Err())
	}
	must(t, it.Close())
	if err := txn.Put([]byte("a"), nil); !errors.Is(err, ErrClosed) {
		t.Fatalf("Put after Commit: %v", err)
	}
	if err := txn.Commit(); !errors.Is(err, ErrClosed) {
		t.Fatalf("second Commit: %v", err)
	}
	txn.Rollback()
	open := mustBegin(t, e)
	must(t, e.Close())
	must(t, e.Close()) // idempotent
	if _, err := open.Get([]byte("a")); !errors.Is(err, ErrClosed) {
		t.Fatalf("Get after engine Close: %v", err)
	}
	open.Rollback()
	if _, err := e.Begin(); !errors.Is(err, ErrClosed) {
		t.Fatalf("Begin after Close: %v", err)
	}
	if _, err := e.NextSequence([]byte("s"), 1); !errors.Is(err, ErrClosed) {
		t.Fatalf("NextSequence after Close: %v", err)
	}
}

func TestLargeTxn(t *testing.T) {
	e := newTestEngine(t)
	const n = 100_000
	txn := mustBegin(t, e)
	val := bytes.Repeat([]byte("v"), 100)
	var key []byte
	for i := 0; i < n; i++ {
		key = TableRowKey(key[:0], FirstID, fmt.Appendf(nil, "%08d", i))
		must(t, txn.Put(key, val))
	}
	must(t, txn.Commit())
	r := mustBegin(t, e)
	defer r.Rollback()
	it, err := r.NewIter(TableRowPrefix(FirstID), PrefixEnd(TableRowPrefix(FirstID)))
	must(t, err)
	defer it.Close()
	count := 0
	for it.Next() {
		_, pk, err := DecodeTableRowKey(it.Key())
		must(t, err)
		if want := fmt.Sprintf("%08d", count); string(pk) != want {
			t.Fatalf("row %d has pk %q", count, pk)
		}
		count++
	}
	must(t, it.Err())
	if count != n {
		t.Fatalf("scanned %d rows, want %d", count, n)
	}
}
