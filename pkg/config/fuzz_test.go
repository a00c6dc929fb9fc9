package config

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary bytes as a config file: Load may refuse them but
// must not panic.
func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		"targetVersion: \"1.33\"\nfailOn: warning\n",
		"rules:\n  removed-api: off\n  missing-pdb: {severity: info}\n",
		"values: [a.yaml, ../b.yaml, /etc/passwd]\ncharts:\n  c: {values: [x]}\n",
		"schemaLocations: [\"s/{{ .ResourceKind }}.json\", https://x]\n",
		"a: &a [*a]\n",
		"charts: {? [a]: b}\n",
		"- - -\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		p := filepath.Join(dir, FileName)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, _ = Load(p)
	})
}
