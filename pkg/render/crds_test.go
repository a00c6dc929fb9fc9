package render

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/crdindex"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/decode"
)

func TestCRDHeadScanMatchesDecoder(t *testing.T) {
	corpus := corpusDir(t)
	var files []string
	filepath.Walk(corpus, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && IsManifestName(p) {
			files = append(files, p)
		}
		return nil
	})
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil || !bytes.Contains(data, []byte("CustomResourceDefinition")) {
			continue
		}
		for _, d := range decode.Split(data) {
			agree, ok, h, want := crdindex.HeadsAgree(d.Text)
			if !ok {
				continue
			}
			n++
			if !agree {
				t.Errorf("%s:%d: scan %s, decode %s", f, d.Line, h, want)
			}
		}
	}
	if n == 0 {
		t.Fatal("no CRDs in corpus")
	}
	t.Logf("%d CRDs compared", n)
}
