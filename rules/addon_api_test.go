package rules

import (
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/schema"
)

// runWithSchema runs rs over YAML files with a schema validator that has
// the files' CRDs registered, as the scan builds it.
func runWithSchema(t *testing.T, target string, rs []*Rule, files ...string) []model.Finding {
	t.Helper()
	tv := kubeversion.MustParse(target)
	objs := decodeFiles(t, files)
	v, err := schema.NewForObjects(tv, schema.Options{}, objs)
	if err != nil {
		t.Fatal(err)
	}
	return sortFindings(Run(Config{Target: tv, Lifecycle: kubeversion.Default(), Inputs: Inputs{Schema: v, CRDs: v.CRDs()}}, rs, objs))
}

func findingLines(fs []model.Finding) string {
	var out []string
	for _, f := range fs {
		out = append(out, schemaFindingLine(f))
	}
	return strings.Join(out, "\n")
}

const (
	oldIssuer = `apiVersion: certmanager.k8s.io/v1alpha1
kind: Issuer
metadata:
  name: letsencrypt
spec:
  selfSigned: {}
`
	alpha2Certificate = `apiVersion: cert-manager.io/v1alpha2
kind: Certificate
metadata:
  name: web
spec:
  secretName: web-tls
  dnsNames: [example.com]
  issuerRef: {name: letsencrypt}
`
	goodCertificate = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
spec:
  secretName: web-tls
  dnsNames: [example.com]
  issuerRef:
    name: letsencrypt
    kind: ClusterIssuer
`
	typoCertificate = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: typo
spec:
  secretNmae: web-tls
  dnsNames: [example.com]
  issuerRef:
    name: letsencrypt
`
	helmReleaseV2beta1 = `apiVersion: helm.toolkit.fluxcd.io/v2beta1
kind: HelmRelease
metadata:
  name: podinfo
spec:
  interval: 5m
  chart:
    spec:
      chart: podinfo
      version: "6.x"
      sourceRef: {kind: HelmRepository, name: podinfo}
`
	cmController15 = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: cert-manager
  namespace: cert-manager
spec:
  selector:
    matchLabels: {app: cert-manager}
  template:
    metadata:
      labels: {app: cert-manager}
    spec:
      containers:
      - name: controller
        image: quay.io/jetstack/cert-manager-controller:v1.5.0
`
	alpha2CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: certificates.cert-manager.io
spec:
  group: cert-manager.io
  scope: Namespaced
  names: {kind: Certificate, plural: certificates}
  versions:
  - name: v1alpha2
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
`
)

var apiRules = []*Rule{RemovedAPI, DeprecatedAPI, SchemaInvalid, UnknownSchema}

func TestAddonAPIs(t *testing.T) {
	tests := []struct {
		name, target string
		files        []string
		want         []string
	}{
		{"cert-manager before 0.11 without its CRD", "1.33", []string{oldIssuer}, []string{
			`file0.yaml:1 error Issuer/letsencrypt apiVersion | no cert-manager release that supports Kubernetes 1.33 serves certmanager.k8s.io/v1alpha1 Issuer; last served by cert-manager 0.10.0, no longer by 0.11.0; use cert-manager.io/v1`,
		}},
		{"cert-manager.io/v1alpha2 removed in 1.6", "1.33", []string{alpha2Certificate}, []string{
			`file0.yaml:1 error Certificate/web apiVersion | no cert-manager release that supports Kubernetes 1.33 serves cert-manager.io/v1alpha2 Certificate; last served by cert-manager 1.5.0, no longer by 1.6.0; use cert-manager.io/v1`,
		}},
		{"without a detected version, releases supporting 1.25 decide", "1.25", []string{alpha2Certificate}, []string{
			`file0.yaml:1 error Certificate/web apiVersion | no cert-manager release that supports Kubernetes 1.25 serves cert-manager.io/v1alpha2 Certificate`,
		}},
		{"the cert-manager the repository runs still serves v1alpha2", "1.25", []string{cmController15, alpha2Certificate}, nil},
		{"a correct Certificate is silent", "1.33", []string{goodCertificate}, nil},
		{"a typo is caught by the embedded schema", "1.33", []string{typoCertificate}, []string{
			`file0.yaml:5 error Certificate/typo spec | spec: missing required field "secretName" (schema from CRD certificates.cert-manager.io (embedded, cert-manager 1.21.2))`,
			`file0.yaml:6 error Certificate/typo spec.secretNmae | spec.secretNmae: unknown field "secretNmae" (schema from CRD certificates.cert-manager.io (embedded, cert-manager 1.21.2))`,
		}},
		{"a CRD in the scan wins", "1.33", []string{alpha2CRD, alpha2Certificate}, nil},
		{"Flux v2beta1 is deprecated where still served", "1.33", []string{helmReleaseV2beta1}, []string{
			`file0.yaml:1 warning HelmRelease/podinfo apiVersion | helm.toolkit.fluxcd.io/v2beta1 HelmRelease is deprecated in flux 2.6.4`,
		}},
		{"unknown groups keep unknown-schema", "1.33", []string{"apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n"}, []string{
			`file0.yaml:2 info Widget/w kind | no schema for example.com/v1 Widget`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := runWithSchema(t, tc.target, apiRules, tc.files...)
			got := strings.Split(findingLines(fs), "\n")
			if len(fs) == 0 {
				got = nil
			}
			if len(got) != len(tc.want) {
				t.Fatalf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.want[i]) {
					t.Errorf("finding %d:\n%s\nwant prefix:\n%s", i, got[i], tc.want[i])
				}
			}
		})
	}
}
