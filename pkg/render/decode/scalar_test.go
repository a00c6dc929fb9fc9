package decode

import (
	"fmt"
	"testing"

	"gopkg.in/yaml.v3"
)

// slowScalar is the conversion every scalar went through before
// plainScalar: yaml.v3's Decode, then Kubernetes' number types.
func slowScalar(n *yaml.Node) any {
	var v any
	if err := n.Decode(&v); err != nil {
		return err
	}
	switch t := v.(type) {
	case int:
		return int64(t)
	case uint64:
		return float64(t)
	case string, bool, float64, int64, nil:
		return t
	}
	return n.Value
}

func TestPlainScalarAgreesWithDecode(t *testing.T) {
	values := []string{
		`abc`, `'123'`, `"true"`, `123`, `-5`, `0`, `-0`, `+5`, `007`, `010`, `0x1F`, `0o17`, `1_000`, `true`, `True`,
		`TRUE`, `yes`, `no`, `on`, `null`, `~`, `Null`, `""`, `1e3`, `1.5`, `.inf`, `9223372036854775807`,
		`9223372036854775808`, `-9223372036854775809`, `!!str 12`, `!!int "12"`, `2024-01-01`, `!!binary aGk=`, `|` + "\n  block\n",
	}
	for _, v := range values {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte("k: "+v+"\n"), &doc); err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		n := doc.Content[0].Content[1]
		want := slowScalar(n)
		got, ok := plainScalar(n)
		if !ok {
			continue // Decode handles it, as before
		}
		if fmt.Sprintf("%T %v", got, got) != fmt.Sprintf("%T %v", want, want) {
			t.Errorf("%s (tag %s): fast %T %v, Decode %T %v", v, n.Tag, got, got, want, want)
		}
	}
}
