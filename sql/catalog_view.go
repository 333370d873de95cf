package sql

import (
	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/storage"
)

// catalogView is the catalog as one statement sees it, for one database.
type catalogView struct {
	e   *Engine
	cat *storage.Catalog
	db  *storage.DatabaseDesc
}

// table resolves a table name in the current database; nil when absent.
// Schema "" and "public" are the same; vecgres has the one user schema.
func (c *catalogView) table(schema, name string) (*executor.Table, error) {
	if schema != "" && schema != "public" {
		return nil, nil
	}
	desc := c.cat.TableByName(c.db.ID, "public", name)
	if desc == nil {
		return nil, nil
	}
	return c.e.table(desc)
}

// hasExtension reports whether CREATE EXTENSION name ran in this database.
func (c *catalogView) hasExtension(name string) bool {
	for _, x := range c.db.Extensions {
		if x == name {
			return true
		}
	}
	return false
}
