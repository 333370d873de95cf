package sql

import (
	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
)

// enterWindows makes a query level's WINDOW clause the named windows OVER
// may refer to, returning the enclosing level's set for the caller to
// restore.
func (c *converter) enterWindows(specs []ast.WindowSpec) (map[string]*ast.WindowSpec, error) {
	outer := c.windows
	c.windows = nil
	for i := range specs {
		w := &specs[i]
		if c.windows == nil {
			c.windows = map[string]*ast.WindowSpec{}
		}
		if c.windows[w.Name.L] != nil {
			return outer, c.sc.errAt(pgerr.WindowingError, max(c.pos(w), 0), "window \""+w.Name.O+"\" is already defined")
		}
		c.windows[w.Name.L] = w
	}
	return outer, nil
}

// windowSpec converts an OVER clause, resolving references to named
// windows as PostgreSQL does: OVER w uses w as it is; OVER (w ...) copies
// w's PARTITION BY and ORDER BY, and may add an ORDER BY only if w has
// none, and a frame.
func (c *converter) windowSpec(spec *ast.WindowSpec) (*tree.WindowSpec, error) {
	out := &tree.WindowSpec{}
	ref := spec.Ref
	if spec.OnlyAlias || (spec.Name.L != "" && spec.PartitionBy == nil && spec.OrderBy == nil && spec.Frame == nil) {
		ref = spec.Name
	}
	if ref.L != "" {
		base := c.windows[ref.L]
		if base == nil {
			return nil, c.sc.errAt(pgerr.UndefinedObject, max(c.pos(spec), 0), "window \""+ref.O+"\" does not exist")
		}
		if base == spec {
			return nil, c.bad(spec, "this window reference")
		}
		b, err := c.windowSpec(base)
		if err != nil {
			return nil, err
		}
		if ref.L == spec.Name.L && spec.Ref.L == "" {
			return b, nil
		}
		if spec.PartitionBy != nil {
			return nil, c.sc.errAt(pgerr.WindowingError, max(c.pos(spec), 0), "cannot override PARTITION BY clause of window \""+ref.O+"\"")
		}
		if spec.OrderBy != nil && b.OrderBy != nil {
			return nil, c.sc.errAt(pgerr.WindowingError, max(c.pos(spec), 0), "cannot override ORDER BY clause of window \""+ref.O+"\"")
		}
		if b.Frame != nil {
			return nil, c.sc.errAt(pgerr.WindowingError, max(c.pos(spec), 0), "cannot copy window \""+ref.O+"\" because it has a frame clause")
		}
		out.PartitionBy, out.OrderBy = b.PartitionBy, b.OrderBy
	}
	if spec.PartitionBy != nil {
		for _, it := range spec.PartitionBy.Items {
			e, err := c.expr(it.Expr)
			if err != nil {
				return nil, err
			}
			out.PartitionBy = append(out.PartitionBy, e)
		}
	}
	if spec.OrderBy != nil {
		items, err := c.orderBy(spec.OrderBy)
		if err != nil {
			return nil, err
		}
		out.OrderBy = items
	}
	if spec.Frame != nil {
		f, err := c.frame(spec.Frame)
		if err != nil {
			return nil, err
		}
		out.Frame = f
	}
	return out, nil
}

// frame converts a frame clause; "ROWS n PRECEDING" (no BETWEEN) ends at
// CURRENT ROW.
func (c *converter) frame(f *ast.FrameClause) (*tree.WindowFrame, error) {
	out := &tree.WindowFrame{Pos: c.pos(f), Mode: "ROWS"}
	switch f.Type {
	case ast.Ranges:
		out.Mode = "RANGE"
	case ast.Groups:
		out.Mode = "GROUPS"
	}
	var err error
	if out.Start, err = c.frameBound(&f.Extent.Start); err != nil {
		return nil, err
	}
	if out.End, err = c.frameBound(&f.Extent.End); err != nil {
		return nil, err
	}
	return out, nil
}

func (c *converter) frameBound(b *ast.FrameBound) (tree.FrameBound, error) {
	var out tree.FrameBound
	switch b.Type {
	case ast.CurrentRow:
		out.Kind = "CURRENT ROW"
		return out, nil
	case ast.Preceding:
		out.Kind = "PRECEDING"
	default:
		out.Kind = "FOLLOWING"
	}
	if b.UnBounded {
		out.Kind = "UNBOUNDED " + out.Kind
		return out, nil
	}
	if b.Unit != ast.TimeUnitInvalid {
		return out, c.bad(b, "an interval frame offset")
	}
	var err error
	out.Offset, err = c.expr(b.Expr)
	return out, err
}
