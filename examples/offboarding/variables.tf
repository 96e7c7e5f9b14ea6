variable "user_name" {
  description = "User name of the leaver whose OAuth tokens are revoked, exactly as APM knows it (case-sensitive)."
  type        = string

  validation {
    condition     = length(trimspace(var.user_name)) > 0
    error_message = "user_name must not be empty."
  }
}

variable "cluster_name" {
  description = "BIG-IQ cluster whose BIG-IP devices hold the tokens."
  type        = string
  default     = "BlueCluster"
}

variable "triggers" {
  description = "Arbitrary values (a ticket id, a run number); changing any of them runs the revocation again."
  type        = map(string)
  default     = { reason = "offboarding" }
}

variable "timeout" {
  description = "How long to wait for BIG-IQ to finish the revocation task."
  type        = string
  default     = "15m"
}
