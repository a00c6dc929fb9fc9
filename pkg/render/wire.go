package render

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"math"

	"gopkg.in/yaml.v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/helm"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/kustomize"
)

// The sandboxed renderer sends a unit to a worker process and gets objects
// back. Nodes keep their lines and columns and objects keep their Data
// types (int64, float64, ...), so rules see exactly what an in-process
// render gives. Node trees and values use a compact encoding with a string
// table: gob alone was several times slower on big charts.

type wireRequest struct {
	ScanID   string
	Kind     model.SourceKind
	Path, FS string
	Root     string
	Opts     wireOptions
	Charts   []string
	Overlays []string
	CRDAPIs  []string
}

// wireOptions is what of Options a worker needs.
type wireOptions struct {
	Excludes    []string
	Target      kubeversion.Version
	APIVersions []string
	MaxFileSize int64
	Helm        HelmOptions
	RenderAll   bool
	Probe       bool
}

func toWire(o Options) wireOptions {
	return wireOptions{Excludes: o.Excludes, Target: o.Target, APIVersions: o.APIVersions, MaxFileSize: o.MaxFileSize, Helm: o.Helm, RenderAll: o.RenderAll, Probe: o.probe}
}

func (w wireOptions) options() Options {
	return Options{Excludes: w.Excludes, Target: w.Target, APIVersions: w.APIVersions, MaxFileSize: w.MaxFileSize, Helm: w.Helm, RenderAll: w.RenderAll, Workers: 1, probe: w.Probe}
}

type wireResponse struct {
	Problems []model.Problem
	// Probe is what a chart render read of its capabilities.
	Probe   *CapProbe
	Objects []wireObject
	// Blob holds every node tree and value, referenced by offset.
	Blob []byte
	// Templates are the parsed template lines that locators share.
	Templates [][]wireTLine
}

type wireObject struct {
	APIVersion, Kind, Namespace, Name, DefaultNamespace string
	Source                                              model.Source
	Extra                                               map[string]string
	// Node and Data are positions in the blob's item list (-1: nil).
	Node, Data int
	Loc        *wireLocator
}

type wireLocator struct {
	Template       int
	Lo, Hi, Anchor int
	// Kust is set for a Kustomize patch locator (Template is then -1).
	Kust   []wireKustLoc
	IsKust bool
}

// wireKustLoc has the fields the wire always had, so gob reads it alike.
type wireKustLoc = kustomize.Loc

// wireTLine has the fields the wire always had, so gob reads it alike.
type wireTLine = helm.Line

func encodeRequest(r wireRequest) ([]byte, error) {
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(r)
	return buf.Bytes(), err
}

func decodeRequest(b []byte) (wireRequest, error) {
	var r wireRequest
	err := gob.NewDecoder(bytes.NewReader(b)).Decode(&r)
	return r, err
}

// encodeResponse flattens objects and problems.
func encodeResponse(objs []*model.Object, probs []model.Problem) ([]byte, error) {
	return encodeResult(objs, probs, nil)
}

// encodeResult is encodeResponse with a chart's capability probe.
func encodeResult(objs []*model.Object, probs []model.Problem, probe *CapProbe) ([]byte, error) {
	e := &blobEncoder{nodes: map[*yaml.Node]int{}, strs: map[string]int{}}
	resp := wireResponse{Problems: probs, Objects: make([]wireObject, len(objs)), Probe: probe}
	tpls := map[*helm.Line]int{}
	for i, o := range objs {
		w := wireObject{
			APIVersion: o.APIVersion, Kind: o.Kind, Namespace: o.Namespace, Name: o.Name,
			DefaultNamespace: o.DefaultNamespace, Source: o.Source, Extra: o.Extra,
			Node: -1, Data: -1,
		}
		if o.Node != nil {
			w.Node = e.item()
			e.node(o.Node)
		}
		if o.Data != nil {
			w.Data = e.item()
			e.value(o.Data)
		}
		switch loc := o.Locator.(type) {
		case nil:
		case *helm.TemplateLocator:
			id := -1
			if len(loc.Lines) > 0 {
				var ok bool
				if id, ok = tpls[&loc.Lines[0]]; !ok {
					id = len(resp.Templates)
					tpls[&loc.Lines[0]] = id
					resp.Templates = append(resp.Templates, loc.Lines)
				}
			}
			w.Loc = &wireLocator{Template: id, Lo: loc.Lo, Hi: loc.Hi, Anchor: loc.Anchor}
		case *kustomize.Locator:
			w.Loc = &wireLocator{Template: -1, Kust: loc.Locs(), IsKust: true}
		default:
			return nil, fmt.Errorf("locator %T cannot cross the sandbox", loc)
		}
		resp.Objects[i] = w
	}
	resp.Blob = e.buf
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(resp)
	return buf.Bytes(), err
}

func decodeResponse(b []byte) ([]*model.Object, []model.Problem, error) {
	objs, probs, _, err := decodeResult(b)
	return objs, probs, err
}

