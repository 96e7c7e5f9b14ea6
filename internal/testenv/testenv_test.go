package testenv

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScrub(t *testing.T) {
	for name, scrubbed := range map[string]bool{
		"BIGIQ_ADDRESS":            true,
		"BIGIQ_TOKEN":              true,
		"BIGIQ_REFRESH_TOKEN":      true,
		"BIGIQ_SOMETHING_NEW":      true,
		"TF_LOG":                   true,
		"TF_CLI_CONFIG_FILE":       true,
		"TF_CLI_ARGS_plan":         true,
		"TF_VAR_user_name":         true,
		"TF_ACC_TERRAFORM_VERSION": true,
		"GIT_DIR":                  true,
		"GIT_INDEX_FILE":           true,
		"HTTPS_PROXY":              true,
		"https_proxy":              true,
		"Http_Proxy":               true,
		"no_proxy":                 true,
		"ALL_PROXY":                true,
		"TF_ACC":                   false,
		"BIGIQ_TOOLS_CACHE":        false,
		"TF_ACC_TERRAFORM_PATH":    false,
		"BIGIQ_BENCH_INVENTORY":    false,
		"PATH":                     false,
		"HOME":                     false,
		"GOFLAGS":                  false,
		"CHECKPOINT_DISABLE":       false,
	} {
		t.Setenv(name, "set by the test")
		Scrub()
		_, set := os.LookupEnv(name)
		if set == scrubbed {
			t.Errorf("%s: still set %v after Scrub, want %v", name, set, !scrubbed)
		}
	}
}

// TestEveryTestedPackageScrubs: each package with tests calls Scrub from
// its TestMain, so a package added later cannot forget to.
func TestEveryTestedPackageScrubs(t *testing.T) {
	root := filepath.Join("..", "..")
	self := filepath.Join(root, "internal", "testenv") // tests Scrub itself
	scrubs := map[string]bool{}                        // package directory → calls Scrub
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != root) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dir := filepath.Dir(path)
		scrubs[dir] = scrubs[dir] || strings.Contains(string(src), "testenv.Scrub()")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(scrubs) < 2 {
		t.Fatalf("found test files in only %d directories under %s", len(scrubs), root)
	}
	for dir, ok := range scrubs {
		if !ok && dir != self {
			t.Errorf("%s has tests but no TestMain calling testenv.Scrub() (copy internal/provider/testmain_test.go)", dir)
		}
	}
}
