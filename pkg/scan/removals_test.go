package scan

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
)

// guide is every removal of the official Deprecated API Migration Guide
// (https://kubernetes.io/docs/reference/using-api/deprecation-guide/),
// with the release that removed it. testdata/manifests/removed-apis holds one
// object of each, in removed-in-<release>.yaml.
var guide = map[string][]string{
	"1.16": {"extensions/v1beta1/NetworkPolicy", "extensions/v1beta1/PodSecurityPolicy", "extensions/v1beta1/DaemonSet", "extensions/v1beta1/Deployment", "extensions/v1beta1/ReplicaSet", "apps/v1beta1/Deployment", "apps/v1beta1/StatefulSet", "apps/v1beta2/DaemonSet", "apps/v1beta2/Deployment", "apps/v1beta2/StatefulSet", "apps/v1beta2/ReplicaSet"},
	"1.22": {"admissionregistration.k8s.io/v1beta1/MutatingWebhookConfiguration", "admissionregistration.k8s.io/v1beta1/ValidatingWebhookConfiguration", "apiextensions.k8s.io/v1beta1/CustomResourceDefinition", "apiregistration.k8s.io/v1beta1/APIService", "authentication.k8s.io/v1beta1/TokenReview", "authorization.k8s.io/v1beta1/LocalSubjectAccessReview", "authorization.k8s.io/v1beta1/SelfSubjectAccessReview", "authorization.k8s.io/v1beta1/SubjectAccessReview", "certificates.k8s.io/v1beta1/CertificateSigningRequest", "coordination.k8s.io/v1beta1/Lease", "extensions/v1beta1/Ingress", "networking.k8s.io/v1beta1/Ingress", "networking.k8s.io/v1beta1/IngressClass", "rbac.authorization.k8s.io/v1beta1/ClusterRole", "rbac.authorization.k8s.io/v1beta1/ClusterRoleBinding", "rbac.authorization.k8s.io/v1beta1/Role", "rbac.authorization.k8s.io/v1beta1/RoleBinding", "scheduling.k8s.io/v1beta1/PriorityClass", "storage.k8s.io/v1beta1/CSIDriver", "storage.k8s.io/v1beta1/CSINode", "storage.k8s.io/v1beta1/StorageClass", "storage.k8s.io/v1beta1/VolumeAttachment"},
	"1.25": {"batch/v1beta1/CronJob", "discovery.k8s.io/v1beta1/EndpointSlice", "events.k8s.io/v1beta1/Event", "autoscaling/v2beta1/HorizontalPodAutoscaler", "policy/v1beta1/PodDisruptionBudget", "policy/v1beta1/PodSecurityPolicy", "node.k8s.io/v1beta1/RuntimeClass"},
	"1.26": {"flowcontrol.apiserver.k8s.io/v1beta1/FlowSchema", "flowcontrol.apiserver.k8s.io/v1beta1/PriorityLevelConfiguration", "autoscaling/v2beta2/HorizontalPodAutoscaler"},
	"1.27": {"storage.k8s.io/v1beta1/CSIStorageCapacity"},
	"1.29": {"flowcontrol.apiserver.k8s.io/v1beta2/FlowSchema", "flowcontrol.apiserver.k8s.io/v1beta2/PriorityLevelConfiguration"},
	"1.32": {"flowcontrol.apiserver.k8s.io/v1beta3/FlowSchema", "flowcontrol.apiserver.k8s.io/v1beta3/PriorityLevelConfiguration"},
}

func scanAt(t *testing.T, target kubeversion.Version, paths ...string) *model.Report {
	t.Helper()
	rep, err := Run(context.Background(), Options{Target: target, FailOn: model.SeverityError, Render: render.Options{Paths: paths}})
	if err != nil {
		t.Fatalf("scan %v at %s: %v", paths, target, err)
	}
	return rep
}

