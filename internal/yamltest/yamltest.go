// Package yamltest decodes manifest files into model.Objects for tests, so
// rule and schema tests do not depend on the scan's renderer.
package yamltest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// DecodeFile reads every document of a YAML file.
func DecodeFile(path string) ([]*model.Object, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Decode(filepath.ToSlash(path), b)
}

// Decode splits b into documents and returns the mapping documents as
// objects (empty documents are skipped). Duplicate keys keep the last value,
// as a lenient decoder would.
func Decode(file string, b []byte) ([]*model.Object, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var out []*model.Object
	for doc := 0; ; doc++ {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("%s: document %d: %w", file, doc, err)
		}
		root := &n
		if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
			root = root.Content[0]
		}
		if root.Kind != yaml.MappingNode {
			continue
		}
		data, _ := Value(root).(map[string]any)
		o := &model.Object{
			Node: root, Data: data,
			Source: model.Source{Kind: model.SourcePlain, File: file, Line: root.Line, Col: root.Column, Doc: doc, Exact: true},
		}
		o.APIVersion, _ = data["apiVersion"].(string)
		o.Kind, _ = data["kind"].(string)
		if md, ok := data["metadata"].(map[string]any); ok {
			o.Name, _ = md["name"].(string)
			o.Namespace, _ = md["namespace"].(string)
		}
		if n, ok := model.NodeAt(root, "apiVersion"); ok {
			o.Source.APIVersionLine = n.Line
		}
		out = append(out, o)
	}
}

// Value converts a node to JSON-compatible Go values.
func Value(n *yaml.Node) any {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return Value(n.Content[0])
	case yaml.AliasNode:
		return Value(n.Alias)
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" {
				if mm, ok := Value(v).(map[string]any); ok {
					for kk, vv := range mm {
						if _, set := m[kk]; !set {
							m[kk] = vv
						}
					}
				}
				continue
			}
			m[k.Value] = Value(v)
		}
		return m
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			l = append(l, Value(c))
		}
		return l
	}
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		return strings.EqualFold(n.Value, "true") || n.Value == "yes" || n.Value == "on"
	case "!!int":
		if i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil {
			return int(i)
		}
	case "!!float":
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return f
		}
	}
	return n.Value
}
