# OAuth client apps configured on one device, by machine id.
data "bigiq_oauth_client_apps" "blue" {
  machine_id = "98901455-6384-47cd-bc41-00a39dfe338f"
}

# Look up a client id by the app's name, for a REVOKE_TOKEN_FOR_CLIENT_ID
# revocation.
output "maps_client_id" {
  value = one([for a in data.bigiq_oauth_client_apps.blue.client_apps : a.client_id if a.name == "maps-client"])
}