// decodeResult is decodeResponse with the chart's capability probe.
func decodeResult(b []byte) ([]*model.Object, []model.Problem, *CapProbe, error) {
	var resp wireResponse
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&resp); err != nil {
		return nil, nil, nil, err
	}
	d := &blobDecoder{buf: resp.Blob}
	items := map[int]any{}
	// Items were written in order; read them all once.
	for n := 0; d.pos < len(d.buf); n++ {
		tag := d.buf[d.pos]
		d.pos++
		var v any
		var err error
		if tag == itemNode {
			v, err = d.node()
		} else {
			v, err = d.value()
		}
		if err != nil {
			return nil, nil, nil, err
		}
		items[n] = v
	}
	tpls := resp.Templates
	objs := make([]*model.Object, len(resp.Objects))
	for i, w := range resp.Objects {
		o := &model.Object{
			APIVersion: w.APIVersion, Kind: w.Kind, Namespace: w.Namespace, Name: w.Name,
			DefaultNamespace: w.DefaultNamespace, Source: w.Source, Extra: w.Extra,
		}
		if w.Node >= 0 {
			o.Node, _ = items[w.Node].(*yaml.Node)
		}
		if w.Data >= 0 {
			o.Data, _ = items[w.Data].(map[string]any)
		}
		if w.Loc != nil && w.Loc.IsKust {
			o.Locator = kustomize.NewLocator(w.Loc.Kust)
		} else if w.Loc != nil {
			loc := &helm.TemplateLocator{Lo: w.Loc.Lo, Hi: w.Loc.Hi, Anchor: w.Loc.Anchor}
			if w.Loc.Template >= 0 && w.Loc.Template < len(tpls) {
				loc.Lines = tpls[w.Loc.Template]
			}
			o.Locator = loc
		}
		objs[i] = o
	}
	return objs, resp.Problems, resp.Probe, nil
}

const (
	itemNode  = 1
	itemValue = 2
)

// Value tags.
const (
	vNil = iota
	vFalse
	vTrue
	vInt
	vFloat
	vString
	vList
	vMap
	vOther // a type Data never holds; kept as its string form
)

// blobEncoder writes items: node trees (nodes shared between objects and
// aliases written once) and values. Strings go through a table.
type blobEncoder struct {
	buf   []byte
	nodes map[*yaml.Node]int
	strs  map[string]int
	items int
}

// item starts the next item and returns its index.
func (e *blobEncoder) item() int {
	n := e.items
	e.items++
	return n
}

func (e *blobEncoder) uint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }
func (e *blobEncoder) int(v int64)   { e.buf = binary.AppendVarint(e.buf, v) }

