package crdindex

import (
	"bytes"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// DocumentAPIs reads the API a CRD document defines. CRDs are mostly schema
// (hundreds of KB); a YAML decoder would parse all of it, so block-style
// documents are read line by line for the few keys needed, and only other
// layouts (JSON, flow style) are fully decoded.
func DocumentAPIs(doc []byte) []string {
	h, ok := scanCRDHead(doc)
	if !ok {
		h = decodeCRDHead(doc)
	}
	if h.kind != "CustomResourceDefinition" || h.group == "" {
		return nil
	}
	var out []string
	for _, v := range h.versions {
		gv := h.group + "/" + v
		out = append(out, gv)
		if h.names != "" {
			out = append(out, gv+"/"+h.names)
		}
	}
	return out
}

type crdHead struct {
	kind, group, names string
	versions           []string
}

func decodeCRDHead(doc []byte) crdHead {
	var c struct {
		Kind string `yaml:"kind"`
		Spec struct {
			Group    string `yaml:"group"`
			Version  string `yaml:"version"`
			Versions []struct {
				Name string `yaml:"name"`
			} `yaml:"versions"`
			Names struct {
				Kind string `yaml:"kind"`
			} `yaml:"names"`
		} `yaml:"spec"`
	}
	if yaml.Unmarshal(doc, &c) != nil {
		return crdHead{}
	}
	h := crdHead{kind: c.Kind, group: c.Spec.Group, names: c.Spec.Names.Kind}
	if c.Spec.Version != "" {
		h.versions = append(h.versions, c.Spec.Version)
	}
	for _, v := range c.Spec.Versions {
		if v.Name != "" {
			h.versions = append(h.versions, v.Name)
		}
	}
	return h
}

// scanCRDHead reads kind, spec.group, spec.version(s) and spec.names.kind
// from block-style YAML. ok is false when the layout is not understood.
func scanCRDHead(doc []byte) (h crdHead, ok bool) {
	t := bytes.TrimSpace(doc)
	if len(t) == 0 || t[0] == '{' {
		return h, false
	}
	top := ""        // current top-level key
	specIndent := -1 // indentation of spec's children
	sub := ""        // current spec child key
	subIndent := -1  // indentation of that child's content
	itemIndent := -1 // indentation of "- " in spec.versions
	for _, raw := range bytes.Split(doc, []byte("\n")) {
		line := string(bytes.TrimRight(raw, "\r"))
		trimmed := strings.TrimLeft(line, " ")
		if trimmed == "" || trimmed[0] == '#' {
			continue
		}
		ind := len(line) - len(trimmed)
		if ind == 0 {
			top, sub = keyOf(trimmed), ""
			if top == "kind" {
				h.kind = valueOfLine(trimmed)
			}
			if top == "spec" && valueOfLine(trimmed) != "" {
				return h, false // flow-style spec
			}
			continue
		}
		if top != "spec" {
			continue
		}
		if specIndent < 0 {
			specIndent = ind
		}
		if ind == specIndent && !strings.HasPrefix(trimmed, "- ") {
			sub, subIndent, itemIndent = keyOf(trimmed), -1, -1
			switch sub {
			case "group":
				h.group = valueOfLine(trimmed)
			case "version":
				if v := valueOfLine(trimmed); v != "" {
					h.versions = append(h.versions, v)
				}
			case "versions", "names":
				if v := valueOfLine(trimmed); v != "" {
					return h, false // flow style
				}
			}
			continue
		}
		switch sub {
		case "names":
			if subIndent < 0 {
				subIndent = ind
			}
			if ind == subIndent && keyOf(trimmed) == "kind" {
				h.names = valueOfLine(trimmed)
			}
		case "versions":
			if strings.HasPrefix(trimmed, "- ") && (itemIndent < 0 || ind == itemIndent) {
				itemIndent = ind
				trimmed = strings.TrimLeft(trimmed[2:], " ")
				if keyOf(trimmed) == "name" {
					h.versions = append(h.versions, valueOfLine(trimmed))
				}
				continue
			}
			if itemIndent >= 0 && ind == itemIndent+2 && keyOf(trimmed) == "name" {
				h.versions = append(h.versions, valueOfLine(trimmed))
			}
		}
	}
	return h, h.kind != "" && h.group != ""
}

func keyOf(l string) string {
	k, _, found := strings.Cut(l, ":")
	if !found {
		return ""
	}
	return strings.Trim(strings.TrimSpace(k), `"'`)
}

func valueOfLine(l string) string {
	_, v, _ := strings.Cut(l, ":")
	if i := strings.Index(v, " #"); i >= 0 {
		v = v[:i]
	}
	return strings.Trim(strings.TrimSpace(v), `"'`)
}

// HeadsAgree reports, for tests, whether the line scanner and the YAML
// decoder read the same head from a CRD document; ok is false when the
// scanner does not understand the layout or the document is not a CRD.
func HeadsAgree(doc []byte) (agree, ok bool, scanned, decoded string) {
	h, ok := scanCRDHead(doc)
	if !ok {
		return false, false, "", ""
	}
	want := decodeCRDHead(doc)
	if want.kind != "CustomResourceDefinition" {
		return false, false, "", ""
	}
	s, d := fmt.Sprintf("%+v", h), fmt.Sprintf("%+v", want)
	return s == d, true, s, d
}
