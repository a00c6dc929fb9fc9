package scan

import (
	"strings"
	"sync"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/schema"
	"github.com/kupgrade-lint/kupgrade-lint/rules"
)

// openAPIFieldPlaces says where a field of an OpenAPI definition appears in
// manifests, for the definitions whose deprecated fields users write.
// Volume plugins and PersistentVolume sources are left out: the hand-kept
// facts in rules/data/fields.yaml cover them with removal releases.
var openAPIFieldPlaces = map[string]struct {
	what  string
	kinds []string
	paths []string
}{
	"io.k8s.api.core.v1.PodSpec":          {what: rules.FactPodField, paths: []string{""}},
	"io.k8s.api.core.v1.ServiceSpec":      {what: rules.FactField, kinds: []string{"Service"}, paths: []string{"spec."}},
	"io.k8s.api.core.v1.LifecycleHandler": {what: rules.FactPodField, paths: []string{"containers[*].lifecycle.postStart.", "containers[*].lifecycle.preStop.", "initContainers[*].lifecycle.postStart.", "initContainers[*].lifecycle.preStop."}},
	"io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec": {what: rules.FactField, kinds: []string{"CustomResourceDefinition"}, paths: []string{"spec."}},
}

// openAPINotDeprecations are fields the OpenAPI calls deprecated where a
// finding would be wrong, with why.
var openAPINotDeprecations = map[string]string{
	// apiextensions v1 accepts only false: writing it is not a migration.
	"io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec.preserveUnknownFields": "only false is accepted in v1",
	// A permanent alias of serviceAccountName, kept by the API server.
	"io.k8s.api.core.v1.PodSpec.serviceAccount": "permanent alias of serviceAccountName",
}

// schemaFieldFacts turns the fields the upstream OpenAPI documents mark
// deprecated into facts for the deprecated-field rule.
var schemaFieldFacts = sync.OnceValue(func() []rules.FieldFact {
	var out []rules.FieldFact
	deps, err := schema.FieldDeprecations()
	if err != nil {
		return nil // the embedded data is checked by pkg/schema's tests
	}
	oldest := schema.Versions()[0]
	for _, d := range deps {
		place, ok := openAPIFieldPlaces[d.Definition]
		if !ok || openAPINotDeprecations[d.Definition+"."+d.Field] != "" {
			continue
		}
		note := d.Note
		if i := strings.Index(note, ". "); i > 0 {
			note = note[:i]
		}
		note = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(note, "Deprecated: "), "Deprecated. "), ".")
		if note != "" {
			// Messages start lowercase; upstream sentences do not.
			note = strings.ToLower(note[:1]) + note[1:]
		}
		for _, p := range place.paths {
			out = append(out, rules.FieldFact{
				What: place.what, Key: p + d.Field, Kinds: place.kinds,
				Deprecated: d.First.String(), DeprecatedBy: d.First == oldest, Note: note,
				Source: "k8s.io/kubernetes api/openapi-spec/swagger.json " + d.Definition + "." + d.Field + " description (" + d.First.String() + "-" + d.Last.String() + ")",
			})
		}
	}
	return out
})
