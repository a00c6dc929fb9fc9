package tfhelm

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	src := `locals { v = "1.2.3" }

resource "helm_release" "ingress" {
  name       = "ingress-nginx"
  repository = "https://kubernetes.github.io/ingress-nginx"
  chart      = "ingress-nginx"
  version    = "4.7.3"
}

resource "helm_release" "certs" {
  chart   = "cert-manager"
  version = local.v
}

resource "helm_release" "templated" {
  chart   = "cert-manager"
  version = "v${local.v}"
}

resource "kubernetes_namespace" "x" {}

module "helm_release" {}
`
	rels, err := Parse("main.tf", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(rels) != 3 {
		t.Fatalf("got %d releases, want 3: %+v", len(rels), rels)
	}
	r := rels[0]
	if r.Name != "ingress" || r.Line != 3 || r.Chart.Value != "ingress-nginx" || !r.Version.Literal() || r.Version.Value != "4.7.3" || r.Version.Line != 7 || r.Repository.Value != "https://kubernetes.github.io/ingress-nginx" {
		t.Errorf("ingress: %+v", r)
	}
	if v := rels[1].Version; v.Literal() || v.Expr != "local.v" || v.Line != 12 {
		t.Errorf("certs version: %+v, want the expression local.v at line 12", v)
	}
	if v := rels[2].Version; v.Literal() || v.Expr != `"v${local.v}"` {
		t.Errorf("templated version: %+v, want a non-literal", v)
	}
}

func TestParseError(t *testing.T) {
	_, err := Parse("bad.tf", []byte("resource \"helm_release\" \"x\" {\n  chart = \n}\n"))
	if err == nil {
		t.Fatal("no error for invalid HCL")
	}
	if err.File != "bad.tf" || err.Line != 2 || !strings.HasPrefix(err.Message, "the Terraform file does not parse as HCL: ") {
		t.Errorf("error %+v", err)
	}
}
