/**
 * Runs in its own process (NODE_EXTRA_CA_CERTS must be set at start-up):
 * @azure/arm-cognitiveservices's long-running operations, unmodified, against
 * a Keyless started with --async-operations. A pipeline policy records every
 * answer of the operation URL the poller follows, so that the test can see it
 * really polled. Prints one JSON object for the test to assert.
 */
import { credential, endpoint, subscription } from './admin-context.js';
import { ResourceManagementClient } from '@azure/arm-resources';
import { CognitiveServicesManagementClient } from '@azure/arm-cognitiveservices';

const resources = new ResourceManagementClient(credential, subscription, { endpoint });
const cognitive = new CognitiveServicesManagementClient(credential, subscription, { endpoint });

/** `{status code} {operation status}` of each poll of an operation URL, per phase. */
let polls: string[] = [];
cognitive.pipeline.addPolicy({
  name: 'recordOperationPolls',
  async sendRequest(request, next) {
    const response = await next(request);
    if (/\/operationResults\//i.test(request.url)) {
      const body = response.bodyAsText ? (JSON.parse(response.bodyAsText) as { status?: string }) : {};
      polls.push(`${response.status} ${body.status ?? ''}`.trim());
    }
    return response;
  },
});
const phase = (): string[] => {
  const seen = polls;
  polls = [];
  return seen;
};

const result: Record<string, unknown> = {};
await resources.resourceGroups.createOrUpdate('lro-rg', { location: 'westus' });
const account = await cognitive.accounts.beginCreateAndWait('lro-rg', 'lro-openai', { kind: 'OpenAI', sku: { name: 'S0' }, location: 'westus', properties: {} });
result['account'] = { provisioningState: account.properties?.provisioningState, polls: phase() };
const deployment = await cognitive.deployments.beginCreateOrUpdateAndWait('lro-rg', 'lro-openai', 'chat', {
  sku: { name: 'Standard', capacity: 1 },
  properties: { model: { format: 'OpenAI', name: 'gpt-4o-mini' } },
});
result['deployment'] = { provisioningState: deployment.properties?.provisioningState, polls: phase() };
await cognitive.deployments.beginDeleteAndWait('lro-rg', 'lro-openai', 'chat');
result['deploymentDelete'] = { polls: phase(), left: (await cognitive.deployments.list('lro-rg', 'lro-openai').next()).done === true };
await cognitive.accounts.beginDeleteAndWait('lro-rg', 'lro-openai');
result['accountDelete'] = { polls: phase() };
try {
  await cognitive.accounts.get('lro-rg', 'lro-openai');
  result['afterDelete'] = 'still there';
} catch (error) {
  result['afterDelete'] = (error as { statusCode?: number }).statusCode;
}
process.stdout.write(JSON.stringify(result));
