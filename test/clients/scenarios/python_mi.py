"""Python's azure-identity (Debian's python3-azure), unmodified, inside `keyless run`:
ManagedIdentityCredential gets a token, then a chat completion with it. Prints JSON."""
import json
import os
import sys
import urllib.request
import ssl

from azure.identity import ManagedIdentityCredential

client_id = os.environ.get("KEYLESS_MI_CLIENT_ID")
credential = ManagedIdentityCredential(client_id=client_id) if client_id else ManagedIdentityCredential()
result = {}
try:
    token = credential.get_token("https://cognitiveservices.azure.com/.default")
    result["token"] = {"expires_on": token.expires_on, "length": len(token.token)}
    url = os.environ["KEYLESS_ENDPOINT"] + "openai/deployments/" + os.environ["KEYLESS_DEPLOYMENT"] + "/chat/completions?api-version=2024-10-21"
    body = json.dumps({"messages": [{"role": "user", "content": "Say hello to Keyless."}]}).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Authorization": "Bearer " + token.token,
        "Content-Type": "application/json",
    })
    context = ssl.create_default_context(cafile=os.environ["REQUESTS_CA_BUNDLE"])
    with urllib.request.urlopen(request, context=context) as response:
        answer = json.load(response)
    result["chat"] = {"status": response.status, "content": answer["choices"][0]["message"]["content"]}
except Exception as error:  # the test asserts on what happened
    result["error"] = type(error).__name__ + ": " + str(error)
json.dump(result, sys.stdout)
