package storage

import (
	"encoding/binary"
	"testing"
)

// BenchmarkTxnPut measures buffering row puts in a transaction and
// committing them in batches of 10k (a bulk load), per row.
func BenchmarkTxnPut(b *testing.B) {
	e := openBenchEngine(b)
	defer e.Close()
	val := make([]byte, 3*4*128) // a row with a 384-dim float32 vector
	var key, pk []byte
	b.ReportAllocs()
	b.SetBytes(int64(len(val)))
	b.ResetTimer()
	txn := mustBegin(b, e)
	for i := 0; i < b.N; i++ {
		pk = binary.BigEndian.AppendUint64(pk[:0], uint64(i))
		key = TableRowKey(key[:0], FirstID, pk)
		if err := txn.Put(key, val); err != nil {
			b.Fatal(err)
		}
		if i%10_000 == 9_999 {
			must(b, txn.Commit())
			txn = mustBegin(b, e)
		}
	}
	must(b, txn.Commit())
}

// BenchmarkCommitSmall measures one-row transactions: bounded by the
// synced WAL write.
func BenchmarkCommitSmall(b *testing.B) {
	e := openBenchEngine(b)
	defer e.Close()
	var key []byte
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		key = TableRowKey(key[:0], FirstID, binary.BigEndian.AppendUint64(nil, uint64(i)))
		txn := mustBegin(b, e)
		must(b, txn.Put(key, []byte("row")))
		must(b, txn.Commit())
	}
}

const benchRows = 200_000

func loadBenchRows(b *testing.B, e Engine) {
	val := make([]byte, 100)
	var key []byte
	txn := mustBegin(b, e)
	for i := 0; i < benchRows; i++ {
		key = TableRowKey(key[:0], FirstID, binary.BigEndian.AppendUint64(nil, uint64(i)))
		must(b, txn.Put(key, val))
	}
	must(b, txn.Commit())
}

// BenchmarkScan measures a full table scan, per row; the Merged variant
// has a write set in the transaction, so rows go through the merge.
func BenchmarkScan(b *testing.B) {
	e := openBenchEngine(b)
	defer e.Close()
	loadBenchRows(b, e)
	prefix := TableRowPrefix(FirstID)
	for _, merged := range []bool{false, true} {
		name := "Snapshot"
		if merged {
			name = "Merged"
		}
		b.Run(name, func(b *testing.B) {
			txn := mustBegin(b, e)
			defer txn.Rollback()
			if merged {
				for i := 0; i < benchRows; i += 100 {
					must(b, txn.Put(TableRowKey(nil, FirstID, binary.BigEndian.AppendUint64(nil, uint64(i))), []byte("new")))
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			n := 0
			for n < b.N {
				it, err := txn.NewIter(prefix, PrefixEnd(prefix))
				must(b, err)
				for n < b.N && it.Next() {
					_ = it.Value()
					n++
				}
				must(b, it.Err())
				must(b, it.Close())
			}
		})
	}
}

// BenchmarkGet measures point reads of existing rows.
func BenchmarkGet(b *testing.B) {
	e := openBenchEngine(b)
	defer e.Close()
	loadBenchRows(b, e)
	txn := mustBegin(b, e)
	defer txn.Rollback()
	var key []byte
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		key = TableRowKey(key[:0], FirstID, binary.BigEndian.AppendUint64(nil, uint64(i*7919%benchRows)))
		if _, err := txn.Get(key); err != nil {
			b.Fatal(err)
		}
	}
}

// openBenchEngine opens a store with the production defaults.
func openBenchEngine(b *testing.B) Engine {
	e, err := OpenPebble(b.TempDir(), Options{})
	must(b, err)
	return e
}
