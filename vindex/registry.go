package vindex

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Constructor builds an empty index of one type. params are the type's
// build parameters as given in SQL's WITH (...) or bench's --with
// (e.g. "m" → "16"); a constructor rejects names it does not know and values
// it cannot parse, with an error naming the parameter.
type Constructor func(dims int, m Metric, params map[string]string) (Index, error)

// Loader reads an index of one type written by its Save.
type Loader func(r io.Reader) (Index, error)

// Registry maps index type names ("flat", "hnsw", "ivf_flat", "ivf_pq",
// "annoy") to their constructors and loaders. There is no global registry:
// each program (the SQL engine, vecgres bench, a test) builds its own value
// and registers the types it links, so dependencies stay explicit.
//
// A Registry is not safe for concurrent Register calls; register everything
// first, then share it read-only (New, Load and Names are then safe for
// concurrent use).
type Registry struct {
	types map[string]registered
}

type registered struct {
	newIndex Constructor
	load     Loader
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{types: map[string]registered{}} }

// Register adds an index type. Registering a name twice replaces the
// earlier entry. It panics if newIndex or load is nil (a programming error).
func (r *Registry) Register(name string, newIndex Constructor, load Loader) {
	if newIndex == nil || load == nil {
		panic(fmt.Sprintf("vindex: Register(%q) with a nil constructor or loader", name))
	}
	r.types[strings.ToLower(name)] = registered{newIndex: newIndex, load: load}
}

// Names returns the registered type names, sorted.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.types))
	for n := range r.types {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Has reports whether name is registered (names are case-insensitive).
func (r *Registry) Has(name string) bool {
	_, ok := r.types[strings.ToLower(name)]
	return ok
}

// New builds an empty index of the named type. It returns an error listing
// the known types when name is not registered, and the constructor's error
// (wrapped with the type name) when params are invalid.
func (r *Registry) New(name string, dims int, m Metric, params map[string]string) (Index, error) {
	t, ok := r.types[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("unknown index type %q (known: %s)", name, strings.Join(r.Names(), ", "))
	}
	if dims <= 0 {
		return nil, fmt.Errorf("%s: dimensions must be positive, got %d", name, dims)
	}
	idx, err := t.newIndex(dims, m, params)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return idx, nil
}

// Load reads an index of the named type from r.
func (r *Registry) Load(name string, rd io.Reader) (Index, error) {
	t, ok := r.types[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("unknown index type %q (known: %s)", name, strings.Join(r.Names(), ", "))
	}
	idx, err := t.load(rd)
	if err != nil {
		return nil, fmt.Errorf("load %s index: %w", name, err)
	}
	return idx, nil
}

// ParseParams parses "m=16,ef_construction=200" into a map. Names are
// lower-cased; an item without "=" or with an empty name is an error. The
// empty string gives an empty map.
func ParseParams(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		k, v, ok := strings.Cut(item, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		if !ok || k == "" {
			return nil, fmt.Errorf("parameter %q: want name=value", item)
		}
		out[k] = strings.TrimSpace(v)
	}
	return out, nil
}
