package rules

import (
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// Cases for the rules that predate this file, so the completeness test can
// hold every rule to the same standard.

var removedAPICases = []ruleCase{
	{name: "apps/v1beta1 Deployment at 1.16", target: "1.16", files: []string{workloadYAML("apps/v1beta1", "Deployment", "web", "", "1", app)},
		want: []want{{"web", "apiVersion", "apps/v1beta1 Deployment was removed in Kubernetes 1.16"}}},
	{name: "apps/v1 Deployment", target: "1.33", files: []string{deploy("web", "", "1", app)}},
}

var deprecatedAPICases = []ruleCase{
	{name: "apps/v1beta1 Deployment at 1.12", target: "1.12", files: []string{workloadYAML("apps/v1beta1", "Deployment", "web", "", "1", app)},
		want: []want{{"web", "apiVersion", "and will be removed in 1.16; use apps/v1"}}},
	{name: "apps/v1 Deployment", target: "1.12", files: []string{deploy("web", "", "1", app)}},
	{name: "alpha removal past the newest release is a projection", target: "1.36", files: []string{"apiVersion: admissionregistration.k8s.io/v1alpha1\nkind: MutatingAdmissionPolicy\nmetadata:\n  name: p\nspec: {}\n"},
		want: []want{{"p", "apiVersion", "is deprecated since Kubernetes 1.35 and is projected to be removed in 1.38 (the default for alpha APIs, not a scheduled removal); use admissionregistration.k8s.io/v1"}}},
	{name: "beta removal scheduled by the tags is not a projection", target: "1.36", files: []string{"apiVersion: resource.k8s.io/v1beta1\nkind: DeviceClass\nmetadata:\n  name: d\nspec: {}\n"},
		want: []want{{"d", "apiVersion", "is deprecated since Kubernetes 1.35 and will be removed in 1.38"}}},
}

var parseErrorCases = []ruleCase{
	{name: "problem becomes a finding", env: &Inputs{Problems: []model.Problem{{Rule: "parse-error", File: "bad.yaml", Line: 3, Message: "invalid YAML in document 1: did not find expected key"}}},
		want: []want{{"", "", "invalid YAML in document 1"}}},
	{name: "other problems are ignored", env: &Inputs{Problems: []model.Problem{{Rule: "render-error", File: "c/", Line: 1, Message: "x"}}}},
}

func TestRemovedAPI(t *testing.T) {
	if fired, clean := runCases(t, RemovedAPI, removedAPICases); fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", RemovedAPI.ID, fired, clean)
	}
}
func TestDeprecatedAPI(t *testing.T) {
	if fired, clean := runCases(t, DeprecatedAPI, deprecatedAPICases); fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", DeprecatedAPI.ID, fired, clean)
	}
}
func TestParseError(t *testing.T) {
	if fired, clean := runCases(t, ParseError, parseErrorCases); fired == 0 || clean == 0 {
		t.Errorf("%s: want cases that fire and cases that stay clean, have %d and %d", ParseError.ID, fired, clean)
	}
}
