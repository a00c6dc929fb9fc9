package model

import (
	"reflect"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestParseAndJoinPath(t *testing.T) {
	p := JoinIndex(JoinKey(JoinKey("spec.template.metadata", "annotations"), "kubernetes.io/ingress.class"), 0)
	if p != `spec.template.metadata.annotations["kubernetes.io/ingress.class"][0]` {
		t.Fatalf("joined %q", p)
	}
	got := ParsePath(p)
	want := []PathSegment{{Key: "spec"}, {Key: "template"}, {Key: "metadata"}, {Key: "annotations"}, {Key: "kubernetes.io/ingress.class"}, {Index: 0, IsIdx: true}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParsePath = %+v", got)
	}
	if got := PointerToPath("/spec/containers/1/env~1x/a~0b"); got != `spec.containers[1]["env/x"]["a~b"]` {
		t.Errorf("PointerToPath = %q", got)
	}
	// Malformed paths never panic.
	for _, s := range []string{"[", `["unterminated`, "a..b", "[x]", "a[-1]"} {
		_ = ParsePath(s)
	}
}

func TestNodeAtAndPosOf(t *testing.T) {
	src := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    a.b/c: x\nspec:\n  containers:\n    - name: one\n    - name: two\n      image: i\n"
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	o := &Object{Node: &doc, Source: Source{Line: 1, Col: 1, Exact: true}}
	for path, line := range map[string]int{
		"spec.containers[1].image":      11,
		`metadata.annotations["a.b/c"]`: 6,
		"spec.containers[1]":            10,
		"spec.containers[7]":            8, // nearest existing field
		"spec.nope":                     7,
		"":                              1,
	} {
		if l, _ := o.PosOf(path); l != line {
			t.Errorf("PosOf(%q) = %d, want %d", path, l, line)
		}
	}
	// Rendered objects whose lines could not be mapped report the object.
	o.Source.Exact = false
	if l, c := o.PosOf("spec.containers[1].image"); l != 1 || c != 1 {
		t.Errorf("inexact PosOf = %d:%d", l, c)
	}
}
