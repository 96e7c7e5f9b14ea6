package bigiq

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// endpointDoc is how a method of Client says what it sends and where F5
// documents it: "BIG-IQ API: METHOD /mgmt/..." and "F5 docs: https://...".
var endpointDoc = regexp.MustCompile(`(?m)^BIG-IQ API: (GET|POST|PUT|PATCH|DELETE) /mgmt/\S+[\s\S]*^F5 docs: https://\S+`)

// TestEveryCallNamesItsEndpoint: every exported method of Client (each one
// calls BIG-IQ) names the request it sends and links F5's page for it, so a
// reader need not trace the code to know what a call does on the wire.
func TestEveryCallNamesItsEndpoint(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	methods := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || !fn.Name.IsExported() || !receivesClient(fn) {
				continue
			}
			methods++
			if !endpointDoc.MatchString(fn.Doc.Text()) {
				t.Errorf("%s: (*Client).%s does not say which BIG-IQ request it sends (\"BIG-IQ API: METHOD /mgmt/...\") and where F5 documents it (\"F5 docs: https://...\")",
					fset.Position(fn.Pos()), fn.Name.Name)
			}
		}
	}
	if methods == 0 {
		t.Fatal("found no exported method of Client: the test reads the wrong files")
	}
}

func receivesClient(fn *ast.FuncDecl) bool {
	star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	ident, ok := star.X.(*ast.Ident)
	return ok && ident.Name == "Client"
}
