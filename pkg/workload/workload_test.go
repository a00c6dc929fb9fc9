package workload

import (
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

func TestTemplate(t *testing.T) {
	tests := []struct {
		apiVersion, kind string
		meta, spec       string
		runs, ok         bool
	}{
		{"apps/v1", "Deployment", "spec.template.metadata", "spec.template.spec", true, true},
		{"batch/v1", "CronJob", "spec.jobTemplate.spec.template.metadata", "spec.jobTemplate.spec.template.spec", true, true},
		{"v1", "Pod", "metadata", "spec", true, true},
		{"v1", "PodTemplate", "template.metadata", "template.spec", false, true},
		{"example.com/v1", "Deployment", "", "", false, false}, // a CRD reusing the name
		{"v1", "Service", "", "", false, false},
	}
	for _, tt := range tests {
		meta, spec, runs, ok := Template(&model.Object{APIVersion: tt.apiVersion, Kind: tt.kind})
		if meta != tt.meta || spec != tt.spec || runs != tt.runs || ok != tt.ok {
			t.Errorf("%s %s: %q %q %v %v", tt.apiVersion, tt.kind, meta, spec, runs, ok)
		}
	}
}
