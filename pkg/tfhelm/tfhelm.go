// Package tfhelm reads Terraform helm_release resources (the Helm provider)
// from .tf files so the addon rules can judge the chart versions they pin.
// Only literal attribute values are read; Terraform is never evaluated.
package tfhelm

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/safefs"
)

// maxFile bounds one .tf file; Terraform modules are small text files.
const maxFile = 4 << 20

// Attr is one attribute of a helm_release: its literal value, or the
// expression text when it is not a literal (a variable, a function call).
type Attr struct {
	Value string
	// Expr is the source text of a non-literal value; empty for literals.
	Expr string
	Line int
	// Set is false when the attribute is absent.
	Set bool
}

// Literal reports whether the attribute is set to a literal string.
func (a Attr) Literal() bool { return a.Set && a.Expr == "" }

// Release is one resource "helm_release" block.
type Release struct {
	// Name is the resource label (resource "helm_release" "<Name>").
	Name string
	File string
	// Line is the line of the resource block header.
	Line       int
	Chart      Attr
	Version    Attr
	Repository Attr
}

// Error is a located parse error.
type Error struct {
	File    string
	Line    int
	Column  int
	Message string
}

func (e Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Message)
}

// Files lists the *.tf files directly inside dir, sorted.
func Files(dir string) []string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".tf") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out
}

// ReadFile parses one .tf file inside root. A file that does not parse
// yields its first error with its position; the releases of a file that
// parses are returned in file order.
func ReadFile(root, file string) ([]Release, *Error) {
	b, err := safefs.ReadIn(root, file, maxFile)
	if err != nil {
		return nil, &Error{File: file, Line: 1, Column: 1, Message: err.Error()}
	}
	return Parse(file, b)
}

// Parse reads the helm_release resources of one file's text.
func Parse(file string, src []byte) ([]Release, *Error) {
	f, diags := hclsyntax.ParseConfig(src, file, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, located(file, diags)
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return nil, nil
	}
	var out []Release
	for _, b := range body.Blocks {
		if b.Type != "resource" || len(b.Labels) != 2 || b.Labels[0] != "helm_release" {
			continue
		}
		r := Release{Name: b.Labels[1], File: file, Line: b.DefRange().Start.Line}
		r.Chart = attr(src, b.Body, "chart")
		r.Version = attr(src, b.Body, "version")
		r.Repository = attr(src, b.Body, "repository")
		out = append(out, r)
	}
	return out, nil
}

func attr(src []byte, body *hclsyntax.Body, name string) Attr {
	a, ok := body.Attributes[name]
	if !ok {
		return Attr{}
	}
	out := Attr{Line: a.Expr.Range().Start.Line, Set: true}
	// A literal is a value that needs no variables or functions.
	if len(a.Expr.Variables()) == 0 {
		if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
			out.Value = v.AsString()
			return out
		}
	}
	rng := a.Expr.Range()
	out.Expr = strings.TrimSpace(string(rng.SliceBytes(src)))
	if out.Expr == "" {
		out.Expr = "an expression"
	}
	return out
}

func located(file string, diags hcl.Diagnostics) *Error {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		msg := "the Terraform file does not parse as HCL: " + lowerFirst(strings.TrimSuffix(d.Summary, "."))
		if d.Detail != "" {
			msg += ": " + lowerFirst(strings.TrimSuffix(d.Detail, "."))
		}
		e := &Error{File: file, Line: 1, Column: 1, Message: msg}
		if d.Subject != nil {
			e.Line, e.Column = d.Subject.Start.Line, d.Subject.Start.Column
		}
		return e
	}
	return &Error{File: file, Line: 1, Column: 1, Message: "the Terraform file does not parse as HCL"}
}

// lowerFirst follows the findings' message style (lowercase start) unless
// the text starts with an acronym.
func lowerFirst(s string) string {
	if len(s) > 1 && s[0] >= 'A' && s[0] <= 'Z' && (s[1] < 'A' || s[1] > 'Z') {
		return string(s[0]+'a'-'A') + s[1:]
	}
	return s
}
