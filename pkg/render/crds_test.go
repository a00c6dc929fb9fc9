package render

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
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
		for _, d := range splitDocuments(data) {
			h, ok := scanCRDHead(d.text)
			if !ok {
				continue
			}
			want := decodeCRDHead(d.text)
			if want.kind != "CustomResourceDefinition" {
				continue
			}
			n++
			if !reflect.DeepEqual(h, want) {
				t.Errorf("%s:%d: scan %+v, decode %+v", f, d.line, h, want)
			}
		}
	}
	if n == 0 {
		t.Fatal("no CRDs in corpus")
	}
	t.Logf("%d CRDs compared", n)
}

func TestCRDAPIs(t *testing.T) {
	tests := []struct {
		name, doc string
		want      []string
	}{
		{"v1 block", "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names:\n    kind: Widget\n    plural: widgets\n  versions:\n  - name: v1\n    served: true\n    schema:\n      openAPIV3Schema:\n        properties:\n          name:\n            type: string\n  - name: v2\n", []string{"example.com/v1", "example.com/v1/Widget", "example.com/v2", "example.com/v2/Widget"}},
		{"v1beta1 single version", "apiVersion: apiextensions.k8s.io/v1beta1\nkind: CustomResourceDefinition\nspec:\n    group: certmanager.k8s.io\n    version: v1alpha1\n    names:\n        kind: Issuer\n", []string{"certmanager.k8s.io/v1alpha1", "certmanager.k8s.io/v1alpha1/Issuer"}},
		{"json", `{"kind":"CustomResourceDefinition","spec":{"group":"a.io","names":{"kind":"A"},"versions":[{"name":"v1"}]}}`, []string{"a.io/v1", "a.io/v1/A"}},
		{"not a crd", "apiVersion: v1\nkind: ConfigMap\nspec:\n  group: x\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := crdAPIs([]byte(tt.doc))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
