package executor

import (
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// ValidateForeignKey checks every row of fk.Child against fk (ALTER TABLE
// ADD FOREIGN KEY): it returns PostgreSQL's 23503 for the first row whose
// key is not present in fk.Parent. Rows with a NULL key column pass (MATCH
// SIMPLE). The parent lookup uses fk.ParentIndex, which must be stored.
func ValidateForeignKey(ctx *Ctx, fk *ForeignKey) error {
	c := fk.Child
	prefix := storage.TableRowPrefix(c.Desc.ID)
	it, err := ctx.Txn.NewIter(prefix, storage.PrefixEnd(prefix))
	if err != nil {
		return err
	}
	defer it.Close()
	row := make([]types.Datum, len(c.Types))
	for it.Next() {
		if err := ctx.checkCancel(); err != nil {
			return err
		}
		if err := c.DecodeValue(it.Value(), row); err != nil {
			return err
		}
		if anyNull(row, fk.ChildCols) {
			continue
		}
		vals, err := castCols(row, fk.ChildCols, c, fk.ParentCols, fk.Parent)
		if err != nil {
			return err
		}
		ok, err := parentExists(ctx, fk, vals)
		if err != nil {
			return err
		}
		if !ok {
			return &pgerr.Error{Code: pgerr.ForeignKeyViolation,
				Message: "insert or update on table \"" + c.Desc.Name + "\" violates foreign key constraint \"" + fk.Name + "\"",
				Detail:  "Key " + keyText(ctx, c, fk.ChildCols, row) + " is not present in table \"" + fk.Parent.Desc.Name + "\"."}
		}
	}
	return it.Err()
}
