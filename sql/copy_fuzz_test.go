package sql

import (
	"context"
	"testing"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// FuzzCopyIn feeds arbitrary bytes to COPY FROM STDIN in each format: the
// server must answer with a *pgerr.Error or a row count, never panic, and
// the session must stay usable.
func FuzzCopyIn(f *testing.F) {
	for _, seed := range []string{
		"1\t[1,2,3]\tx\n2\t\\N\t\\N\n\\.\n",
		"id,v,t\n1,\"[1,2,3]\",\"a,b\"\n",
		"PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
		"1\t[1,2]\tx\n",
		"",
	} {
		for format := uint8(0); format < 3; format++ {
			f.Add(format, []byte(seed))
		}
	}
	eng, err := Open(Config{DataDir: f.TempDir()})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { eng.Close() })
	ctx := context.Background()
	s, err := eng.NewSession(ctx, map[string]string{"user": "postgres", "database": "postgres"})
	if err != nil {
		f.Fatal(err)
	}
	run := func(sql string) (*Result, error) {
		ps, err := Parse(sql)
		if err != nil {
			return nil, err
		}
		p, err := s.Prepare(ctx, ps[0], nil)
		if err != nil {
			return nil, err
		}
		return s.Execute(ctx, p, nil)
	}
	if _, err := run("CREATE TABLE c (id int PRIMARY KEY, v vector(3), t text)"); err != nil {
		f.Fatal(err)
	}
	if err := s.Sync(); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, format uint8, data []byte) {
		stmt := []string{"COPY c FROM STDIN", "COPY c FROM STDIN WITH (FORMAT csv, HEADER true)", "COPY c FROM STDIN BINARY"}[format%3]
		r, err := run(stmt)
		if err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
		half := len(data) / 2
		err = r.CopyData(ctx, data[:half])
		if err == nil {
			err = r.CopyData(ctx, data[half:])
		}
		if err == nil {
			err = r.CopyDone(ctx)
		}
		if err != nil {
			if pgerr.From(err).Code == "" {
				t.Fatalf("error without SQLSTATE: %v", err)
			}
		}
		// Whatever happened, roll back and check the session still works.
		s.Fail()
		_ = s.Sync()
		if _, err := run("SELECT count(*) FROM c"); err != nil {
			t.Fatalf("session unusable after COPY: %v", err)
		}
		_ = s.Sync()
	})
}
