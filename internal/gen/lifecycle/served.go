package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"sort"
	"strconv"
	"strings"
)

// enablement is the default API enablement of one release, read from
// DefaultAPIResourceConfigSource in pkg/controlplane/instance.go (pkg/master/
// master.go before 1.20). Resource settings override group-version settings,
// as in k8s.io/apiserver's ResourceConfig.
type enablement struct {
	GV  map[string]bool // "group/version/" -> enabled
	GVR map[string]bool // "group/version/resource" -> enabled
}

// parseEnablement reads the EnableVersions/DisableVersions/EnableResources/
// DisableResources calls in source order. dirGroup maps a k8s.io/api package
// directory ("apps/v1beta1") to its group name.
func parseEnablement(name string, src []byte, dirGroup map[string]pkgInfo) (*enablement, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	imports := map[string]pkgInfo{} // alias -> package
	for _, is := range f.Imports {
		p, _ := strconv.Unquote(is.Path.Value)
		dir := path.Base(path.Dir(p)) + "/" + path.Base(p)
		info, ok := dirGroup[dir]
		if !ok {
			continue
		}
		alias := path.Base(p)
		if is.Name != nil {
			alias = is.Name.Name
		}
		imports[alias] = info
	}
	lists := map[string][]ast.Expr{} // package-level var -> elements
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, s := range gd.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if i < len(vs.Values) {
					if cl, ok := vs.Values[i].(*ast.CompositeLit); ok {
						lists[n.Name] = cl.Elts
					}
				}
			}
		}
	}
	en := &enablement{GV: map[string]bool{}, GVR: map[string]bool{}}
	var unknown []string
	var calls []*ast.CallExpr
	ast.Inspect(f, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if sel, ok := c.Fun.(*ast.SelectorExpr); ok {
				switch sel.Sel.Name {
				case "EnableVersions", "DisableVersions", "EnableResources", "DisableResources":
					calls = append(calls, c)
				}
			}
		}
		return true
	})
	sort.Slice(calls, func(i, j int) bool { return calls[i].Pos() < calls[j].Pos() })
	for _, c := range calls {
		method := c.Fun.(*ast.SelectorExpr).Sel.Name
		on := strings.HasPrefix(method, "Enable")
		var args []ast.Expr
		for _, a := range c.Args {
			if id, ok := a.(*ast.Ident); ok && c.Ellipsis.IsValid() {
				args = append(args, lists[id.Name]...)
				continue
			}
			args = append(args, a)
		}
		for _, a := range args {
			gv, res, ok := gvOf(a, imports)
			if !ok {
				// Alpha packages deleted before k8s.io/api v0.19 (auditregistration)
				// are not in the map; they are off by default anyway.
				if !on && strings.Contains(exprString(a), "alpha") {
					continue
				}
				unknown = append(unknown, fmt.Sprintf("%s:%d", name, fset.Position(a.Pos()).Line))
				continue
			}
			if res == "" {
				en.GV[gv] = on
			} else {
				en.GVR[gv+res] = on
			}
		}
	}
	if len(en.GV) == 0 {
		return nil, fmt.Errorf("%s: no default API enablement found", name)
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("unresolved group versions at %s", strings.Join(unknown, ", "))
	}
	return en, nil
}

// gvOf resolves `alias.SchemeGroupVersion` and
// `alias.SchemeGroupVersion.WithResource("r")`.
func gvOf(e ast.Expr, imports map[string]pkgInfo) (gv, res string, ok bool) {
	if c, isCall := e.(*ast.CallExpr); isCall {
		sel, isSel := c.Fun.(*ast.SelectorExpr)
		if !isSel || sel.Sel.Name != "WithResource" || len(c.Args) != 1 {
			return "", "", false
		}
		lit, isLit := c.Args[0].(*ast.BasicLit)
		if !isLit {
			return "", "", false
		}
		r, err := strconv.Unquote(lit.Value)
		if err != nil {
			return "", "", false
		}
		gv, _, ok = gvOf(sel.X, imports)
		return gv, r, ok
	}
	sel, isSel := e.(*ast.SelectorExpr)
	if !isSel || sel.Sel.Name != "SchemeGroupVersion" {
		return "", "", false
	}
	id, isID := sel.X.(*ast.Ident)
	if !isID {
		return "", "", false
	}
	p, found := imports[id.Name]
	if !found {
		return "", "", false
	}
	return gvk(p.Group, p.Version, ""), "", true
}

// defaultOn reports whether the release serves kind by default. known is
// false when the release's enablement does not mention the group version
// (APIs of the extension and aggregation servers).
func (en *enablement) defaultOn(group, version, kind string, sw *swaggerInfo) (on, known bool) {
	gv := gvk(group, version, "")
	for key, k := range sw.Kinds {
		if k != kind || !strings.HasPrefix(key, gv) || strings.Contains(key[len(gv):], "/") {
			continue
		}
		if v, ok := en.GVR[key]; ok {
			return v, true
		}
	}
	v, ok := en.GV[gv]
	return v, ok
}

func exprString(e ast.Expr) string {
	if s, ok := e.(*ast.SelectorExpr); ok {
		if id, ok := s.X.(*ast.Ident); ok {
			return id.Name + "." + s.Sel.Name
		}
	}
	return ""
}
