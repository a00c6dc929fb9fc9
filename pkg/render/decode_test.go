package render

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
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
	objs, probs := DecodeBytes([]byte(src), DecodeOptions{File: "f.yaml", Exact: true})
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
	data, err := os.ReadFile("../../testdata/manifests/broken/middle-document.yaml")
	if err != nil {
		t.Fatal(err)
	}
	objs, probs := DecodeBytes(data, DecodeOptions{File: "middle-document.yaml", Exact: true})
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
			objs, probs := DecodeBytes([]byte(tt.src), DecodeOptions{File: "x.yaml", Exact: true})
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

func TestRunBrokenInputsAndMissingPaths(t *testing.T) {
	res, err := Run(context.Background(), Options{Paths: []string{"../../testdata/manifests/broken"}})
	if err != nil {
		t.Fatal(err)
	}
	byFile := map[string][]model.Problem{}
	for _, p := range res.Problems {
		byFile[filepath.Base(p.File)] = append(byFile[filepath.Base(p.File)], p)
	}
	if len(byFile["blob.yaml"]) != 1 || !strings.Contains(byFile["blob.yaml"][0].Message, "binary") {
		t.Errorf("binary file: %+v", byFile["blob.yaml"])
	}
	if len(byFile["empty.yaml"]) != 0 {
		t.Errorf("empty file should not be a problem: %+v", byFile["empty.yaml"])
	}
	if len(byFile["middle-document.yaml"]) != 1 || len(res.Objects) != 2 {
		t.Errorf("middle-document: %d problems, %d objects", len(byFile["middle-document.yaml"]), len(res.Objects))
	}

	_, err = Run(context.Background(), Options{Paths: []string{"does/not/exist"}})
	if err == nil || !strings.Contains(err.Error(), "does/not/exist") {
		t.Errorf("missing path: err = %v", err)
	}
}

func TestRunExcludesAndStdin(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, body string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\n"
	write("a.yaml", strings.Replace(cm, "%s", "a", 1))
	write("skip/b.yaml", strings.Replace(cm, "%s", "b", 1))
	write("node_modules/c.yaml", strings.Replace(cm, "%s", "c", 1))
	write(".git/d.yaml", strings.Replace(cm, "%s", "d", 1))
	write("e.txt", strings.Replace(cm, "%s", "e", 1))
	res, err := Run(context.Background(), Options{
		Paths: []string{dir, "-"}, Excludes: []string{"skip/**"},
		Stdin: strings.NewReader(strings.Replace(cm, "%s", "stdin", 1)),
	})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range res.Objects {
		names = append(names, o.Name+"@"+filepath.Base(o.Source.File))
	}
	got := strings.Join(names, ",")
	if got != "stdin@<stdin>,a@a.yaml" && got != "a@a.yaml,stdin@<stdin>" {
		t.Errorf("objects = %s", got)
	}
}
