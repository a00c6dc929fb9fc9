package decode

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxExpandedNodes bounds alias expansion so a "billion laughs" document
// cannot exhaust memory.
const maxExpandedNodes = 2_000_000

// nodeError is a conversion failure at a node.
type nodeError struct {
	line, col int
	msg       string
}

func (e *nodeError) Error() string { return e.msg }

// ToValue converts a YAML node into JSON-compatible Go values. Unlike
// yaml.v3's Decode it keeps going on duplicate keys (the last one wins, as
// in the API server's JSON decoding); strict schema validation reports them.
func ToValue(n *yaml.Node) (any, error) {
	budget := maxExpandedNodes
	return convert(n, &budget, 0)
}

func convert(n *yaml.Node, budget *int, depth int) (any, error) {
	*budget--
	if *budget < 0 {
		return nil, &nodeError{n.Line, n.Column, "document expands to too many nodes (alias bomb?)"}
	}
	if depth > 10000 {
		return nil, &nodeError{n.Line, n.Column, "document is nested too deeply"}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return convert(n.Content[0], budget, depth+1)
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, &nodeError{n.Line, n.Column, "unknown alias"}
		}
		return convert(n.Alias, budget, depth+1)
	case yaml.ScalarNode:
		if v, ok := plainScalar(n); ok {
			return v, nil
		}
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, &nodeError{n.Line, n.Column, fmt.Sprintf("invalid value %q: %v", n.Value, err)}
		}
		switch t := v.(type) {
		case int:
			return int64(t), nil
		case uint64:
			return float64(t), nil
		case string, bool, float64, int64, nil:
			return t, nil
		default:
			// Timestamps and binary stay as written: Kubernetes reads them
			// as strings.
			return n.Value, nil
		}
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := convert(c, budget, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		var merges []*yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
				merges = append(merges, val)
				continue
			}
			if k.Kind != yaml.ScalarNode {
				return nil, &nodeError{k.Line, k.Column, "mapping key is not a plain value (an unrendered template like {{ ... }}?)"}
			}
			v, err := convert(val, budget, depth+1)
			if err != nil {
				return nil, err
			}
			out[k.Value] = v
		}
		// Merge keys (<<: *base) fill in keys the mapping does not set.
		for _, m := range merges {
			srcs := []*yaml.Node{m}
			if m.Kind == yaml.SequenceNode {
				srcs = m.Content
			}
			for _, s := range srcs {
				v, err := convert(s, budget, depth+1)
				if err != nil {
					return nil, err
				}
				mm, ok := v.(map[string]any)
				if !ok {
					return nil, &nodeError{s.Line, s.Column, "merge key value is not a mapping"}
				}
				for k, x := range mm {
					if _, set := out[k]; !set {
						out[k] = x
					}
				}
			}
		}
		return out, nil
	}
	return nil, nil
}

// plainScalar converts the common scalars (strings, decimal integers,
// booleans, null) the way yaml.v3's Decode does, without its reflection;
// ok is false for the rest, which Decode handles.
func plainScalar(n *yaml.Node) (any, bool) {
	switch n.Tag {
	case "!!str":
		return n.Value, true
	case "!!null":
		return nil, true
	case "!!bool":
		switch n.Value {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	case "!!int":
		// Decimal only: yaml.v3 reads a leading 0 as octal, and 0x, 0o and
		// underscores differently.
		v := strings.TrimPrefix(n.Value, "-")
		if v == "" || (len(v) > 1 && v[0] == '0') || strings.Trim(v, "0123456789") != "" {
			return nil, false
		}
		if i, err := strconv.ParseInt(n.Value, 10, 64); err == nil {
			return i, true
		}
	}
	return nil, false
}
