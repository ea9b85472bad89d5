import assert from 'node:assert/strict';

/** What the soft-delete scenario answers, synchronous or long-running alike. */
export function assertSoftDelete(result: Record<string, any>, subscription: string): void {
  assert.deepEqual(result['listed'], [
    {
      name: 'sd-sdk',
      id: `/subscriptions/${subscription}/providers/Microsoft.CognitiveServices/locations/westus/resourceGroups/sd-sdk-rg/deletedAccounts/sd-sdk`,
      kind: 'OpenAI',
      purgeIn: 48 * 3600_000,
    },
  ]);
  assert.deepEqual(result['shown'], { name: 'sd-sdk', endpoint: true, deletionDate: 'string' });
  assert.deepEqual(result['createAgain'], { statusCode: 409, code: 'FlagMustBeSetForRestore' });
  assert.deepEqual(result['restored'], { id: true, provisioningState: 'Succeeded', sameKeys: true, deployments: ['chat'] });
  assert.deepEqual(result['afterPurge'], { statusCode: 404, code: 'ResourceNotFound' });
  assert.equal(result['purgeAgain'], 'no error');
  assert.deepEqual(result['restoreNothing'], { statusCode: 404, code: 'ResourceNotFound' });
}
