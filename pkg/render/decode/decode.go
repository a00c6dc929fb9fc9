// Package decode turns YAML and JSON bytes into objects that keep their
// source positions: documents are split by hand so a broken one does not
// hide the others, every node keeps its file line, and per-file budgets
// bound what a hostile file can cost.
package decode

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// Options say where decoded bytes came from.
type Options struct {
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
	// MaxFileSize is the configured file size limit (0: MaxFileSize); the
	// per-file decoding budgets grow with it.
	MaxFileSize int64
}

// MaxFileSize is the default limit above which a manifest file is not read;
// the decoding budgets below are sized for it.
const MaxFileSize = 16 << 20

// Per-file decoding budgets. Decoded YAML costs far more memory than its
// bytes (a node is ~200 bytes, an object several KB with its rules), so the
// byte limit alone lets a file at the limit take gigabytes. These keep a
// file at the default 16 MiB limit to a few hundred MB; they scale with a
// larger maxFileSize.
// Measured on 16 MiB files (scan with default rules): 10,000 tiny
// ConfigMaps peak at 180 MB, one document of 990,000 nodes at 460 MB.
// Variables so tests can use small ones.
var (
	maxFileDocuments = 5_000
	maxFileObjects   = 5_000
	maxFileNodes     = 1_000_000
	maxFileExpanded  = maxExpandedNodes
)

// fileBudget is what is left of a file's budgets.
type fileBudget struct {
	docs, objects, nodes, expanded int
	scale                          int
}

func newFileBudget(limit int64) *fileBudget {
	scale := 1
	if limit > MaxFileSize {
		scale = int((limit + MaxFileSize - 1) / MaxFileSize)
	}
	return &fileBudget{
		docs: maxFileDocuments * scale, objects: maxFileObjects * scale,
		nodes: maxFileNodes * scale, expanded: maxFileExpanded * scale, scale: scale,
	}
}

// advice is the end of every budget message.
const budgetAdvice = "the rest of the file is not scanned; split the file, or raise maxFileSize in .kupgrade-lint.yaml (the budgets grow with it)"

// Bytes decodes every YAML or JSON document in data. Documents that
// fail to parse become problems; the remaining documents are still decoded.
// Documents that are not Kubernetes objects (no apiVersion or kind) are
// skipped.
func Bytes(data []byte, opt Options) ([]*model.Object, []model.Problem) {
	if opt.Kind == "" {
		opt.Kind = model.SourcePlain
	}
	var objs []*model.Object
	var probs []model.Problem
	b := newFileBudget(opt.MaxFileSize)
	over := func(line int, format string, args ...any) {
		probs = append(probs, model.Problem{
			Rule: "parse-error", File: opt.File, Line: line + opt.LineBase, Message: fmt.Sprintf(format, args...) + "; " + budgetAdvice,
			Origin: opt.Origin, Kind: opt.Kind, Detail: "budget",
		})
	}
	docs := splitDocumentsMax(data, b.docs)
	parsed := parseStream(data, docs, b)
	for i, d := range docs {
		if i == b.docs {
			over(d.Line, "more than %d YAML documents in one file", b.docs)
			break
		}
		// Estimate before parsing: parsing is what takes the memory (the
		// stream path estimated the whole file before it parsed).
		if parsed == nil && minNodes(d.Text, b.nodes) > b.nodes {
			over(d.Line, "more than %d YAML nodes in one file (document %d)", maxFileNodes*b.scale, i+1)
			break
		}
		var pre *yaml.Node
		if parsed != nil {
			pre = parsed[i]
		}
		o, p, stop := decodeDocument(d, i, opt, b, pre)
		probs = append(probs, p...)
		if len(o) > b.objects {
			line := d.Line
			if b.objects < len(o) {
				line = o[b.objects].Source.Line - opt.LineBase
			}
			o = o[:b.objects]
			objs = append(objs, o...)
			over(line, "more than %d objects in one file", maxFileObjects*b.scale)
			break
		}
		b.objects -= len(o)
		objs = append(objs, o...)
		if stop {
			break
		}
	}
	return objs, probs
}

