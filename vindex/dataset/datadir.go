package dataset

import (
	"fmt"
	"os"
	"path/filepath"
)

// SharedDir returns the path of ../shared/data/<name> relative to the
// repository root, found by walking up from the working directory to the
// folder holding go.mod (so it works from any package directory, and in CI
// where the repository is cloned next to shared/). It returns an error
// saying where it looked when the folder does not exist.
func SharedDir(name string) (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(dir, "..", "shared", "data", name)
			if st, err := os.Stat(p); err != nil || !st.IsDir() {
				return "", fmt.Errorf("dataset %q not found at %s (the repository root %s must have ../shared/data next to it)", name, p, dir)
			}
			return filepath.Clean(p), nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("no go.mod above %s: run from inside the repository", wd)
		}
	}
}
