package decode

import "testing"

// FuzzDecodeBytes: no input may panic the decoder, and every object must
// carry a position inside the input.
func FuzzDecodeBytes(f *testing.F) {
	for _, s := range []string{
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
		"---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: s}}\n",
		"a: &a [*a]\n",
		"apiVersion: v1\nkind: Pod\nmetadata:\n  <<: {name: x}\n",
		`{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n"}}`,
		"apiVersion: v1\nkind: Pod\nmetadata:\n\tname: tab\n",
		"? [complex, key]\n: value\napiVersion: v1\nkind: Pod\n",
		"apiVersion: v1\nkind: ConfigMap\ndata: !!binary aGVsbG8=\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		objs, probs := Bytes(data, Options{File: "fuzz.yaml", Exact: true})
		lines := 1
		for _, b := range data {
			if b == '\n' {
				lines++
			}
		}
		for _, o := range objs {
			if o.Kind == "" || o.APIVersion == "" {
				t.Errorf("object without kind or apiVersion: %+v", o)
			}
			if o.Source.Line < 1 || o.Source.Line > lines {
				t.Errorf("object line %d outside 1..%d", o.Source.Line, lines)
			}
			_, _ = o.PosOf("spec.template.spec.containers[0].image")
		}
		for _, p := range probs {
			if p.File != "fuzz.yaml" || p.Message == "" {
				t.Errorf("problem without file or message: %+v", p)
			}
		}
	})
}
