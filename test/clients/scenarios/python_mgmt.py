"""Python's management SDKs (Debian's python3-azure: azure-mgmt-resource 22, azure-mgmt-cognitiveservices
13.4 at api-version 2022-12-01, azure-identity 1.13), unmodified apart from being pointed at Keyless:
ClientSecretCredential with authority= and instance_discovery=False (no request to
login.microsoftonline.com), and base_url= on each client. The clients' default token scope,
https://management.azure.com/.default, is one Keyless issues and its control plane accepts.

Every step runs, whatever the others did; prints {step: {"ok": true, "value": …} | {"ok": false, "error": …}}.
Run with the loopback guard (loopback_guard/sitecustomize.py) on PYTHONPATH."""
import json
import os
import ssl
import sys
import urllib.error
import urllib.request

from azure.identity import ClientSecretCredential
from azure.mgmt.cognitiveservices import CognitiveServicesManagementClient
from azure.mgmt.cognitiveservices import models as cs
from azure.mgmt.resource import ResourceManagementClient

env = os.environ
GROUP = env.get("KEYLESS_GROUP", "pymgmt")
ACCOUNT = env.get("KEYLESS_ACCOUNT", "pymgmt-openai")
credential = ClientSecretCredential(
    env["KEYLESS_TENANT"], env["KEYLESS_CLIENT_ID"], env["KEYLESS_SECRET"],
    authority=env["KEYLESS_URL"], instance_discovery=False,
)
resources = ResourceManagementClient(credential, env["KEYLESS_SUBSCRIPTION"], base_url=env["KEYLESS_URL"])
cognitive = CognitiveServicesManagementClient(credential, env["KEYLESS_SUBSCRIPTION"], base_url=env["KEYLESS_URL"])
results = {}
state = {}


def step(name):
    def run(action):
        try:
            results[name] = {"ok": True, "value": action()}
        except Exception as error:  # the test asserts on what happened
            results[name] = {"ok": False, "error": type(error).__name__ + ": " + str(error)}
        return action
    return run


@step("groups.create_or_update")
def _():
    return resources.resource_groups.create_or_update(GROUP, {"location": "eastus"}).name


@step("groups.list")
def _():
    return sorted(g.name for g in resources.resource_groups.list())


@step("accounts.begin_create")
def _():
    account = cognitive.accounts.begin_create(GROUP, ACCOUNT, cs.Account(kind="OpenAI", sku=cs.Sku(name="S0"), location="eastus")).result()
    state["endpoint"] = account.properties.endpoint
    return {"kind": account.kind, "provisioningState": account.properties.provisioning_state}


@step("accounts.list_keys")
def _():
    keys = cognitive.accounts.list_keys(GROUP, ACCOUNT)
    state["key"] = keys.key1
    return {"key1": len(keys.key1), "key2": len(keys.key2)}


@step("deployments.begin_create_or_update")
def _():
    model = cs.DeploymentModel(format="OpenAI", name="gpt-4o-mini", version="2024-07-18")
    deployment = cs.Deployment(properties=cs.DeploymentProperties(model=model, scale_settings=cs.DeploymentScaleSettings(scale_type="Standard")))
    created = cognitive.deployments.begin_create_or_update(GROUP, ACCOUNT, "chat", deployment).result()
    return {"name": created.name, "model": created.properties.model.name, "provisioningState": created.properties.provisioning_state}


@step("chat with key1")
def _():
    url = state["endpoint"] + "openai/deployments/chat/chat/completions?api-version=2024-10-21"
    body = json.dumps({"messages": [{"role": "user", "content": "Hello from the management SDK"}]}).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={"api-key": state["key"], "Content-Type": "application/json"})
    with urllib.request.urlopen(request, context=ssl.create_default_context(cafile=env["REQUESTS_CA_BUNDLE"])) as response:
        return {"status": response.status, "object": json.load(response)["object"]}


@step("resources.list")
def _():
    return sorted(r.type + "/" + r.name for r in resources.resources.list() if r.id.lower().startswith(("/subscriptions/%s/resourcegroups/%s/" % (env["KEYLESS_SUBSCRIPTION"], GROUP)).lower()))


@step("providers.get")
def _():
    provider = resources.providers.get("Microsoft.CognitiveServices")
    return {"namespace": provider.namespace, "registrationState": provider.registration_state, "accounts": any(t.resource_type.lower() == "accounts" for t in provider.resource_types)}


@step("accounts.list_models")
def _():
    return sorted({m.name for m in cognitive.accounts.list_models(GROUP, ACCOUNT)})


@step("accounts.list_skus")
def _():
    return sorted({s.sku.name for s in cognitive.accounts.list_skus(GROUP, ACCOUNT).value})


@step("resource_skus.list")
def _():
    return sorted({s.name for s in cognitive.resource_skus.list() if s.kind == "OpenAI"})


@step("accounts.list_usages")
def _():
    return [u.name.value for u in cognitive.accounts.list_usages(GROUP, ACCOUNT).value]


@step("groups.begin_delete")
def _():
    resources.resource_groups.begin_delete(GROUP).result()
    return resources.resource_groups.check_existence(GROUP)


json.dump(results, sys.stdout)