// TestOfficialRemovals checks, for every removal in the guide and every
// release the data covers, that removed-api fires at and after the removal,
// deprecated-api (and not removed-api) between deprecation and removal, and
// nothing before.
func TestOfficialRemovals(t *testing.T) {
	db := kubeversion.Default()
	for v := db.Oldest(); !db.Newest().Less(v); v = v.Next() {
		t.Run(v.String(), func(t *testing.T) {
			rep := scanAt(t, v, "../../testdata/manifests/removed-apis")
			got := map[string]string{} // gvk -> rule
			for _, f := range rep.Findings {
				if f.Rule != "removed-api" && f.Rule != "deprecated-api" {
					continue // other rules (e.g. pdb-no-match) are tested elsewhere
				}
				key := f.APIVersion + "/" + f.Kind
				if prev, dup := got[key]; dup {
					t.Errorf("%s: two findings (%s, %s)", key, prev, f.Rule)
				}
				got[key] = f.Rule
				if f.Line == 0 || filepath.Base(f.File) != fmt.Sprintf("removed-in-%s.yaml", removedIn(key)) {
					t.Errorf("%s: located at %s:%d", key, f.File, f.Line)
				}
			}
			for rel, gvks := range guide {
				removed := kubeversion.MustParse(rel)
				for _, gvk := range gvks {
					a := lookup(t, db, gvk)
					want := ""
					switch {
					case v.AtLeast(removed):
						want = "removed-api"
					case !a.Deprecated.IsZero() && v.AtLeast(a.Deprecated):
						want = "deprecated-api"
					}
					if got[gvk] != want {
						t.Errorf("%s at %s: got %q, want %q", gvk, v, got[gvk], want)
					}
				}
			}
		})
	}
}

func removedIn(gvk string) string {
	for rel, gvks := range guide {
		for _, g := range gvks {
			if g == gvk {
				return rel
			}
		}
	}
	return "?"
}

func lookup(t *testing.T, db *kubeversion.DB, gvk string) *kubeversion.API {
	t.Helper()
	i := len(gvk) - 1
	for gvk[i] != '/' {
		i--
	}
	a, ok := db.Lookup(gvk[:i], gvk[i+1:])
	if !ok {
		t.Fatalf("%s missing from the lifecycle data", gvk)
	}
	return a
}

// TestGuideMatchesDatabase pins the database to the guide's removal releases
// and checks that each message names a replacement that is served.
func TestGuideMatchesDatabase(t *testing.T) {
	db := kubeversion.Default()
	for rel, gvks := range guide {
		for _, gvk := range gvks {
			a := lookup(t, db, gvk)
			if a.Removed.String() != rel {
				t.Errorf("%s: removed %s in data, %s in the guide", gvk, a.Removed, rel)
			}
			if a.Deprecated.IsZero() {
				t.Errorf("%s: no deprecation release", gvk)
			}
		}
	}
}

func TestCurrentAPIsAreClean(t *testing.T) {
	db := kubeversion.Default()
	for _, v := range []kubeversion.Version{{Major: 1, Minor: 25}, {Major: 1, Minor: 33}, db.Newest()} {
		rep := scanAt(t, v, "../../testdata/manifests/current")
		// A well-kept application: no rule has anything to say.
		for _, f := range rep.Findings {
			t.Errorf("%s: unexpected %s at %s:%d: %s", v, f.Rule, f.File, f.Line, f.Message)
		}
		if rep.Summary.Objects != 7 {
			t.Errorf("%s: %d objects, want 7", v, rep.Summary.Objects)
		}
	}
}

func TestRemovedMessageIsActionable(t *testing.T) {
	rep := scanAt(t, kubeversion.MustParse("1.33"), "../../testdata/manifests/removed-apis/removed-in-1.25.yaml")
	for _, f := range rep.Findings {
		if f.Kind == "CronJob" {
			want := "batch/v1beta1 CronJob was removed in Kubernetes 1.25 (deprecated since 1.21); use batch/v1 (available since 1.21)"
			if f.Message != want {
				t.Errorf("message\n got %q\nwant %q", f.Message, want)
			}
			if f.Line != 2 || f.Column != 1 || f.Since != "1.25" {
				t.Errorf("location %d:%d since %s", f.Line, f.Column, f.Since)
			}
			return
		}
	}
	t.Fatal("no CronJob finding")
}
