package sql

import (
	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
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

// existingTable is table for statements that need the table to exist:
// a missing one is PostgreSQL's 42P01 "relation "name" does not exist".
func (c *catalogView) existingTable(t tree.TableName) (*executor.Table, error) {
	tbl, err := c.table(t.Schema, t.Name)
	if err != nil {
		return nil, err
	}
	if tbl == nil {
		return nil, pgerr.Newf(pgerr.UndefinedTable, "relation %q does not exist", t.Name)
	}
	return tbl, nil
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
