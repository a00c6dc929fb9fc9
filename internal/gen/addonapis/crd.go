package main

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

type zipFile = zip.File

// crd is what one CustomResourceDefinition document says.
type crd struct {
	name, group, kind, scope string
	source                   string // module@version path
	versions                 []crdVersion
}

type crdVersion struct {
	name                        string
	served, storage, deprecated bool
	warning                     string
	schema                      map[string]any
}

var (
	// A line holding only template actions ({{- if ... }}, {{- end }}).
	templateLine = regexp.MustCompile(`^\s*(\{\{-?[^}]*-?\}\}\s*)+$`)
	templateExpr = regexp.MustCompile(`\{\{-?[^}]*-?\}\}`)
)

// untemplate makes a Helm-templated CRD file parseable: control lines are
// dropped and remaining actions (labels, names of charts) become a
// placeholder. Schemas carry no template actions in the files read.
func untemplate(b []byte) []byte {
	if !bytes.Contains(b, []byte("{{")) {
		return b
	}
	lines := strings.Split(string(b), "\n")
	out := lines[:0]
	for _, l := range lines {
		if templateLine.MatchString(l) {
			continue
		}
		out = append(out, templateExpr.ReplaceAllString(l, "templated"))
	}
	return []byte(strings.Join(out, "\n"))
}

// parseCRDs returns the CustomResourceDefinitions of a multi-document YAML
// file; other documents are skipped.
func parseCRDs(b []byte) ([]crd, error) {
	dec := yaml.NewDecoder(bytes.NewReader(untemplate(b)))
	var out []crd
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if doc["kind"] != "CustomResourceDefinition" {
			continue
		}
		c, err := toCRD(doc)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
}

func toCRD(doc map[string]any) (crd, error) {
	meta, _ := doc["metadata"].(map[string]any)
	spec, _ := doc["spec"].(map[string]any)
	names, _ := spec["names"].(map[string]any)
	c := crd{}
	c.name, _ = meta["name"].(string)
	c.group, _ = spec["group"].(string)
	c.kind, _ = names["kind"].(string)
	c.scope, _ = spec["scope"].(string)
	if c.name == "" || c.group == "" || c.kind == "" {
		return c, fmt.Errorf("CustomResourceDefinition %q lacks metadata.name, spec.group or spec.names.kind", c.name)
	}
	// apiextensions.k8s.io/v1beta1: one schema for all versions
	// (spec.validation) and possibly a single spec.version.
	common := openAPI(spec["validation"])
	list, _ := spec["versions"].([]any)
	if len(list) == 0 {
		if v, _ := spec["version"].(string); v != "" {
			list = []any{map[string]any{"name": v, "served": true, "storage": true}}
		}
	}
	for _, e := range list {
		m, _ := e.(map[string]any)
		v := crdVersion{schema: common}
		v.name, _ = m["name"].(string)
		v.served, _ = m["served"].(bool)
		v.storage, _ = m["storage"].(bool)
		v.deprecated, _ = m["deprecated"].(bool)
		v.warning, _ = m["deprecationWarning"].(string)
		if s := openAPI(m["schema"]); s != nil {
			v.schema = s
		}
		if v.name == "" {
			return c, fmt.Errorf("CustomResourceDefinition %q has a version without a name", c.name)
		}
		c.versions = append(c.versions, v)
	}
	if len(c.versions) == 0 {
		return c, fmt.Errorf("CustomResourceDefinition %q has no versions", c.name)
	}
	return c, nil
}

func openAPI(v any) map[string]any {
	m, _ := v.(map[string]any)
	s, _ := m["openAPIV3Schema"].(map[string]any)
	return s
}
