package main

import (
	"archive/zip"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"strconv"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/internal/gen/modproxy"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
)

// tag is what one zz_generated.prerelease-lifecycle.go says about a type.
type tag struct {
	Introduced, Deprecated, Removed kubeversion.Version // zero when the method is absent
	Replacement                     string              // "group/version/Kind", core "v1/Kind"
	Source                          string              // module@version
}

const lifecycleFile = "zz_generated.prerelease-lifecycle.go"

// pkgInfo is one group/version package of a module.
type pkgInfo struct {
	Dir, Group, Version string
}

// readTags parses every lifecycle file under prefix in z. It returns the tags
// by GVK and the group/version packages (with a register.go) by directory.
func readTags(z *modproxy.Module, src, prefix string) (map[string]tag, map[string]pkgInfo, error) {
	files := map[string]*zip.File{}
	_ = z.Files(func(name string, zf *zip.File) error {
		if strings.HasPrefix(name, prefix) && !strings.Contains(name, "/testdata/") {
			files[name] = zf
		}
		return nil
	})
	pkgs := map[string]pkgInfo{}
	tags := map[string]tag{}
	for name, zf := range files {
		if path.Base(name) != "register.go" {
			continue
		}
		dir := path.Dir(name)
		ver := path.Base(dir)
		if !isAPIVersion(ver) {
			continue
		}
		b, err := modproxy.Read(zf)
		if err != nil {
			return nil, nil, err
		}
		group, ok, err := groupName(name, b)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %s: %w", src, name, err)
		}
		if !ok {
			continue
		}
		pkgs[dir] = pkgInfo{Dir: dir, Group: group, Version: ver}
	}
	for dir, p := range pkgs {
		zf, ok := files[dir+"/"+lifecycleFile]
		if !ok {
			continue
		}
		b, err := modproxy.Read(zf)
		if err != nil {
			return nil, nil, err
		}
		byType, err := parseLifecycle(dir+"/"+lifecycleFile, b)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", src, err)
		}
		for typ, t := range byType {
			t.Source = src
			tags[gvk(p.Group, p.Version, typ)] = t
		}
	}
	return tags, pkgs, nil
}

func isAPIVersion(s string) bool {
	if len(s) < 2 || s[0] != 'v' || s[1] < '0' || s[1] > '9' {
		return false
	}
	return !strings.ContainsAny(s, "_-.")
}

func gvk(group, version, kind string) string {
	if group == "" {
		return version + "/" + kind
	}
	return group + "/" + version + "/" + kind
}

// groupName finds `const GroupName = "..."` in a register.go.
func groupName(name string, src []byte) (string, bool, error) {
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.SkipObjectResolution)
	if err != nil {
		return "", false, err
	}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, s := range gd.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if n.Name != "GroupName" || i >= len(vs.Values) {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					g, err := strconv.Unquote(lit.Value)
					return g, err == nil, err
				}
			}
		}
	}
	return "", false, nil
}

// parseLifecycle reads the APILifecycle* methods of each type.
func parseLifecycle(name string, src []byte) (map[string]tag, error) {
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	out := map[string]tag{}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 || fd.Body == nil || len(fd.Body.List) != 1 {
			continue
		}
		typ := recvType(fd.Recv.List[0].Type)
		ret, ok := fd.Body.List[0].(*ast.ReturnStmt)
		if typ == "" || !ok {
			continue
		}
		t := out[typ]
		switch fd.Name.Name {
		case "APILifecycleIntroduced":
			t.Introduced, err = minorOf(ret)
		case "APILifecycleDeprecated":
			t.Deprecated, err = minorOf(ret)
		case "APILifecycleRemoved":
			t.Removed, err = minorOf(ret)
		case "APILifecycleReplacement":
			t.Replacement, err = replacementOf(ret)
		default:
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %s.%s: %w", name, typ, fd.Name.Name, err)
		}
		out[typ] = t
	}
	return out, nil
}

func recvType(e ast.Expr) string {
	if s, ok := e.(*ast.StarExpr); ok {
		e = s.X
	}
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// minorOf reads `return 1, N` (1.0 is a valid release, unlike the zero Version).
func minorOf(ret *ast.ReturnStmt) (kubeversion.Version, error) {
	var zero kubeversion.Version
	if len(ret.Results) != 2 {
		return zero, fmt.Errorf("want 2 results, got %d", len(ret.Results))
	}
	var n [2]int
	for i, r := range ret.Results {
		lit, ok := r.(*ast.BasicLit)
		if !ok || lit.Kind != token.INT {
			return zero, fmt.Errorf("result %d is not an integer literal", i)
		}
		v, err := strconv.Atoi(lit.Value)
		if err != nil {
			return zero, err
		}
		n[i] = v
	}
	if n[0] != 1 {
		return zero, fmt.Errorf("major version %d", n[0])
	}
	return kubeversion.Version{Major: 1, Minor: n[1]}, nil
}

// replacementOf reads `return schema.GroupVersionKind{Group: ..., Version: ..., Kind: ...}`.
func replacementOf(ret *ast.ReturnStmt) (string, error) {
	if len(ret.Results) != 1 {
		return "", fmt.Errorf("want 1 result")
	}
	cl, ok := ret.Results[0].(*ast.CompositeLit)
	if !ok {
		return "", fmt.Errorf("result is not a composite literal")
	}
	fields := map[string]string{}
	for _, el := range cl.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			return "", fmt.Errorf("unkeyed field")
		}
		k, ok1 := kv.Key.(*ast.Ident)
		lit, ok2 := kv.Value.(*ast.BasicLit)
		if !ok1 || !ok2 || lit.Kind != token.STRING {
			return "", fmt.Errorf("unexpected field")
		}
		v, err := strconv.Unquote(lit.Value)
		if err != nil {
			return "", err
		}
		fields[k.Name] = v
	}
	if fields["Version"] == "" || fields["Kind"] == "" {
		return "", nil
	}
	return gvk(fields["Group"], fields["Version"], fields["Kind"]), nil
}
