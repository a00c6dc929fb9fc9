package decode

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// smallBudgets lowers the per-file budgets for one test.
func smallBudgets(t *testing.T, docs, objects, nodes, expanded int) {
	t.Helper()
	d, o, n, e := maxFileDocuments, maxFileObjects, maxFileNodes, maxFileExpanded
	maxFileDocuments, maxFileObjects, maxFileNodes, maxFileExpanded = docs, objects, nodes, expanded
	t.Cleanup(func() { maxFileDocuments, maxFileObjects, maxFileNodes, maxFileExpanded = d, o, n, e })
}

const advice = "; the rest of the file is not scanned; split the file, or raise maxFileSize in .kupgrade-lint.yaml (the budgets grow with it)"

func onlyProblem(t *testing.T, probs []model.Problem) model.Problem {
	t.Helper()
	if len(probs) != 1 {
		t.Fatalf("problems: %+v", probs)
	}
	return probs[0]
}

func TestDecodeBudgetDocuments(t *testing.T) {
	smallBudgets(t, 50, 1000, 100000, 100000)
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n" // 4 lines
	for _, tt := range []struct {
		name string
		src  string
		line int
	}{
		{"tiny objects", strings.Repeat(cm, 60), 50*4 + 1},
		// Empty and comment-only documents are free; other documents count.
		{"non-objects", strings.Repeat("---\n# c\n---\n", 10) + strings.Repeat("a: 1\n---\n", 60), 30 + 50*2 + 1},
	} {
		objs, probs := Bytes([]byte(tt.src), Options{File: "many.yaml", Exact: true})
		p := onlyProblem(t, probs)
		want := "more than 50 YAML documents in one file" + advice
		if p.File != "many.yaml" || p.Line != tt.line || p.Message != want || p.Rule != "parse-error" {
			t.Errorf("%s: %+v, want line %d %q", tt.name, p, tt.line, want)
		}
		if tt.name == "tiny objects" && len(objs) != 50 {
			t.Errorf("%s: %d objects, want the first 50", tt.name, len(objs))
		}
	}
	// A larger maxFileSize raises the budget.
	objs, probs := Bytes([]byte(strings.Repeat(cm, 60)), Options{File: "many.yaml", MaxFileSize: 2 * MaxFileSize})
	if len(probs) != 0 || len(objs) != 60 {
		t.Errorf("doubled maxFileSize: %d objects, %+v", len(objs), probs)
	}
}

func TestDecodeBudgetNodes(t *testing.T) {
	smallBudgets(t, 1000, 1000, 10000, 100000)
	header := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\n"

	// Caught before parsing: a flow sequence of 20,000 tiny scalars.
	flow := header + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  x: [" + strings.Repeat("1,", 20000) + "1]\n"
	// Caught before parsing: a block sequence and a flow mapping of keys.
	block := header + "items:\n" + strings.Repeat("- 1\n", 20000)
	keys := header + "{" + strings.Repeat("a,", 20000) + "a}\n"
	for name, src := range map[string]string{"flow sequence": flow, "block sequence": block, "flow keys": keys} {
		objs, probs := Bytes([]byte(src), Options{File: "n.yaml", LineBase: 100})
		p := onlyProblem(t, probs)
		want := "more than 10000 YAML nodes in one file (document 2)" + advice
		if p.Line != 105 || p.Message != want {
			t.Errorf("%s: %+v, want line 105 %q", name, p, want)
		}
		if len(objs) != 1 || objs[0].Name != "ok" {
			t.Errorf("%s: objects before the budget ran out are kept: %v", name, objs)
		}
	}

	// Not caught by the estimate ("k: [a]" counts 2 of its 3 nodes): the
	// exact count stops at the node where the budget ran out.
	var b strings.Builder
	for i := 1; i <= 4000; i++ {
		fmt.Fprintf(&b, "k%d: [a]\n", i)
	}
	_, probs := Bytes([]byte(b.String()), Options{File: "n.yaml"})
	p := onlyProblem(t, probs)
	// Nodes: document, mapping, then 3 per line; node 10001 is the third
	// on line 3333 ("a", column 9 of "k3333: [a]").
	want := "more than 10000 YAML nodes in one file (document 1)" + advice
	if p.Line != 3333 || p.Column != 9 || p.Message != want {
		t.Errorf("exact count: %+v, want 3333:9 %q", p, want)
	}
}

func TestDecodeBudgetObjects(t *testing.T) {
	smallBudgets(t, 1000, 30, 100000, 100000)
	list := "apiVersion: v1\nkind: List\nitems:\n" + strings.Repeat("- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n", 40)
	objs, probs := Bytes([]byte("apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n---\n"+list), Options{File: "l.yaml"})
	p := onlyProblem(t, probs)
	// 1 object before the list, so item 30 (line 4+3+30) is the first over.
	want := "more than 30 objects in one file" + advice
	if p.Line != 37 || p.Message != want {
		t.Errorf("%+v, want line 37 %q", p, want)
	}
	if len(objs) != 30 {
		t.Errorf("%d objects, want 30", len(objs))
	}
}

func TestDecodeBudgetAliasExpansionPerFile(t *testing.T) {
	smallBudgets(t, 1000, 1000, 100000, 5000)
	// Each document expands to ~2,000 values: alone fine, together over.
	doc := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: &d {" + strings.Repeat("k: v, ", 1) + "}\nx: &a [" + strings.Repeat("1,", 100) + "1]\ny: [" + strings.Repeat("*a,", 19) + "*a]\n---\n"
	objs, probs := Bytes([]byte(strings.Repeat(doc, 5)), Options{File: "a.yaml"})
	p := onlyProblem(t, probs)
	if !strings.HasPrefix(p.Message, "cannot decode document 3: document expands to too many nodes (alias bomb?) (more than 5000 values expanded in one file)") || !strings.HasSuffix(p.Message, advice) {
		t.Errorf("%+v", p)
	}
	if len(objs) != 2 || p.Line < 15 || p.Line > 21 {
		t.Errorf("%d objects, problem at %d", len(objs), p.Line)
	}
}

// The estimate must not count what is not a node: comments, quoted and
// block scalars full of commas, dashes and colons.
func TestMinNodesIgnoresText(t *testing.T) {
	text := `# a, b, c: d - e
a: "x, y, z: [1, 2, 3]
  - q, r"
b: 'it''s, a: - list'
c: |
  - one, two: three
  - four, five: six
d: >-
  {a: 1, b: 2}
e: http://host:80/path,with,commas
f: [1, 2, 3] # 4, 5, 6
`
	if got := minNodes([]byte(text), 1000); got > 18 || got < 12 {
		t.Errorf("minNodes = %d, want about 15 (6 pairs and 3 items)", got)
	}
}