// parseStream parses the documents of data with one parser, which costs a
// fraction of one parser per document. It returns nil, and the documents
// are parsed one by one, unless the whole stream parses and yields exactly
// the split documents, each starting inside its own: an error, a budget or
// an unusual separator keeps the per-document path, which reports
// problems per document and reads on after a broken one.
func parseStream(data []byte, docs []Document, b *fileBudget) []*yaml.Node {
	if len(docs) < 2 || len(docs) > b.docs {
		return nil
	}
	est := 0
	for _, d := range docs {
		if est += minNodes(d.Text, b.nodes); est > b.nodes {
			return nil
		}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	out := make([]*yaml.Node, 0, len(docs))
	for {
		n := &yaml.Node{}
		err := dec.Decode(n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil || len(out) == len(docs) || n.Kind != yaml.DocumentNode || len(n.Content) == 0 {
			return nil
		}
		i := len(out)
		line := n.Content[0].Line
		if line < docs[i].Line || (i+1 < len(docs) && line >= docs[i+1].Line) {
			return nil
		}
		out = append(out, n)
	}
	if len(out) != len(docs) {
		return nil
	}
	return out
}

// Document is one YAML document of a stream.
type Document struct {
	Text []byte
	Line int // 1-based line of the first line of Text
}

// Split cuts a YAML stream at "---" separator lines, keeping the
// line where each document starts. Splitting by hand (instead of letting the
// YAML decoder stream) lets a broken document be reported while the documents
// after it are still read.
func Split(data []byte) []Document {
	return splitDocumentsMax(data, -1)
}

// splitDocumentsMax is Split returning at most limit+1 non-empty
// documents (limit < 0: all), so a file of millions of tiny documents is
// not cut up in full.
func splitDocumentsMax(data []byte, limit int) []Document {
	var out []Document
	add := func(d Document) bool {
		if len(bytes.TrimSpace(stripComments(d.Text))) > 0 {
			out = append(out, d)
		}
		return limit < 0 || len(out) <= limit
	}
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
			// Empty documents (a leading "---", trailing separators) are
			// dropped by add.
			if !add(Document{Text: data[start:pos], Line: startLine}) {
				return out
			}
			start = min(next, len(data))
			startLine = line + 1
		}
		pos = next
		line++
	}
	add(Document{Text: data[start:], Line: startLine})
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

// decodeDocument decodes one document, charging it to the file's budget;
// stop is set when the budget ran out in it.
func decodeDocument(d Document, idx int, opt Options, b *fileBudget, pre *yaml.Node) (objs []*model.Object, probs []model.Problem, stop bool) {
	lineShift := d.Line - 1 + opt.LineBase
	problem := func(line, col int, format string, args ...any) {
		probs = append(probs, model.Problem{
			Rule: "parse-error", File: opt.File, Line: line, Column: col,
			Message: fmt.Sprintf(format, args...), Origin: opt.Origin, Kind: opt.Kind,
			Detail: fmt.Sprintf("doc%d", idx),
		})
	}
	var root yaml.Node
	if pre != nil {
		// Parsed with the whole file: lines count from the file's start.
		root = *pre
		lineShift = opt.LineBase
	} else if err := yaml.Unmarshal(d.Text, &root); err != nil {
		line, msg := ErrorLine(err)
		if line == 0 {
			line = 1
		}
		problem(line+lineShift, 0, "invalid YAML in document %d: %s", idx+1, msg)
		return nil, probs, false
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, nil, false
	}
	if lineShift != 0 {
		shiftLines(&root, lineShift)
	}
	left := b.nodes
	if at := spendNodes(&root, &left); at != nil {
		problem(at.Line, at.Column, "more than %d YAML nodes in one file (document %d); %s", maxFileNodes*b.scale, idx+1, budgetAdvice)
		return nil, probs, true
	}
	b.nodes = left
	top := root.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, nil, false
	}
	data, err := convert(top, &b.expanded, 0)
	if err != nil {
		line, col := top.Line, top.Column
		var ne *nodeError
		if errors.As(err, &ne) {
			line, col = ne.line, ne.col
		}
		if b.expanded < 0 {
			problem(line, col, "cannot decode document %d: %s (more than %d values expanded in one file); %s", idx+1, err, maxFileExpanded*b.scale, budgetAdvice)
			return nil, probs, true
		}
		problem(line, col, "cannot decode document %d: %s", idx+1, err)
		return nil, probs, false
	}
	m, ok := data.(map[string]any)
	if !ok {
		return nil, nil, false
	}
	src := model.Source{Kind: opt.Kind, File: opt.File, Doc: idx, Origin: opt.Origin, Exact: opt.Exact}
	return ObjectsFrom(top, m, src, problem), probs, false
}

