package sql

import (
	"context"
	"sort"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/planner"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// statementConstraints binds the CHECK and FOREIGN KEY constraints a
// statement writing target must enforce: target's own, and those of every
// table a referential action (CASCADE, SET NULL, SET DEFAULT) can reach
// from it. It returns nil when no constraint concerns target, so plain
// tables pay one pass over the catalog and nothing else.
func (s *Session) statementConstraints(cat *catalogView, target *executor.Table) (*executor.Constraints, error) {
	d := target.Desc
	if len(d.Checks) == 0 && len(d.ForeignKeys) == 0 && len(referencingKeys(cat, d.ID)) == 0 {
		return nil, nil
	}
	cons := &executor.Constraints{Tables: map[uint32]*executor.TableConstraints{}}
	fks := map[uint32]*executor.ForeignKey{}
	b := newBinder(s, cat, nil, "")
	queue := []*executor.Table{target}
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		if cons.Tables[t.Desc.ID] != nil {
			continue
		}
		tc := &executor.TableConstraints{}
		cons.Tables[t.Desc.ID] = tc
		for _, c := range t.Desc.Checks {
			e, err := parseExpr(c.Expr)
			if err != nil {
				return nil, err
			}
			x, err := b.checkExpr(t, e)
			if err != nil {
				return nil, pgerr.Wrap(err, pgerr.DataCorrupted, "check constraint "+c.Name)
			}
			tc.Checks = append(tc.Checks, executor.Check{Name: c.Name, Expr: x})
		}
		// NB: PostgreSQL evaluates CHECK constraints in name order, which
		// decides which one a row violating several is reported for.
		sort.SliceStable(tc.Checks, func(i, j int) bool { return tc.Checks[i].Name < tc.Checks[j].Name })
		for i := range t.Desc.ForeignKeys {
			fk, err := s.boundForeignKey(cat, b, fks, t.Desc, &t.Desc.ForeignKeys[i])
			if err != nil {
				return nil, err
			}
			tc.Outgoing = append(tc.Outgoing, fk)
		}
		refs := referencingKeys(cat, t.Desc.ID)
		for i := range t.Desc.ForeignKeys {
			if t.Desc.ForeignKeys[i].RefTable == t.Desc.ID {
				refs = append(refs, fkRef{t.Desc, &t.Desc.ForeignKeys[i]})
			}
		}
		for _, r := range refs {
			fk, err := s.boundForeignKey(cat, b, fks, r.table, r.fk)
			if err != nil {
				return nil, err
			}
			tc.Incoming = append(tc.Incoming, fk)
			if fk.OnDelete != storage.FKNoAction && fk.OnDelete != storage.FKRestrict ||
				fk.OnUpdate != storage.FKNoAction && fk.OnUpdate != storage.FKRestrict {
				queue = append(queue, fk.Child)
			}
		}
	}
	return cons, nil
}

// boundForeignKey returns the executor form of fkd, a foreign key of
// child, memoised by OID in seen.
func (s *Session) boundForeignKey(cat *catalogView, b *binder, seen map[uint32]*executor.ForeignKey, child *storage.TableDesc, fkd *storage.ForeignKeyDesc) (*executor.ForeignKey, error) {
	if fk := seen[fkd.OID]; fk != nil {
		return fk, nil
	}
	parentDesc := cat.cat.Table(fkd.RefTable)
	if fkd.RefTable == child.ID {
		parentDesc = child
	}
	if parentDesc == nil {
		return nil, pgerr.Newf(pgerr.DataCorrupted, "foreign key %q of table %q references table id %d, which does not exist", fkd.Name, child.Name, fkd.RefTable)
	}
	fk, err := s.bindForeignKey(b, child, parentDesc, fkd)
	if err != nil {
		return nil, err
	}
	seen[fkd.OID] = fk
	return fk, nil
}

