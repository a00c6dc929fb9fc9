package decode

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// perDocument decodes like Bytes but parses each document on its own, the
// path Bytes falls back to.
func perDocument(data []byte, opt Options) ([]*model.Object, []model.Problem) {
	var objs []*model.Object
	var probs []model.Problem
	b := newFileBudget(opt.MaxFileSize)
	for i, d := range Split(data) {
		o, p, _ := decodeDocument(d, i, opt, b, nil)
		objs, probs = append(objs, o...), append(probs, p...)
	}
	return objs, probs
}

// One parser for the whole file must give what a parser per document
// gives: the same objects, lines, columns and problems.
func TestStreamParseEqualsPerDocument(t *testing.T) {
	inputs := map[string]string{
		"plain":                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\nspec:\n  ports: [{port: 80}]\n",
		"comments and markers": "# head\n---\n# about a\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a} # trailing\n...\n--- # sep comment\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n---\n# only a comment\n---\n",
		"anchors":              "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: &l {x: y}}\ndata: *l\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n",
		"broken middle":        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: [unclosed\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
		"json docs":            "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}}\n---\n{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"b\"}}\n",
		"list":                 "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n",
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			opt := Options{File: "f.yaml", Kind: model.SourcePlain, Exact: true}
			got, gotP := Bytes([]byte(in), opt)
			want, wantP := perDocument([]byte(in), opt)
			if len(got) != len(want) {
				t.Fatalf("%d objects, per document %d", len(got), len(want))
			}
			for i := range got {
				g, w := got[i], want[i]
				if !reflect.DeepEqual(g.Data, w.Data) || !reflect.DeepEqual(g.Source, w.Source) || g.Name != w.Name {
					t.Errorf("object %d: %+v %v, per document %+v %v", i, g.Source, g.Data, w.Source, w.Data)
				}
				for _, p := range []string{"metadata.name", "kind", "data"} {
					if gl, gc := g.PosOf(p); true {
						if wl, wc := w.PosOf(p); gl != wl || gc != wc {
							t.Errorf("object %d %s at %d:%d, per document %d:%d", i, p, gl, gc, wl, wc)
						}
					}
				}
			}
			if fmt.Sprint(gotP) != fmt.Sprint(wantP) {
				t.Errorf("problems %v, per document %v", gotP, wantP)
			}
		})
	}
}

// The stream path is taken for a clean multi-document file (else the test
// above compares the fallback with itself).
func TestStreamParseTaken(t *testing.T) {
	data := []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n")
	if parseStream(data, Split(data), newFileBudget(0)) == nil {
		t.Fatal("a clean two-document file fell back to one parser per document")
	}
	broken := []byte("apiVersion: v1\nkind: ConfigMap\n---\nkind: [x\n")
	if parseStream(broken, Split(broken), newFileBudget(0)) != nil {
		t.Fatal("a broken file took the stream path")
	}
}
