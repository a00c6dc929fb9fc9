// Command lifecycle generates pkg/kubeversion/data/lifecycle.json, the API
// lifecycle database (introduced, deprecated, removed, replacement, default
// enablement per group/version/kind).
//
// Run from the repository root:
//
//	go run ./internal/gen/lifecycle [-cache DIR] [-out FILE] [-overlay FILE] [-proxy URL]
//
// Inputs are module zips fetched over HTTPS from the Go module proxy at the
// versions pinned in pins.go and cached in -cache (default
// $XDG_CACHE_HOME/kupgrade-lint-gen, shared with the other generators):
//
//   - k8s.io/api v0.19–v0.37: <group>/<version>/zz_generated.prerelease-lifecycle.go
//     (the apiserver enforces these tags; the newest version holding a type wins;
//     the group name comes from GroupName in register.go, empty = core).
//   - k8s.io/apiextensions-apiserver and k8s.io/kube-aggregator: the same tags
//     for CustomResourceDefinition and APIService.
//   - k8s.io/kubernetes v1.16–v1.37: api/openapi-spec/swagger.json, generated
//     with every API enabled, so it lists every kind a release can serve. A
//     kind's first and last release give "introduced" and, for alpha APIs
//     (whose tags are mere defaults), "removed" = last + 1.
//   - k8s.io/kubernetes: pkg/controlplane/instance.go (pkg/master/master.go
//     before 1.20), DefaultAPIResourceConfigSource, for default enablement.
//   - overlay.yaml: hand-kept replacements and notes from the Deprecated API
//     Migration Guide and release notes, each with its citation, plus the
//     configuration-file APIs (kubeadm, kube-scheduler, audit policy) that no
//     API server serves (notServed) and whose lifecycle only the CHANGELOGs
//     and source trees record.
//
// Precedence (data-sources §A.4): beta/GA "removed" comes from the tags,
// which the apiserver enforces; alpha "removed" from swagger presence;
// "introduced" from swagger from 1.17 on, else the tag; a GA deprecation
// without a tag from the swagger description ("deprecated in v1.N+");
// the overlay last. -v lists every disagreement between tags and swagger.
//
// To cover a new release, add its k8s.io/api and k8s.io/kubernetes versions
// to pins.go, bump newestMinor and rerun.
//
// The generator never runs in tests or CI; the output is committed.
package main