// bindForeignKey builds the executor form of fkd between child and parent.
func (s *Session) bindForeignKey(b *binder, child, parent *storage.TableDesc, fkd *storage.ForeignKeyDesc) (*executor.ForeignKey, error) {
	ct, err := s.e.table(child)
	if err != nil {
		return nil, err
	}
	pt, err := s.e.table(parent)
	if err != nil {
		return nil, err
	}
	fk := &executor.ForeignKey{Name: fkd.Name, Child: ct, ChildCols: fkd.Columns, Parent: pt, ParentCols: fkd.RefColumns,
		ParentIndex: referencedIndex(parent, fkd.RefColumns), ChildIndex: childIndex(child, fkd.Columns),
		OnDelete: fkd.OnDelete, OnUpdate: fkd.OnUpdate}
	if fk.ParentIndex == nil {
		return nil, pgerr.Newf(pgerr.DataCorrupted, "foreign key %q: table %q has no unique index over the referenced columns", fkd.Name, parent.Name)
	}
	if fkd.OnDelete == storage.FKSetDefault || fkd.OnUpdate == storage.FKSetDefault {
		for _, c := range fkd.Columns {
			x, err := b.columnDefault(ct, c)
			if err != nil {
				return nil, err
			}
			fk.Defaults = append(fk.Defaults, x)
		}
	}
	return fk, nil
}

// childIndex finds an index of t whose leading columns are cols (in any
// order): the primary key or a btree index; nil when there is none.
func childIndex(t *storage.TableDesc, cols []int) *storage.IndexDesc {
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		if !ix.Primary && !executor.IsBtree(ix) || len(ix.Columns) < len(cols) {
			continue
		}
		if sameColumnSet(ix.Columns[:len(cols)], cols) {
			return ix
		}
	}
	return nil
}

// alterAddConstraint is ALTER TABLE ADD CHECK / FOREIGN KEY: the
// constraint is added to desc and the existing rows of t validated.
func (s *Session) alterAddConstraint(cat *catalogView, t *executor.Table, desc *storage.TableDesc, c tree.Constraint) error {
	if err := s.addConstraint(cat, desc, c, ""); err != nil {
		return err
	}
	ctx := context.Background()
	ectx := s.execCtx(ctx, nil)
	b := newBinder(s, cat, nil, "")
	if c.IsCheck() {
		ch := desc.Checks[len(desc.Checks)-1]
		x, err := b.checkExpr(t, c.Check)
		if err != nil {
			return err
		}
		return s.eachRow(ctx, t, false, func(row []types.Datum) (bool, error) {
			v, err := x.Eval(ectx, row)
			if err != nil {
				return false, err
			}
			if !v.IsNull() && !v.Bool() {
				return false, pgerr.Newf(pgerr.CheckViolation, "check constraint %q of relation %q is violated by some row", ch.Name, desc.Name)
			}
			return true, nil
		})
	}
	fkd := desc.ForeignKeys[len(desc.ForeignKeys)-1]
	parent := cat.cat.Table(fkd.RefTable)
	if fkd.RefTable == desc.ID {
		parent = desc
	}
	// NB: the child and a self-referenced parent are bound from the
	// descriptor being changed (not yet stored): its rows are t's.
	ct, err := executor.NewTable(desc)
	if err != nil {
		return err
	}
	pt := ct
	if parent != desc {
		if pt, err = s.e.table(parent); err != nil {
			return err
		}
	}
	fk := &executor.ForeignKey{Name: fkd.Name, Child: ct, ChildCols: fkd.Columns, Parent: pt, ParentCols: fkd.RefColumns,
		ParentIndex: referencedIndex(parent, fkd.RefColumns)}
	if fk.ParentIndex.Primary || fk.ParentIndex.ID != 0 {
		return executor.ValidateForeignKey(ectx, fk)
	}
	return nil
}

// bindStatementConstraints gives ectx the constraints of the table a DML
// plan writes (nothing for other plans).
func (s *Session) bindStatementConstraints(ectx *executor.Ctx, plan planner.Node) error {
	var t *executor.Table
	switch n := plan.(type) {
	case *planner.Insert:
		t = n.Table
	case *planner.Update:
		t = n.Table
	case *planner.Delete:
		t = n.Table
	default:
		return nil
	}
	cat, err := s.catalog()
	if err != nil {
		return err
	}
	ectx.Constraints, err = s.statementConstraints(cat, t)
	return err
}

// constraintCtx is the executor context of one COPY FROM batch: it
// carries the table's constraints and the checks queued so far.
func (c *copyIn) constraintCtx() *executor.Ctx {
	ectx := c.s.execCtx(c.ctx, nil)
	if c.cons != nil {
		ectx.Constraints, ectx.Pending = c.cons, &c.checks
	}
	return ectx
}

// runChecks runs the foreign-key checks of the whole COPY, at its end.
func (c *copyIn) runChecks() error {
	if c.cons == nil {
		return nil
	}
	return c.checks.Run(c.constraintCtx())
}
