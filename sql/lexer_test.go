package sql

import (
	"errors"
	"testing"

	"github.com/vecgres/vecgres/sql/pgerr"
)

func TestLex(t *testing.T) {
	cases := []struct {
		in   string
		want []string // kind:val
	}{
		{`SELECT "Foo", bar FROM t`, []string{"i:select", "q:Foo", "o:,", "i:bar", "i:from", "i:t"}},
		{`E'a\nb\x41\'' 'it''s'`, []string{"s:a\nbA'", "s:it's"}},
		{"$$a;b$$ $tag$x$$y$tag$", []string{"s:a;b", "s:x$$y"}},
		{`a<->b <=> c<#>d !~* e`, []string{"i:a", "o:<->", "i:b", "o:<=>", "i:c", "o:<#>", "i:d", "o:!~*", "i:e"}},
		{`x<-1 a!=b`, []string{"i:x", "o:<", "o:-", "n:1", "i:a", "o:<>", "i:b"}},
		{`$1::vector[] /* c /* nested */ */ -- tail`, []string{"p:$1", "o:::", "i:vector", "o:[", "o:]"}},
		{`1.5e3 .5 10`, []string{"n:1.5e3", "n:.5", "n:10"}},
		{"'a'\n  'b'", []string{"s:ab"}},
	}
	kinds := map[tokKind]string{tokIdent: "i", tokQIdent: "q", tokString: "s", tokNumber: "n", tokParam: "p", tokOp: "o", tokBitStr: "b"}
	for _, c := range cases {
		toks, err := lex(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		var got []string
		for _, tk := range toks {
			got = append(got, kinds[tk.kind]+":"+tk.val)
		}
		if len(got) != len(c.want) {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%q: token %d got %q, want %q", c.in, i, got[i], c.want[i])
			}
		}
	}
}

func TestLexErrors(t *testing.T) {
	cases := []struct {
		in  string
		pos int
		msg string
	}{
		{`SELECT 'abc`, 8, `unterminated quoted string at or near "'abc"`},
		{`SELECT "abc`, 8, `unterminated quoted identifier at or near ""abc"`},
		{`SELECT /* x`, 8, `unterminated /* comment at or near "/* x"`},
		{`SELECT $$x`, 8, `unterminated dollar-quoted string at or near "$$x"`},
		{`SELECT ""`, 8, `zero-length delimited identifier at or near """"`},
		{`SELECT 'é', 'x`, 13, `unterminated quoted string at or near "'x"`},
	}
	for _, c := range cases {
		_, err := lex(c.in)
		var pe *pgerr.Error
		if !errors.As(err, &pe) {
			t.Errorf("%q: got %v, want a pgerr", c.in, err)
			continue
		}
		if pe.Code != pgerr.SyntaxError || pe.Position != c.pos || pe.Message != c.msg {
			t.Errorf("%q: got %s %d %q, want 42601 %d %q", c.in, pe.Code, pe.Position, pe.Message, c.pos, c.msg)
		}
	}
}
