import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { priceUsageFrom } from '../../src/core/client/priceUsage';
import { PromptMeterError } from '../../src/core/client/errors';
import { costOfUsage } from '../../src/core/pricing/cost';
import { Pricing } from '../../src/core/pricing/pricing';
import { harnessClient, suiteServer } from './clientHarness';

/**
 * `service_tier` end to end: the test server serves flex only on models that have it (400 otherwise, as OpenAI
 * does), every answer says which tier served it, and the ledger prices the call at that tier's rates: flex at Batch
 * API rates (OpenAI's flex guide), priority as unknown (its rates are not in the price data), default at standard.
 */
describe('service tiers: priced by the tier that served the call', () => {
  const suite = suiteServer();
  const pricing = new Pricing({});

  const request = (text: string, serviceTier?: string, extra: Record<string, unknown> = {}) => ({
    model: 'gpt-5-mini',
    messages: [{ role: 'user' as const, content: text }],
    max_completion_tokens: 2000,
    ...(serviceTier ? { service_tier: serviceTier as 'flex' } : {}),
    ...extra,
  });

  test('flex is billed at Batch API rates, priority is unknown, default is standard; streamed answers too', async () => {
    const { client, ledger } = harnessClient(suite.server.url, await suite.scratch.directory(), {
      priceUsage: priceUsageFrom(pricing),
      cache: false,
    });
    const flex = await client.chat(request('Summarise flex processing.', 'flex'));
    const streamed = await client.chat(
      request('Summarise flex processing, streamed.', 'flex', {
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    await client.chat(request('Summarise priority processing.', 'priority'));
    const standard = await client.chat(request('Summarise standard processing.'));
    await client.close();
    assert.equal(flex.response.service_tier, 'flex');
    assert.equal(streamed.response.service_tier, 'flex');
    const price = pricing.priceFor('gpt-5-mini');
    assert.ok(price, 'gpt-5-mini has a bundled price');
    const entries = (await ledger.read()).entries;
    assert.equal(entries.length, 4);
    const [flexEntry, streamedEntry, priorityEntry, standardEntry] = entries;
    for (const [entry, result] of [
      [flexEntry, flex],
      [streamedEntry, streamed],
    ] as const) {
      assert.equal(entry?.serviceTier, 'flex');
      const standardCost = costOfUsage(price, result.usage);
      assert.ok(standardCost > 0);
      assert.ok(Math.abs((entry?.costUsd ?? NaN) - standardCost / 2) < 1e-15, 'flex = half the standard price');
      assert.match(entry?.priceSource ?? '', /Flex processing/);
    }
    assert.equal(priorityEntry?.serviceTier, 'priority');
    assert.equal(priorityEntry?.costUsd, null, 'priority rates are not known: unknown, never a guess');
    assert.match(priorityEntry?.priceSource ?? '', /priority/);
    assert.equal(standardEntry?.serviceTier, undefined);
    assert.equal(standardEntry?.costUsd, costOfUsage(price, standard.usage));
  });

  test('flex on a model without Flex processing is a 400 on service_tier, sent once, not billed', async () => {
    const { client, ledger } = harnessClient(suite.server.url, await suite.scratch.directory(), {
      priceUsage: priceUsageFrom(pricing),
      cache: false,
    });
    const failure = await client
      .chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 20, service_tier: 'flex' })
      .then(
        () => assert.fail('expected a 400'),
        (error: unknown) => error,
      );
    await client.close();
    assert.ok(failure instanceof PromptMeterError);
    assert.equal(failure.status, 400);
    assert.match(failure.message, /service_tier|Flex/);
    assert.equal(suite.server.stats().completionsServed, 0);
    assert.equal(suite.server.stats().requests, 1, 'a 400 is not retried');
    assert.equal((await ledger.read()).entries.length, 0, 'a rejected request is not billed and not a ledger entry');
  });
});
