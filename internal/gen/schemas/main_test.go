package main

import (
	"encoding/json"
	"testing"
)

func TestDeprecationNote(t *testing.T) {
	tests := []struct{ field, desc, want string }{
		{"loadBalancerIP", "Only applies to Service Type: LoadBalancer. Deprecated: This field was under-specified. Using it is non-portable.",
			"Deprecated: This field was under-specified. Using it is non-portable."},
		{"phase", "NodePhase is the recently observed lifecycle phase of the node. More info: https://kubernetes.io/docs/concepts/nodes/node/#phase The field is never populated, and now is deprecated.",
			"More info: https://kubernetes.io/docs/concepts/nodes/node/#phase The field is never populated, and now is deprecated."},
		{"secrets", `Secrets is a list. The "kubernetes.io/enforce-mountable-secrets" annotation is deprecated since v1.32.`, ""},
		{"deprecated", "deprecated indicates this version of the custom resource API is deprecated.", ""},
		{"deprecationWarning", "deprecationWarning overrides the default warning. The default warning indicates this version is deprecated and recommends use of the newest served version.", ""},
		{"deprecatedCount", "deprecatedCount is the deprecated field assuring backward compatibility with core.v1 Event type.", "deprecatedCount is the deprecated field assuring backward compatibility with core.v1 Event type."},
		{"replicas", "Number of desired pods. This is a pointer to distinguish between explicit zero and not specified.", ""},
		{"ipFamilies", "IPFamilies replaces the deprecated ipFamily field.", ""},
	}
	for _, tc := range tests {
		if got := deprecationNote(tc.field, tc.desc); got != tc.want {
			t.Errorf("deprecationNote(%s) = %q, want %q", tc.field, got, tc.want)
		}
	}
}

func TestStripKeepsPropertiesNamedDescription(t *testing.T) {
	var s map[string]any
	if err := json.Unmarshal([]byte(`{"description":"doc","x-kubernetes-list-type":"atomic","properties":{
		"description":{"type":"string","description":"the field"},
		"items":{"type":"array","items":{"description":"x","type":"string"}}},
		"x-kubernetes-group-version-kind":[{"group":"","kind":"Pod","version":"v1"}]}`), &s); err != nil {
		t.Fatal(err)
	}
	strip(s)
	b, _ := json.Marshal(s)
	want := `{"properties":{"description":{"type":"string"},"items":{"items":{"type":"string"},"type":"array"}},"x-kubernetes-group-version-kind":[{"group":"","kind":"Pod","version":"v1"}]}`
	if string(b) != want {
		t.Errorf("strip:\n got %s\nwant %s", b, want)
	}
}
