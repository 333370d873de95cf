package sql

import (
	"github.com/vecgres/vecgres/planner"
)

// virtualTable resolves the system catalogs (pg_catalog, information_schema)
// that clients query; ok is false for any other name.
func (b *binder) virtualTable(schema, name string) (planner.Node, bool, error) {
	return nil, false, nil
}
