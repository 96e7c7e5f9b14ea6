package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

// TestTreeCheckRefusesBinariesAndLargeFiles runs .ci/tree-check.sh, the
// make test stage that keeps build output out of the repository, on
// throwaway git repositories: a clean one passes, and each kind of file it
// exists to refuse (a committed ELF build, a Windows build, an executable
// that is not a script, a file over 1 MiB) fails it, named in the message.
func TestTreeCheckRefusesBinariesAndLargeFiles(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is not on PATH")
	}
	root, err := tfcli.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(root, ".ci", "tree-check.sh")

	// newRepo makes a git repository holding a script and a text file, the
	// kinds of file the real tree has, plus extra (name -> contents, mode).
	type file struct {
		body string
		mode os.FileMode
	}
	newRepo := func(t *testing.T, extra map[string]file) string {
		t.Helper()
		dir := t.TempDir()
		files := map[string]file{
			"run.sh":    {"#!/usr/bin/env bash\necho hi\n", 0o755},
			"README.md": {"# readme\n", 0o644},
		}
		for name, f := range extra {
			files[name] = f
		}
		for name, f := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(f.body), f.mode); err != nil {
				t.Fatal(err)
			}
		}
		for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}} {
			cmd := exec.CommandContext(t.Context(), "git", args...)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("git %v: %v\n%s", args, err, out)
			}
		}
		return dir
	}
	run := func(t *testing.T, dir string) (string, error) {
		t.Helper()
		out, err := exec.CommandContext(t.Context(), "bash", script, dir).CombinedOutput()
		return string(out), err
	}

	t.Run("clean", func(t *testing.T) {
		out, err := run(t, newRepo(t, nil))
		if err != nil {
			t.Fatalf("a tree of a script and a text file was refused: %v\n%s", err, out)
		}
		if !strings.Contains(out, "2 tracked files") {
			t.Errorf("the check did not count the 2 tracked files:\n%s", out)
		}
	})

	for _, tc := range []struct {
		name, file string
		f          file
		want       string
	}{
		{"elf", "demo", file{"\x7fELF\x02\x01\x01\x00rest of a build", 0o755}, "demo: an ELF executable"},
		// Not executable on this file system, still a build.
		{"pe", "demo.exe", file{"MZ\x90\x00rest of a build", 0o644}, "demo.exe: a PE (Windows) executable"},
		{"not a script", "tool", file{"plain bytes", 0o755}, "tool: executable bit set but not a #! script"},
		{"large", "fixture.json", file{strings.Repeat("x", 1024*1024+1), 0o644}, "fixture.json: 1048577 bytes, over the 1 MiB limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := run(t, newRepo(t, map[string]file{tc.file: tc.f}))
			if err == nil {
				t.Fatalf("the check passed a tree tracking %s:\n%s", tc.file, out)
			}
			if !strings.Contains(out, tc.want) {
				t.Errorf("the refusal does not say %q:\n%s", tc.want, out)
			}
			if strings.Contains(out, "run.sh") || strings.Contains(out, "README.md") {
				t.Errorf("the refusal names a file that is fine:\n%s", out)
			}
		})
	}
}

// TestWorkflowsCheckRefusesBadWorkflows runs .ci/workflows-check.sh, the
// make test stage for the workflows that cannot run here, on throwaway
// trees: a well-formed workflow with pinned actions passes; one actionlint
// rejects (an unknown runner label) fails, as does one using an action by
// tag, each named in the message.
func TestWorkflowsCheckRefusesBadWorkflows(t *testing.T) {
	t.Parallel()
	root, err := tfcli.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(root, ".ci", "workflows-check.sh")
	const good = `name: Tests
on: [push]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@8e8c483db84b4bee98b60c0593521ed34d9990e8 # v6.0.1
      - run: make test
`
	for _, tc := range []struct {
		name, workflow, want string
	}{
		{"good", good, ""},
		{"actionlint", strings.Replace(good, "ubuntu-latest", "ubuntu-latst", 1), `label "ubuntu-latst" is unknown`},
		{"tag", strings.Replace(good, "@8e8c483db84b4bee98b60c0593521ed34d9990e8 # v6.0.1", "@v6", 1), "uses: actions/checkout@v6"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, ".github", "workflows"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, ".github", "workflows", "test.yml"), []byte(tc.workflow), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.CommandContext(t.Context(), "bash", script, dir).CombinedOutput()
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("a good workflow was refused: %v\n%s", err, out)
			case tc.want != "" && err == nil:
				t.Fatalf("the check passed a bad workflow:\n%s", out)
			case !strings.Contains(string(out), tc.want):
				t.Errorf("the output does not say %q:\n%s", tc.want, out)
			}
		})
	}
}
