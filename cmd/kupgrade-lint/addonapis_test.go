package main

import (
	"regexp"
	"strings"
	"testing"
)

func TestAPIsAllListsAddonAPIs(t *testing.T) {
	code, out, _ := runCLI(t, "", "apis", "--target-version", "1.33")
	if code != 0 || strings.Contains(out, "addon API") {
		t.Errorf("apis without --all lists addon APIs: %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", "apis", "--target-version", "1.33", "--all")
	if code != 0 {
		t.Fatalf("apis --all: %d", code)
	}
	// cert-manager stopped serving v1alpha2 in 1.6.0; v1 replaces it.
	row := regexp.MustCompile(`(?m)^removed +cert-manager\.io/v1alpha2 +Certificate +- +cert-manager 1\.6\.0 +cert-manager\.io/v1 +addon API \(cert-manager\)$`)
	if !row.MatchString(out) {
		t.Errorf("no removed row for cert-manager.io/v1alpha2 Certificate:\n%s", grepLines(out, "cert-manager.io/v1alpha2"))
	}
	if !regexp.MustCompile(`(?m)^served +cert-manager\.io/v1 +Certificate .*addon API \(cert-manager\)$`).MatchString(out) {
		t.Error("no served row for cert-manager.io/v1 Certificate")
	}
	// The moved group names where the kind went.
	if !regexp.MustCompile(`(?m)^removed +certmanager\.k8s\.io/v1alpha1 +Issuer +- +cert-manager 0\.11\.0 +cert-manager\.io/v1 `).MatchString(out) {
		t.Errorf("certmanager.k8s.io row:\n%s", grepLines(out, "certmanager.k8s.io/v1alpha1"))
	}
}

func TestAddonsShowsAPIDataAndDeclarations(t *testing.T) {
	code, out, errs := runCLI(t, "", "addons", "--target-version", "1.33",
		"../../rules/testdata/addon-incompatible/terraform-helm-release",
		"../../rules/testdata/addon-incompatible/argocd-sources")
	if code != 0 {
		t.Fatalf("addons: %d %s", code, errs)
	}
	for _, want := range []string{
		`(?m)^ingress-nginx +1\.8\.4 +\S*terraform-helm-release/main\.tf:6 +Terraform helm_release "ingress" chart ingress-nginx 4\.7\.3 \(chart map\) +retired, incompatible \(use 1\.13\.0\)$`,
		`(?m)^ingress-nginx +1\.7\.1 +\S*argocd-sources/apps\.yaml \(ns argocd\) +Argo CD Application argocd/ingress chart ingress-nginx 4\.6\.1 \(chart map\) +retired, incompatible`,
		`(?m)^cert-manager \(compatibility data: cert-manager\)$`,
		`(?m)^  releases read \(\d+\): 0\.6\.0, .*1\.6\.0, `,
		`(?m)^  cert-manager\.io/v1alpha2 +Certificate, CertificateRequest, ClusterIssuer, Issuer +0\.11\.0–1\.5\.0 +removed$`,
		`(?m)^  helm\.toolkit\.fluxcd\.io/v2 +HelmRelease +\S+ +served$`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("output lacks %s\n%s", want, out)
		}
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
