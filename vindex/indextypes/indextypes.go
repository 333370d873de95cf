// Package indextypes lists the vector index types vecgres ships, as one
// vindex.Registry. It exists because package vindex cannot import its own
// implementations (they import it); the SQL engine and "vecgres bench"
// both build their registry here, so the list of types lives in one place.
package indextypes

import (
	"io"

	"github.com/vecgres/vecgres/vindex"
	"github.com/vecgres/vecgres/vindex/annoy"
	"github.com/vecgres/vecgres/vindex/flat"
	"github.com/vecgres/vecgres/vindex/hnsw"
	"github.com/vecgres/vecgres/vindex/ivfflat"
	"github.com/vecgres/vecgres/vindex/ivfpq"
)

// Registry returns a registry of every index type: flat, hnsw, ivf_flat,
// ivf_pq and annoy. progress (may be nil) receives build progress from the
// types that report it.
//
// NB: the constructors return concrete pointers; each wrapper returns a
// nil interface on error rather than an interface holding a nil pointer.
func Registry(progress vindex.Progress) *vindex.Registry {
	reg := vindex.NewRegistry()
	reg.Register("flat", flat.NewWithParams, flat.LoadIndex)
	reg.Register("hnsw",
		func(dims int, m vindex.Metric, params map[string]string) (vindex.Index, error) {
			x, err := hnsw.New(dims, m, params)
			if err != nil {
				return nil, err
			}
			x.Progress = progress
			return x, nil
		},
		func(r io.Reader) (vindex.Index, error) {
			x, err := hnsw.Load(r)
			if err != nil {
				return nil, err
			}
			return x, nil
		})
	reg.Register("ivf_flat",
		func(dims int, m vindex.Metric, params map[string]string) (vindex.Index, error) {
			x, err := ivfflat.New(dims, m, params)
			if err != nil {
				return nil, err
			}
			x.SetProgress(progress)
			return x, nil
		},
		func(r io.Reader) (vindex.Index, error) {
			x, err := ivfflat.Load(r)
			if err != nil {
				return nil, err
			}
			return x, nil
		})
	reg.Register("ivf_pq",
		func(dims int, m vindex.Metric, params map[string]string) (vindex.Index, error) {
			x, err := ivfpq.New(dims, m, params)
			if err != nil {
				return nil, err
			}
			x.SetProgress(progress)
			return x, nil
		},
		func(r io.Reader) (vindex.Index, error) {
			x, err := ivfpq.Load(r)
			if err != nil {
				return nil, err
			}
			return x, nil
		})
	reg.Register("annoy",
		func(dims int, m vindex.Metric, params map[string]string) (vindex.Index, error) {
			x, err := annoy.New(dims, m, params)
			if err != nil {
				return nil, err
			}
			return x, nil
		},
		func(r io.Reader) (vindex.Index, error) {
			x, err := annoy.Load(r)
			if err != nil {
				return nil, err
			}
			return x, nil
		})
	return reg
}
