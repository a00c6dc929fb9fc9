# Test fixture: a chart version from a variable cannot be judged offline.
variable "ingress_version" {
  type    = string
  default = "4.7.3"
}

resource "helm_release" "ingress" {
  name    = "ingress-nginx"
  chart   = "ingress-nginx"
  version = var.ingress_version # want "helm_release \"ingress\" chart ingress-nginx version is var\.ingress_version, which is not a literal"
}

resource "helm_release" "certs" {
  name  = "cert-manager"
  chart = "cert-manager"
  version = "~> 1.18" # want "version is \"~> 1\.18\", a floating version"
}
