package crdindex

import (
	"reflect"
	"testing"
)

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
			got := DocumentAPIs([]byte(tt.doc))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
