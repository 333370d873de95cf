package vindextest

import (
	"sync"
	"testing"

	"github.com/vecgres/vecgres/vindex/dataset"
)

var sharedCache sync.Map // name + "/" + metric → *dataset.Dataset

// SharedDataset loads the benchmark data set name (e.g. "siftsmall") from
// ../shared/data with the ground truth for metric ("l2", "cosine", ...;
// see dataset.Open), once per test binary: later calls return the same
// *dataset.Dataset, which callers must treat as read-only. Missing or
// malformed data fails the test (t.Fatal): the data is part of the
// checkout layout, not optional. Safe for concurrent use.
func SharedDataset(t testing.TB, name, metric string) *dataset.Dataset {
	t.Helper()
	key := name + "/" + metric
	if d, ok := sharedCache.Load(key); ok {
		return d.(*dataset.Dataset)
	}
	dir, err := dataset.SharedDir(name)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := dataset.Open(dir, metric)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := sharedCache.LoadOrStore(key, ds)
	return d.(*dataset.Dataset)
}
