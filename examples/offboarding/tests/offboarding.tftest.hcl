# terraform test for the offboarding module, against the mock BIG-IQ
# (cmd/bigiq-mock) serving examples/mock/fixture.json. The provider reads
# BIGIQ_ADDRESS, BIGIQ_USERNAME, BIGIQ_PASSWORD and BIGIQ_CA_CERTIFICATE
# from the environment, as in the pipeline. The runs share one state, in
# order: a plan, the offboarding, a re-run, then plans that must fail.
# See the guide "Test your offboarding module".

variables {
  user_name    = "alice"
  cluster_name = "ProdCluster"
}

# The plan already names every device the revocation will reach: the HA
# pair of the cluster, standby member included.
run "plan_shows_the_targets" {
  command = plan

  assert {
    condition = [for d in bigiq_oauth_token_revocation.leaver.target_devices : d.hostname] == [
      "bigip-prod-a.example.com",
      "bigip-prod-b.example.com",
    ]
    error_message = "The plan targets ${jsonencode(bigiq_oauth_token_revocation.leaver.target_devices[*].hostname)}, not the two devices of ProdCluster."
  }

  assert {
    condition     = bigiq_oauth_token_revocation.leaver.user_name == "alice" && bigiq_oauth_token_revocation.leaver.cluster_names == toset(["ProdCluster"])
    error_message = "The plan does not revoke alice's tokens on ProdCluster alone."
  }

  assert {
    condition     = keys(output.devices) == ["bigip-prod-a.example.com", "bigip-prod-b.example.com"]
    error_message = "The devices output lists ${jsonencode(keys(output.devices))}."
  }
}

# The offboarding: alice holds live tokens on the cluster, so BIG-IQ
# revokes them.
run "offboard_alice" {
  assert {
    condition     = output.outcome == "REVOKED"
    error_message = "The outcome is ${output.outcome}, not REVOKED."
  }

  assert {
    condition     = output.status == "FINISHED" && output.result == "COMPLETE"
    error_message = "BIG-IQ reported the task ${output.status}/${output.result}."
  }

  assert {
    condition     = output.task_id != ""
    error_message = "No task id to keep with the ticket."
  }

  assert {
    condition     = output.target_devices == ["bigip-prod-a.example.com", "bigip-prod-b.example.com"]
    error_message = "The revocation ran on ${jsonencode(output.target_devices)}."
  }

  assert {
    condition     = toset(output.client_apps["bigip-prod-a.example.com"]) == toset(["payroll-client", "webmail-client"])
    error_message = "The client_apps output for bigip-prod-a is ${jsonencode(output.client_apps["bigip-prod-a.example.com"])}."
  }
}

# Running the offboarding again (new triggers) starts a new task; alice has
# no live token left, which is a success with outcome NOTHING_TO_REVOKE
# (BIG-IQ itself reports the task FAILED). Only a new task can report that:
# the first one stays REVOKED.
run "offboard_alice_again" {
  variables {
    triggers = { ticket = "HR-1234", run = "2" }
  }

  assert {
    condition     = output.outcome == "NOTHING_TO_REVOKE"
    error_message = "The outcome of the second run is ${output.outcome}, not NOTHING_TO_REVOKE."
  }
}

# A cluster BIG-IQ does not manage stops the plan at the module's
# precondition: nothing reaches BIG-IQ's task API.
run "unknown_cluster_is_refused" {
  command = plan

  variables {
    cluster_name = "NoSuchCluster"
  }

  expect_failures = [bigiq_oauth_token_revocation.leaver]
}

# An empty user name is refused by the module's validation.
run "empty_user_name_is_refused" {
  command = plan

  variables {
    user_name = " "
  }

  expect_failures = [var.user_name]
}
