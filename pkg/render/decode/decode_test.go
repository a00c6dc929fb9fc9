package decode

import (
	"os"
	"strings"
	"testing"
)

func TestDecodeBytesPositions(t *testing.T) {
	src := "# leading comment\n" +
		"apiVersion: v1\n" + // 2
		"kind: ConfigMap\n" +
		"metadata:\n" +
		"  name: a\n" +
		"---\n" + // 6
		"\n" +
		"kind: Service\n" + // 8: apiVersion after kind
		"apiVersion: v1\n" + // 9
		"metadata: {name: b, namespace: ns}\n" +
		"--- # separator with a comment\n" +
		"# only a comment\n" +
		"---\n" +
		"apiVersion: v1\n" + // 14
		"kind: List\n" +
		"items:\n" +
		"  - apiVersion: v1\n" + // 17
		"    kind: Secret\n" +
		"    metadata: {name: c}\n"
	objs, probs := Bytes([]byte(src), Options{File: "f.yaml", Exact: true})
	if len(probs) != 0 {
		t.Fatalf("unexpected problems: %+v", probs)
	}
	want := []struct {
		kind, name, ns  string
		line, col, avln int
		doc             int
	}{
		{"ConfigMap", "a", "", 2, 1, 2, 0},
		{"Service", "b", "ns", 8, 1, 9, 1},
		{"Secret", "c", "", 17, 5, 17, 2},
	}
	if len(objs) != len(want) {
		t.Fatalf("got %d objects, want %d", len(objs), len(want))
	}
	for i, w := range want {
		o := objs[i]
		if o.Kind != w.kind || o.Name != w.name || o.Namespace != w.ns {
			t.Errorf("object %d: got %s %s/%s", i, o.Kind, o.Namespace, o.Name)
		}
		if o.Source.Line != w.line || o.Source.Col != w.col || o.Source.APIVersionLine != w.avln || o.Source.Doc != w.doc {
			t.Errorf("object %d (%s): got line %d col %d apiVersion line %d doc %d, want %d %d %d %d", i, w.kind,
				o.Source.Line, o.Source.Col, o.Source.APIVersionLine, o.Source.Doc, w.line, w.col, w.avln, w.doc)
		}
	}
	if l, _ := objs[1].PosOf("metadata.namespace"); l != 10 {
		t.Errorf("PosOf(metadata.namespace) = %d, want 10", l)
	}
}

func TestDecodeBytesBrokenDocumentDoesNotHideOthers(t *testing.T) {
	data, err := os.ReadFile("../../../testdata/manifests/broken/middle-document.yaml")
	if err != nil {
		t.Fatal(err)
	}
	objs, probs := Bytes(data, Options{File: "middle-document.yaml", Exact: true})
	var names []string
	for _, o := range objs {
		names = append(names, o.Name)
	}
	if strings.Join(names, ",") != "before,after" {
		t.Errorf("decoded %v, want before and after", names)
	}
	if len(probs) != 1 {
		t.Fatalf("got %d problems, want 1: %+v", len(probs), probs)
	}
	p := probs[0]
	if p.Rule != "parse-error" || p.File != "middle-document.yaml" || p.Line < 8 || p.Line > 12 {
		t.Errorf("problem %+v: want parse-error in the second document (lines 8-12)", p)
	}
	if !strings.Contains(p.Message, "document 2") {
		t.Errorf("message %q should name the document", p.Message)
	}
}

func TestDecodeBytesEdgeCases(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		objects   int
		problems  int
		probLine  int
		probMatch string
	}{
		{"empty", "", 0, 0, 0, ""},
		{"only separators and comments", "---\n# x\n---\n...\n", 0, 0, 0, ""},
		{"not kubernetes", "replicaCount: 3\nimage: {tag: x}\n", 0, 0, 0, ""},
		{"scalar document", "just a string\n", 0, 0, 0, ""},
		{"json object", `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n"}}`, 1, 0, 0, ""},
		{"duplicate keys decode, last wins", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {}\ndata: {k: v}\n", 1, 0, 0, ""},
		{"merge keys", "base: &b {name: m}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  <<: *b\n", 1, 0, 0, ""},
		{"kind not a string", "apiVersion: v1\nkind: [a]\n", 0, 1, 1, "non-empty strings"},
		{"metadata not a mapping", "apiVersion: v1\nkind: Pod\nmetadata: x\n", 0, 1, 1, "metadata must be a mapping"},
		{"template key", "apiVersion: v1\nkind: Pod\nmetadata:\n  {{name}}: x\n", 0, 1, 4, "not a plain value"},
		{"tab indentation", "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n", 0, 1, 4, ""},
		{"list with bad items", "apiVersion: v1\nkind: List\nitems: 3\n", 0, 1, 1, "items must be a list"},
		{"empty list", "apiVersion: v1\nkind: List\nitems: []\n", 0, 0, 0, ""},
		{"alias bomb", bomb(), 0, 1, 0, "too many nodes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objs, probs := Bytes([]byte(tt.src), Options{File: "x.yaml", Exact: true})
			if len(objs) != tt.objects || len(probs) != tt.problems {
				t.Fatalf("got %d objects, %d problems (%+v); want %d, %d", len(objs), len(probs), probs, tt.objects, tt.problems)
			}
			if tt.problems > 0 {
				if tt.probLine != 0 && probs[0].Line != tt.probLine {
					t.Errorf("problem line %d, want %d (%s)", probs[0].Line, tt.probLine, probs[0].Message)
				}
				if !strings.Contains(probs[0].Message, tt.probMatch) {
					t.Errorf("message %q does not contain %q", probs[0].Message, tt.probMatch)
				}
			}
		})
	}
}

func bomb() string {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\n")
	return b.String()
}
