package e2e

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

// TestExamplesAreValid: every example under examples/ is formatted and
// (but for the action examples) passes terraform validate against the
// provider built from this tree, which needs no BIG-IQ and no credentials.
func TestExamplesAreValid(t *testing.T) {
	t.Parallel()
	root, err := tfcli.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	examples := filepath.Join(root, "examples")
	if _, err := tfcli.WorkspaceForTest(t, nil).Run(context.Background(), "fmt", "-check", "-recursive", "-diff", examples); err != nil {
		t.Fatal(err)
	}

	dirs := map[string]bool{}
	err = filepath.WalkDir(examples, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".tf") {
			dirs[filepath.Dir(path)] = true
		}
		return err
	})
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no examples found under %s: %v", examples, err)
	}
	for dir := range dirs {
		name, _ := filepath.Rel(examples, dir)
		// Action blocks need Terraform 1.14, which CI does not have: older
		// Terraform and OpenTofu reject them ("Unsupported block type"), so
		// the action examples are only format-checked above (terraform fmt
		// parses them as plain HCL); the protocol tests in internal/provider
		// cover the action itself.
		if strings.HasPrefix(filepath.ToSlash(name), "actions/") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := tfcli.WorkspaceForTest(t, nil)
			copyTerraformFiles(t, dir, w)
			if _, err := w.Run(context.Background(), "validate"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// copyTerraformFiles copies dir's .tf files into w. The snippets shown on
// the registry pages leave out required_providers, which provider.tf shows
// once; a copy without it gets the block a user's configuration would have.
func copyTerraformFiles(t *testing.T, dir string, w *tfcli.Workspace) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		t.Fatal(err)
	}
	declaresProviders := false
	for _, file := range files {
		content, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		declaresProviders = declaresProviders || strings.Contains(string(content), "required_providers")
		if err := w.WriteFile(filepath.Base(file), string(content)); err != nil {
			t.Fatal(err)
		}
	}
	if !declaresProviders {
		if err := w.WriteFile("zz_required_providers.tf", tfcli.RequiredProviders); err != nil {
			t.Fatal(err)
		}
	}
}
