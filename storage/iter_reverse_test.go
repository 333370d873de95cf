package storage

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
)

// reverseScan returns "k=v k=v ..." for [lower, upper) read by a reverse
// iterator (upper "" means unbounded).
func reverseScan(t testing.TB, r Reader, lower, upper string) string {
	t.Helper()
	var hi []byte
	if upper != "" {
		hi = []byte(upper)
	}
	it, err := r.NewReverseIter([]byte(lower), hi)
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

// reversed reverses a "k=v k=v" list.
func reversed(s string) string {
	f := strings.Fields(s)
	slices.Reverse(f)
	return strings.Join(f, " ")
}

// TestReverseIterAgainstModel checks reverse iteration over committed
// state merged with a transaction's puts, tombstones and range deletions
// (more than one chunk of write-set entries) against a model.
func TestReverseIterAgainstModel(t *testing.T) {
	e := newTestEngine(t)
	rng := rand.New(rand.NewSource(7))
	committed := map[string]string{}
	key := func() string { return fmt.Sprintf("k%03d", rng.Intn(300)) }
	for round := 0; round < 20; round++ {
		txn := mustBegin(t, e)
		model := maps(committed)
		for op := 0; op < 200; op++ {
			switch r := rng.Intn(100); {
			case r < 55:
				k, v := key(), fmt.Sprint(rng.Intn(1000))
				must(t, txn.Put([]byte(k), []byte(v)))
				model[k] = v
			case r < 75:
				k := key()
				must(t, txn.Delete([]byte(k)))
				delete(model, k)
			case r < 80:
				lo, hi := key(), key()
				must(t, txn.DeleteRange([]byte(lo), []byte(hi)))
				for k := range model {
					if lo <= k && k < hi {
						delete(model, k)
					}
				}
			default:
				lo, hi := key(), key()
				if rng.Intn(5) == 0 {
					hi = ""
				}
				if got, want := reverseScan(t, txn, lo, hi), reversed(modelScan(model, lo, hi)); got != want {
					t.Fatalf("round %d op %d: reverse [%s,%s) =\n%s\nwant\n%s", round, op, lo, hi, got, want)
				}
			}
		}
		if got, want := reverseScan(t, txn, " ", ""), reversed(modelScan(model, "", "")); got != want {
			t.Fatalf("round %d: full reverse scan differs:\n%s\nwant\n%s", round, got, want)
		}
		must(t, txn.Commit())
		committed = model
		r := mustBegin(t, e)
		if got, want := reverseScan(t, r, " ", ""), reversed(modelScan(committed, "", "")); got != want {
			t.Fatalf("round %d: committed reverse scan differs:\n%s\nwant\n%s", round, got, want)
		}
		must(t, r.Commit())
	}
}

// TestReverseIterSeekGE checks that SeekGE on a reverse iterator fails
// loudly instead of moving the wrong way.
func TestReverseIterSeekGE(t *testing.T) {
	e := newTestEngine(t)
	commitKVs(t, e, "a=1", "b=2")
	txn := mustBegin(t, e)
	defer txn.Rollback()
	it, err := txn.NewReverseIter([]byte("a"), nil)
	must(t, err)
	defer it.Close()
	if it.SeekGE([]byte("a")) || it.Err() != errSeekReverse {
		t.Fatalf("SeekGE on a reverse iterator: err %v, want errSeekReverse", it.Err())
	}
}
