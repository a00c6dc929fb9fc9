package rules

import (
	"bytes"
	"strings"
	"testing"
)

// TestFieldFactsData checks the curated data: it parses, every entry has a
// source and consistent versions, and lines are sorted and unique.
func TestFieldFactsData(t *testing.T) {
	facts, err := embeddedFacts()
	if err != nil {
		t.Fatal(err)
	}
	if len(facts) < 30 {
		t.Fatalf("only %d facts", len(facts))
	}
	var prev string
	for _, line := range bytes.Split(fieldsYAML, []byte("\n")) {
		l := string(line)
		if !strings.HasPrefix(l, "- {") {
			continue
		}
		if l <= prev {
			t.Errorf("entries not sorted or duplicated:\n%s\n%s", prev, l)
		}
		prev = l
	}
	seen := map[string]bool{}
	for _, f := range facts {
		id := f.What + " " + f.Key
		if seen[id] {
			t.Errorf("duplicate fact %s", id)
		}
		seen[id] = true
		if f.CSIDriver != "" && (f.Removed != "" || f.Deprecated == "") {
			t.Errorf("%s: CSI-migrated plugins set deprecated (in-tree removal) and no removed", id)
		}
		if f.Replacement == "" && f.CSIDriver == "" && f.What != FactNodeLabel && f.Key != "metadata.clusterName" && f.Key != "spec.externalID" {
			t.Errorf("%s: no replacement (fields that are simply unused say so in their note)", id)
		}
	}
	for _, want := range []string{"node-label beta.kubernetes.io/os", "pod-annotation seccomp.security.alpha.kubernetes.io/pod",
		"pod-annotation-prefix container.apparmor.security.beta.kubernetes.io/", "pod-annotation scheduler.alpha.kubernetes.io/critical-pod",
		"annotation kubernetes.io/ingress.class", "annotation volume.beta.kubernetes.io/storage-class", "field spec.topologyKeys",
		"volume-plugin glusterfs", "volume-plugin awsElasticBlockStore"} {
		if !seen[want] {
			t.Errorf("missing fact %s", want)
		}
	}
}

func TestFieldFactValidation(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, err string
	}{
		{"unknown what", `entries: [{what: thing, key: x, deprecated: "1.2", source: s}]`, "unknown what"},
		{"no versions", `entries: [{what: node-label, key: x, source: s}]`, "deprecated or removed"},
		{"bad order", `entries: [{what: node-label, key: x, deprecated: "1.20", removed: "1.19", source: s}]`, "not before"},
		{"no kinds", `entries: [{what: field, key: spec.x, removed: "1.20", source: s}]`, "kinds"},
		{"no source", `entries: [{what: node-label, key: x, deprecated: "1.2"}]`, "source"},
		{"bad version", `entries: [{what: node-label, key: x, deprecated: "one", source: s}]`, "invalid Kubernetes version"},
		{"ok", `entries: [{what: node-label, key: x, deprecated: "1.2", source: s}]`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseFieldFacts([]byte(tc.yaml))
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Fatalf("err = %v, want %q", err, tc.err)
			}
		})
	}
}
