package hnsw

import (
	"testing"
	"time"

	"github.com/vecgres/vecgres/vindex"
)

func TestSmokeSift(t *testing.T) {
	d := loadDataset(t, "siftsmall", "gt_l2.ivecs")
	ix, err := New(d.dims, vindex.L2, map[string]string{"m": "16", "ef_construction": "200"})
	if err != nil {
		t.Fatal(err)
	}
	st := time.Now()
	if err := ix.Add(seqIDs(d.n()), d.base); err != nil {
		t.Fatal(err)
	}
	t.Logf("build %v", time.Since(st))
	for _, ef := range []int{10, 20, 40, 80} {
		var r float64
		var res []vindex.Result
		st := time.Now()
		for rep := 0; rep < 10; rep++ {
			r = 0
			for i := 0; i < d.nq(); i++ {
				res, _ = ix.Search(d.query(i), 10, &vindex.SearchParams{EfSearch: ef}, res)
				ids := make([]uint64, len(res))
				for j := range res {
					ids[j] = res[j].ID
				}
				r += recallAt(ids, d.gt[i], 10)
			}
		}
		el := time.Since(st)
		t.Logf("ef=%d recall=%.4f qps=%.0f", ef, r/float64(d.nq()), float64(10*d.nq())/el.Seconds())
	}
}