// str writes a table reference, or the string itself the first time.
func (e *blobEncoder) str(s string) {
	if i, ok := e.strs[s]; ok {
		e.uint(uint64(i) + 1)
		return
	}
	e.strs[s] = len(e.strs)
	e.uint(0)
	e.uint(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

func (e *blobEncoder) node(n *yaml.Node) {
	e.buf = append(e.buf, itemNode)
	e.tree(n)
}

// tree writes a node: a back-reference to a node already written, or the
// node in full with its children.
func (e *blobEncoder) tree(n *yaml.Node) {
	if n == nil {
		e.uint(0)
		return
	}
	if id, ok := e.nodes[n]; ok {
		e.uint(uint64(id) + 2)
		return
	}
	e.nodes[n] = len(e.nodes)
	e.uint(1)
	e.uint(uint64(n.Kind))
	e.uint(uint64(n.Style))
	e.str(n.Tag)
	e.str(n.Value)
	e.str(n.Anchor)
	e.str(n.HeadComment)
	e.str(n.LineComment)
	e.str(n.FootComment)
	e.int(int64(n.Line))
	e.int(int64(n.Column))
	e.tree(n.Alias)
	e.uint(uint64(len(n.Content)))
	for _, c := range n.Content {
		e.tree(c)
	}
}

func (e *blobEncoder) value(v any) {
	e.buf = append(e.buf, itemValue)
	e.val(v)
}

func (e *blobEncoder) val(v any) {
	switch t := v.(type) {
	case nil:
		e.buf = append(e.buf, vNil)
	case bool:
		if t {
			e.buf = append(e.buf, vTrue)
		} else {
			e.buf = append(e.buf, vFalse)
		}
	case int64:
		e.buf = append(e.buf, vInt)
		e.int(t)
	case float64:
		e.buf = append(e.buf, vFloat)
		e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(t))
	case string:
		e.buf = append(e.buf, vString)
		e.str(t)
	case []any:
		e.buf = append(e.buf, vList)
		e.uint(uint64(len(t)))
		for _, x := range t {
			e.val(x)
		}
	case map[string]any:
		e.buf = append(e.buf, vMap)
		e.uint(uint64(len(t)))
		for k, x := range t {
			e.str(k)
			e.val(x)
		}
	default:
		e.buf = append(e.buf, vOther)
		e.str(fmt.Sprint(t))
	}
}

type blobDecoder struct {
	buf   []byte
	pos   int
	strs  []string
	nodes []*yaml.Node
	// Nodes and child lists are cut from slabs: one allocation per
	// thousand nodes instead of two per node.
	slab []yaml.Node
	kids []*yaml.Node
}

func (d *blobDecoder) newNode() *yaml.Node {
	if len(d.slab) == 0 {
		d.slab = make([]yaml.Node, 1024)
	}
	n := &d.slab[0]
	d.slab = d.slab[1:]
	return n
}

func (d *blobDecoder) children(n int) []*yaml.Node {
	if n > 256 {
		return make([]*yaml.Node, n)
	}
	if len(d.kids) < n {
		d.kids = make([]*yaml.Node, 4096)
	}
	c := d.kids[:n:n]
	d.kids = d.kids[n:]
	return c
}

var errCorrupt = errors.New("corrupt render response")

func (d *blobDecoder) uint() (uint64, error) {
	v, n := binary.Uvarint(d.buf[d.pos:])
	if n <= 0 {
		return 0, errCorrupt
	}
	d.pos += n
	return v, nil
}

func (d *blobDecoder) int() (int64, error) {
	v, n := binary.Varint(d.buf[d.pos:])
	if n <= 0 {
		return 0, errCorrupt
	}
	d.pos += n
	return v, nil
}

func (d *blobDecoder) str() (string, error) {
	ref, err := d.uint()
	if err != nil {
		return "", err
	}
	if ref > 0 {
		if int(ref-1) >= len(d.strs) {
			return "", errCorrupt
		}
		return d.strs[ref-1], nil
	}
	l, err := d.uint()
	if err != nil || l > uint64(len(d.buf)-d.pos) {
		return "", errCorrupt
	}
	s := string(d.buf[d.pos : d.pos+int(l)])
	d.pos += int(l)
	d.strs = append(d.strs, s)
	return s, nil
}

func (d *blobDecoder) node() (*yaml.Node, error) {
	ref, err := d.uint()
	switch {
	case err != nil:
		return nil, err
	case ref == 0:
		return nil, nil
	case ref >= 2:
		if int(ref-2) >= len(d.nodes) {
			return nil, errCorrupt
		}
		return d.nodes[ref-2], nil
	}
	n := d.newNode()
	d.nodes = append(d.nodes, n)
	k, err := d.uint()
	if err != nil {
		return nil, err
	}
	st, err := d.uint()
	if err != nil {
		return nil, err
	}
	n.Kind, n.Style = yaml.Kind(k), yaml.Style(st)
	for _, s := range []*string{&n.Tag, &n.Value, &n.Anchor, &n.HeadComment, &n.LineComment, &n.FootComment} {
		if *s, err = d.str(); err != nil {
			return nil, err
		}
	}
	line, err := d.int()
	if err != nil {
		return nil, err
	}
	col, err := d.int()
	if err != nil {
		return nil, err
	}
	n.Line, n.Column = int(line), int(col)
	if n.Alias, err = d.node(); err != nil {
		return nil, err
	}
	cnt, err := d.uint()
	if err != nil || cnt > uint64(len(d.buf)) {
		return nil, errCorrupt
	}
	if cnt > 0 {
		n.Content = d.children(int(cnt))
		for i := range n.Content {
			if n.Content[i], err = d.node(); err != nil {
				return nil, err
			}
		}
	}
	return n, nil
}

func (d *blobDecoder) value() (any, error) {
	if d.pos >= len(d.buf) {
		return nil, errCorrupt
	}
	tag := d.buf[d.pos]
	d.pos++
	switch tag {
	case vNil:
		return nil, nil
	case vFalse:
		return false, nil
	case vTrue:
		return true, nil
	case vInt:
		return d.int()
	case vFloat:
		if d.pos+8 > len(d.buf) {
			return nil, errCorrupt
		}
		f := math.Float64frombits(binary.LittleEndian.Uint64(d.buf[d.pos:]))
		d.pos += 8
		return f, nil
	case vString, vOther:
		return d.str()
	case vList:
		n, err := d.uint()
		if err != nil || n > uint64(len(d.buf)) {
			return nil, errCorrupt
		}
		out := make([]any, n)
		for i := range out {
			if out[i], err = d.value(); err != nil {
				return nil, err
			}
		}
		return out, nil
	case vMap:
		n, err := d.uint()
		if err != nil || n > uint64(len(d.buf)) {
			return nil, errCorrupt
		}
		out := make(map[string]any, n)
		for range n {
			k, err := d.str()
			if err != nil {
				return nil, err
			}
			if out[k], err = d.value(); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, errCorrupt
}

// EncodeObjects serializes objects (nodes, data and Helm locators) and
// problems, as render workers do; sharded scans write their objects with it.
func EncodeObjects(objs []*model.Object, probs []model.Problem) ([]byte, error) {
	return encodeResponse(objs, probs)
}

// DecodeObjects is the inverse of EncodeObjects.
func DecodeObjects(b []byte) ([]*model.Object, []model.Problem, error) {
	return decodeResponse(b)
}
