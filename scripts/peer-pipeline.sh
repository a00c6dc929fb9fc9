#!/bin/bash
# The peer pipeline on the shared corpus, for docs/benchmarks.md: helm template of every
# chart, kustomize build of every kustomization, then kubeconform and kube-score over the
# rendered output and the plain manifests, one after the other as one CI job runs them.
# Renders that fail offline are ignored, as in ../shared/README.md's figures.
#
#   PEERS=dir-with-helm-kustomize-kube-score KUBECONFORM=path SCHEMAS=dir scripts/peer-pipeline.sh [CORPUS]
#
# (binaries from the Go module proxy: helm.sh/helm/v3/cmd/helm, sigs.k8s.io/kustomize/kustomize/v5,
# github.com/zegl/kube-score/cmd/kube-score, github.com/yannh/kubeconform/cmd/kubeconform;
# SCHEMAS from `KUPGRADE_KUBECONFORM_DIR=dir go test ./pkg/schema -run TestWriteKubeconformSchemas`)
set -u
C=${1:-../shared/corpus}
: "${PEERS:?PEERS is the directory holding helm, kustomize and kube-score}"
: "${KUBECONFORM:?KUBECONFORM is the kubeconform binary}"
: "${SCHEMAS:?SCHEMAS is the kubeconform schema directory}"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
now() { date +%s.%N; }
s0=$(now)
for c in "$C"/helm/*/*; do
	[ -f "$c/Chart.yaml" ] || continue
	"$PEERS/helm" template x "$c" --kube-version 1.33.0 >"$OUT/helm-$(basename "$c").yaml" 2>/dev/null
done
s1=$(now)
i=0
while IFS= read -r k; do
	i=$((i + 1))
	"$PEERS/kustomize" build "$k" >"$OUT/kust-$i.yaml" 2>/dev/null
done < <(find "$C/kustomize" \( -name kustomization.yaml -o -name kustomization.yml -o -name Kustomization \) -printf '%h\n' | sort -u)
s2=$(now)
"$KUBECONFORM" -strict -ignore-missing-schemas -kubernetes-version 1.33.0 \
	-schema-location "$SCHEMAS/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
	-summary "$OUT" "$C/manifests" >/dev/null 2>&1
s3=$(now)
find "$OUT" "$C/manifests" \( -name '*.yaml' -o -name '*.yml' \) -print0 | xargs -0 "$PEERS/kube-score" score >/dev/null 2>&1
s4=$(now)
awk -v a="$s0" -v b="$s1" -v c="$s2" -v d="$s3" -v e="$s4" 'BEGIN { printf "helm template %.2f s, kustomize build %.2f s, kubeconform %.2f s, kube-score %.2f s, total %.2f s\n", b-a, c-b, d-c, e-d, e-a }'
