package render

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// DecodeOptions say where decoded bytes came from.
type DecodeOptions struct {
	// File is the path reported for objects and problems.
	File string
	Kind model.SourceKind
	// Origin is the chart or overlay that produced the bytes, if any.
	Origin string
	// LineBase is added to every line (for text cut out of a bigger file).
	LineBase int
	// Exact is false when lines of the bytes are not lines of File (rendered
	// output that could not be mapped back).
	Exact bool
}

// DecodeBytes decodes every YAML or JSON document in data. Documents that
// fail to parse become problems; the remaining documents are still decoded.
// Documents that are not Kubernetes objects (no apiVersion or kind) are
// skipped.
func DecodeBytes(data []byte, opt DecodeOptions) ([]*model.Object, []model.Problem) {
	if opt.Kind == "" {
		opt.Kind = model.SourcePlain
	}
	var objs []*model.Object
	var probs []model.Problem
	for i, d := range splitDocuments(data) {
		o, p := decodeDocument(d, i, opt)
		objs = append(objs, o...)
		probs = append(probs, p...)
	}
	return objs, probs
}

type document struct {
	text []byte
	line int // 1-based line of the first line of text
}

// splitDocuments cuts a YAML stream at "---" separator lines, keeping the
// line where each document starts. Splitting by hand (instead of letting the
// YAML decoder stream) lets a broken document be reported while the documents
// after it are still read.
func splitDocuments(data []byte) []document {
	var docs []document
	start, startLine, line := 0, 1, 1
	for pos := 0; pos <= len(data); {
		end := bytes.IndexByte(data[pos:], '\n')
		var l []byte
		next := len(data) + 1
		if end < 0 {
			l = data[pos:]
		} else {
			l = data[pos : pos+end]
			next = pos + end + 1
		}
		if isSeparator(l) {
			docs = append(docs, document{text: data[start:pos], line: startLine})
			start = min(next, len(data))
			startLine = line + 1
		}
		pos = next
		line++
	}
	docs = append(docs, document{text: data[start:], line: startLine})
	// Drop empty documents (a leading "---", trailing separators).
	out := docs[:0]
	for _, d := range docs {
		if len(bytes.TrimSpace(stripComments(d.text))) > 0 {
			out = append(out, d)
		}
	}
	return out
}

func isSeparator(l []byte) bool {
	l = bytes.TrimRight(l, "\r")
	if !bytes.HasPrefix(l, []byte("---")) {
		return false
	}
	rest := l[3:]
	return len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '#'
}

// stripComments removes whole-line comments and the "..." end marker so a
// document of only comments counts as empty.
func stripComments(b []byte) []byte {
	if !bytes.Contains(b, []byte("#")) && !bytes.Contains(b, []byte("...")) {
		return b
	}
	var out []byte
	for _, l := range bytes.Split(b, []byte("\n")) {
		t := bytes.TrimSpace(l)
		if len(t) == 0 || t[0] == '#' || string(t) == "..." {
			continue
		}
		out = append(out, l...)
		out = append(out, '\n')
	}
	return out
}

func decodeDocument(d document, idx int, opt DecodeOptions) (objs []*model.Object, probs []model.Problem) {
	lineShift := d.line - 1 + opt.LineBase
	problem := func(line, col int, format string, args ...any) {
		probs = append(probs, model.Problem{
			Rule: "parse-error", File: opt.File, Line: line, Column: col,
			Message: fmt.Sprintf(format, args...), Origin: opt.Origin, Kind: opt.Kind,
			Detail: fmt.Sprintf("doc%d", idx),
		})
	}
	var root yaml.Node
	if err := yaml.Unmarshal(d.text, &root); err != nil {
		line, msg := yamlErrorLine(err)
		if line == 0 {
			line = 1
		}
		problem(line+lineShift, 0, "invalid YAML in document %d: %s", idx+1, msg)
		return nil, probs
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, nil
	}
	shiftLines(&root, lineShift)
	top := root.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, nil
	}
	data, err := toValue(top)
	if err != nil {
		line, col := top.Line, top.Column
		var ne *nodeError
		if errors.As(err, &ne) {
			line, col = ne.line, ne.col
		}
		problem(line, col, "cannot decode document %d: %s", idx+1, err)
		return nil, probs
	}
	m, ok := data.(map[string]any)
	if !ok {
		return nil, nil
	}
	src := model.Source{Kind: opt.Kind, File: opt.File, Doc: idx, Origin: opt.Origin, Exact: opt.Exact}
	return objectsFrom(top, m, src, problem), probs
}

// objectsFrom turns a decoded mapping into objects, expanding *List kinds.
func objectsFrom(node *yaml.Node, m map[string]any, src model.Source, problem func(int, int, string, ...any)) []*model.Object {
	av, hasAV := m["apiVersion"]
	kind, hasKind := m["kind"]
	if !hasAV || !hasKind {
		return nil // not a Kubernetes object (values files, configs, ...)
	}
	avs, ok1 := av.(string)
	ks, ok2 := kind.(string)
	if !ok1 || !ok2 || avs == "" || ks == "" {
		problem(node.Line, node.Column, "apiVersion and kind must be non-empty strings")
		return nil
	}
	if items, isList := m["items"]; isList && strings.HasSuffix(ks, "List") {
		list, ok := items.([]any)
		if !ok {
			if items == nil {
				return nil
			}
			problem(node.Line, node.Column, "%s: items must be a list", ks)
			return nil
		}
		itemsNode, _ := model.NodeAt(node, "items")
		var seq *yaml.Node
		if itemsNode != nil {
			seq = valueOf(node, "items")
		}
		var objs []*model.Object
		for i, it := range list {
			im, ok := it.(map[string]any)
			if !ok {
				continue
			}
			var in *yaml.Node
			if seq != nil && i < len(seq.Content) {
				in = seq.Content[i]
			}
			if in == nil {
				in = node
			}
			objs = append(objs, objectsFrom(in, im, src, problem)...)
		}
		return objs
	}
	md, _ := m["metadata"].(map[string]any)
	if mdv, ok := m["metadata"]; ok && mdv != nil && md == nil {
		problem(node.Line, node.Column, "%s: metadata must be a mapping", ks)
		return nil
	}
	name, _ := md["name"].(string)
	if name == "" {
		if gn, ok := md["generateName"].(string); ok {
			name = gn
		}
	}
	ns, _ := md["namespace"].(string)
	src.Line, src.Col = node.Line, node.Column
	if k, _ := model.NodeAt(node, "apiVersion"); k != nil {
		src.APIVersionLine = k.Line
	}
	return []*model.Object{{
		APIVersion: avs, Kind: ks, Namespace: ns, Name: name,
		Source: src, Node: node, Data: m,
	}}
}

func valueOf(mapping *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(mapping.Content); i += 2 {
		if mapping.Content[i].Value == key {
			return mapping.Content[i+1]
		}
	}
	return nil
}

func shiftLines(n *yaml.Node, by int) {
	if by == 0 {
		return
	}
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		n.Line += by
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
}

// yamlErrorLine extracts "line N" from a yaml.v3 error.
func yamlErrorLine(err error) (int, string) {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	var line int
	if i := strings.Index(msg, "line "); i >= 0 {
		_, _ = fmt.Sscanf(msg[i:], "line %d", &line)
		// "line 3: did not find expected key" -> keep the reason only.
		if j := strings.Index(msg[i:], ": "); j >= 0 {
			msg = msg[i+j+2:]
		}
	}
	return line, msg
}
