package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

// TestReadmeLayoutMatchesTheTree: every path the README's layout table
// names exists, as does every Go file a row names in its directory, and
// every package directory (cmd/*, internal/*,
// internal/cmd/*) has a row, so the table a newcomer reads first cannot
// drift from the tree.
func TestReadmeLayoutMatchesTheTree(t *testing.T) {
	root, err := tfcli.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Layout\n")
	if !ok {
		t.Fatal("README.md has no ## Layout section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	listed := map[string]bool{}
	rowPattern := regexp.MustCompile(`(?m)^\| ([^|]*) \| (.*) \|$`)
	quoted := regexp.MustCompile("`([^`]+)`")
	for _, row := range rowPattern.FindAllStringSubmatch(section, -1) {
		// Go files a row's contents name are files of its directory.
		if dir := strings.Trim(row[1], "`"); !strings.ContainsAny(dir, "`, ") {
			for _, q := range quoted.FindAllStringSubmatch(row[2], -1) {
				if name := q[1]; strings.HasSuffix(name, ".go") && !strings.Contains(name, "/") {
					if matches, _ := filepath.Glob(filepath.Join(root, dir, name)); len(matches) == 0 {
						t.Errorf("the layout table's row for %s names %s, which is not there", dir, name)
					}
				}
			}
		}
		for _, p := range quoted.FindAllStringSubmatch(row[1], -1) {
			path := strings.TrimSuffix(p[1], "/")
			listed[path] = true
			if _, err := os.Stat(filepath.Join(root, path)); err != nil {
				t.Errorf("the layout table lists %s, which is not in the tree", p[1])
			}
		}
	}
	if len(listed) == 0 {
		t.Fatal("no paths found in the layout table")
	}
	for _, parent := range []string{"cmd", "internal", "internal/cmd"} {
		entries, err := os.ReadDir(filepath.Join(root, parent))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			path := parent + "/" + e.Name()
			if e.IsDir() && path != "internal/cmd" && !listed[path] {
				t.Errorf("%s has no row in the README's layout table", path)
			}
		}
	}
}
