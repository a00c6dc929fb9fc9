package main

import "testing"

// A v1beta1 CRD with a shared schema and Helm actions, then a v1 CRD with a
// deprecated version: the forms the pinned inputs use.
const crdFixture = `{{- if .Values.installCRDs }}
apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata:
  name: issuers.certmanager.k8s.io
  labels:
    chart: {{ .Chart.Name }}
spec:
  group: certmanager.k8s.io
  version: v1alpha1
  scope: Namespaced
  names: {kind: Issuer, plural: issuers}
  validation:
    openAPIV3Schema:
      type: object
{{- end }}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: not-a-crd}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: helmreleases.helm.toolkit.fluxcd.io}
spec:
  group: helm.toolkit.fluxcd.io
  scope: Namespaced
  names: {kind: HelmRelease}
  versions:
  - name: v2
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object}}}}
  - name: v2beta1
    served: true
    storage: false
    deprecated: true
    deprecationWarning: use v2
    schema: {openAPIV3Schema: {type: object}}
`

func TestParseCRDs(t *testing.T) {
	crds, err := parseCRDs([]byte(crdFixture))
	if err != nil {
		t.Fatal(err)
	}
	if len(crds) != 2 {
		t.Fatalf("%d CRDs, want 2", len(crds))
	}
	old := crds[0]
	if old.group != "certmanager.k8s.io" || old.kind != "Issuer" || len(old.versions) != 1 {
		t.Fatalf("v1beta1 CRD: %+v", old)
	}
	if v := old.versions[0]; v.name != "v1alpha1" || !v.served || !v.storage || v.schema["type"] != "object" {
		t.Errorf("v1beta1 version: %+v", v)
	}
	hr := crds[1]
	if len(hr.versions) != 2 {
		t.Fatalf("v1 CRD: %+v", hr)
	}
	if v := hr.versions[1]; !v.deprecated || v.warning != "use v2" || v.storage {
		t.Errorf("v2beta1: %+v", v)
	}
	if _, err := parseCRDs([]byte("kind: CustomResourceDefinition\nmetadata: {name: x}\n")); err == nil {
		t.Error("a CRD without group and kind parses")
	}
}
