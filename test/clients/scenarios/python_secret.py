"""Python's azure-identity (Debian's python3-azure), unmodified apart from being pointed at Keyless:
ClientSecretCredential with authority= and instance_discovery=False, then a chat completion with its token."""
import json
import os
import ssl
import sys
import urllib.request

from azure.identity import ClientSecretCredential

env = os.environ
credential = ClientSecretCredential(
    env["KEYLESS_TENANT"], env["KEYLESS_CLIENT_ID"], env["KEYLESS_SECRET"],
    authority=env["KEYLESS_URL"], instance_discovery=False,
)
result = {}
try:
    token = credential.get_token("https://cognitiveservices.azure.com/.default")
    payload = token.token.split(".")[1]
    payload += "=" * (-len(payload) % 4)
    import base64
    result["claims"] = json.loads(base64.urlsafe_b64decode(payload))
    url = env["KEYLESS_ENDPOINT"] + "openai/deployments/" + env["KEYLESS_DEPLOYMENT"] + "/chat/completions?api-version=2024-10-21"
    body = json.dumps({"messages": [{"role": "user", "content": "Hello from Python"}]}).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={"Authorization": "Bearer " + token.token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, context=ssl.create_default_context(cafile=env["REQUESTS_CA_BUNDLE"])) as response:
        result["chat"] = {"status": response.status, "content": json.load(response)["choices"][0]["message"]["content"]}
except Exception as error:
    result["error"] = type(error).__name__ + ": " + str(error)
json.dump(result, sys.stdout)
