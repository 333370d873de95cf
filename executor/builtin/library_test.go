package builtin

import (
	"errors"
	"testing"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
)

// TestEveryOverloadHasABody guards against registering a signature whose
// body is missing: each Func needs Eval or a typed builder, each
// Aggregate New or a typed builder.
func TestEveryOverloadHasABody(t *testing.T) {
	lib := NewLibrary()
	for _, table := range []map[string][]*Func{lib.binary, lib.unary, lib.funcs} {
		for name, fs := range table {
			for _, f := range fs {
				if f.Eval == nil && f.typed == nil {
					t.Errorf("%s%v has no body", name, f.Params)
				}
				if f.pseudo != nil && len(f.pseudo) != len(f.Params) {
					t.Errorf("%s: %d pseudo entries for %d params", name, len(f.pseudo), len(f.Params))
				}
			}
		}
	}
	for name, as := range lib.aggs {
		for _, a := range as {
			if a.New == nil && a.typed == nil {
				t.Errorf("aggregate %s%v has no state", name, a.Params)
			}
		}
	}
}

// TestResolveErrorHints checks the hints psql shows under resolution errors.
func TestResolveErrorHints(t *testing.T) {
	lib := NewLibrary()
	cases := []struct {
		err  func() error
		code pgerr.Code
		msg  string
		hint string
	}{
		{func() error { _, err := lib.ResolveBinary("<->", types.Int4Type, types.VectorType); return err },
			pgerr.UndefinedFunction, "operator does not exist: integer <-> vector",
			"No operator matches the given name and argument types. You might need to add explicit type casts."},
		{func() error { _, err := lib.ResolveFunc("foo", []types.T{types.Int4Type}); return err },
			pgerr.UndefinedFunction, "function foo(integer) does not exist",
			"No function matches the given name and argument types. You might need to add explicit type casts."},
		{func() error {
			_, err := lib.ResolveBinary("+", types.UnknownType, types.UnknownType)
			return err
		}, pgerr.AmbiguousFunction, "operator is not unique: unknown + unknown",
			"Could not choose a best candidate operator. You might need to add explicit type casts."},
		{func() error { _, err := lib.ResolveAggregate("sum", []types.T{types.TextType}, false); return err },
			pgerr.UndefinedFunction, "function sum(text) does not exist",
			"No function matches the given name and argument types. You might need to add explicit type casts."},
	}
	for _, c := range cases {
		var pe *pgerr.Error
		if err := c.err(); !errors.As(err, &pe) {
			t.Fatalf("want %s, got %v", c.msg, err)
		}
		if pe.Code != c.code || pe.Message != c.msg || pe.Hint != c.hint {
			t.Errorf("got %s %q hint %q; want %s %q hint %q", pe.Code, pe.Message, pe.Hint, c.code, c.msg, c.hint)
		}
	}
}

// TestPolymorphicInstantiation checks that a resolved polymorphic Func is
// a concrete copy and the registered one stays polymorphic.
func TestPolymorphicInstantiation(t *testing.T) {
	lib := NewLibrary()
	f, err := lib.ResolveBinary("||", types.ArrayOf(types.Int4Type), types.Int8Type)
	if err != nil {
		t.Fatal(err)
	}
	want := types.ArrayOf(types.Int8Type)
	if !f.Return.Equal(want) || !f.Params[0].Equal(want) || !f.Params[1].Equal(types.Int8Type) {
		t.Fatalf("got %v -> %v", f.Params, f.Return)
	}
	if f.pseudo != nil || f.Eval == nil {
		t.Fatal("resolved Func is not concrete")
	}
	a, err := lib.ResolveAggregate("array_agg", []types.T{types.TextType}, false)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Return.Equal(types.ArrayOf(types.TextType)) {
		t.Fatalf("array_agg(text) returns %v", a.Return)
	}
	c, err := lib.ResolveAggregate("count", nil, true)
	if err != nil || !c.Star {
		t.Fatalf("count(*): %v %v", c, err)
	}
	if !lib.IsAggregate("avg") || lib.IsAggregate("abs") {
		t.Fatal("IsAggregate")
	}
}
