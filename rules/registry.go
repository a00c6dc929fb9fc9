package rules

import "sort"

// All returns every built-in rule, sorted by ID. The list is explicit (no
// init-time registration) so the set of rules is visible in one place.
func All() []*Rule {
	rs := []*Rule{
		ParseError,
		RemovedAPI,
		DeprecatedAPI,
		AddonIncompatible,
		AddonUntested,
		AddonRetired,
		AddonVersionSkew,
		AddonUnknownVersion,
		BackupCoverage,
		DeprecatedComponentConfig,
		DeprecatedField,
		LocalStorageState,
		MissingMemoryLimit,
		MissingPDB,
		MissingPriorityClass,
		MissingRequests,
		PDBBlocksDrain,
		PDBNoMatch,
		RemovedField,
		RequestsExceedLimits,
		WebhookFailurePolicy,
		SchemaInvalid,
		UnknownSchema,
		RenderError,
		ChartKubeVersion,
		StaleReleaseAPI,
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
	return rs
}

// ByID returns the rule with the given ID.
func ByID(id string) (*Rule, bool) {
	for _, r := range All() {
		if r.ID == id {
			return r, true
		}
	}
	return nil, false
}
