# Import an existing revoke-tokens task by its BIG-IQ task id; the inputs
# (action, user or client, targets) are read back from the task.
terraform import bigiq_oauth_token_revocation.example 5b688828-2279-40b0-9dc1-eccdebb6837f