// spendNodes takes the nodes of a parsed tree (aliases once each) from
// left, in document order; it returns the node at which left ran out.
func spendNodes(n *yaml.Node, left *int) *yaml.Node {
	*left--
	if *left < 0 {
		return n
	}
	for _, ch := range n.Content {
		if at := spendNodes(ch, left); at != nil {
			return at
		}
	}
	return nil
}

// minNodes estimates, without parsing, how many nodes a YAML document has,
// stopping once the count passes limit. It counts flow sequence separators,
// block sequence entries and mapping separators (key and value), skipping
// comments, quoted scalars and block scalars, so text-heavy documents are
// not overestimated.
func minNodes(text []byte, limit int) int {
	n := 0
	var flow []byte   // open flow collections ('[' or '{')
	var quote byte    // open quoted scalar ('"' or '\''), may span lines
	blockIndent := -1 // indentation of the line that opened a block scalar
	for len(text) > 0 && n <= limit {
		end := bytes.IndexByte(text, '\n')
		var l []byte
		if end < 0 {
			l, text = text, nil
		} else {
			l, text = text[:end], text[end+1:]
		}
		indent := 0
		for indent < len(l) && l[indent] == ' ' {
			indent++
		}
		if blockIndent >= 0 {
			if indent > blockIndent || len(bytes.TrimSpace(l)) == 0 {
				continue
			}
			blockIndent = -1
		}
		prev := byte(' ') // previous significant byte; ' ' at line start
		for i := 0; i < len(l); i++ {
			c := l[i]
			if quote != 0 {
				switch {
				case quote == '"' && c == '\\':
					i++
				case c == quote && quote == '\'' && i+1 < len(l) && l[i+1] == '\'':
					i++
				case c == quote:
					quote = 0
					prev = 'x'
				}
				continue
			}
			switch c {
			case '#':
				if prev == ' ' || prev == '\t' || i == 0 {
					i = len(l)
					continue
				}
			case '"', '\'':
				if strings.IndexByte(" \t:-[{,?", prev) >= 0 {
					quote = c
					continue
				}
			case '[', '{':
				// The collection itself was counted by the ": ", "- " or
				// "," before it.
				flow = append(flow, c)
			case ']', '}':
				if len(flow) > 0 {
					flow = flow[:len(flow)-1]
				}
			case ',':
				// A sequence item, or a mapping key (with or without a
				// value; ": " counts one more for values).
				if len(flow) > 0 {
					n++
				}
			case '?':
				// An explicit key: key and value.
				if (i+1 == len(l) || l[i+1] == ' ') && onlySpaceOrDash(l[:i]) {
					n += 2
				}
			case '-':
				if (prev == ' ' || prev == '-') && (i+1 == len(l) || l[i+1] == ' ') && onlySpaceOrDash(l[:i]) {
					n++
				}
			case ':':
				if i+1 == len(l) || l[i+1] == ' ' || l[i+1] == '\t' || (len(flow) > 0 && strings.IndexByte(",]}", l[i+1]) >= 0) {
					// Key and value; in a flow mapping the "," counted one.
					n += 2
					if len(flow) > 0 && flow[len(flow)-1] == '{' {
						n--
					}
					if rest := bytes.TrimSpace(l[i+1:]); len(flow) == 0 && len(rest) > 0 && (rest[0] == '|' || rest[0] == '>') {
						blockIndent = indent
						i = len(l)
						continue
					}
				}
			case '|', '>':
				if len(flow) == 0 && prev == '-' {
					blockIndent = indent
					i = len(l)
					continue
				}
			}
			if c != ' ' && c != '\t' {
				prev = c
			}
		}
	}
	return n
}

// onlySpaceOrDash reports whether a line so far is indentation and "- "
// sequence markers only.
func onlySpaceOrDash(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '-' {
			return false
		}
	}
	return true
}

// ObjectsFrom turns a decoded mapping into objects, expanding *List kinds.
func ObjectsFrom(node *yaml.Node, m map[string]any, src model.Source, problem func(int, int, string, ...any)) []*model.Object {
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
			seq = ValueOf(node, "items")
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
			objs = append(objs, ObjectsFrom(in, im, src, problem)...)
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

// ValueOf is the value of key in a mapping node, or nil.
func ValueOf(mapping *yaml.Node, key string) *yaml.Node {
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

// ErrorLine extracts "line N" from a yaml.v3 error.
func ErrorLine(err error) (int, string) {
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
