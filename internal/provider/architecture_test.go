package provider

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// bannedImports are what only internal/bigiq may use: the provider speaks
// to BIG-IQ through the client, never over HTTP itself.
var bannedImports = []string{"net/http", "github.com/go-resty/resty"}

// wireStrings are pieces of BIG-IQ's wire format. A literal holding one in
// the provider is a BIG-IQ rule that belongs in internal/bigiq.
var wireStrings = []string{
	"/mgmt/", "https://localhost", "Tokens not found", "No matching device",
	"selfLink", "deviceReference", "perDeviceOauthIds", "oauthIds",
	"REVOKE_TOKEN", "REVOKE_LIST",
}

// TestProviderSpeaksDomainTermsOnly keeps BIG-IQ's wire rules in
// internal/bigiq: the provider's own (non-test) files import no HTTP client
// and hold no literal of BIG-IQ's paths, links, JSON keys or messages.
func TestProviderSpeaksDomainTermsOnly(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		checked++
		for _, problem := range wireRuleViolations(t, name, nil) {
			t.Error(problem)
		}
	}
	if checked == 0 {
		t.Fatal("no provider source file was checked")
	}
}

// TestWireRuleCheckCanFail shows the check above finds what it looks for.
func TestWireRuleCheckCanFail(t *testing.T) {
	t.Parallel()
	src := `package provider

import (
	"net/http"

	"github.com/go-resty/resty/v2"
)

var _ = http.MethodGet
var _ = resty.New
const notFound = "Tokens not found in index"
const link = "https://localhost/mgmt/cm/system/machineid-resolver/x"
`
	got := wireRuleViolations(t, "bad.go", src)
	want := []string{`imports "net/http"`, `imports "github.com/go-resty/resty/v2"`, `"Tokens not found"`, `"/mgmt/"`, `"https://localhost"`}
	joined := strings.Join(got, "\n")
	for _, w := range want {
		if !strings.Contains(joined, w) {
			t.Errorf("the check missed %s; it reported:\n%s", w, joined)
		}
	}
}

// wireRuleViolations parses one file (src, or the file itself when src is
// nil) and lists its banned imports and wire-format literals.
func wireRuleViolations(t *testing.T, name string, src any) []string {
	t.Helper()
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var problems []string
	for _, imp := range file.Imports {
		importPath, _ := strconv.Unquote(imp.Path.Value)
		for _, banned := range bannedImports {
			if importPath == banned || strings.HasPrefix(importPath, banned+"/") {
				problems = append(problems, fmt.Sprintf("%s imports %q: only internal/bigiq talks to BIG-IQ", fset.Position(imp.Pos()), importPath))
			}
		}
	}
	ast.Inspect(file, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		value, err := strconv.Unquote(lit.Value)
		if err != nil {
			return true
		}
		for _, wire := range wireStrings {
			if strings.Contains(value, wire) {
				problems = append(problems, fmt.Sprintf("%s holds %q: that is BIG-IQ's wire format; keep it in internal/bigiq", fset.Position(lit.Pos()), wire))
			}
		}
		return true
	})
	return problems
}
