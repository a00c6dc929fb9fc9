# Test fixture: a Terraform file that does not parse is reported, not skipped.
resource "helm_release" "ingress" {
  chart   = "ingress-nginx"
  version = "4.7.3"
  values  = [
} # want "the Terraform file does not parse as HCL: invalid expression: expected the start of an expression"
