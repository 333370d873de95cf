package pgerr

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

func TestFromAndCodeOf(t *testing.T) {
	base := New(UniqueViolation, "duplicate key value violates unique constraint \"t_pkey\"")
	wrapped := fmt.Errorf("insert: %w", base)
	if got := From(wrapped); got != base {
		t.Fatalf("From did not find the wrapped *Error: %v", got)
	}
	if CodeOf(wrapped) != UniqueViolation {
		t.Fatalf("CodeOf = %s", CodeOf(wrapped))
	}
	plain := From(io.EOF)
	if plain.Code != InternalError || plain.Message != "EOF" || !errors.Is(plain, io.EOF) {
		t.Fatalf("an error without a code becomes XX000 wrapping it: %+v", plain)
	}
	if From(nil) != nil || CodeOf(nil) != "" {
		t.Fatal("nil must stay nil")
	}
}

func TestWithCopies(t *testing.T) {
	e := New(SyntaxError, "syntax error at or near \"FORM\"")
	p := e.WithPosition(10).WithHint("h").WithDetail("d").WithWhere("w")
	if e.Position != 0 || e.Hint != "" {
		t.Fatal("With* must not modify the receiver")
	}
	if p.Position != 10 || p.Hint != "h" || p.Detail != "d" || p.Where != "w" || p.Code != SyntaxError {
		t.Fatalf("copy lost fields: %+v", p)
	}
	w := Wrap(io.ErrUnexpectedEOF, IOError, "reading")
	if w.Message != "reading: unexpected EOF" || !errors.Is(w, io.ErrUnexpectedEOF) {
		t.Fatalf("Wrap: %+v", w)
	}
	if n := Notice(DuplicateTable, "skipping"); n.Severity != SeverityNotice {
		t.Fatalf("Notice severity %q", n.Severity)
	}
}
