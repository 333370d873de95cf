package sql

import (
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
)

// parseExpr parses a stored expression (a column default) back into a
// syntax tree, through the same front layer as client SQL.
func parseExpr(text string) (tree.Expr, error) {
	stmts, err := Parse("SELECT " + text)
	if err != nil {
		return nil, err
	}
	if len(stmts) != 1 {
		return nil, pgerr.Newf(pgerr.DataCorrupted, "stored expression %q does not parse as one expression", text)
	}
	sel, ok := stmts[0].Stmt.(*tree.Select)
	if !ok || len(sel.Targets) != 1 {
		return nil, pgerr.Newf(pgerr.DataCorrupted, "stored expression %q does not parse as one expression", text)
	}
	return sel.Targets[0].Expr, nil
}
